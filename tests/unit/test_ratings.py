"""The rating rules (domain/ratings.py): ids, rules, the rectification's steps and
deadlines. No AWS."""
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from chalicelib.domain import ratings
from chalicelib.domain.errors import Conflict, ValidationError

ZONE = ZoneInfo("Asia/Shanghai")


def _rectification(state="open", late=(), **more):
    return {"state": state, "late": list(late), "callbackDue": "2026-11-26T10:00:00Z",
            "rectifyDue": "2026-12-02T10:00:00Z", **more}


def test_rating_ids_name_the_case_scope_and_rater():
    rating = ratings.rating_id("4403002026112500000019",
                               ratings.scope_key("stage", 2, "SCJG"), "agent")
    assert rating == "4403002026112500000019~stage.2.SCJG~agent"
    assert ratings.parse_rating_id(rating) == ("4403002026112500000019", "stage.2.SCJG",
                                               "agent")
    for bad in ("x", "1~case", "1~case~stranger", "1~nothing~applicant", "1~~applicant"):
        with pytest.raises(ValidationError):
            ratings.parse_rating_id(bad)


def test_rules_parse_with_defaults_and_refuse_what_makes_no_sense():
    assert ratings.Rules.parse(None) == ratings.Rules(3, 1.0, 5.0)
    assert ratings.Rules.parse('{"rectify_working_days": 10}').rectify_working_days == 10
    for text in ('{"callback_days": 1}', '{"callback_working_days": 0}',
                 '{"callback_working_days": 6, "rectify_working_days": 5}'):
        with pytest.raises(ValueError):
            ratings.Rules.parse(text)


def test_deadlines_are_counted_in_working_time():
    # A Friday afternoon (2026-11-27, 16:00 in Shanghai): one working day is Monday 16:00,
    # five are the next Friday 16:00.
    at = datetime(2026, 11, 27, 16, 0, tzinfo=ZONE)
    due = ratings.due_dates(at, ZONE, ratings.Rules())
    assert due == {"callbackDue": "2026-11-30T08:00:00Z", "rectifyDue": "2026-12-04T08:00:00Z"}
    assert "callbackDue" not in ratings.due_dates(at, ZONE, ratings.Rules(), callback=False)


def test_what_is_watched_follows_the_work_owed():
    assert ratings.pending(_rectification()) == {"callback": "2026-11-26T10:00:00Z",
                                                 "rectify": "2026-12-02T10:00:00Z"}
    assert ratings.next_watch(_rectification()) == "2026-11-26T10:00:00Z"
    assert list(ratings.pending(_rectification("called_back"))) == ["rectify"]
    assert ratings.next_watch(_rectification("rectified")) is None
    # A missed deadline is marked once; a contest keeps the clock as it was.
    assert ratings.missed(_rectification(), "2026-11-27T00:00:00Z") == ["callback"]
    assert ratings.missed(_rectification(late=["callback"]), "2026-11-27T00:00:00Z") == []
    contested = _rectification("contested", contest={"from": "called_back"})
    assert ratings.pending(contested) == {"rectify": "2026-12-02T10:00:00Z"}


def test_each_step_follows_only_where_it_may():
    assert ratings.check_action(_rectification(), "callback") == "called_back"
    assert ratings.check_action(_rectification("called_back"), "contest") == "contested"
    assert ratings.check_action(_rectification("rectified"), "review") == "review_requested"
    for state, action in (("open", "rectify"), ("rectified", "contest"),
                          ("closed", "accept"), ("voided", "callback")):
        with pytest.raises(Conflict) as refused:
            ratings.check_action(_rectification(state), action)
        assert refused.value.code == "rectification_state"
    with pytest.raises(Conflict):  # sent back on re-review: no contest any more
        ratings.check_action(_rectification("called_back", round=2), "contest")
    with pytest.raises(Conflict) as refused:
        ratings.check_action(None, "callback")
    assert refused.value.code == "no_rectification"
    ratings.check_decision(_rectification("contested"), "contested")
    with pytest.raises(Conflict):
        ratings.check_decision(_rectification("open"), "contested")


def test_only_our_indicators_and_bad_levels_open_rectifications():
    ratings.check_rating({"indicators": {"attitude": 5, "once": 1}})
    with pytest.raises(ValidationError) as refused:
        ratings.check_rating({"indicators": {"speed": 3}})
    assert refused.value.field == "indicators.speed"
    assert [level for level in ratings.LEVELS if ratings.opens_rectification(level)] == [2, 1]
