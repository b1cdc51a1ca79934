"""Department inboxes, claims and decisions: the human steps of the approval workflow.

A task is what the workflow waits on (acceptance by the counter, review by a department).
Its token never leaves the server (it is kept apart from the task, models.TaskToken): a
decision is written here, in one transaction with the case it changes, and the stream
handler (services/progress.py) redeems the token once.
"""
import hashlib
import json
from datetime import date, timedelta

from .. import tracing
from ..adapters.models import CaseRecord, TaskRecord, TaskToken, all_of, put_if_absent
from ..domain import decisions, documents, identity, worktime
from ..domain.case_file import case_key, task_key
from ..domain.changes import (
    Absent,
    AbsentOr,
    Change,
    Condition,
    ConditionFailed,
    Equals,
    OneOf,
    applied,
    merged,
)
from ..domain.errors import (
    Concealed,
    Conflict,
    Forbidden,
    NotFound,
    UnprocessableEntity,
    ValidationError,
)
from ..domain.identifiers import is_valid_task_id
from ..domain.lifecycle import ACCEPTANCE_DECISIONS, CLOSED, Status
from ..domain.task_states import IN_INBOX, TaskState, became
from . import casefile, catalogue, clock, review_entry, roster
from .case_files import CaseFiles
from .cases import META, task_view
from .pagination import decode_cursor, encode_cursor

# The named errors a decision fails its task with; the state machine catches them.


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
        state=state,
        inboxDept=message["dept"] if state == TaskState.OPEN else None, createdAt=created.isoformat())
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


# -- the inbox -------------------------------------------------------------------------

def inbox_of(principal: identity.Principal, dept: str | None) -> str:
    """The department whose inbox the caller reads: its own by default; supervisors and
    admins (who read every case) any, read-only."""
    dept = dept or principal.dept
    if not dept:
        # Optional in the document: required only of a caller with no department.
        raise UnprocessableEntity("dept is required (the caller has no department)",
                                  field="dept")
    if principal.role not in identity.READS_EVERY_CASE:
        identity.require_department(principal, dept)
    return dept


def _due(value: str | None, name: str) -> str | None:
    """A deadline bound as the inbox index stores deadlines (UTC, to the second), rounded
    up: `deadline >= bound` holds of a stored one exactly when it holds of the bound."""
    if value is None:
        return None
    try:
        moment = worktime.parse(value)
        if moment.microsecond:
            moment = moment.replace(microsecond=0) + timedelta(seconds=1)
        return worktime.utc_text(moment)
    except (ValueError, OverflowError):  # not a moment, or one UTC cannot hold (year 1 + 8h)
        raise ValidationError(f"{name} must be a timestamp, ISO 8601 with offset",
                              field=name) from None


def _deadline_range(after: str | None, before: str | None):
    """The inbox index's key condition on deadlines: at or after `after`, before
    `before` (both in the stored form)."""
    if after is not None and before is not None:
        if after >= before:
            raise UnprocessableEntity("dueAfter must be before dueBefore", field="dueAfter")
        last = worktime.utc_text(worktime.parse(before) - timedelta(seconds=1))
        return TaskRecord.deadline.between(after, last)
    if after is not None:
        return TaskRecord.deadline >= after
    if before is not None:
        return TaskRecord.deadline < before
    return None


def inbox(principal: identity.Principal | None, dept: str | None, *, state: str | None = None,
          item: str | None = None, overdue: bool | None = None, mine: bool = False,
          limit: int = 50, cursor: str | None = None, due_after: str | None = None,
          due_before: str | None = None) -> tuple[dict, str]:
    """A department's tasks still to be done, soonest deadline first, with filters
    (deadlines `due_after` ≤ deadline < `due_before`: a dashboard's bucket, days_left);
    and the page's ETag (inbox_etag)."""
    principal = identity.require_role(principal, *identity.STAFF)
    dept = inbox_of(principal, dept)
    if dept == principal.dept:
        roster.saw(principal)
    if state is not None and state not in IN_INBOX:
        raise ValidationError(f"state must be one of {', '.join(IN_INBOX)}", field="state")
    deadlines = _deadline_range(_due(due_after, "dueAfter"), _due(due_before, "dueBefore"))
    condition = all_of((TaskRecord.state == state) if state else None,
                       (TaskRecord.itemCode == item) if item else None,
                       None if overdue is None else TaskRecord.overdue.exists() if overdue
                       else TaskRecord.overdue.does_not_exist(),
                       (TaskRecord.claimedBy == principal.sub) if mine else None)
    page = TaskRecord.inbox.query(dept, deadlines, filter_condition=condition, limit=limit,
                                  last_evaluated_key=decode_cursor(cursor, f"tasks/{dept}"))
    records = list(page)
    answer = {"dept": dept, "tasks": [task_view(task) for task in records],
              "next": encode_cursor(page.last_evaluated_key, f"tasks/{dept}")}
    return answer, inbox_etag(principal.sub, [dept, state, item, overdue, mine, limit, cursor,
                                              due_after, due_before], records, answer["next"])


def inbox_etag(sub: str, asked: list, records: list[TaskRecord], following: str | None) -> str:
    """The ETag of one page of an inbox as one caller asked for it: every stored attribute
    of every task on it (a claim, a decision, a new deadline or a sweep's mark, even one the
    view leaves out, changes it), the next page's cursor, and who asked with which filters
    — another caller's or another filter's page never shares it (a poller's 304 means "the
    page you hold is still the page")."""
    digest = hashlib.sha256(json.dumps(
        [sub, asked, following, [task.serialize() for task in records]],
        sort_keys=True, default=str, ensure_ascii=False).encode())
    return f'"{digest.hexdigest()[:32]}"'


# -- loading and authorising -----------------------------------------------------------

def _load_task(case_files: CaseFiles, task_id: str, principal: identity.Principal
               ) -> tuple[TaskRecord, CaseRecord]:
    """The task and its case, if the caller may know of it (another department's task does
    not exist for a clerk or reviewer: 404 before anything else is said of it). The case
    is read first: a decision racing this one then shows as the task decided (409), never
    as a case that seems to have moved on by itself."""
    if not is_valid_task_id(task_id):
        raise NotFound("no task with that id", field="taskId")
    case = case_files.get(task_key(task_id)[0])
    task = case_files.get_task(task_id) if case is not None else None
    if task is None:
        raise NotFound(f"no task {task_id}", field="taskId")
    _conceal_from_other_departments(principal, task)
    return task, case


def _conceal_from_other_departments(principal: identity.Principal, task: TaskRecord) -> None:
    """Another department's task does not exist for a clerk or reviewer (404, audited);
    supervisors and admins, who read every case, are told they may not act (403)."""
    if principal.role not in identity.READS_EVERY_CASE and principal.dept != task.dept:
        raise Concealed(f"no task {task.taskId}", field="taskId")


def _authorise(principal: identity.Principal, task: TaskRecord) -> None:
    role = identity.CLERK if task.taskKind == "acceptance" else identity.REVIEWER
    if principal.role != role and not principal.leads(task.dept):
        raise Forbidden(f"a {task.taskKind} task is handled by a {role}")
    identity.require_own_department(principal, task.dept)
    roster.saw(principal)


def _require_state(task: TaskRecord, *states: str) -> None:
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


def _require_claim(principal: identity.Principal, task: TaskRecord) -> None:
    if task.claimedBy not in (None, principal.sub):
        raise Conflict(f"task {task.taskId} is claimed by {task.claimedBy}",
                       code="task_claimed", field="taskId")


def _claimed_condition(principal: identity.Principal) -> AbsentOr:
    """Unclaimed, or claimed by the caller."""
    return AbsentOr("claimedBy", principal.sub)


def _claim_change(task: TaskRecord, to: str | None, action: str, actor: str, at: str,
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


def _claimed_by_decider(task: TaskRecord, principal: identity.Principal,
                        at: str) -> list[Change]:
    """An unclaimed task is claimed by whoever acts on it, in the same write."""
    if task.claimedBy:
        return []
    name = identity.staff_name(principal)
    return [_claim_change(task, principal.sub, "claimed", principal.sub, at, name, name)]


def _raced(case_files: CaseFiles, task: TaskRecord) -> Conflict:
    """What a write that lost a race answers: what happened to the task meanwhile (decided,
    cancelled, waiting, claimed by someone else), or, when the task is as it was, that its
    case changed."""
    now = case_files.get_task(task.taskId, consistent=True)
    _require_state(now, task.state)
    if now.claimedBy != task.claimedBy:
        return Conflict(f"task {task.taskId} was claimed by {now.claimedBy} meanwhile",
                        code="task_claimed", field="taskId")
    return Conflict(f"task {task.taskId} or its case changed meanwhile; read it again",
                    code="task_changed")


def _in_review(case_files: CaseFiles, task: TaskRecord, case: CaseRecord) -> CaseRecord:
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


def _answer(task: TaskRecord, case_status: int) -> dict:
    return {"task": task_view(task), "caseStatus": int(case_status)}


# -- claims ----------------------------------------------------------------------------

def claim(case_files: CaseFiles, principal: identity.Principal | None, task_id: str) -> dict:
    """Take a task: from now on only the claimant decides it (claiming again is a no-op)."""
    principal = identity.require(principal)
    task, case = _load_task(case_files, task_id, principal)
    _authorise(principal, task)
    _require_state(task, *IN_INBOX)
    _require_claim(principal, task)
    if task.claimedBy != principal.sub:
        task = _set_claim(case_files, task, principal.sub, "claimed", principal,
                          expect=Absent("claimedBy"), to_name=identity.staff_name(principal))
    return _answer(task, case.status)


def release(case_files: CaseFiles, principal: identity.Principal | None,
            task_id: str) -> dict:
    """Give a claimed task back to the department (the claimant, or its lead)."""
    principal = identity.require(principal)
    task, case = _load_task(case_files, task_id, principal)
    _authorise(principal, task)
    _require_state(task, *IN_INBOX)
    if task.claimedBy is None:
        return _answer(task, case.status)
    if task.claimedBy != principal.sub and not principal.leads(task.dept):
        raise Forbidden("only the claimant or the department's lead releases a task")
    task = _set_claim(case_files, task, None, "released", principal,
                      expect=Equals("claimedBy", task.claimedBy))
    return _answer(task, case.status)


def assign(case_files: CaseFiles, principal: identity.Principal | None, task_id: str,
           body: dict) -> dict:
    """The department's lead hands a task to one of its staff."""
    principal = identity.require(principal)
    task, case = _load_task(case_files, task_id, principal)
    identity.require_own_department(principal, task.dept)
    if not principal.leads(task.dept):
        raise Forbidden(f"only the lead of {task.dept} reassigns its tasks")
    _require_state(task, *IN_INBOX)
    to = body["to"].strip()
    colleague = _require_colleague(task, to)
    if task.claimedBy != to:
        expect = Absent("claimedBy") if task.claimedBy is None \
            else Equals("claimedBy", task.claimedBy)
        task = _set_claim(case_files, task, to, "assigned", principal, expect=expect,
                          to_name=colleague.name)
    return _answer(task, case.status)


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
    change = merged(_claim_change(task, to, action, principal.sub, clock.now().isoformat(),
                                  to_name, identity.staff_name(principal)),
                    Change(task_key(task.taskId),
                           expect=(expect, OneOf("state", IN_INBOX))))
    try:
        case_files.commit([change])
    except ConditionFailed:
        raise Conflict(f"task {task.taskId} was claimed or closed meanwhile",
                       code="task_claimed", field="taskId") from None
    return applied(task, change)


# -- decisions -------------------------------------------------------------------------

def _parse_decision(task: TaskRecord, body) -> tuple[str, str | None]:
    """The decision and its opinion, checked against the decision table's rule for the
    task's kind (domain/decisions.py). `body` typed (decisions.Decision), or as the JSON
    object the contract checked it to be."""
    decided = decisions.parse(task.taskKind, documents.conform(body, decisions.Decision))
    return decided.decision, decided.opinion


def _item_materials(case: CaseRecord) -> tuple[dict, set[str]]:
    item = catalogue.pinned_version(case.itemCode, case.itemVersion)
    return item, {m["name"] for m in item.get("materials", [])}


def _named_materials(case: CaseRecord, names: list[str], field: str) -> list[str]:
    _, known = _item_materials(case)
    for index, name in enumerate(names):
        if name not in known:
            raise ValidationError(f"{name!r} is not a material of this item version",
                                  field=f"{field}.{index}")
    return list(dict.fromkeys(names))


def decide(case_files: CaseFiles, principal: identity.Principal | None, task_id: str,
           body: dict, channel: str = "api") -> dict:
    """Decide a task once. The decider claims it if nobody has; only the claimant decides.

    acceptance: accept (3), refuse (5) / not_accept (4) — the workflow ends —, or
    supplement (6): the applicant is asked, the clock stops and the task waits.
    review: approve (optionally with materials to follow, 容缺, where the item version
    allows it), deny (with veto: 13 at once, the stage's other tasks cancelled; without:
    an advisory opinion), or supplement (6, as at acceptance, back to this department).
    """
    principal = identity.require(principal)
    task, case = _load_task(case_files, task_id, principal)
    tracing.annotate(case_no=task.pk, item_code=case.itemCode, dept=task.dept)
    _authorise(principal, task)
    decision, opinion = _parse_decision(task, body)
    _require_state(task, TaskState.OPEN)
    _require_claim(principal, task)
    case = _in_review(case_files, task, case)
    now = clock.now()
    step = _Decision(case_files, task, case, principal,
                     (principal.sub, principal.role, channel, opinion, now))
    if decision == "supplement":
        return step.ask_supplement(body.get("materials") or [])
    if task.taskKind == "acceptance":
        return step.accept_or_not(decision)
    return step.review(decision, body.get("pendingMaterials"))


class _Decision:
    """One decision on one open task: what it changes of the task and the case."""

    def __init__(self, case_files: CaseFiles, task: TaskRecord, case: CaseRecord,
                 principal: identity.Principal, actor: tuple):
        self.case_files = case_files
        self.task, self.case, self.principal, self.actor = task, case, principal, actor
        self.at = actor[-1].isoformat()
        self.name = identity.staff_name(principal)
        # Still open, and unclaimed or claimed by the decider (who claims it if nobody has).
        self.expect = Change(task_key(task.taskId), expect=(
            Equals("state", TaskState.OPEN), _claimed_condition(principal)))
        self.claim = _claimed_by_decider(task, principal, self.at)

    def _task_change(self, sets: dict, removes: frozenset = frozenset()) -> Change:
        return merged(Change(task_key(self.task.taskId), set=sets, remove=removes),
                      self.expect, *self.claim)

    def ask_supplement(self, names: list[str]) -> dict:
        """The applicant is asked for materials: 6, the clock stops, the task waits."""
        task, case, now = self.task, self.case, self.actor[-1]
        materials = _named_materials(case, names, "materials")
        target = Status.SUPPLEMENT_REQUESTED
        case_change = merged(
            casefile.status_change(case, target, *self.actor, actor_name=self.name),
            casefile.pause_change(case, "supplement", task.taskId, now),
            Change(case_key(case.pk), set={"supplement": {
                "taskId": task.taskId, "dept": task.dept, "context":
                "intake" if task.taskKind == "acceptance" else "review",
                "materials": materials, "opinion": self.actor[3],
                "requestedAt": self.at}}))
        change = self._task_change({"state": TaskState.SUPPLEMENT})
        _commit(self.case_files, task, change, case_change)
        return _answer(applied(task, change), target)

    def accept_or_not(self, decision: str) -> dict:
        """Accept (3) resumes the workflow; refusing or not accepting fails its task."""
        target = ACCEPTANCE_DECISIONS[decision]
        extra = {} if target == Status.ACCEPTED else {"resumeWith": decisions.NOT_ACCEPTED}
        return self._decided(decision, extra, target)

    def review(self, decision: str, pending: list[str] | None) -> dict:
        """Approve (with materials to follow where allowed), or deny: a department with
        veto ends review (13, the other tasks cancelled); without, it is an opinion."""
        if decision == "deny" and self.task.veto:
            return self._decided(decision, {"resumeWith": decisions.DENIED}, Status.DENIED,
                                 cancel_others=True)
        extra = {}
        if decision == "approve" and pending:
            item, _ = _item_materials(self.case)
            if not item["process"].get("materialsToFollowDays"):
                raise UnprocessableEntity("this item version does not accept materials to "
                                          "follow", field="pendingMaterials",
                                          code="materials_to_follow_not_allowed")
            extra["pendingMaterials"] = _named_materials(self.case, pending,
                                                         "pendingMaterials")
        return self._decided(decision, extra, None)

    def _decided(self, decision: str, extra: dict, target: Status | None,
                 cancel_others: bool = False) -> dict:
        task, case = self.task, self.case
        sub, role, channel, opinion, now = self.actor
        sets = {"state": TaskState.DECIDED, "decision": decision, "opinion": opinion,
                "decidedBy": sub, "decidedRole": role, "decidedVia": channel,
                "decidedAt": self.at, **extra}
        removes = {"inboxDept", "watchShard"}
        if self.name:
            sets["decidedByName"] = self.name
        else:
            removes.add("decidedByName")
        change = self._task_change(sets, frozenset(removes))
        case_change = casefile.status_change(case, target, *self.actor, actor_name=self.name) \
            if target is not None else None
        others = []
        if cancel_others:
            others = casefile.cancel_open_tasks(
                _tasks_of(self.case_files, case.pk), "a department with veto denied",
                now, keep=task.taskId)
        _commit(self.case_files, task, change, case_change, others)
        return _answer(applied(task, change), target if target is not None else case.status)


def _tasks_of(case_files: CaseFiles, case_no: str) -> list[TaskRecord]:
    """The case's tasks as one read finds them."""
    found = case_files.load(case_no)
    return found.tasks if found is not None else []


def _commit(case_files: CaseFiles, task: TaskRecord, task_change: Change,
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
        raise _raced(case_files, task) from None


# -- special procedures ----------------------------------------------------------------

def start_special_procedure(case_files: CaseFiles, principal: identity.Principal | None,
                            task_id: str, body: dict, channel: str = "api") -> dict:
    """A department starts a special procedure (听证, 专家评审, 现场勘验, 检验检测…) of a
    type the item version lists: the case goes to 9 and its clock stops; the procedure
    has its own statutory limit."""
    principal = identity.require(principal)
    task, case = _load_task(case_files, task_id, principal)
    if task.taskKind != "review":
        raise Conflict("special procedures happen in department review",
                       code="not_in_review", field="taskId")
    _authorise(principal, task)
    _require_state(task, TaskState.OPEN)
    _require_claim(principal, task)
    case = _in_review(case_files, task, case)
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
    change = merged(Change(task_key(task.taskId), set={"state": TaskState.SPECIAL},
                           expect=(Equals("state", TaskState.OPEN), _claimed_condition(principal))),
                    *_claimed_by_decider(task, principal, now.isoformat()))
    _commit(case_files, task, change, case_change)
    return _answer(applied(task, change), Status.SPECIAL_PROCEDURE)


def end_special_procedure(case_files: CaseFiles, principal: identity.Principal | None,
                          task_id: str, body: dict, channel: str = "api") -> dict:
    """The department records the procedure's result: 10, the clock runs again (every
    deadline moved on by the time it took), and the task is back in review."""
    principal = identity.require(principal)
    task, case = _load_task(case_files, task_id, principal)
    _authorise(principal, task)
    _require_state(task, TaskState.SPECIAL)
    _require_claim(principal, task)
    now = clock.now()
    procedures = [dict(p) for p in case.procedures or []]
    procedures[-1].update(endedAt=now.isoformat(), result=body["result"])
    reopened = reopen(case_files, task, case, _tasks_of(case_files, case.pk), now,
                      Status.SPECIAL_PROCEDURE_ENDED,
                      (principal.sub, principal.role, channel, body["result"]),
                      {"procedures": procedures},
                      expect=(Equals("state", TaskState.SPECIAL), _claimed_condition(principal)),
                      procedures=procedures, actor_name=identity.staff_name(principal))
    return _answer(reopened, Status.SPECIAL_PROCEDURE_ENDED)


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
    task_change = Change(task_key(task.taskId),
                         set={"state": TaskState.OPEN, "deadline": moved,
                              **casefile.rewatch(task, now)}, expect=expect)
    others = [t for t in tasks if t.taskId != task.taskId]
    resumed, moved_tasks = casefile.resume_changes(case, others, now, **changes)
    case_change = merged(casefile.status_change(case, target, *actor, now,
                                                actor_name=actor_name),
                         resumed, Change(case_key(case.pk), set=case_extra))
    try:
        case_files.commit([task_change, *moved_tasks, case_change])
    except ConditionFailed:
        raise _raced(case_files, task) from None
    return applied(task, task_change)


# -- the stream's view of tasks -----------------------------------------------------------

def task_decided(old: dict | None, new: dict | None) -> bool:
    """Whether a change of the cases table (stream images) is a task being decided."""
    return bool(new and new.get("rt") == "task") and became(old, new, TaskState.DECIDED)
