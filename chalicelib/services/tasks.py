"""Department inboxes and decisions: the human steps of the approval workflow."""
from pynamodb.exceptions import TransactWriteError

from .. import tracing
from ..adapters import workflow
from ..adapters.models import CaseRecord, TaskRecord, put_if_absent, transact_write
from ..domain import identity
from ..domain.errors import Conflict, Forbidden, NotFound, ValidationError
from ..domain.identifiers import is_valid_task_id
from ..domain.lifecycle import ACCEPTANCE_DECISIONS, REVIEW_DECISIONS, Status, check_transition
from .cases import META, task_view
from . import clock
from .pagination import decode_cursor, encode_cursor

APPLICANT_INBOX = "APPLICANT"
DECISIONS = {
    "acceptance": tuple(ACCEPTANCE_DECISIONS),
    "review": tuple(REVIEW_DECISIONS),
    "supplement": ("supply",),
}
# Decisions that must say why (the applicant is told).
NEEDS_OPINION = {"refuse", "not_accept", "supplement", "deny"}


def record(message: dict) -> bool:
    """Put a task the workflow is waiting on into its department's inbox.

    Called for every tasks-queue message; a redelivered message finds the task already
    there and changes nothing. Returns whether the task was new.
    """
    created = clock.now().isoformat()
    task = TaskRecord(
        message["caseNo"], f"TASK#{message['taskId']}", taskId=message["taskId"],
        taskKind=message["kind"], caseNo=message["caseNo"], itemCode=message["itemCode"],
        dept=message["dept"], stage=message.get("stage"), deadline=message["deadline"],
        token=message["token"], state="open", inboxDept=message["dept"], createdAt=created)
    return put_if_absent(task)


def inbox(principal: identity.Principal | None, dept: str | None, limit: int = 50,
          cursor: str | None = None) -> dict:
    principal = identity.require_role(principal, *identity.STAFF)
    if not dept:
        raise ValidationError("dept is required", field="dept")
    identity.require_department(principal, dept)
    page = TaskRecord.inbox.query(dept, limit=limit, last_evaluated_key=decode_cursor(cursor))
    tasks = [task_view(task) for task in page]
    return {"dept": dept, "tasks": tasks, "next": encode_cursor(page.last_evaluated_key)}


def _load_task(task_id: str) -> tuple[TaskRecord, CaseRecord]:
    """The task and its case. The case is read first: a decision racing this one then
    shows as the task decided (409 task_already_decided), never as a case that seems to
    have moved on by itself."""
    if not is_valid_task_id(task_id):
        raise NotFound("no task with that id", field="taskId")
    case_no = task_id.split("-", 1)[0]
    try:
        case = CaseRecord.get(case_no, META)
        return TaskRecord.get(case_no, f"TASK#{task_id}"), case
    except (TaskRecord.DoesNotExist, CaseRecord.DoesNotExist):
        raise NotFound(f"no task {task_id}", field="taskId") from None


def _authorise(principal: identity.Principal, task: TaskRecord, case: CaseRecord) -> None:
    if task.taskKind == "supplement":
        if principal.sub != case.applicant.sub:
            raise Forbidden("only the applicant can supply what was asked for")
        return
    role = identity.CLERK if task.taskKind == "acceptance" else identity.REVIEWER
    if principal.role != role:
        raise Forbidden(f"a {task.taskKind} task is decided by a {role}")
    identity.require_department(principal, task.dept)


def _parse_decision(task: TaskRecord, body) -> tuple[str, str | None]:
    if not isinstance(body, dict):
        raise ValidationError("the request body must be a JSON object", field="body")
    decision = body.get("decision")
    allowed = DECISIONS[task.taskKind]
    if decision not in allowed:
        raise ValidationError(f"decision must be one of {', '.join(allowed)} for a "
                              f"{task.taskKind} task", field="decision")
    opinion = body.get("opinion")
    if opinion is not None and (not isinstance(opinion, str) or len(opinion) > 1000):
        raise ValidationError("opinion must be text of at most 1000 characters",
                              field="opinion")
    if decision in NEEDS_OPINION and not (opinion or "").strip():
        raise ValidationError(f"an opinion is required to {decision}", field="opinion")
    return decision, opinion


def _target_status(task: TaskRecord, decision: str) -> Status | None:
    if task.taskKind == "acceptance":
        return ACCEPTANCE_DECISIONS[decision]
    if task.taskKind == "supplement":
        return Status.SUPPLEMENT_SUPPLIED
    return None  # reviews conclude through the workflow once the stage is complete


def _workflow_output(kind: str, decision: str, opinion: str | None) -> dict:
    if kind == "review":
        return {"approved": REVIEW_DECISIONS[decision], "opinion": opinion or ""}
    return {"decision": decision}


def decide(principal: identity.Principal | None, task_id: str, body,
           channel: str = "api") -> dict:
    """Decide a task once; the task's token then resumes the workflow."""
    principal = identity.require(principal)
    task, case = _load_task(task_id)
    tracing.annotate(case_no=task.pk, item_code=case.itemCode, dept=task.dept)
    _authorise(principal, task, case)
    decision, opinion = _parse_decision(task, body)
    if task.state != "open":
        raise Conflict(f"task {task_id} was already decided", code="task_already_decided")
    target = _target_status(task, decision)
    if target is not None:
        check_transition(case.status, target)
    decided_at = clock.now().isoformat()
    try:
        with transact_write() as transaction:
            transaction.update(task, actions=[
                TaskRecord.state.set("decided"), TaskRecord.decision.set(decision),
                TaskRecord.opinion.set(opinion), TaskRecord.decidedBy.set(principal.sub),
                TaskRecord.decidedRole.set(principal.role), TaskRecord.decidedVia.set(channel),
                TaskRecord.decidedAt.set(decided_at), TaskRecord.inboxDept.remove()],
                condition=TaskRecord.state == "open")
            if target is not None:
                # The version condition (added by PynamoDB) refuses a case that moved on.
                transaction.update(case, actions=[
                    CaseRecord.status.set(int(target)), CaseRecord.updatedAt.set(decided_at),
                    CaseRecord.actor.set(principal.sub),
                    CaseRecord.actorRole.set(principal.role),
                    CaseRecord.channel.set(channel), CaseRecord.opinion.set(opinion)])
    except TransactWriteError:
        raise Conflict(f"task {task_id} was decided or its case changed meanwhile",
                       code="task_already_decided") from None
    # The workflow is resumed from the table's stream (resume_decided): the decision
    # above is the one record of it, and the stream retries until the workflow has it.
    # What the transaction wrote, without reading it back.
    task.state, task.decision, task.opinion, task.decidedAt = \
        "decided", decision, opinion, decided_at
    return {"task": task_view(task), "caseStatus": int(target or case.status)}


def task_decided(old: dict | None, new: dict | None) -> bool:
    """Whether a change of the cases table (stream images) is a task being decided."""
    return bool(old and new and new.get("rt") == "task" and old.get("state") == "open"
                and new.get("state") == "decided")


def resume_decided(old: dict | None, new: dict | None) -> bool:
    """A task just decided (a change on the cases table's stream) resumes its workflow.

    A transactional outbox: `decide` only writes, and this runs for every committed
    decision, retried with the stream until it succeeds. It resumes once: after the
    workflow has the decision the task records `resumedAt`, and a redelivered change
    finds it and does nothing (AWS also refuses a spent token; moto does not, so our
    own record is what makes this hold everywhere). Returns whether it resumed now.
    """
    if not task_decided(old, new):
        return False
    task = TaskRecord.get(new["pk"], new["sk"], consistent_read=True)
    if task.resumedAt:
        return False
    output = _workflow_output(new["taskKind"], new["decision"], new.get("opinion"))
    resumed = workflow.resume(new["token"], output)
    # Recorded after the resume: a crash in between is retried by the stream, and the
    # token (spent by then) is refused.
    task.update(actions=[TaskRecord.resumedAt.set(clock.now().isoformat())])
    return resumed
