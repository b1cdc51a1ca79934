"""Special procedures (听证, 专家评审, 现场勘验, 检验检测…): started in review, the case's
clock stopped meanwhile, and ended with their result."""
from ...domain import identity, inbox_filters, worktime
from ...domain.case_file import case_key, task_key
from ...domain.changes import Change, Equals, applied, merged
from ...domain.errors import Conflict, UnprocessableEntity
from ...domain.lifecycle import Status
from ...domain.task_states import TaskState
from .. import casefile, catalogue, clock
from ..case_files import CaseFiles
from .access import answer, authorise, load_task, require_claim, require_state
from .reopening import reopen
from .writes import claimed_by_decider, claimed_condition, commit_task, in_review, tasks_of


def start_special_procedure(case_files: CaseFiles, principal: identity.Principal | None,
                            task_id: str, body: dict, channel: str = "api") -> dict:
    """A department starts a special procedure (听证, 专家评审, 现场勘验, 检验检测…) of a
    type the item version lists: the case goes to 9 and its clock stops; the procedure
    has its own statutory limit."""
    principal = identity.require(principal)
    task, case = load_task(case_files, task_id, principal)
    if task.taskKind != "review":
        raise Conflict("special procedures happen in department review",
                       code="not_in_review", field="taskId")
    authorise(principal, task)
    require_state(task, TaskState.OPEN)
    require_claim(principal, task)
    case = in_review(case_files, task, case)
    item = catalogue.pinned_version(case.itemCode, case.itemVersion)
    kinds = {p["type"]: p for p in item.get("specialProcedures", [])}
    kind = body["type"]
    if kind not in kinds:
        raise UnprocessableEntity(
            f"this item version has no special procedure {kind!r} "
            f"(it has: {', '.join(kinds) or 'none'})", field="type",
            code="special_procedure_not_allowed")
    now = clock.now()
    limit = kinds[kind]["limit"]
    procedure = {"taskId": task.taskId, "dept": task.dept, "type": kind,
                 "name": kinds[kind]["name"], "reason": body["reason"],
                 "startedAt": now.isoformat(), "dueAt": worktime.utc_text(
                     worktime.limit_due(now, limit["value"], limit["unit"], clock.zone()))}
    procedures = [*(case.procedures or []), procedure]
    # The procedure's own limit joins the overdue watch (the case's clock stops).
    case_change = merged(
        casefile.status_change(case, Status.SPECIAL_PROCEDURE, principal.sub, principal.role,
                               channel, f"{kinds[kind]['name']}：{body['reason']}", now,
                               actor_name=identity.staff_name(principal)),
        casefile.pause_change(case, "special_procedure", task.taskId, now),
        Change(case_key(case.pk), set={
            "procedures": procedures,
            "watchAt": casefile.next_watch(case, procedures=procedures)}))
    change = inbox_filters.indexed(task, merged(
        Change(task_key(task.taskId), set={"state": TaskState.SPECIAL},
               expect=(Equals("state", TaskState.OPEN), claimed_condition(principal))),
        *claimed_by_decider(task, principal, now.isoformat())))
    commit_task(case_files, task, change, case_change)
    return answer(applied(task, change), Status.SPECIAL_PROCEDURE)


def end_special_procedure(case_files: CaseFiles, principal: identity.Principal | None,
                          task_id: str, body: dict, channel: str = "api") -> dict:
    """The department records the procedure's result: 10, the clock runs again (every
    deadline moved on by the time it took), and the task is back in review."""
    principal = identity.require(principal)
    task, case = load_task(case_files, task_id, principal)
    authorise(principal, task)
    require_state(task, TaskState.SPECIAL)
    require_claim(principal, task)
    now = clock.now()
    procedures = [dict(p) for p in case.procedures or []]
    procedures[-1].update(endedAt=now.isoformat(), result=body["result"])
    reopened = reopen(case_files, task, case, tasks_of(case_files, case.pk), now,
                      Status.SPECIAL_PROCEDURE_ENDED,
                      (principal.sub, principal.role, channel, body["result"]),
                      {"procedures": procedures},
                      expect=(Equals("state", TaskState.SPECIAL), claimed_condition(principal)),
                      procedures=procedures, actor_name=identity.staff_name(principal))
    return answer(reopened, Status.SPECIAL_PROCEDURE_ENDED)
