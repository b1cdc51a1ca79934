"""Working-day arithmetic for time limits (法定/承诺时限 are counted in 工作日).

Uses the State Council holiday schedule from `chinesecalendar` (public holidays and the
weekend days moved to working days, 调休). For a year the library does not know yet (the
schedule is published each December) we fall back to Monday–Friday and say so, rather
than failing a case.
"""
from datetime import date, timedelta

import chinese_calendar


def is_workday(day: date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


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
