"""Claims: taking a task, giving it back, and a department's lead handing it to one of
its staff."""
from ...adapters.models import TaskRecord
from ...domain import identity, inbox_filters
from ...domain.case_file import task_key
from ...domain.changes import (
    Absent,
    Change,
    Condition,
    ConditionFailed,
    Equals,
    OneOf,
    applied,
    merged,
)
from ...domain.errors import Conflict, Forbidden, UnprocessableEntity
from ...domain.task_states import IN_INBOX
from .. import clock, roster
from ..case_files import CaseFiles
from .access import answer, authorise, load_task, require_claim, require_state
from .writes import claim_change


def claim(case_files: CaseFiles, principal: identity.Principal | None, task_id: str) -> dict:
    """Take a task: from now on only the claimant decides it (claiming again is a no-op)."""
    principal = identity.require(principal)
    task, case = load_task(case_files, task_id, principal)
    authorise(principal, task)
    require_state(task, *IN_INBOX)
    require_claim(principal, task)
    if task.claimedBy != principal.sub:
        task = _set_claim(case_files, task, principal.sub, "claimed", principal,
                          expect=Absent("claimedBy"), to_name=identity.staff_name(principal))
    return answer(task, case.status)


def release(case_files: CaseFiles, principal: identity.Principal | None,
            task_id: str) -> dict:
    """Give a claimed task back to the department (the claimant, or its lead)."""
    principal = identity.require(principal)
    task, case = load_task(case_files, task_id, principal)
    authorise(principal, task)
    require_state(task, *IN_INBOX)
    if task.claimedBy is None:
        return answer(task, case.status)
    if task.claimedBy != principal.sub and not principal.leads(task.dept):
        raise Forbidden("only the claimant or the department's lead releases a task")
    task = _set_claim(case_files, task, None, "released", principal,
                      expect=Equals("claimedBy", task.claimedBy))
    return answer(task, case.status)


def assign(case_files: CaseFiles, principal: identity.Principal | None, task_id: str,
           body: dict) -> dict:
    """The department's lead hands a task to one of its staff."""
    principal = identity.require(principal)
    task, case = load_task(case_files, task_id, principal)
    identity.require_own_department(principal, task.dept)
    if not principal.leads(task.dept):
        raise Forbidden(f"only the lead of {task.dept} reassigns its tasks")
    require_state(task, *IN_INBOX)
    to = body["to"].strip()
    colleague = _require_colleague(task, to)
    if task.claimedBy != to:
        expect = Absent("claimedBy") if task.claimedBy is None \
            else Equals("claimedBy", task.claimedBy)
        task = _set_claim(case_files, task, to, "assigned", principal, expect=expect,
                          to_name=colleague.name)
    return answer(task, case.status)


def assignees(principal: identity.Principal | None, dept: str | None) -> dict:
    """Whom the lead of `dept` may hand its tasks to: its staff on the roster, with their
    names (the same rule `assign` checks; a role that cannot handle a task is refused
    there). Only that department's lead asks."""
    principal = identity.require_role(principal, *identity.DEPARTMENT_STAFF)
    dept = dept or principal.dept
    if not dept or not principal.leads(dept):
        raise Forbidden(f"only the lead of {dept} lists whom its tasks go to", field="dept")
    roster.saw(principal)
    return {"dept": dept, "staff": [
        {"sub": member.sk, "name": member.name, "role": member.role, "lead": member.lead,
         "seenAt": member.seenAt} for member in roster.members(dept)]}


def _require_colleague(task: TaskRecord, to: str) -> roster.StaffMemberRecord:
    """Whom a task goes to: one of its department's staff (on its roster), in a role that
    handles it — a clerk an acceptance, a reviewer a review, a lead either."""
    colleague = roster.colleague(task.dept, to)
    if colleague is None:
        raise UnprocessableEntity(
            f"{to} is not one of {task.dept}'s staff (someone is, once they have opened its "
            f"inbox, for {roster.ACTIVE_DAYS} days since they last did)", field="to",
            code="assignee_not_in_department")
    role = identity.CLERK if task.taskKind == "acceptance" else identity.REVIEWER
    if colleague.role != role and not colleague.lead:
        raise UnprocessableEntity(f"a {task.taskKind} task is handled by a {role}; {to} is "
                                  f"a {colleague.role}", field="to",
                                  code="assignee_not_in_department")
    return colleague


def _set_claim(case_files: CaseFiles, task: TaskRecord, to: str | None, action: str,
               principal: identity.Principal, expect: Condition,
               to_name: str | None = None) -> TaskRecord:
    """Change the task's claim while it is as read (`expect`) and still to be done;
    the task as changed."""
    change = inbox_filters.indexed(task, merged(
        claim_change(task, to, action, principal.sub, clock.now().isoformat(), to_name,
                     identity.staff_name(principal)),
        Change(task_key(task.taskId), expect=(expect, OneOf("state", IN_INBOX)))))
    try:
        case_files.commit([change])
    except ConditionFailed:
        raise Conflict(f"task {task.taskId} was claimed or closed meanwhile",
                       code="task_claimed", field="taskId") from None
    return applied(task, change)
