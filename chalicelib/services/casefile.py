"""Writing a case: the status change, the clock's pauses and the open tasks, as PynamoDB
update actions that a caller puts into one transaction with whatever else it changes.

Every status change goes through `status_actions` (the lifecycle checked first); every
pause and resume through `pause_actions` / `resume_actions`, which keep the case's place in
the overdue watch (`inbox` index, CASES shard) and its open tasks' deadlines in step with
the clock.
"""
import zlib
from datetime import datetime

from ..adapters.models import CaseRecord, TaskRecord
from ..domain import worktime
from ..domain.lifecycle import CLOSED, Status, check_transition
from . import clock

CASE_SHARDS = 8
# Not decided or cancelled yet: what a closing case cancels, what a resumed clock moves on.
OPEN_TASK_STATES = ("upcoming", "open", "supplement", "special")


def case_shard(case_no: str) -> str:
    """The CASES shard of the overdue watch a case sits in (spreads the index's writes)."""
    return f"CASES#{zlib.crc32(case_no.encode()) % CASE_SHARDS}"


def next_watch(case: CaseRecord, pauses: list[dict] | None = None) -> str | None:
    """The next deadline the sweep must watch for this case: promised until it is missed,
    then statutory; none once both are (or when the case has none)."""
    due = case.due or {}
    missed = set(case.overdue or ())
    for kind in ("promised", "statutory"):
        if kind in due and kind not in missed:
            return worktime.shifted(due[kind], pauses if pauses is not None
                                    else case.pauses or [], clock.zone())
    return None


def status_actions(case: CaseRecord, target: Status, actor: str, role: str, channel: str,
                   opinion: str | None, at: datetime) -> list:
    """Move the case to `target` (409 if the lifecycle forbids it) and record who did it."""
    check_transition(case.status, target)
    when = at.isoformat()
    actions = [CaseRecord.status.set(int(target)), CaseRecord.updatedAt.set(when),
               CaseRecord.actor.set(actor), CaseRecord.actorRole.set(role),
               CaseRecord.channel.set(channel), CaseRecord.opinion.set(opinion)]
    if target == Status.ACCEPTED:
        actions.append(CaseRecord.acceptedAt.set(when))
    if target in CLOSED and case.closedAt is None:
        # The clock stops for good; a pause still open ends here.
        actions.append(CaseRecord.closedAt.set(when))
        actions.append(CaseRecord.inboxDept.remove())
        if worktime.open_pause(case.pauses or []):
            actions.append(CaseRecord.pauses.set(
                worktime.end_pause(case.pauses, at, clock.zone())))
    return actions


def pause_actions(case: CaseRecord, kind: str, task_id: str, at: datetime) -> list:
    pauses = [*(case.pauses or []),
              worktime.Pause(kind, worktime.utc_text(at), taskId=task_id).as_dict()]
    return [CaseRecord.pauses.set(pauses)]


def resume_actions(case: CaseRecord, tasks: list[TaskRecord], at: datetime,
                   transaction) -> list:
    """End the open pause: the case's watch and every open task's deadline move on by the
    working time it lasted. Adds the task updates to `transaction`; returns the case's."""
    zone = clock.zone()
    pauses = worktime.end_pause(case.pauses or [], at, zone)
    actions = [CaseRecord.pauses.set(pauses)]
    watch = next_watch(case, pauses)
    if watch:
        actions.append(CaseRecord.deadline.set(watch))
    for task in tasks:
        if task.state in OPEN_TASK_STATES and task.planned:
            moved = worktime.shifted(task.planned, pauses, zone)
            if moved != task.deadline:
                transaction.update(task, actions=[TaskRecord.deadline.set(moved)],
                                   condition=TaskRecord.state.is_in(*OPEN_TASK_STATES))
    return actions


def cancel_open_tasks(tasks: list[TaskRecord], reason: str, at: datetime, transaction,
                      keep: str | None = None) -> list[str]:
    """Close every task still open (but `keep`): out of the inbox, never decided."""
    cancelled = []
    for task in tasks:
        if task.state in OPEN_TASK_STATES and task.taskId != keep:
            transaction.update(task, actions=[
                TaskRecord.state.set("cancelled"), TaskRecord.cancelledAt.set(at.isoformat()),
                TaskRecord.cancelReason.set(reason), TaskRecord.inboxDept.remove()],
                condition=TaskRecord.state.is_in(*OPEN_TASK_STATES))
            cancelled.append(task.taskId)
    return cancelled
