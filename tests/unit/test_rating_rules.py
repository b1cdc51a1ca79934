"""The rating use cases' rules on the in-memory supervision store
(tests/fakes/supervision_store.py): who rates what and when, once; who takes each step of a
rectification; the step that lost a race; the sweep marking deadlines missed. No AWS."""
from datetime import UTC, date, datetime, timedelta

import pytest

from chalicelib.adapters.models import Applicant, CaseRecord, RatingRecord, TaskRecord
from chalicelib.domain import identity
from chalicelib.domain.errors import Concealed, Conflict, Forbidden, NotFound, ValidationError
from chalicelib.domain.identifiers import make_case_number
from chalicelib.services import ratings
from tests.fakes.supervision_store import FakeSupervisionStore

CASE_NO = make_case_number("440300", date(2026, 11, 25), 7)
DEPT = "SZ-SCJG"
APPLICANT = identity.Principal(sub="applicant-1", role=identity.APPLICANT)
AGENT = identity.Principal(sub="agent-1", role=identity.APPLICANT)
STRANGER = identity.Principal(sub="applicant-2", role=identity.APPLICANT)
REVIEWER = identity.Principal(sub="rev-1", role=identity.REVIEWER, dept=DEPT, name="王审查")
LEAD = identity.Principal(sub="lead-1", role=identity.REVIEWER, dept=DEPT, lead=True)
OTHER = identity.Principal(sub="rev-9", role=identity.REVIEWER, dept="SZ-ZJJ")
SUPERVISOR = identity.Principal(sub="sup-1", role=identity.SUPERVISOR)
ACCEPTANCE = f"{CASE_NO}~acceptance~applicant"


def _case(agent=None) -> CaseRecord:
    return CaseRecord(CASE_NO, "META", status=2, itemCode="440300-000-XK-0001",
                      itemVersion="1", itemName="食品经营许可", owner=None, agent=agent,
                      applicant=Applicant(type="legal", name="深圳小吃有限公司", idType="001",
                                          idNumber="91440300MA5FXK7Q3T", sub=APPLICANT.sub))


def _acceptance(state="decided") -> TaskRecord:
    return TaskRecord(CASE_NO, "TASK#t1", taskId="t1", taskKind="acceptance", caseNo=CASE_NO,
                      itemCode="440300-000-XK-0001", dept=DEPT, state=state,
                      deadline="2026-12-01T00:00:00Z", createdAt="2026-11-25T01:00:00Z",
                      decidedAt="2026-11-25T02:00:00Z")


@pytest.fixture
def store() -> FakeSupervisionStore:
    store = FakeSupervisionStore()
    store.add_case(_case(agent={"sub": AGENT.sub}), [_acceptance()])
    return store


def _rate(store, principal=APPLICANT, level=2, scope="acceptance"):
    return ratings.rate(store, principal, CASE_NO, {"scope": scope, "level": level},
                        "web")


def _stored(store, rating_id=ACCEPTANCE):
    case_no, key, rater = rating_id.split("~")
    return store.rating(case_no, ratings.rating_key(key, rater))


# -- rating --------------------------------------------------------------------------------

def test_a_bad_rating_opens_a_rectification_charged_to_the_rated_department(store):
    rated = _rate(store)
    assert (rated["ratingId"], rated["dept"], rated["level"]) == (ACCEPTANCE, DEPT, 2)
    assert rated["rectification"]["state"] == "open"
    record = _stored(store)
    assert (record.rectState, record.version, record.cardDept) == ("open", 1, DEPT)
    assert record.watchAt == min(record.rectification["callbackDue"],
                                 record.rectification["rectifyDue"])


def test_a_good_rating_opens_nothing_and_each_side_rates_once(store):
    assert "rectification" not in _rate(store, level=5)
    with pytest.raises(Conflict) as refused:
        _rate(store, level=1)
    assert refused.value.code == "already_rated"
    assert _stored(store).level == 5
    # The agent is the other side of the case: its own rating.
    assert _rate(store, AGENT, level=4)["rater"] == "agent"


def test_who_may_not_rate(store):
    with pytest.raises(Concealed):    # not the case's applicant or agent
        _rate(store, STRANGER)
    with pytest.raises(Forbidden):    # staff do not rate
        _rate(store, REVIEWER)
    with pytest.raises(NotFound):
        ratings.rate(store, APPLICANT, make_case_number("440300", date(2026, 11, 25), 8),
                     {"scope": "acceptance", "level": 2}, "web")
    assert store.records == {}


def test_the_acceptance_is_rated_once_it_is_decided():
    store = FakeSupervisionStore()
    store.add_case(_case(), [_acceptance(state="open")])
    with pytest.raises(Conflict) as refused:
        _rate(store)
    assert refused.value.code == "not_rateable"


# -- the rectification ---------------------------------------------------------------------

def test_the_department_calls_back_and_rectifies_the_rater_accepts(store):
    _rate(store)
    ratings.callback(store, REVIEWER, ACCEPTANCE, {"note": "已回访", "verified": True})
    ratings.rectify(store, REVIEWER, ACCEPTANCE, {"measures": "已培训", "answer": "抱歉"})
    closed = ratings.respond(store, APPLICANT, ACCEPTANCE, {"accept": True})
    assert closed["rectification"]["state"] == "closed"
    record = _stored(store)
    assert (record.rectState, record.version) == ("closed", 4)   # one version per step
    assert record.rectification["callback"]["by"] == REVIEWER.sub
    assert record.rectification["updatedByName"] is None   # an applicant's name is not kept
    assert record.watchShard is None     # nothing left to watch


def test_a_step_out_of_order_or_by_the_wrong_hands_is_refused(store):
    _rate(store)
    with pytest.raises(Conflict) as refused:
        ratings.rectify(store, REVIEWER, ACCEPTANCE, {"measures": "x"})
    assert refused.value.code == "rectification_state"
    with pytest.raises(Concealed):     # another department's staff: no such rating
        ratings.callback(store, OTHER, ACCEPTANCE, {"verified": True})
    with pytest.raises(Concealed):     # another applicant
        ratings.respond(store, STRANGER, ACCEPTANCE, {"accept": True})
    with pytest.raises(Forbidden):     # supervisors decide; they do not call back
        ratings.callback(store, SUPERVISOR, ACCEPTANCE, {"verified": True})
    with pytest.raises(NotFound):
        ratings.callback(store, REVIEWER, "not-a-rating", {"verified": True})
    assert (_stored(store).rectState, _stored(store).version) == ("open", 1)


def test_a_re_review_sent_back_opens_a_second_round_that_cannot_be_contested(store):
    _rate(store)
    ratings.callback(store, REVIEWER, ACCEPTANCE, {"verified": True})
    ratings.rectify(store, REVIEWER, ACCEPTANCE, {"measures": "x"})
    with pytest.raises(ValidationError):     # a re-review names its reason
        ratings.respond(store, APPLICANT, ACCEPTANCE, {"accept": False})
    ratings.respond(store, APPLICANT, ACCEPTANCE, {"accept": False, "reason": "没改"})
    with pytest.raises(Forbidden):
        ratings.decide_review(store, REVIEWER, ACCEPTANCE, {"decision": "redo",
                                                            "opinion": "x"})
    redone = ratings.decide_review(store, SUPERVISOR, ACCEPTANCE,
                                   {"decision": "redo", "opinion": "重做"})
    assert (redone["rectification"]["state"], redone["rectification"]["round"]) == \
        ("called_back", 2)
    with pytest.raises(Conflict) as refused:
        ratings.contest(store, LEAD, ACCEPTANCE, {"reason": "恶意"})
    assert refused.value.code == "rectification_state"


def test_a_contest_upheld_voids_the_rating_and_its_rater_never_sees_the_contest(store):
    _rate(store)
    with pytest.raises(Forbidden):     # the department's lead contests, not any reviewer
        ratings.contest(store, REVIEWER, ACCEPTANCE, {"reason": "恶意"})
    contested = ratings.contest(store, LEAD, ACCEPTANCE, {"reason": "恶意差评",
                                                          "evidence": ["e1"]})
    assert contested["rectification"]["state"] == "contested"
    voided = ratings.decide_contest(store, SUPERVISOR, ACCEPTANCE,
                                    {"decision": "upheld", "opinion": "属实"})
    assert (voided["rectification"]["state"], voided["excluded"]) == ("voided", True)
    record = _stored(store)
    assert record.excluded is True
    assert "contest" not in ratings.view(record, staff=False)["rectification"]


def test_a_step_that_lost_the_race_is_told_to_reload():
    store = FakeSupervisionStore()
    store.add_case(_case(), [_acceptance()])
    _rate(store)
    rating = _stored(store)
    # Another step's write lands between this one's read and its write.
    store.meanwhile.append(
        lambda: setattr(store.records[(rating.pk, rating.sk)], "version", rating.version + 1))
    with pytest.raises(Conflict) as refused:
        ratings.callback(store, REVIEWER, ACCEPTANCE, {"verified": True})
    assert refused.value.code == "rating_changed"
    assert _stored(store).rectState == "open"


# -- the sweep -----------------------------------------------------------------------------

def test_the_sweep_marks_a_missed_deadline_once(store):
    _rate(store)
    record = _stored(store)
    callback_due = record.rectification["callbackDue"]
    after = (datetime.strptime(callback_due, "%Y-%m-%dT%H:%M:%SZ") + timedelta(minutes=1)
             ).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert after < record.rectification["rectifyDue"]
    assert ratings.mark_late(store, CASE_NO, record.sk, after) == 1
    marked = _stored(store)
    assert marked.rectification["late"] == ["callback"]
    assert marked.watchAt == marked.rectification["rectifyDue"]
    assert ratings.mark_late(store, CASE_NO, record.sk, after) == 0    # once
    assert ratings.mark_late(store, CASE_NO, "RATING#none#applicant", after) == 0


# -- reading ratings -----------------------------------------------------------------------

@pytest.fixture
def cursors(monkeypatch):
    """Page cursors signed with a key of the test's (the secret is the adapters')."""
    from chalicelib.adapters import secrets
    monkeypatch.setattr(secrets, "cursor", lambda: "c" * 32)


def test_a_departments_ratings_newest_first_page_by_page_and_filtered(
        store, cursors, monkeypatch):
    from chalicelib.services import clock
    moments = iter([datetime(2026, 11, 26, 2, tzinfo=UTC), datetime(2026, 11, 26, 3, tzinfo=UTC)])
    monkeypatch.setattr(clock, "now", lambda: next(moments))
    _rate(store, APPLICANT, level=2)
    _rate(store, AGENT, level=5)      # an hour later: the newest
    newest = _stored(store, f"{CASE_NO}~acceptance~agent")
    first = ratings.list_ratings(store, REVIEWER, None, limit=1)
    assert first["dept"] == DEPT and first["next"]
    assert [found["ratingId"] for found in first["ratings"]] == [newest.ratingId]
    second = ratings.list_ratings(store, REVIEWER, None, limit=1, cursor=first["next"])
    assert [found["ratingId"] for found in second["ratings"]] == [ACCEPTANCE]
    assert second["next"] is None
    assert [found["level"] for found in ratings.list_ratings(
        store, SUPERVISOR, DEPT, level=5)["ratings"]] == [5]
    [opened] = ratings.list_ratings(store, REVIEWER, None, state="open")["ratings"]
    assert opened["ratingId"] == ACCEPTANCE and opened["rectification"]["state"] == "open"
    with pytest.raises(Forbidden):                # another department's ratings
        ratings.list_ratings(store, OTHER, DEPT)
    with pytest.raises(ValidationError):
        ratings.list_ratings(store, REVIEWER, None, state="lost")


def test_a_cases_ratings_for_its_rater_and_staff_who_read_it(store):
    _rate(store, APPLICANT, level=2)
    assert [found["ratingId"] for found in ratings.case_ratings(
        store, APPLICANT, CASE_NO)["ratings"]] == [ACCEPTANCE]
    [seen] = ratings.case_ratings(store, REVIEWER, CASE_NO)["ratings"]
    assert seen["rectification"]["state"] == "open"
    with pytest.raises(Concealed):
        ratings.case_ratings(store, STRANGER, CASE_NO)
    with pytest.raises(Concealed):
        ratings.case_ratings(store, OTHER, CASE_NO)   # no task of the case in its department
    with pytest.raises(NotFound):
        ratings.case_ratings(store, APPLICANT, make_case_number("440300",
                                                                date(2026, 11, 25), 8))


def test_the_sweep_invites_to_rate_only_a_case_not_rated_itself(store):
    _rate(store)                       # the acceptance rated: not the case itself
    assert ratings.rated(store, CASE_NO) is False
    key = ratings.rating_key("case", "agent")
    store.add(RatingRecord(CASE_NO, key, ratingId=f"{CASE_NO}~case~agent", scope="case",
                           scopeKey="case", caseNo=CASE_NO, itemCode="i", dept=DEPT,
                           rater="agent", raterSub=AGENT.sub, level=5, channel="web",
                           at="2026-11-27T02:00:00.000Z", cardDept=DEPT,
                           cardAt="2026-11-27T02:00:00.000Z#r"))
    assert ratings.rated(store, CASE_NO) is True
    assert ratings.rated(store, make_case_number("440300", date(2026, 11, 25), 8)) is False
