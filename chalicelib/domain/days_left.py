"""Open work by working days left (剩余工作日): the buckets a department's open tasks are
counted in on the supervision dashboard, each a range of deadlines. Pure rules: no AWS.

A task's working days left are the working days after today (the region's calendar,
domain/workdays.py) up to its deadline's day: 0 for a deadline later today, 1 for one on
the next working day, and so on; a deadline on a day off counts as on the next working
day. A deadline already passed is overdue. Each bucket is a half-open range of deadlines
[after, before) in the stored form (UTC text, sortable), so the count and the tasks behind
it (`GET /tasks?dueAfter=…&dueBefore=…`) are read with the same bounds.
"""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from . import worktime
from .workdays import add_workdays

# (key, label, first and last working days left; None: unbounded)
BUCKETS = (("overdue", "已超期", None, -1),
           ("0", "今日到期", 0, 0),
           ("1", "剩1个工作日", 1, 1),
           ("2", "剩2个工作日", 2, 2),
           ("3-5", "剩3–5个工作日", 3, 5),
           ("6-10", "剩6–10个工作日", 6, 10),
           ("11+", "剩10个工作日以上", 11, None))


@dataclass(frozen=True)
class Bucket:
    key: str
    label: str
    after: str | None    # deadlines at or after this moment (None: any before `before`)
    before: str | None   # and before this one (None: any later)

    def holds(self, deadline: str) -> bool:
        return (self.after is None or deadline >= self.after) and \
            (self.before is None or deadline < self.before)


def _midnight(day: date, zone: tzinfo) -> str:
    return worktime.utc_text(datetime.combine(day, time(0), zone))


def buckets(now: datetime, zone: tzinfo) -> list[Bucket]:
    """The buckets as of `now` (to the second), in order: overdue first."""
    as_of = worktime.utc_text(now)
    today = now.astimezone(zone).date()
    # The first moment of the day after the Nth working day after today (N = 0: today).

    def end_of(n: int) -> str:
        return _midnight((add_workdays(today, n) if n else today) + timedelta(days=1), zone)
    found = []
    for key, label, first, last in BUCKETS:
        after = None if first is None else as_of if first == 0 else end_of(first - 1)
        before = as_of if last == -1 else None if last is None else end_of(last)
        found.append(Bucket(key, label, after, before))
    return found


def bucket_of(deadline: str, found: list[Bucket]) -> str:
    """The key of the bucket a deadline (stored form) falls in."""
    return next(bucket.key for bucket in found if bucket.holds(deadline))
