"""The time and the region's calendar date: offices count days in local time, so every
business date (case numbers, deadlines, license dates) is a date in OW_TIMEZONE."""
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from .. import config


def now() -> datetime:
    return datetime.now(timezone.utc)


def local_date(moment: datetime) -> date:
    """The region's calendar date of a moment."""
    return moment.astimezone(ZoneInfo(config.get().timezone)).date()


def today() -> date:
    return local_date(now())
