"""What each lifecycle event adds to the monthly counters, and the figures read from them
(domain/statistics.py). No AWS."""
from zoneinfo import ZoneInfo

from chalicelib.domain import statistics

ZONE = ZoneInfo("Asia/Shanghai")
FACTS = statistics.Facts(item="ITEM", dept="SCJG", channel="web", minutes=1200,
                         on_time=True, fully_online=True)


def _add(kind, **detail):
    found = statistics.contribution(kind, {"at": "2026-11-30T17:00:00Z", **detail}, FACTS,
                                    ZONE)
    return (found.month, found.dept, found.counts) if found else None


def test_each_event_counts_in_its_month_and_department():
    # 2026-11-30 17:00 UTC is already December in Shanghai.
    assert _add("received") == ("2026-12", "SCJG", {"received": 1})
    assert _add("refused")[2] == {"refused": 1}
    assert _add("approved", fromStatus=8)[2] == {
        "concluded": 1, "onTime": 1, "workMinutes": 1200, "fullyOnline": 1, "wd25": 1}
    assert _add("approved", fromStatus=12) is None  # the same conclusion, materials in
    assert _add("overdue", deadline="promised")[2] == {"overdue": 1}
    assert _add("overdue", deadline="promised", taskId="T") is None
    assert _add("card_issued", level="red", dept="WSJK")[1:] == ("WSJK", {"cardsRed": 1})
    assert _add("rating_submitted", level=4, dept="XFJY")[1:] == (
        "XFJY", {"rated": 1, "satisfied": 1, "ratingSum": 4, "rating4": 1})
    # A rating's later steps count in the rating's month.
    assert _add("rectification_rectified", round=1, dept="SCJG",
                ratedAt="2026-10-31T01:00:00Z")[:1] == ("2026-10",)
    assert _add("rectification_rectified", round=2, dept="SCJG") is None
    assert _add("rating_contest_decided", decision="upheld", dept="SCJG", level=2)[2] == {
        "excluded": 1, "rectVoided": 1, "rating2": -1}
    assert _add("rating_contest_decided", decision="rejected", dept="SCJG",
                level=2) is None
    assert _add("task_claimed") is None


def test_figures_come_out_of_the_counters_alone():
    counts = {"concluded": 10, "onTime": 9, "workMinutes": 10 * 480, "rated": 5,
              "satisfied": 3, "excluded": 1, "rectOpened": 2, "rectVoided": 1,
              "rectRectified": 1, "fullyOnline": 4, "cardsYellow": 2,
              **{f"wd{n}": 1 for n in (5, 6, 7, 8, 9, 10, 11, 12, 13)}, "wd40": 1}
    found = statistics.figures(counts)
    assert (found["onTimeRate"], found["averageWorkingDays"], found["p90WorkingDays"]) == \
        (0.9, 1.0, 1.3)
    assert (found["ratings"], found["satisfaction"]) == (4, 0.75)
    assert statistics.figures({"rating5": 2, "rating1": 1})["ratingsByLevel"] == \
        [1, 0, 0, 0, 2]
    assert statistics.flat(statistics.figures({"rating3": 7}))["ratingsLevel3"] == 7
    assert (found["rectifications"], found["rectificationRate"]) == (1, 1.0)
    assert found["cards"] == {"warning": 0, "yellow": 2, "red": 0}
    assert found["fullyOnlineShare"] == 0.4
    empty = statistics.figures({})
    assert empty["onTimeRate"] is None and empty["p90WorkingDays"] is None
    assert set(statistics.flat(found)) == set(statistics.FLAT_FIELDS)


def test_working_days_go_into_tenths_rounded_up():
    assert [statistics.tenths(m) for m in (0, 1, 48, 49, 480, 10 ** 9)] == \
        [0, 1, 1, 2, 10, statistics.MAX_TENTHS]
    assert statistics.percentile_tenths({"wd3": 9, "wd50": 1}, 0.9) == 3
    assert statistics.percentile_tenths({"wd3": 8, "wd50": 2}, 0.9) == 50


def test_the_rows_every_event_adds_to_are_spread_and_read_back_together():
    from chalicelib.domain import statistics as rules
    assert rules.stored("all") == ["all", *(f"all~{part}" for part in range(rules.SPREAD))]
    assert rules.written("channel#web", 3) == "channel#web~3"
    assert rules.stored("dept#SCJG") == ["dept#SCJG"] == [rules.written("dept#SCJG", 3)]
    assert {rules.dimension_of(row) for row in rules.stored("channel#web")} == {"channel#web"}
    assert rules.dimension_of("item#11440300MB2C92138W4442111001") == \
        "item#11440300MB2C92138W4442111001"
