"""Recording a task from the tasks queue's message (services/tasks/recording.py) on the
in-memory case files, no AWS: open in its department's inbox, upcoming for a later stage,
cancelled when its case closed meanwhile; a redelivered message recorded once, every
token it was sent with kept."""
import pytest

from chalicelib.domain.lifecycle import Status
from chalicelib.services import clock, tasks
from chalicelib.services.tasks.recording import CaseNotFound
from tests.fakes.case_files import FakeCaseFiles

from .records import ACCEPTANCE, CASE_NO, NOW, REVIEW, case_record

SECOND_STAGE = f"{CASE_NO}-R2-XFJY"


@pytest.fixture(autouse=True)
def still_clock(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: NOW)


def _message(task_id: str = ACCEPTANCE, token: str = "t1", **values) -> dict:
    kind = "acceptance" if "-A" in task_id else "review"
    return {"taskId": task_id, "kind": kind, "caseNo": CASE_NO, "itemCode": "ITEM",
            "dept": "ZWFW" if kind == "acceptance" else task_id.rsplit("-", 1)[1],
            "deadline": "2026-11-27", "token": token, **values}


def _tokens(files: FakeCaseFiles, task_id: str) -> set[str]:
    return files.stored((CASE_NO, tasks.token_key(task_id))).tokens


def test_a_task_is_recorded_open_in_its_departments_inbox_and_watched():
    files = FakeCaseFiles(case_record(Status.RECEIVED))
    assert tasks.record(files, _message()) is True
    task = files.get_task(ACCEPTANCE)
    # The planned deadline ends as the office closes that day (18:00 in Shenzhen).
    assert (task.state, task.inboxDept, task.dept, task.taskKind) == \
        ("open", "ZWFW", "ZWFW", "acceptance")
    assert task.planned == "2026-11-27T10:00:00Z" and task.deadline == task.planned
    assert task.watchShard is not None and task.watchAt < task.deadline
    assert task.createdAt == NOW.isoformat() and task.cancelledAt is None
    assert _tokens(files, ACCEPTANCE) == {"t1"}


def test_a_later_stages_review_waits_upcoming_out_of_the_inbox_and_the_watch():
    files = FakeCaseFiles(case_record(Status.ACCEPTED))
    assert tasks.record(files, _message(SECOND_STAGE, stage=2, veto=True)) is True
    task = files.get_task(SECOND_STAGE)
    assert (task.state, task.inboxDept, task.watchShard, task.stage, task.veto) == \
        ("upcoming", None, None, 2, True)
    # The first stage's review is open at once.
    tasks.record(files, _message(REVIEW, stage=1))
    assert files.get_task(REVIEW).state == "open"


@pytest.mark.parametrize("status", [Status.WITHDRAWN, Status.DENIED])
def test_a_task_for_a_case_closed_meanwhile_is_recorded_cancelled(status):
    files = FakeCaseFiles(case_record(status))
    assert tasks.record(files, _message(REVIEW, stage=1)) is True
    task = files.get_task(REVIEW)
    assert (task.state, task.inboxDept, task.watchShard) == ("cancelled", None, None)
    assert (task.cancelReason, task.cancelledAt) == ("case closed", NOW.isoformat())
    # Its token is still kept: the stream handler finds one for every task.
    assert _tokens(files, REVIEW) == {"t1"}


def test_a_paused_cases_task_has_its_deadline_moved_on_by_the_pause():
    paused = [{"kind": "supplement", "since": "2026-11-24T02:00:00Z",
               "until": "2026-11-24T03:00:00Z", "minutes": 60}]
    files = FakeCaseFiles(case_record(Status.ACCEPTED, pauses=paused))
    tasks.record(files, _message(REVIEW, stage=1))
    task = files.get_task(REVIEW)
    assert task.planned == "2026-11-27T10:00:00Z" and task.deadline > task.planned


def test_a_redelivered_message_is_recorded_once_and_every_token_is_kept():
    files = FakeCaseFiles(case_record(Status.RECEIVED))
    assert tasks.record(files, _message()) is True
    first = files.get_task(ACCEPTANCE)
    # The same message again, then a retried callback state's (a new token), arriving
    # after the case changed: the task stays as first recorded.
    assert tasks.record(files, _message()) is False
    files.put(case_record(Status.WITHDRAWN))
    assert tasks.record(files, _message(token="t2")) is False
    assert files.get_task(ACCEPTANCE).serialize() == first.serialize()
    assert _tokens(files, ACCEPTANCE) == {"t1", "t2"}
    assert [task.taskId for task in files.load(CASE_NO).tasks] == [ACCEPTANCE]


def test_a_task_for_no_stored_case_is_refused_and_nothing_is_written():
    files = FakeCaseFiles()
    with pytest.raises(CaseNotFound):
        tasks.record(files, _message())
    assert files.commits == [] and files.records == {}
