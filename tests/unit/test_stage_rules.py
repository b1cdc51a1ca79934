"""What the stream does with a case's tasks (services/stages.py, services/progress.py) on
the in-memory case files, no AWS: a stage's reviews all decided open the next stage's, once;
a closed case's tasks still to be done are cancelled; a fully reviewed case goes to the
conclude queue; and the case accepted (or back from a wait) enters review, once."""
import pytest

from chalicelib.adapters import aws
from chalicelib.domain.lifecycle import Status
from chalicelib.services import catalogue, clock, progress, stages
from tests.fakes.case_files import FakeCaseFiles
from tests.fakes.stores import fake_stores

from .records import ACCEPTANCE, CASE_NO, ITEM, NOW, OTHER_REVIEW, REVIEW, case_record, task_record

LATER_REVIEW = f"{CASE_NO}-R2-XFJY"
STAGED = {**ITEM, "process": {**ITEM["process"], "stages": [
    {"departments": ["SCJG", "WSJ"]}, {"departments": ["XFJY"]}]}}


@pytest.fixture(autouse=True)
def offline(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: NOW)
    monkeypatch.setattr(catalogue, "pinned_version", lambda code, version: STAGED)


@pytest.fixture
def conclude_queue(monkeypatch):
    """The messages sent to the conclude queue (its client answered here)."""
    sent = []

    class Queue:
        def send_message(self, **message):
            sent.append(message["MessageBody"])

    monkeypatch.setattr(aws, "client", lambda name: Queue())
    return sent


def _later(state: str = "upcoming"):
    task = task_record(LATER_REVIEW, state)
    task.stage, task.watchShard, task.watchAt = 2, None, None
    return task


def _files(status: Status = Status.IN_REVIEW, first: str = "decided",
           other: str = "decided", later: str = "upcoming", **case) -> FakeCaseFiles:
    return FakeCaseFiles(case_record(status, **case), task_record(ACCEPTANCE, "decided"),
                         task_record(REVIEW, first), task_record(OTHER_REVIEW, other),
                         _later(later))


def test_a_stage_not_decided_yet_keeps_the_next_one_waiting():
    files = _files(other="open")
    assert stages.advance(files, CASE_NO) == "waiting"
    assert files.commits == []
    assert files.get_task(LATER_REVIEW).state == "upcoming"


def test_the_next_stage_opens_once_its_turn_comes():
    files = _files(pauses=[{"kind": "supplement", "since": "2026-11-24T02:00:00Z",
                            "until": "2026-11-24T03:00:00Z", "minutes": 60}])
    assert stages.advance(files, CASE_NO) == "opened 1"
    task = files.get_task(LATER_REVIEW)
    assert (task.state, task.inboxDept, task.openedAt) == ("open", "XFJY", NOW.isoformat())
    # Into the watch, its deadline moved on by the working time the case spent paused.
    assert task.deadline > task.planned and task.watchShard and task.watchAt
    # Delivered again (or by another change): nothing more to open.
    assert stages.advance(files, CASE_NO) == "waiting"
    assert len(files.commits) == 1


def test_a_review_opened_or_cancelled_meanwhile_is_left_as_it_is():
    files = _files()
    files.meanwhile.append(lambda: files.put(_later("cancelled")))
    assert stages.advance(files, CASE_NO) == "waiting"
    assert files.get_task(LATER_REVIEW).state == "cancelled"


def test_a_closed_cases_tasks_still_to_be_done_are_cancelled_once():
    files = _files(Status.WITHDRAWN, first="open", other="decided")
    assert stages.advance(files, CASE_NO) == "closed, 2 cancelled"
    cancelled = files.get_task(REVIEW)
    assert (cancelled.state, cancelled.cancelReason, cancelled.cancelledAt,
            cancelled.inboxDept, cancelled.watchShard) == \
        ("cancelled", "case closed (14)", NOW.isoformat(), None, None)
    assert files.get_task(LATER_REVIEW).state == "cancelled"
    assert files.get_task(OTHER_REVIEW).state == "decided"  # a decision stands
    assert stages.advance(files, CASE_NO) == "closed"


def test_a_fully_reviewed_case_goes_to_the_conclude_queue_once_accepted(conclude_queue):
    files = _files(Status.RECEIVED, later="decided")
    assert stages.advance(files, CASE_NO) == "waiting"
    assert conclude_queue == []
    files.put(case_record(Status.IN_REVIEW))
    assert stages.advance(files, CASE_NO) == "concluding"
    assert conclude_queue == [f'{{"caseNo": "{CASE_NO}"}}']
    assert files.commits == []


# -- review entry, from the stream ------------------------------------------------------

def _moved_to(status: Status) -> tuple[dict, dict]:
    """The stream's images of the case moving from received to `status` (version 4)."""
    old = {"rt": "case", "pk": CASE_NO, "sk": "META", "status": 1, "version": 3}
    return old, {**old, "status": int(status), "version": 4}


def test_an_accepted_case_enters_review_once_through_the_store_it_is_given():
    files = FakeCaseFiles(case_record(Status.ACCEPTED))
    named = dict(progress.effects(fake_stores(files), *_moved_to(Status.ACCEPTED)))
    named["move_to_review"]()
    case = files.get(CASE_NO)
    assert (case.status, case.version, case.actor) == (Status.IN_REVIEW, 5, "workflow")
    # Redelivered: the case is no longer as the change left it.
    assert progress.move_to_review(files, CASE_NO, Status.ACCEPTED, 4) is False
    assert len(files.commits) == 1


def test_a_case_moved_on_meanwhile_is_not_moved_again():
    files = FakeCaseFiles(case_record(Status.ACCEPTED))
    # Moved between the read and the write (a review decision that came first).
    files.meanwhile.append(lambda: files.put(case_record(Status.IN_REVIEW, version=5)))
    assert progress.move_to_review(files, CASE_NO, Status.ACCEPTED, 4) is False
    assert files.get(CASE_NO).version == 5 and files.commits == []
    # A case no longer stored (or at another version) is left alone.
    assert progress.move_to_review(FakeCaseFiles(), CASE_NO, Status.ACCEPTED, 4) is False
    assert progress.move_to_review(files, CASE_NO, Status.IN_REVIEW, 4) is False
