"""Business and operational metrics as CloudWatch Embedded Metric Format (EMF): one JSON
line on stdout per metric, which CloudWatch Logs turns into a metric of namespace
`OneWindow` — no API call, no SDK, no cost on the request path beyond the line.

Which change of a case stands for which metric is the timeline's to say
(services/timeline.py `metrics_of`): a timeline event is written once (conditional put),
and its metrics are emitted only by the writer that added it, so a redelivered stream
record does not count twice.
"""
import json
import sys
import time

from . import config

NAMESPACE = "OneWindow"
SERVICE = "onewindow"

_stream = None


def set_stream(stream) -> None:
    """Where the lines go (tests); stdout by default, as Lambda expects."""
    global _stream
    _stream = stream


def line(name: str, value: float, unit: str = "Count", **dimensions: str) -> dict:
    """One EMF document: the metric, its dimensions (always `service` and `area`)."""
    dims = {"service": SERVICE, "area": config.get().area_code,
            **{k: str(v) for k, v in dimensions.items()}}
    return {"_aws": {"Timestamp": int(time.time() * 1000), "CloudWatchMetrics": [{
        "Namespace": NAMESPACE, "Dimensions": [sorted(dims)],
        "Metrics": [{"Name": name, "Unit": unit}]}]}, **dims, name: value}


def emit(name: str, value: float = 1, unit: str = "Count", **dimensions: str) -> None:
    stream = _stream or sys.stdout
    stream.write(json.dumps(line(name, value, unit, **dimensions), ensure_ascii=False) + "\n")
    stream.flush()
