"""`make clock`: set the local stack's clock ahead, so a walk-through sees deadlines pass.

    python -m infra.local.clock advance 2d     # also 3h, 90m, 1d12h
    python -m infra.local.clock show
    python -m infra.local.clock reset

Everything the running stack does after this (the API, the event handlers, the overdue
sweep) sees the moved clock: services/clock.py adds the offset kept in LOCAL_CLOCK, the
file `make run` points OW_CLOCK_FILE at and clears when it starts. Local only: a function
in Lambda refuses to start with OW_CLOCK_FILE set.
"""
import argparse
import json
import re
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

LOCAL_CLOCK = Path(__file__).resolve().parent.parent.parent / "build" / "local-clock.json"
_UNITS = {"d": 86400, "h": 3600, "m": 60}


def parse_span(text: str) -> timedelta:
    """`2d`, `3h`, `90m`, `1d12h` as a time span."""
    parts = re.findall(r"(\d+)([dhm])", text)
    if not parts or "".join(n + u for n, u in parts) != text:
        raise ValueError(f"{text!r} is not a span like 2d, 3h, 90m or 1d12h")
    return timedelta(seconds=sum(int(n) * _UNITS[u] for n, u in parts))


def offset(path: Path | None = None) -> timedelta:
    path = path or LOCAL_CLOCK
    if not path.exists():
        return timedelta(0)
    return timedelta(seconds=json.loads(path.read_text("utf-8"))["offsetSeconds"])


def set_offset(span: timedelta, path: Path | None = None) -> None:
    path = path or LOCAL_CLOCK
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps({"offsetSeconds": span.total_seconds()}), "utf-8")
    temporary.replace(path)  # whole: a reader never sees half a file


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="clock", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("advance").add_argument("span", type=parse_span)
    commands.add_parser("show")
    commands.add_parser("reset")
    args = parser.parse_args(argv)
    if args.command == "advance":
        set_offset(offset() + args.span)
    elif args.command == "reset":
        set_offset(timedelta(0))
    ahead = offset()
    now = datetime.now(timezone.utc) + ahead
    print(json.dumps({"offsetSeconds": ahead.total_seconds(),
                      "now": now.strftime("%Y-%m-%dT%H:%M:%SZ")}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
