"""The time and the region's calendar date: offices count days in local time, so every
business date (case numbers, deadlines, license dates) is a date in OW_TIMEZONE."""
import functools
from datetime import date, datetime, timezone

from .. import config


def now() -> datetime:
    return datetime.now(timezone.utc)


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


def today() -> date:
    return local_date(now())
