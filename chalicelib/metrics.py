"""Business and operational metrics as CloudWatch Embedded Metric Format (EMF): one JSON
line on stdout per metric, which CloudWatch Logs turns into a metric of namespace
`OneWindow` — no API call, no SDK, no cost on the request path beyond the line.

The lifecycle metrics come from the case timeline: a timeline event is written once
(conditional put), and its metrics are emitted only by the writer that added it, so a
redelivered stream record does not count twice.
"""
import json
import os
import sys
import time
from datetime import date, datetime

NAMESPACE = "OneWindow"
SERVICE = "onewindow"

CONCLUDED = {11: "approved", 12: "approved_pending_materials", 13: "denied"}
NOT_ACCEPTED = (4, 5)

_stream = None


def set_stream(stream) -> None:
    """Where the lines go (tests); stdout by default, as Lambda expects."""
    global _stream
    _stream = stream


def line(name: str, value: float, unit: str = "Count", **dimensions: str) -> dict:
    """One EMF document: the metric, its dimensions (always `service` and `area`)."""
    dims = {"service": SERVICE, "area": os.environ.get("OW_AREA_CODE", "440300"),
            **{k: str(v) for k, v in dimensions.items()}}
    return {"_aws": {"Timestamp": int(time.time() * 1000), "CloudWatchMetrics": [{
        "Namespace": NAMESPACE, "Dimensions": [sorted(dims)],
        "Metrics": [{"Name": name, "Unit": unit}]}]}, **dims, name: value}


def emit(name: str, value: float = 1, unit: str = "Count", **dimensions: str) -> None:
    stream = _stream or sys.stdout
    stream.write(json.dumps(line(name, value, unit, **dimensions), ensure_ascii=False) + "\n")
    stream.flush()


def for_timeline_change(old: dict | None, new: dict | None) -> list[tuple]:
    """The metrics a change of the cases table stands for: (name, value, unit, dims)."""
    if not new:
        return []
    if new.get("rt") == "case" and (not old or old.get("status") != new.get("status")):
        status = int(new["status"])
        channel = {"channel": new.get("appliedVia", "api")}
        if status == 1:
            return [("CasesReceived", 1, "Count", channel)]
        if status == 3:
            return [("CasesAccepted", 1, "Count", {})]
        if status in NOT_ACCEPTED:
            return [("CasesNotAccepted", 1, "Count", {})]
        if status in CONCLUDED:
            return [("CasesConcluded", 1, "Count", {"outcome": CONCLUDED[status]})]
        return []
    if new.get("rt") == "task" and new.get("state") == "decided" and \
            (old or {}).get("state") == "open":
        dept = {"dept": new.get("dept", "unknown")}
        found = []
        created, decided = new.get("createdAt"), new.get("decidedAt")
        if created and decided:
            seconds = (datetime.fromisoformat(decided.replace("Z", "+00:00")) -
                       datetime.fromisoformat(created.replace("Z", "+00:00"))).total_seconds()
            found.append(("DecisionLatency", round(max(seconds, 0.0), 3), "Seconds", dept))
        deadline = new.get("deadline")
        if deadline and decided and _local_day(decided) > date.fromisoformat(deadline):
            found.append(("OverdueDecisions", 1, "Count", dept))
        return found
    return []


def _local_day(timestamp: str) -> date:
    """The region's calendar day of a timestamp (deadlines are days in office time)."""
    from zoneinfo import ZoneInfo

    from . import config
    moment = datetime.fromisoformat(timestamp.replace("Z", "+00:00"))
    return moment.astimezone(ZoneInfo(config.get().timezone)).date()
