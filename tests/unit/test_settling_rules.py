"""Pure rules behind settling a case: which statuses pass on to review by themselves, what
keeps reviews from having concluded a case, and when a marker's change asks for a
replay."""
from types import SimpleNamespace

import pytest

from chalicelib.services import settlement
from chalicelib.services.conclusion import reviews_waiting
from chalicelib.services.review_entry import passes_through
from tests.fakes.case_files import FakeCaseFiles
from tests.fakes.stores import fake_stores


@pytest.mark.parametrize("status, supplement, expected", [
    (3, None, True), (10, None, True), (7, {"context": "review"}, True),
    (7, {"context": "intake"}, False), (8, None, False), (1, None, False),
    (6, {"context": "review"}, False), (11, None, False)])
def test_the_statuses_a_case_leaves_for_review_by_itself(status, supplement, expected):
    assert passes_through(status, supplement) is expected


def _task(kind, state, stage=None, dept=None, decision=None, veto=None, task_id="T"):
    return SimpleNamespace(taskKind=kind, state=state, stage=stage, dept=dept,
                           decision=decision, veto=veto, taskId=task_id)


PLAN = {1: ["SCJG"], 2: ["WSJK", "XFJY"]}


def test_reviews_conclude_a_case_only_when_every_review_of_every_stage_is_decided():
    accepted = _task("acceptance", "decided", decision="accept")
    first = _task("review", "decided", 1, "SCJG", "approve")
    health = _task("review", "decided", 2, "WSJK", "approve")
    fire = _task("review", "open", 2, "XFJY", task_id="R2-XFJY")
    assert reviews_waiting(PLAN, [accepted]) == "stage 1's reviews are not all decided"
    assert reviews_waiting(PLAN, [accepted, first, health]) == \
        "stage 2's reviews are not all decided"
    assert reviews_waiting(PLAN, [accepted, first, health, fire]) == \
        "stage 2's reviews are not all decided"
    fire.state, fire.decision = "decided", "approve"
    assert reviews_waiting(PLAN, [accepted, first, health, fire]) is None
    # An advisory denial (no veto) still concludes; a vetoing one never does.
    fire.decision = "deny"
    assert reviews_waiting(PLAN, [accepted, first, health, fire]) is None
    fire.veto = True
    assert reviews_waiting(PLAN, [accepted, first, health, fire]) == "denied by R2-XFJY"
    # No review stages (an immediate item): the acceptance must be done with.
    assert reviews_waiting({}, [accepted]) is None
    assert reviews_waiting({}, [_task("acceptance", "supplement", task_id="A1")]) == \
        "A1 still open"


@pytest.mark.parametrize("old, new", [
    (None, {"rt": "settle", "attempts": 0}),                     # written
    ({"rt": "settle", "attempts": 1}, {"rt": "settle", "attempts": 1}),  # settled
    ({"rt": "settle", "attempts": 2}, None),                     # expired
])
def test_a_marker_replays_its_change_only_when_the_sweep_touched_it(old, new):
    # Nothing is read or written: the change it holds is not even looked at.
    files = FakeCaseFiles()
    assert settlement.replay(fake_stores(files), old, new) == settlement.Outcome()
    assert files.commits == []
