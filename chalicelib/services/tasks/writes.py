"""What every task use case's write shares: the claim as a change, the case moved into
review first, the commit of the task with its case, and the conflict a lost race answers."""
from ...adapters.models import CaseRecord, TaskRecord
from ...domain import identity
from ...domain.case_file import task_key
from ...domain.changes import AbsentOr, Change, ConditionFailed
from ...domain.errors import Conflict
from .. import review_entry
from ..case_files import CaseFiles
from .access import require_state


def claimed_condition(principal: identity.Principal) -> AbsentOr:
    """Unclaimed, or claimed by the caller."""
    return AbsentOr("claimedBy", principal.sub)


def claim_change(task: TaskRecord, to: str | None, action: str, actor: str, at: str,
                  to_name: str | None = None, actor_name: str | None = None) -> Change:
    """The task's claim as one change: who holds it now (none: released), what was done
    (claimed, released, assigned), by whom, when — what its `task_<action>` event says —
    and both their names where known (old claims have none)."""
    sets = {"claimedAt": at, "claimAction": action, "claimActor": actor}
    removes = set()
    for name, value in (("claimedBy", to), ("claimedByName", to_name if to else None),
                        ("claimActorName", actor_name)):
        if value:
            sets[name] = value
        else:
            removes.add(name)
    return Change(task_key(task.taskId), set=sets, remove=frozenset(removes))


def claimed_by_decider(task: TaskRecord, principal: identity.Principal,
                        at: str) -> list[Change]:
    """An unclaimed task is claimed by whoever acts on it, in the same write."""
    if task.claimedBy:
        return []
    name = identity.staff_name(principal)
    return [claim_change(task, principal.sub, "claimed", principal.sub, at, name, name)]


def raced(case_files: CaseFiles, task: TaskRecord) -> Conflict:
    """What a write that lost a race answers: what happened to the task meanwhile (decided,
    cancelled, waiting, claimed by someone else), or, when the task is as it was, that its
    case changed."""
    now = case_files.get_task(task.taskId, consistent=True)
    require_state(now, task.state)
    if now.claimedBy != task.claimedBy:
        return Conflict(f"task {task.taskId} was claimed by {now.claimedBy} meanwhile",
                        code="task_claimed", field="taskId")
    return Conflict(f"task {task.taskId} or its case changed meanwhile; read it again",
                    code="task_changed")


def in_review(case_files: CaseFiles, task: TaskRecord, case: CaseRecord) -> CaseRecord:
    """The case as a review decision finds it, in review (8). The workflow asks for a
    review as soon as acceptance resumes it, so its task can be in the inbox while the
    case is still accepted (3) — or back from a supplement (7) or a special procedure
    (10) — waiting for the stream to move it on: the decision moves it itself
    (services/review_entry.py), and so is never refused as an illegal transition."""
    if task.taskKind != "review" or not review_entry.passes_through(case.status,
                                                                    case.supplement):
        return case
    review_entry.enter(case, case_files)  # False: the stream (or another decision) was first
    return case_files.get(case.pk, consistent=True)



def tasks_of(case_files: CaseFiles, case_no: str) -> list[TaskRecord]:
    """The case's tasks as one read finds them."""
    found = case_files.load(case_no)
    return found.tasks if found is not None else []


def commit_task(case_files: CaseFiles, task: TaskRecord, task_change: Change,
            case_change: Change | None, more: list[Change] | None = None) -> None:
    """The task, with the case when the decision changes it: one transaction, the case
    version-checked. A decision that leaves the case as it is (an approval, an advisory
    opinion) writes the task alone, on the task's own condition: a withdrawal racing it
    cancels the task in its transaction, so whichever commits second fails — the
    decision with 409, the withdrawal with case_changed."""
    changes = [task_change, *([case_change] if case_change else []), *(more or [])]
    try:
        case_files.commit(changes)
    except ConditionFailed:
        raise raced(case_files, task) from None
