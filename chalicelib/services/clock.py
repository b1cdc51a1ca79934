"""The time and the region's calendar date: offices count days in local time, so every
business date (case numbers, deadlines, license dates) is a date in OW_TIMEZONE.

The local stack may run its clock ahead (`make clock`, infra/local/clock.py): a
walk-through sees a case go past its deadline without waiting for it. The offset is read
from OW_CLOCK_FILE whenever that file changes; a deployment never sets it, and a function
in Lambda refuses to start with it (wiring.py).
"""
import functools
import json
import os
from datetime import UTC, date, datetime, timedelta

from .. import config


def now() -> datetime:
    moment = datetime.now(UTC)
    path = config.get().clock_file
    return moment + _offset(path) if path else moment


_read: dict[str, tuple[float, timedelta]] = {}


def _offset(path: str) -> timedelta:
    """How far the local clock is set ahead (0 without the file)."""
    try:
        changed = os.stat(path).st_mtime_ns
    except FileNotFoundError:
        return timedelta(0)
    known = _read.get(path)
    if known is None or known[0] != changed:
        with open(path, encoding="utf-8") as file:
            seconds = float(json.load(file).get("offsetSeconds", 0))
        known = _read[path] = (changed, timedelta(seconds=seconds))
    return known[1]


def local_date(moment: datetime) -> date:
    """The region's calendar date of a moment."""
    return moment.astimezone(_zone(config.get().timezone)).date()


@functools.lru_cache(maxsize=8)
def _zone(name: str):
    # zoneinfo (with sysconfig) costs ~1.4 ms at import; catalogue reads never need it.
    from zoneinfo import ZoneInfo
    return ZoneInfo(name)


def zone():
    """The region's time zone (OW_TIMEZONE)."""
    return _zone(config.get().timezone)


def counting_day(moment: datetime) -> date:
    """The day limits in working days count from for something received at `moment`
    (domain/worktime.counting_day: out of office hours, the next working day)."""
    from ..domain import worktime
    return worktime.counting_day(moment, zone())


def today() -> date:
    return local_date(now())
