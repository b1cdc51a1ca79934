"""Working-day arithmetic for time limits (法定/承诺时限 are counted in 工作日).

The calendar, for any year:
- statutory holidays (New Year, Spring Festival, Qingming, Labour Day, Dragon Boat,
  Mid-Autumn, National Day) are computed by `holidays` (China), lunar dates included;
- the official schedule, make-up working days (调休) included, is used for every year whose
  State Council notice the library ships;
- a region's override (`set_schedules`, loaded from OW_CALENDAR_FILE) adds the schedule of
  a year announced after this release, and takes precedence for that year.
A year with neither official schedule nor override is counted on the computed holidays
alone: its dates are `provisional`, and so is every deadline that crosses it.
"""
import functools
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from .errors import ValidationError

if TYPE_CHECKING:  # imported where used: holidays loads its tables on import
    from holidays import HolidayBase

OFFICIAL, PROVISIONAL = "official", "provisional"
_schedules: dict[int, dict[str, frozenset[date]]] = {}


def set_schedules(document: dict[str, Any] | None) -> None:
    """A region's announced schedules: {"2027": {"holidays": ["2027-01-01", …],
    "workdays": ["2027-02-14", …]}} — every day off of the year, and every weekend day
    that is worked. Raises ValidationError naming a malformed entry."""
    parsed = {}
    for year_text, schedule in (document or {}).items():
        try:
            year = int(year_text)
            days = {kind: frozenset(date.fromisoformat(d) for d in schedule.get(kind, []))
                    for kind in ("holidays", "workdays")}
        except (TypeError, ValueError, AttributeError):
            raise ValidationError(f"calendar override {year_text!r} must list ISO dates under "
                                  "holidays and workdays", field=f"calendar.{year_text}") \
                from None
        if any(d.year != year for kind in days.values() for d in kind):
            raise ValidationError(f"calendar override {year} lists a date of another year",
                                  field=f"calendar.{year_text}")
        parsed[year] = days
    _schedules.clear()
    _schedules.update(parsed)


# `holidays` is imported on first use: importing its China calendar loads every country
# (~50 ms), and most requests (catalogue reads above all) never count a working day.
@functools.lru_cache(maxsize=1)
def _shipped_years() -> frozenset[int]:
    """The years whose official schedule (with make-up days) the library ships."""
    from holidays.countries.china import ChinaStaticHolidays
    return frozenset(ChinaStaticHolidays.special_public_holidays)


@functools.lru_cache(maxsize=64)
def _computed(year: int) -> "HolidayBase":
    from holidays.countries.china import China
    return China(years=year)


def basis(year: int) -> str:
    """Whether a year's working days follow an announced schedule or a computed one."""
    return OFFICIAL if year in _schedules or year in _shipped_years() else PROVISIONAL


def is_workday(day: date) -> bool:
    schedule = _schedules.get(day.year)
    if schedule is not None:
        if day in schedule["workdays"]:
            return True
        return day not in schedule["holidays"] and day.weekday() < 5
    return bool(_computed(day.year).is_working_day(day))


def add_workdays(start: date, days: int) -> date:
    """The date `days` working days after `start` (start itself is not counted)."""
    if days < 0:
        raise ValueError("days must be >= 0")
    current = start
    remaining = days
    while remaining:
        current += timedelta(days=1)
        if is_workday(current):
            remaining -= 1
    return current


def span_basis(start: date, end: date) -> str:
    """The basis of a deadline counted from `start` to `end`: provisional if any year it
    crosses is."""
    years = range(start.year, max(start.year, end.year) + 1)
    return PROVISIONAL if any(basis(y) == PROVISIONAL for y in years) else OFFICIAL
