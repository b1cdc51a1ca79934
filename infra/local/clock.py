"""`make clock`: set the local stack's clock ahead, so a walk-through sees deadlines pass.

    python -m infra.local.clock advance 2d     # also 3h, 90m, 1d12h
    python -m infra.local.clock advance 4wd    # 10:00 on the 4th working day from today
    python -m infra.local.clock show
    python -m infra.local.clock reset

Working days (`wd`) follow the region's calendar and office hours, as deadlines do: a
limit of N working days runs out at the close of the Nth working day, so `advance 4wd`
after an acceptance today lands on the last working day of a 4-day review, mid-morning,
wherever the weekends and holidays fall.

Everything the running stack does after this (the API, the event handlers, the overdue
sweep) sees the moved clock: services/clock.py adds the offset kept in the stack's clock
file (infra/local/paths.py), the file `make run` points OW_CLOCK_FILE at and clears when
it starts. Local only: a function in Lambda refuses to start with OW_CLOCK_FILE set.
"""
import argparse
import json
import re
import sys
from datetime import UTC, datetime, time, timedelta, tzinfo
from pathlib import Path

from infra.local import paths

_UNITS = {"d": 86400, "h": 3600, "m": 60}
_WORKDAYS = re.compile(r"(\d+)wd")
MID_MORNING = time(10)  # inside office hours, an hour after they open


def parse_span(text: str) -> timedelta:
    """`2d`, `3h`, `90m`, `1d12h` as a time span."""
    parts = re.findall(r"(\d+)([dhm])", text)
    if not parts or "".join(n + u for n, u in parts) != text:
        raise ValueError(f"{text!r} is not a span like 2d, 3h, 90m or 1d12h")
    return timedelta(seconds=sum(int(n) * _UNITS[u] for n, u in parts))


def parse_advance(text: str) -> timedelta | int:
    """A span (`2d`, `3h`…) or a number of working days (`4wd`)."""
    workdays = _WORKDAYS.fullmatch(text)
    return int(workdays.group(1)) if workdays else parse_span(text)


def workdays_on(moment: datetime, days: int, zone: tzinfo) -> datetime:
    """10:00 on the `days`-th working day after the date of `moment` in `zone`."""
    from chalicelib.domain.workdays import add_workdays
    day = add_workdays(moment.astimezone(zone).date(), days)
    return datetime.combine(day, MID_MORNING, zone)


def _region_zone() -> tzinfo:
    """The region's time zone, its calendar loaded (the local stack's environment)."""
    from infra import stage_env
    if paths.env_file().exists():
        stage_env.load("OW_TIMEZONE", "OW_TIMEZONE, OW_CALENDAR_FILE")
    from chalicelib.services import clock
    stage_env.configure()
    return clock.zone()


def offset(path: Path | None = None) -> timedelta:
    path = path or paths.clock_file()
    if not path.exists():
        return timedelta(0)
    return timedelta(seconds=json.loads(path.read_text("utf-8"))["offsetSeconds"])


def set_offset(span: timedelta, path: Path | None = None) -> None:
    path = path or paths.clock_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps({"offsetSeconds": span.total_seconds()}), "utf-8")
    temporary.replace(path)  # whole: a reader never sees half a file


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="clock", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("advance").add_argument("span", type=parse_advance)
    commands.add_parser("show")
    commands.add_parser("reset")
    args = parser.parse_args(argv)
    # One reading of the real time: what is printed is the moment the clock was set to
    # (10:00 exactly after `advance 4wd`), however long this command took.
    real = datetime.now(UTC)
    if args.command == "advance" and isinstance(args.span, int):
        target = workdays_on(real + offset(), args.span, _region_zone())
        set_offset(max(target - real, offset()))  # never back
    elif args.command == "advance":
        set_offset(offset() + args.span)
    elif args.command == "reset":
        set_offset(timedelta(0))
    ahead = offset()
    now = real + ahead
    print(json.dumps({"offsetSeconds": ahead.total_seconds(),
                      "now": now.strftime("%Y-%m-%dT%H:%M:%SZ")}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
