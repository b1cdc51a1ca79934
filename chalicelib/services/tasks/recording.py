"""Recording a task the workflow waits on, from the tasks queue's message."""
from datetime import date

from ...adapters.models import CaseRecord, TaskRecord, TaskToken, put_if_absent
from ...domain import worktime
from ...domain.lifecycle import CLOSED
from ...domain.task_states import TaskState
from .. import casefile, clock
from ..cases import META


def record(message: dict) -> bool:
    """Put a task the workflow is waiting on into its department's inbox.

    Called for every tasks-queue message; a redelivered message finds the task already
    there and changes nothing. A review of a stage after the first is recorded upcoming.
    The planned deadline (a date) ends at the close of that day; the task's deadline adds
    the working time the case has spent paused. A task for a case that closed meanwhile
    (withdrawn while the message travelled) is recorded cancelled: its execution is being
    stopped. Returns whether the task was new.
    """
    created = clock.now()
    case = CaseRecord.get(message["caseNo"], META)
    planned = worktime.utc_text(worktime.close_of(date.fromisoformat(message["deadline"]),
                                                  clock.zone()))
    closed = case.status in CLOSED
    # A later stage's review waits, out of the inbox, for the stages before it
    # (services/stages.py opens it): the workflow asks for every review at once.
    state = TaskState.CANCELLED if closed else TaskState.UPCOMING \
        if (message.get("stage") or 1) > 1 else TaskState.OPEN
    task = TaskRecord(
        message["caseNo"], f"TASK#{message['taskId']}", taskId=message["taskId"],
        taskKind=message["kind"], caseNo=message["caseNo"], itemCode=message["itemCode"],
        dept=message["dept"], stage=message.get("stage"), veto=message.get("veto"),
        planned=planned, deadline=worktime.shifted(planned, case.pauses or [], clock.zone()),
        state=state, inboxDept=message["dept"] if state == TaskState.OPEN else None,
        createdAt=created.isoformat())
    if state == TaskState.OPEN:
        for name, value in casefile.first_watch(task, case.pauses or []).items():
            setattr(task, name, value)
    if closed:
        task.cancelledAt, task.cancelReason = created.isoformat(), "case closed"
    # The token first: a task in the inbox always has one to redeem. Added to the
    # task's set (an upsert): a retried callback state's new token joins the first.
    TaskToken._get_connection().update_item(
        message["caseNo"], token_key(message["taskId"]),
        actions=[TaskToken.tokens.add({message["token"]}), TaskToken.rt.set(TaskToken)])
    return put_if_absent(task)


def token_key(task_id: str) -> str:
    return f"TOKEN#{task_id}"
