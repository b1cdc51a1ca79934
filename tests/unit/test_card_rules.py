"""The supervision cards' rules on the in-memory supervision store
(tests/fakes/supervision_store.py): issued once, acknowledged by their department, appealed
by its lead, decided by a supervisor, resolved when the work is done; a breach flagged
once. No AWS."""
from datetime import UTC, date, datetime, timedelta

import pytest

from chalicelib.adapters.models import CaseRecord, TaskRecord
from chalicelib.domain import breaches, identity
from chalicelib.domain.errors import Concealed, Conflict, Forbidden, NotFound, ValidationError
from chalicelib.domain.identifiers import make_case_number
from chalicelib.services import supervision
from tests.fakes.supervision_store import FakeSupervisionStore

CASE_NO = make_case_number("440300", date(2026, 11, 25), 9)
DEPT = "SZ-SCJG"
REVIEWER = identity.Principal(sub="rev-1", role=identity.REVIEWER, dept=DEPT, name="王审查")
LEAD = identity.Principal(sub="lead-1", role=identity.REVIEWER, dept=DEPT, lead=True)
OTHER_LEAD = identity.Principal(sub="lead-9", role=identity.REVIEWER, dept="SZ-ZJJ",
                                lead=True)
SUPERVISOR = identity.Principal(sub="sup-1", role=identity.SUPERVISOR, name="李监察")
AT = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
YELLOW = f"{CASE_NO}~task.t1~yellow"
WARNING = f"{CASE_NO}~task.t1~warning"


def _issue(store, level="yellow", task="t1") -> bool:
    return supervision.issue(store, CASE_NO, "440300-000-XK-0001", "task", level, DEPT,
                             AT - timedelta(days=1), AT, subject=task, task_id=task)


@pytest.fixture
def store() -> FakeSupervisionStore:
    store = FakeSupervisionStore()
    _issue(store, "warning")
    _issue(store)
    return store


def _card(store, card_id=YELLOW):
    case_no, key, level = card_id.split("~")
    return store.card(case_no, supervision.card_key(key, level))


def test_a_card_is_issued_once(store):
    assert _issue(store) is False     # the sweep run again
    card = _card(store)
    assert (card.state, card.updatedBy, card.cardDept) == ("issued", "sweep", DEPT)
    assert [card.level for card in supervision.cards_of(store, CASE_NO)] == \
        ["warning", "yellow"]


def test_the_department_acknowledges_once_and_its_name_is_kept(store):
    seen = supervision.acknowledge(store, REVIEWER, YELLOW, {"note": "正在处理"})
    assert (seen["state"], seen["note"], seen["updatedByName"]) == \
        ("acknowledged", "正在处理", "王审查")
    with pytest.raises(Conflict) as refused:
        supervision.acknowledge(store, REVIEWER, YELLOW, {})
    assert refused.value.code == "card_acknowledged"


def test_another_departments_card_does_not_exist_for_its_staff(store):
    with pytest.raises(Concealed):
        supervision.acknowledge(store, OTHER_LEAD, YELLOW, {})
    with pytest.raises(Concealed):
        supervision.appeal(store, OTHER_LEAD, YELLOW, {"reason": "x"})
    with pytest.raises(NotFound):
        supervision.acknowledge(store, REVIEWER, "not-a-card", {})
    with pytest.raises(NotFound):
        supervision.acknowledge(store, REVIEWER, f"{CASE_NO}~task.t2~red", {})
    assert _card(store).state == "issued"


def test_only_the_lead_appeals_a_card_once_and_a_warning_not_at_all(store):
    with pytest.raises(Forbidden):
        supervision.appeal(store, REVIEWER, YELLOW, {"reason": "系统故障"})
    with pytest.raises(Conflict) as refused:
        supervision.appeal(store, LEAD, WARNING, {"reason": "x"})
    assert refused.value.code == "not_appealable"
    appealed = supervision.appeal(store, LEAD, YELLOW, {"reason": "系统故障"})
    assert appealed["appeal"]["by"] == LEAD.sub and _card(store).appealState == "pending"
    with pytest.raises(Conflict) as refused:
        supervision.appeal(store, LEAD, YELLOW, {"reason": "again"})
    assert refused.value.code == "already_appealed"


def test_an_upheld_appeal_withdraws_the_card_a_rejected_one_leaves_it(store):
    with pytest.raises(Conflict) as refused:
        supervision.decide_appeal(store, SUPERVISOR, YELLOW, {"decision": "upheld"})
    assert refused.value.code == "no_appeal"
    supervision.appeal(store, LEAD, YELLOW, {"reason": "系统故障"})
    with pytest.raises(Forbidden):
        supervision.decide_appeal(store, LEAD, YELLOW, {"decision": "upheld"})
    decided = supervision.decide_appeal(store, SUPERVISOR, YELLOW,
                                        {"decision": "upheld", "opinion": "属实"})
    assert (decided["state"], decided["appeal"]["decision"],
            decided["appeal"]["decidedByName"]) == ("withdrawn", "upheld", "李监察")
    with pytest.raises(Conflict) as refused:
        supervision.decide_appeal(store, SUPERVISOR, YELLOW, {"decision": "rejected"})
    assert refused.value.code == "appeal_decided"


def test_a_rejected_appeal_leaves_the_card_standing():
    store = FakeSupervisionStore()
    _issue(store, "red")
    red = f"{CASE_NO}~task.t1~red"
    supervision.appeal(store, LEAD, red, {"reason": "x"})
    decided = supervision.decide_appeal(store, SUPERVISOR, red, {"decision": "rejected"})
    assert (decided["state"], _card(store, red).appealState) == ("issued", "rejected")


def test_an_acknowledgement_that_lost_the_race_is_told_to_reload():
    store = FakeSupervisionStore()
    _issue(store)
    card = _card(store)
    # The card is resolved between the acknowledgement's read and its write.
    store.meanwhile.append(
        lambda: setattr(store.records[(card.pk, card.sk)], "state", "resolved"))
    with pytest.raises(Conflict) as refused:
        supervision.acknowledge(store, REVIEWER, YELLOW, {})
    assert refused.value.code == "card_changed"
    assert _card(store).state == "resolved"


def test_done_work_resolves_its_open_cards_only(store):
    _issue(store, "yellow", task="t2")
    supervision.appeal(store, LEAD, YELLOW, {"reason": "x"})
    supervision.decide_appeal(store, SUPERVISOR, YELLOW, {"decision": "upheld"})
    old = {"rt": "task", "pk": CASE_NO, "taskId": "t1", "state": "open", "dept": DEPT,
           "stage": 1, "cardLevel": "yellow"}
    # t1's warning is resolved; its withdrawn card stays withdrawn; t2's is not t1's work.
    assert supervision.settle(old, {**old, "state": "decided"}, store) == 1
    states = {(card.sk, card.state) for card in supervision.cards_of(store, CASE_NO)}
    assert states == {("CARD#task.t1#warning", "resolved"),
                      ("CARD#task.t1#yellow", "withdrawn"),
                      ("CARD#task.t2#yellow", "issued")}
    assert supervision.resolve_done(CASE_NO, None, store) == 1    # the whole case, once
    assert supervision.resolve_done(CASE_NO, None, store) == 0


def test_a_late_acceptance_is_flagged_once_however_often_the_change_is_delivered():
    store = FakeSupervisionStore()
    old = {"rt": "task", "pk": CASE_NO, "taskId": "t1", "taskKind": "acceptance",
           "dept": DEPT, "state": "open", "deadline": "2026-11-26T02:00:00Z",
           "itemCode": "440300-000-XK-0001"}
    new = {**old, "state": "decided", "decision": "accept",
           "decidedAt": "2026-11-27T02:00:00Z"}
    assert supervision.flag_breaches(old, new, store) == 1
    assert supervision.flag_breaches(old, new, store) == 0     # the stream again
    [(key, breach)] = store.records.items()
    assert key == (CASE_NO, "BREACH#late_acceptance#t1")
    assert (breach.kind, breach.dept, breach.cardDept) == ("late_acceptance", DEPT, DEPT)
    on_time = {**new, "decidedAt": "2026-11-26T01:00:00Z"}
    assert supervision.flag_breaches(old, on_time, FakeSupervisionStore()) == 0


# -- reading cards and breaches ---------------------------------------------------------------

@pytest.fixture
def cursors(monkeypatch):
    """Page cursors signed with a key of the test's (the secret is the adapters')."""
    from chalicelib.adapters import secrets
    monkeypatch.setattr(secrets, "cursor", lambda: "c" * 32)


def _ids(listed: dict, what: str = "cards") -> list[str]:
    return [found.get("cardId") or found.get("kind") for found in listed[what]]


def test_a_departments_cards_newest_first_page_by_page_and_filtered(store, cursors):
    assert _ids(supervision.list_cards(store, REVIEWER, None)) == [YELLOW, WARNING]
    first = supervision.list_cards(store, REVIEWER, None, limit=1)
    assert _ids(first) == [YELLOW] and first["next"]
    second = supervision.list_cards(store, REVIEWER, None, limit=1, cursor=first["next"])
    assert _ids(second) == [WARNING] and second["next"] is None
    supervision.acknowledge(store, REVIEWER, WARNING, {"note": "在办"})
    supervision.appeal(store, LEAD, YELLOW, {"reason": "系统故障"})
    assert _ids(supervision.list_cards(store, SUPERVISOR, DEPT, state="acknowledged")) == \
        [WARNING]
    assert _ids(supervision.list_cards(store, REVIEWER, None, appeal="pending")) == [YELLOW]
    assert _ids(supervision.list_cards(store, REVIEWER, None, level="red")) == []
    with pytest.raises(Forbidden):                # another department's cards
        supervision.list_cards(store, OTHER_LEAD, DEPT)
    with pytest.raises(ValidationError):
        supervision.list_cards(store, REVIEWER, None, level="purple")


def _late_acceptance(store) -> None:
    old = {"rt": "task", "pk": CASE_NO, "taskId": "t1", "taskKind": "acceptance",
           "dept": DEPT, "state": "open", "deadline": "2026-11-26T02:00:00Z",
           "itemCode": "440300-000-XK-0001"}
    supervision.flag_breaches(old, {**old, "state": "decided", "decision": "accept",
                                    "decidedAt": "2026-11-27T02:00:00Z"}, store)


def test_a_departments_breaches_by_kind(store, cursors):
    _late_acceptance(store)
    [breach] = supervision.list_breaches(store, REVIEWER, None)["breaches"]
    assert (breach["caseNo"], breach["kind"], breach["taskId"]) == \
        (CASE_NO, "late_acceptance", "t1")
    assert supervision.list_breaches(store, SUPERVISOR, DEPT,
                                     kind="late_acceptance")["breaches"] == [breach]
    other = next(kind for kind in breaches.KINDS if kind != "late_acceptance")
    assert supervision.list_breaches(store, REVIEWER, None, kind=other)["breaches"] == []
    assert supervision.list_breaches(store, OTHER_LEAD, None)["breaches"] == []


def test_a_case_as_supervision_sees_it_for_staff_who_read_it(store):
    store.add_case(CaseRecord(CASE_NO, "META", status=8, itemCode="440300-000-XK-0001",
                              cardLevel="yellow", overdue=["promised"]),
                   [TaskRecord(CASE_NO, "TASK#t1", taskId="t1", taskKind="review",
                               caseNo=CASE_NO, dept=DEPT, state="open",
                               deadline="2026-11-30T02:00:00Z", cardLevel="yellow",
                               createdAt="2026-11-25T01:00:00Z")])
    _late_acceptance(store)
    seen = supervision.case_supervision(store, REVIEWER, CASE_NO)
    assert {card["cardId"] for card in seen["cards"]} == {WARNING, YELLOW}   # issued at once
    assert [breach["kind"] for breach in seen["breaches"]] == ["late_acceptance"]
    assert (seen["cardLevel"], seen["overdue"], seen["status"]) == ("yellow", ["promised"], 8)
    assert [(task["taskId"], task["cardLevel"]) for task in seen["tasks"]] == [("t1", "yellow")]
    assert supervision.case_supervision(store, SUPERVISOR, CASE_NO)["caseNo"] == CASE_NO
    with pytest.raises(Concealed):                # no task of the case in its department
        supervision.case_supervision(store, OTHER_LEAD, CASE_NO)
    with pytest.raises(NotFound):
        supervision.case_supervision(store, REVIEWER, make_case_number(
            "440300", date(2026, 11, 25), 10))
