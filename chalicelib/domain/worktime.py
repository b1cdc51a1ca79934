"""Working time and the legal clock of a case (法定/承诺时限 counted in working time).

Office hours are 09:00–12:00 and 13:00–18:00 on working days of the region's calendar
(domain/workdays.py): eight working hours, 480 working minutes, make one working day. A
limit of N working days ends at the close of the Nth working day after the day the clock
started; a limit in working hours ends that many office hours after the moment it started.

The clock stops while the case waits on someone outside the office (a supplement, a
special procedure): every deadline of the case then moves on by the working time the
pause lasted. So a case keeps its *planned* deadlines (as if it never paused) and the
working minutes it spent paused; each effective deadline is the planned one plus those
minutes of working time.
"""
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from .workdays import add_workdays, is_workday

OFFICE_HOURS = ((time(9), time(12)), (time(13), time(18)))
DAY_MINUTES = 480
CLOSE = OFFICE_HOURS[-1][1]


def _segments(day: date, zone: tzinfo) -> Iterator[tuple[datetime, datetime]]:
    if is_workday(day):
        for start, end in OFFICE_HOURS:
            yield datetime.combine(day, start, zone), datetime.combine(day, end, zone)


def minutes_between(start: datetime, end: datetime, zone: tzinfo) -> int:
    """Working minutes from `start` to `end` (0 when `end` is not later)."""
    if end <= start:
        return 0
    start, end = start.astimezone(zone), end.astimezone(zone)
    total = 0.0
    day = start.date()
    while day <= end.date():
        for open_, close in _segments(day, zone):
            overlap = (min(close, end) - max(open_, start)).total_seconds()
            if overlap > 0:
                total += overlap
        day += timedelta(days=1)
    return int(total // 60)


def add_minutes(start: datetime, minutes: int, zone: tzinfo) -> datetime:
    """The moment `minutes` working minutes after `start` (`start` itself when 0)."""
    if minutes < 0:
        raise ValueError("minutes must be >= 0")
    if minutes == 0:
        return start
    start = start.astimezone(zone)
    remaining = timedelta(minutes=minutes)
    day = start.date()
    while True:
        for open_, close in _segments(day, zone):
            begin = max(open_, start)
            if begin >= close:
                continue
            if begin + remaining <= close:
                return begin + remaining
            remaining -= close - begin
        day += timedelta(days=1)


def sub_minutes(end: datetime, minutes: int, zone: tzinfo) -> datetime:
    """The moment `minutes` working minutes before `end` (`end` itself when 0)."""
    if minutes < 0:
        raise ValueError("minutes must be >= 0")
    if minutes == 0:
        return end
    end = end.astimezone(zone)
    remaining = timedelta(minutes=minutes)
    day = end.date()
    while True:
        for open_, close in reversed(list(_segments(day, zone))):
            finish = min(close, end)
            if finish <= open_:
                continue
            if finish - remaining >= open_:
                return finish - remaining
            remaining -= finish - open_
        day -= timedelta(days=1)


def close_of(day: date, zone: tzinfo) -> datetime:
    """The end of office hours on `day`: when a limit counted in days runs out."""
    return datetime.combine(day, CLOSE, zone)


def counting_day(received: datetime, zone: tzinfo) -> date:
    """The day a limit in working days counts from: the day something was received, if
    that is a working day and it came before the close; else the next working day — an
    application sent at 20:38, on a Sunday or a holiday is received as the office opens,
    as a counter would have received it. So no limit ends before it started: an immediate
    item (0 days) received out of hours is due at the close of the next working day."""
    local = received.astimezone(zone)
    day = local.date()
    if is_workday(day) and local < close_of(day, zone):
        return day
    return add_workdays(day, 1)


def limit_due(started: datetime, value: int, unit: str, zone: tzinfo) -> datetime:
    """When a limit of `value` working days or hours, started at `started`, runs out:
    never before `started` (limits in days count from `counting_day`; in hours, office
    hours only)."""
    if unit == "workhours":
        return add_minutes(started, value * 60, zone)
    return close_of(add_workdays(counting_day(started, zone), value), zone)


def utc_text(moment: datetime) -> str:
    """The one stored form of a moment: UTC, second precision, sortable (the year always
    four digits, which strftime's %Y does not give before the year 1000)."""
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def utc_precise_text(moment: datetime) -> str:
    """A moment as UTC to the microsecond, sortable: the key form of records written many
    in a second (timeline events, audit entries)."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds").replace(
        "+00:00", "Z")


def parse(text: str) -> datetime:
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Pause:
    """One stop of the clock: why, by which task, from when until when."""
    kind: str                 # supplement | special_procedure
    since: str                # UTC text
    until: str | None = None
    minutes: int | None = None  # working minutes it lasted, once over
    taskId: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


def paused_minutes(pauses: list[dict[str, Any]]) -> int:
    """Working minutes of every pause that is over."""
    return sum(int(p.get("minutes") or 0) for p in pauses if p.get("until"))


def open_pause(pauses: list[dict[str, Any]]) -> dict[str, Any] | None:
    return next((p for p in pauses if not p.get("until")), None)


def shifted(planned: str, pauses: list[dict[str, Any]], zone: tzinfo) -> str:
    """A planned deadline moved on by the working time the case spent paused."""
    return utc_text(add_minutes(parse(planned), paused_minutes(pauses), zone))


def end_pause(pauses: list[dict[str, Any]], at: datetime, zone: tzinfo) -> list[dict[str, Any]]:
    """The pauses with the open one ended at `at` (its working minutes counted)."""
    ended = []
    for pause in pauses:
        if not pause.get("until"):
            pause = {**pause, "until": utc_text(at),
                     "minutes": minutes_between(parse(pause["since"]), at, zone)}
        ended.append(pause)
    return ended


def clock_view(started: str, planned: dict[str, str], pauses: list[dict[str, Any]],
               stopped: str | None, now: datetime, zone: tzinfo) -> dict[str, Any]:
    """Elapsed and remaining working time of a case, and its pauses.

    `planned` maps each deadline (promised, statutory) to its planned moment; `stopped`
    is when the case concluded or closed (the clock stops for good). Remaining time is
    negative once a deadline has passed."""
    current = open_pause(pauses)
    end = parse(stopped) if stopped else parse(current["since"]) if current else now
    elapsed = minutes_between(parse(started), end, zone) - paused_minutes(pauses)
    view = {"running": stopped is None and current is None,
            "elapsedMinutes": max(elapsed, 0),
            "pausedMinutes": paused_minutes(pauses),
            "pauses": pauses}
    for name, moment in planned.items():
        due = parse(shifted(moment, pauses, zone))
        remaining = minutes_between(end, due, zone) if end < due else \
            -minutes_between(due, end, zone)
        view[f"{name}DueAt"] = utc_text(due)
        view[f"{name}RemainingMinutes"] = remaining
    if current:
        view["pausedSince"] = current["since"]
        view["pauseKind"] = current["kind"]
    return view
