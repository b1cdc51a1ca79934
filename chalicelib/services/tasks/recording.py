"""Recording a task the workflow waits on, from the tasks queue's message."""
from datetime import date

from ...adapters.models import TaskRecord, TaskToken
from ...domain import inbox_filters, worktime
from ...domain.case_file import task_key
from ...domain.changes import Change, ConditionFailed, Create
from ...domain.lifecycle import CLOSED
from ...domain.task_states import TaskState
from .. import casefile, clock
from ..case_files import CaseFiles


class CaseNotFound(LookupError):
    """A task for a case that is not stored: the message is retried (and, should it keep
    failing, left on the queue's dead-letter queue), as before the case files."""


def record(case_files: CaseFiles, message: dict) -> bool:
    """Put a task the workflow is waiting on into its department's inbox.

    Called for every tasks-queue message; a redelivered message finds the task already
    there and changes nothing. A review of a stage after the first is recorded upcoming.
    The planned deadline (a date) ends at the close of that day; the task's deadline adds
    the working time the case has spent paused. A task for a case that closed meanwhile
    (withdrawn while the message travelled) is recorded cancelled: its execution is being
    stopped. Returns whether the task was new.
    """
    created = clock.now()
    case = case_files.get(message["caseNo"])
    if case is None:
        raise CaseNotFound(f"no case {message['caseNo']} for task {message['taskId']}")
    planned = worktime.utc_text(worktime.close_of(date.fromisoformat(message["deadline"]),
                                                  clock.zone()))
    closed = case.status in CLOSED
    # A later stage's review waits, out of the inbox, for the stages before it
    # (services/stages.py opens it): the workflow asks for every review at once.
    state = TaskState.CANCELLED if closed else TaskState.UPCOMING \
        if (message.get("stage") or 1) > 1 else TaskState.OPEN
    task = TaskRecord(
        *task_key(message["taskId"]), taskId=message["taskId"],
        taskKind=message["kind"], caseNo=message["caseNo"], itemCode=message["itemCode"],
        dept=message["dept"], stage=message.get("stage"), veto=message.get("veto"),
        planned=planned, deadline=worktime.shifted(planned, case.pauses or [], clock.zone()),
        state=state, inboxDept=message["dept"] if state == TaskState.OPEN else None,
        createdAt=created.isoformat())
    if state == TaskState.OPEN:
        for name, value in {**casefile.first_watch(task, case.pauses or []),
                            **inbox_filters.keys_of(task)}.items():
            setattr(task, name, value)
    if closed:
        task.cancelledAt, task.cancelReason = created.isoformat(), "case closed"
    # The token first: a task in the inbox always has one to redeem.
    _keep_token(case_files, message["caseNo"], message["taskId"], message["token"])
    try:
        case_files.create(Create(task_key(task.taskId), task))
    except ConditionFailed:
        return False  # a redelivered message: the task is there already
    return True


def _keep_token(case_files: CaseFiles, case_no: str, task_id: str, token: str) -> None:
    """Keep the task's token with every other it was sent with: the first creates the
    task's set, a retried callback state's new token (or a redelivery's same one) joins
    it — added, so two deliveries at once never overwrite each other's."""
    key = (case_no, token_key(task_id))
    try:
        case_files.create(Create(key, TaskToken(*key, tokens={token})))
    except ConditionFailed:
        case_files.commit([Change(key, add={"tokens": frozenset({token})})])


def token_key(task_id: str) -> str:
    return f"TOKEN#{task_id}"
