"""Loading a task for its caller and checking they may act on it: the department that
sees it, the role that handles it, the state and the claim it must be in."""
from ...adapters.models import CaseRecord, TaskRecord
from ...domain import identity
from ...domain.errors import Concealed, Conflict, Forbidden, NotFound
from ...domain.identifiers import is_valid_task_id
from ...domain.task_states import TaskState
from .. import roster
from ..case_files import CaseFiles
from ..cases import task_view


def load_task(case_files: CaseFiles, task_id: str, principal: identity.Principal
               ) -> tuple[TaskRecord, CaseRecord]:
    """The task and its case, if the caller may know of it (another department's task does
    not exist for a clerk or reviewer: 404 before anything else is said of it). The case
    and the task are read as one snapshot (one round trip): a decision racing this one shows
    as the task decided (409), never as a case that seems to have moved on by itself."""
    if not is_valid_task_id(task_id):
        raise NotFound("no task with that id", field="taskId")
    case, task = case_files.get_with_task(task_id)
    if case is None or task is None:
        raise NotFound(f"no task {task_id}", field="taskId")
    _conceal_from_other_departments(principal, task)
    return task, case


def _conceal_from_other_departments(principal: identity.Principal, task: TaskRecord) -> None:
    """Another department's task does not exist for a clerk or reviewer (404, audited);
    supervisors and admins, who read every case, are told they may not act (403)."""
    if principal.role not in identity.READS_EVERY_CASE and principal.dept != task.dept:
        raise Concealed(f"no task {task.taskId}", field="taskId")


def authorise(principal: identity.Principal, task: TaskRecord) -> None:
    """The caller handles tasks of this kind (a clerk acceptances, a reviewer reviews, a
    lead either) in the task's own department."""
    role = identity.CLERK if task.taskKind == "acceptance" else identity.REVIEWER
    if principal.role != role and not principal.leads(task.dept):
        raise Forbidden(f"a {task.taskKind} task is handled by a {role}")
    identity.require_own_department(principal, task.dept)
    roster.saw(principal)


def require_state(task: TaskRecord, *states: str) -> None:
    """The task is in one of `states`; else the 409 that says what it is in instead."""
    if task.state in states:
        return
    if task.state == TaskState.DECIDED:
        raise Conflict(f"task {task.taskId} was already decided", code="task_already_decided")
    if task.state == TaskState.CANCELLED:
        raise Conflict(f"task {task.taskId} was cancelled ({task.cancelReason})",
                       code="task_cancelled")
    if task.state == TaskState.OPEN:
        raise Conflict(f"task {task.taskId} is in no special procedure",
                       code="no_special_procedure")
    waiting = {TaskState.SUPPLEMENT: "waits on the applicant's supplement",
               TaskState.SPECIAL: "is in a special procedure",
               TaskState.UPCOMING: f"waits for the review stages before stage {task.stage}"
               }[task.state]
    raise Conflict(f"task {task.taskId} {waiting}", code="task_waiting")


def require_claim(principal: identity.Principal, task: TaskRecord) -> None:
    """Nobody else has claimed the task."""
    if task.claimedBy not in (None, principal.sub):
        raise Conflict(f"task {task.taskId} is claimed by {task.claimedBy}",
                       code="task_claimed", field="taskId")




def answer(task: TaskRecord, case_status: int) -> dict:
    """What a task use case answers: the task as the caller sees it, and its case's
    status."""
    return {"task": task_view(task), "caseStatus": int(case_status)}
