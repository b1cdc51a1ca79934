"""Card rules (domain/cards.py) and working time counted backwards: no AWS."""
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from chalicelib.domain import cards, worktime
from chalicelib.domain.errors import Conflict, ValidationError

SH = ZoneInfo("Asia/Shanghai")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SH)


def limit(start: str, end: str) -> int:
    return worktime.minutes_between(at(start), at(end), SH)


def week() -> dict:
    """Five working days, Monday 09:00 to Friday 18:00, under the default rules."""
    return cards.moments(at("2026-11-27 18:00"), limit("2026-11-23 09:00", "2026-11-27 18:00"),
                         SH, cards.Rules())


def test_working_minutes_count_back_over_lunch_weekends_and_holidays():
    assert worktime.sub_minutes(at("2026-11-23 18:00"), 60, SH) == at("2026-11-23 17:00")
    assert worktime.sub_minutes(at("2026-11-23 14:00"), 120, SH) == at("2026-11-23 11:00")
    # Monday 10:00 back two hours: Friday 17:00.
    assert worktime.sub_minutes(at("2026-11-30 10:00"), 120, SH) == at("2026-11-27 17:00")
    # Thursday 8 October (after National Day) 10:00 back one working day: the last day
    # before the holiday, Wednesday 30 September 10:00.
    assert worktime.sub_minutes(at("2026-10-08 10:00"), 480, SH) == at("2026-09-30 10:00")
    assert worktime.sub_minutes(at("2026-11-23 20:00"), 0, SH) == at("2026-11-23 20:00")
    with pytest.raises(ValueError):
        worktime.sub_minutes(at("2026-11-23 12:00"), -1, SH)


@pytest.mark.parametrize("start,minutes", [("2026-11-23 09:30", 1), ("2026-11-27 17:10", 77),
                                           ("2026-09-30 16:00", 2400)])
def test_counting_back_undoes_counting_forward(start, minutes):
    forward = worktime.add_minutes(at(start), minutes, SH)
    assert worktime.sub_minutes(forward, minutes, SH) == at(start)
    assert worktime.minutes_between(at(start), forward, SH) == minutes


def test_a_short_limit_is_warned_one_working_day_ahead():
    # Five working days (Mon 09:00 .. Fri 18:00): 20 % is one day, so the warning comes
    # as Friday's office opens; yellow at the deadline; red three working days later.
    found = week()
    assert found == {"warning": at("2026-11-27 09:00"), "yellow": at("2026-11-27 18:00"),
                     "red": at("2026-12-02 18:00")}


def test_a_long_limit_is_warned_when_a_fifth_is_left():
    # Twenty working days: the warning comes when four are left (Tuesday to Friday).
    found = cards.moments(at("2026-11-27 18:00"), limit("2026-11-02 09:00", "2026-11-27 18:00"), SH,
                          cards.Rules())
    assert found["warning"] == at("2026-11-24 09:00")


def test_a_limit_shorter_than_the_warning_is_warned_from_its_start():
    found = cards.moments(at("2026-11-23 13:00"), limit("2026-11-23 09:00", "2026-11-23 13:00"), SH,
                          cards.Rules())
    assert found["warning"] == at("2026-11-23 09:00")


def test_the_statutory_limit_brings_the_red_card_sooner():
    rules = cards.Rules(red_working_days=5)
    due, hard = at("2026-11-27 18:00"), at("2026-11-30 18:00")
    assert cards.moments(due, limit("2026-11-23 09:00", "2026-11-27 18:00"), SH, rules,
                         hard)["red"] == hard
    # A hard limit after the red card's own moment changes nothing.
    later = cards.moments(due, 2400, SH, rules, at("2026-12-31 18:00"))
    assert later["red"] == at("2026-12-04 18:00")


def test_levels_reached_and_the_next_moment():
    found = week()
    assert cards.reached(found, at("2026-11-26 17:59")) is None
    assert cards.next_moment(found, at("2026-11-26 17:59")) == found["warning"]
    assert cards.reached(found, at("2026-11-27 09:00")) == "warning"
    assert cards.reached(found, at("2026-11-28 10:00")) == "yellow"
    assert cards.next_moment(found, at("2026-11-28 10:00")) == found["red"]
    assert cards.reached(found, at("2026-12-03 09:00")) == "red"
    assert cards.next_moment(found, at("2026-12-03 09:00")) is None
    assert [cards.rank(level) for level in (None, *cards.LEVELS)] == [0, 1, 2, 3]


def test_region_rules_from_configuration():
    assert cards.Rules.parse(None) == cards.Rules()
    assert cards.Rules.parse('{"red_working_days": 5}').red_working_days == 5
    with pytest.raises(ValueError, match="unknown"):
        cards.Rules.parse('{"red_days": 5}')
    with pytest.raises(ValueError, match="range"):
        cards.Rules.parse('{"warning_share": 1.5}')


def test_card_ids_round_trip_and_refuse_what_is_not_one():
    card = cards.card_id("44030020261125000001", "task", "red", "44030020261125000001-R1")
    assert cards.parse_card_id(card) == ("44030020261125000001",
                                         "task.44030020261125000001-R1", "red")
    assert cards.parse_card_id(cards.card_id("X", "case", "yellow")) == ("X", "case", "yellow")
    for bad in ("X~case", "X~case~green", "X~dept.A~red", "a~b~c~d"):
        with pytest.raises(ValidationError):
            cards.parse_card_id(bad)


def test_who_may_appeal_and_what_can_be_decided():
    standing = {"level": "yellow", "state": "issued"}
    cards.check_appeal(standing)
    for card, code in (({"level": "warning", "state": "issued"}, "not_appealable"),
                       ({"level": "red", "state": "resolved"}, "card_closed"),
                       ({**standing, "appeal": {"reason": "x"}}, "already_appealed")):
        with pytest.raises(Conflict) as refused:
            cards.check_appeal(card)
        assert refused.value.code == code
    cards.check_appeal_decision({**standing, "appeal": {"reason": "x"}})
    for card, code in ((standing, "no_appeal"),
                       ({**standing, "appeal": {"reason": "x", "decision": "upheld"}},
                        "appeal_decided")):
        with pytest.raises(Conflict) as refused:
            cards.check_appeal_decision(card)
        assert refused.value.code == code
