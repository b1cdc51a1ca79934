"""Working days left (domain/days_left.py): buckets of deadlines in the region's calendar."""
from datetime import datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from chalicelib.domain import days_left, worktime

ZONE = ZoneInfo("Asia/Shanghai")
# Thursday 24 September 2026, 10:00 (the official 2026 schedule): Friday 25 September
# (Mid-Autumn) and 1–7 October (National Day) are days off, Saturday 10 October is worked.
# Working days after the 24th: 28 (1st), 29, 30 Sep, 8, 9 Oct (5th), 10, 12, 13, 14,
# 15 Oct (10th), 16 Oct (11th).
NOW = datetime(2026, 9, 24, 10, 0, tzinfo=ZONE)


def _at(day: int, month: int = 9, hour: int = 18) -> str:
    return worktime.utc_text(datetime(2026, month, day, hour, 0, tzinfo=ZONE))


def test_each_deadline_falls_in_the_bucket_of_its_working_days_left():
    found = days_left.buckets(NOW, ZONE)
    assert [b.key for b in found] == ["overdue", "0", "1", "2", "3-5", "6-10", "11+"]
    cases = {
        worktime.utc_text(NOW - timedelta(seconds=1)): "overdue",
        _at(24, hour=0): "overdue",
        worktime.utc_text(NOW): "0",
        _at(24, hour=23): "0",
        _at(25, hour=12): "1",          # Mid-Autumn: as on the next working day, the 28th
        _at(27): "1", _at(28): "1",
        _at(29): "2",
        _at(30): "3-5",
        _at(1, 10): "3-5",              # National Day: as on 8 October, the 4th
        _at(9, 10): "3-5",
        _at(10, 10): "6-10",            # a Saturday worked: the 6th
        _at(11, 10): "6-10",            # a Sunday off: as on the 12th, the 7th
        _at(15, 10): "6-10",
        _at(16, 10, hour=0): "11+",
        _at(16, 10): "11+",
    }
    assert {deadline: days_left.bucket_of(deadline, found) for deadline in cases} == cases


def test_buckets_are_contiguous_ranges_from_overdue_up_to_any_later():
    found = days_left.buckets(NOW, ZONE)
    assert found[0].after is None and found[0].before == worktime.utc_text(NOW)
    assert found[1].after == worktime.utc_text(NOW)
    assert found[-1].before is None
    for one, following in pairwise(found):
        assert one.before == following.after
    assert found[1].before == _at(25, hour=0)
    assert found[2].before == _at(29, hour=0)
    assert found[-1].after == _at(16, 10, hour=0)
