"""A task back from a wait (a supplement given, a special procedure ended): the case's
clock resumes and the task is open again, in one transaction."""
from ...adapters.models import CaseRecord, TaskRecord
from ...domain import inbox_filters, worktime
from ...domain.case_file import case_key, task_key
from ...domain.changes import Change, Condition, ConditionFailed, applied, merged
from ...domain.lifecycle import Status
from ...domain.task_states import TaskState
from .. import casefile, clock
from ..case_files import CaseFiles
from .writes import raced


def reopen(case_files: CaseFiles, task: TaskRecord, case: CaseRecord,
           tasks: list[TaskRecord], now, target: Status, actor: tuple, case_extra: dict,
           expect: tuple[Condition, ...], actor_name: str | None = None,
           **changes) -> TaskRecord:
    """The wait a task was in is over (a supplement given, a special procedure ended): in
    one transaction the case moves to `target`, its clock resumes (every open task's
    deadline moved on by the pause), and the task is open again (on `expect`). Returns
    the task as reopened (its deadline moved on)."""
    zone = clock.zone()
    moved = worktime.shifted(task.planned, worktime.end_pause(case.pauses or [], now, zone),
                             zone)
    task_change = inbox_filters.indexed(task, Change(
        task_key(task.taskId), set={"state": TaskState.OPEN, "deadline": moved,
                                    **casefile.rewatch(task, now)}, expect=expect))
    others = [t for t in tasks if t.taskId != task.taskId]
    resumed, moved_tasks = casefile.resume_changes(case, others, now, **changes)
    case_change = merged(casefile.status_change(case, target, *actor, now,
                                                actor_name=actor_name),
                         resumed, Change(case_key(case.pk), set=case_extra))
    try:
        case_files.commit([task_change, *moved_tasks, case_change])
    except ConditionFailed:
        raise raced(case_files, task) from None
    return applied(task, task_change)
