"""Rule breaches from one change of a case or task (domain/breaches.py): no AWS."""
from chalicelib.domain.breaches import Breach, found

ASKED = {"taskId": "C-A1", "dept": "ZWFW", "context": "intake", "materials": ["营业执照"],
         "requestedAt": "2026-11-24T02:00:00+00:00"}


def case(**fields) -> dict:
    return {"rt": "case", "pk": "C", "status": 6, **fields}


def task(**fields) -> dict:
    return {"rt": "task", "pk": "C", "taskId": "C-A1", "dept": "ZWFW",
            "taskKind": "acceptance", "deadline": "2026-11-25T10:00:00Z", **fields}


def test_a_second_supplement_request_breaks_telling_everything_at_once():
    assert found(case(), case(supplement=ASKED)) == []          # the first: fine
    supplied = {**ASKED, "suppliedAt": "2026-11-24T05:00:00+00:00"}
    assert found(case(supplement=ASKED), case(supplement=supplied)) == []
    again = {**ASKED, "materials": ["租赁合同"], "requestedAt": "2026-11-25T01:00:00+00:00"}
    assert found(case(supplement=supplied), case(supplement=again)) == [Breach(
        "second_supplement", again["requestedAt"], "ZWFW", again["requestedAt"],
        taskId="C-A1", detail={"first": ASKED["requestedAt"], "materials": ["租赁合同"]})]


def test_an_acceptance_decided_after_its_limit():
    open_ = task(state="open")
    on_time = task(state="decided", decision="accept", decidedAt="2026-11-25T09:59:59+00:00")
    late = task(state="decided", decision="refuse", decidedAt="2026-11-25T10:00:00.5+00:00")
    assert found(open_, on_time) == []
    assert [b.kind for b in found(open_, late)] == ["late_acceptance"]
    assert found(late, late) == []   # the same change delivered again: nothing new
    assert found(None, late) == []


def test_a_review_approved_without_an_opinion():
    open_ = task(state="open", taskKind="review", taskId="C-R1-SCJG", dept="SCJG")
    for opinion in (None, "", "  "):
        decided = {**open_, "state": "decided", "decision": "approve",
                   "decidedAt": "2026-11-24T03:00:00+00:00", "opinion": opinion}
        assert [(b.kind, b.dept) for b in found(open_, decided)] == [("no_opinion", "SCJG")]
    reasoned = {**open_, "state": "decided", "decision": "approve", "opinion": "同意",
                "decidedAt": "2026-11-24T03:00:00+00:00"}
    assert found(open_, reasoned) == []
