"""The legal clock: working time on the region's calendar, pauses that stop it. In the
official 2026 schedule Mid-Autumn takes 25–27 September, National Day 1–7 October, and
Saturday 10 October is a make-up working day."""
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.domain import worktime
from chalicelib.domain.workdays import is_workday

SH = ZoneInfo("Asia/Shanghai")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SH)


def test_the_2026_national_day_calendar():
    assert not any(is_workday(date(2026, 10, d)) for d in range(1, 8))
    assert not is_workday(date(2026, 9, 25)) and not is_workday(date(2026, 10, 11))
    assert is_workday(date(2026, 10, 8)) and is_workday(date(2026, 10, 10))


def test_working_minutes_count_office_hours_only():
    assert worktime.minutes_between(at("2026-11-23 09:00"), at("2026-11-23 18:00"), SH) == 480
    assert worktime.minutes_between(at("2026-11-23 11:30"), at("2026-11-23 13:30"), SH) == 60
    # Friday 17:00 to Monday 10:00: one hour each side of the weekend.
    assert worktime.minutes_between(at("2026-11-27 17:00"), at("2026-11-30 10:00"), SH) == 120
    assert worktime.minutes_between(at("2026-11-30 10:00"), at("2026-11-27 17:00"), SH) == 0


def test_adding_working_time_skips_lunch_nights_weekends_and_holidays():
    assert worktime.add_minutes(at("2026-11-23 11:00"), 120, SH) == at("2026-11-23 14:00")
    assert worktime.add_minutes(at("2026-11-27 17:00"), 120, SH) == at("2026-11-30 10:00")
    # From the eve of National Day, one working day is the day after the holiday, and
    # the day after Friday the 9th is the make-up Saturday.
    assert worktime.add_minutes(at("2026-09-30 18:00"), 480, SH) == at("2026-10-08 18:00")
    assert worktime.add_minutes(at("2026-10-09 18:00"), 480, SH) == at("2026-10-10 18:00")
    assert worktime.add_minutes(at("2026-11-23 12:00"), 0, SH) == at("2026-11-23 12:00")


def test_limits_in_days_end_at_close_and_in_hours_after_office_hours():
    assert worktime.limit_due(at("2026-11-23 10:00"), 2, "workdays", SH) == \
        at("2026-11-25 18:00")
    assert worktime.limit_due(at("2026-11-23 16:00"), 4, "workhours", SH) == \
        at("2026-11-24 11:00")


def test_a_pause_across_national_day_moves_deadlines_by_the_working_time_it_took():
    # Paused Tuesday 29 September 15:00, resumed on the make-up Saturday 10 October
    # 10:00: 3 hours on the 29th, 8 on the 30th, none 1–7 October, 8 each on the 8th and
    # 9th, 1 on the 10th.
    pauses = [{"kind": "supplement", "since": worktime.utc_text(at("2026-09-29 15:00"))}]
    ended = worktime.end_pause(pauses, at("2026-10-10 10:00"), SH)
    minutes = worktime.minutes_between(at("2026-09-29 15:00"), at("2026-10-10 10:00"), SH)
    assert ended[0]["minutes"] == minutes == 180 + 480 + 480 + 480 + 60
    assert ended[0]["until"] == worktime.utc_text(at("2026-10-10 10:00"))
    planned = worktime.utc_text(at("2026-09-30 18:00"))
    moved = worktime.parse(worktime.shifted(planned, ended, SH)).astimezone(SH)
    assert worktime.minutes_between(at("2026-09-30 18:00"), moved, SH) == minutes
    # 30 September 18:00 plus 3.5 working days: the 8th, 9th, the make-up Saturday,
    # then Monday the 12th from 09:00 for 4 hours (lunch skipped): 14:00.
    assert moved == at("2026-10-12 14:00")


def test_the_clock_view_counts_elapsed_time_without_pauses():
    started = worktime.utc_text(at("2026-11-23 09:00"))
    planned = {"promised": worktime.utc_text(at("2026-11-25 18:00")),
               "statutory": worktime.utc_text(at("2026-12-04 18:00"))}
    pauses = [{"kind": "supplement", "since": worktime.utc_text(at("2026-11-23 14:00")),
               "until": worktime.utc_text(at("2026-11-24 14:00")), "minutes": 480}]
    view = worktime.clock_view(started, planned, pauses, None, at("2026-11-24 15:00"), SH)
    assert view["running"] and view["pausedMinutes"] == 480
    # 09:00-18:00 Monday (480) + Tuesday 09:00-15:00 (300) - the pause (480) = 300.
    assert view["elapsedMinutes"] == 300
    assert view["promisedDueAt"] == worktime.utc_text(at("2026-11-26 18:00"))
    # From Tuesday 15:00 to Thursday 18:00: 3 + 8 + 8 hours.
    assert view["promisedRemainingMinutes"] == 180 + 960

    paused = worktime.clock_view(started, planned, [*pauses, {
        "kind": "special_procedure", "since": worktime.utc_text(at("2026-11-24 16:00"))}],
        None, at("2026-11-30 10:00"), SH)
    assert not paused["running"] and paused["pauseKind"] == "special_procedure"
    assert paused["elapsedMinutes"] == 480 + 360 - 480  # stopped at 16:00 Tuesday

    late = worktime.clock_view(started, planned, [], None, at("2026-11-26 10:00"), SH)
    assert late["promisedRemainingMinutes"] == -60


def test_out_of_office_hours_a_limit_counts_from_the_next_working_day():
    # Friday 20:38 and 21:05, Saturday, the National Day holiday: Monday, 8 October.
    assert worktime.counting_day(at("2026-11-27 20:38"), SH) == date(2026, 11, 30)
    assert worktime.counting_day(at("2026-11-28 11:00"), SH) == date(2026, 11, 30)
    assert worktime.counting_day(at("2026-10-03 10:00"), SH) == date(2026, 10, 8)
    # Before opening or within office hours on a working day: that day.
    assert worktime.counting_day(at("2026-11-27 07:30"), SH) == date(2026, 11, 27)
    assert worktime.counting_day(at("2026-11-27 17:59"), SH) == date(2026, 11, 27)
    assert worktime.counting_day(at("2026-11-27 18:00"), SH) == date(2026, 11, 30)
    assert worktime.limit_due(at("2026-11-27 21:05"), 0, "workdays", SH) == \
        at("2026-11-30 18:00")
    assert worktime.limit_due(at("2026-11-27 21:05"), 2, "workdays", SH) == \
        at("2026-12-02 18:00")


@settings(max_examples=400, deadline=None)
@given(st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31)),
       st.integers(0, 20), st.sampled_from(["workdays", "workhours"]))
def test_no_limit_ends_before_it_started(moment, value, unit):
    started = moment.replace(tzinfo=SH)
    due = worktime.limit_due(started, value, unit, SH)
    assert due >= started
    if unit == "workdays":
        assert due > started and is_workday(due.date()) and due.time() == worktime.CLOSE


def test_the_stored_form_of_a_moment_sorts_whatever_its_year():
    """Four-digit years always (strftime's %Y gives '860' for the year 860), so that stored
    moments compare as text and read back; the same text as before for every usual year."""
    early = datetime(860, 11, 15, 5, 51, 42, tzinfo=UTC)
    assert worktime.utc_text(early) == "0860-11-15T05:51:42Z"
    assert worktime.parse(worktime.utc_text(early)) == early
    assert worktime.utc_text(datetime(2026, 12, 4, 1, 2, 3, tzinfo=UTC)) == \
        "2026-12-04T01:02:03Z"
    assert worktime.utc_precise_text(datetime(2026, 12, 4, 1, 2, 3, 45, tzinfo=UTC)) \
        == "2026-12-04T01:02:03.000045Z"
    assert worktime.utc_text(early) < worktime.utc_text(datetime(2026, 1, 1, tzinfo=UTC))
