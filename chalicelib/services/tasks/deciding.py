"""Deciding a task once: acceptance (accept, refuse, not accept) and review (approve,
deny, with veto or as an opinion), or asking the applicant for a supplement; each in one
transaction with the case it changes (domain/decisions.py says what each decision needs)."""
from ... import tracing
from ...adapters.models import CaseRecord, TaskRecord
from ...domain import decisions, documents, identity, inbox_filters
from ...domain.case_file import case_key, task_key
from ...domain.changes import Change, Equals, applied, merged
from ...domain.errors import UnprocessableEntity, ValidationError
from ...domain.lifecycle import ACCEPTANCE_DECISIONS, Status
from ...domain.task_states import TaskState
from .. import casefile, catalogue, clock
from ..case_files import CaseFiles
from .access import answer, authorise, load_task, require_claim, require_state
from .writes import claimed_by_decider, claimed_condition, commit_task, in_review, tasks_of


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
    task, case = load_task(case_files, task_id, principal)
    tracing.annotate(case_no=task.pk, item_code=case.itemCode, dept=task.dept)
    authorise(principal, task)
    decision, opinion = _parse_decision(task, body)
    require_state(task, TaskState.OPEN)
    require_claim(principal, task)
    case = in_review(case_files, task, case)
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
            Equals("state", TaskState.OPEN), claimed_condition(principal)))
        self.claim = claimed_by_decider(task, principal, self.at)

    def _task_change(self, sets: dict, removes: frozenset = frozenset()) -> Change:
        return inbox_filters.indexed(self.task, merged(
            Change(task_key(self.task.taskId), set=sets, remove=removes),
            self.expect, *self.claim))

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
        commit_task(self.case_files, task, change, case_change)
        return answer(applied(task, change), target)

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
                tasks_of(self.case_files, case.pk), "a department with veto denied",
                now, keep=task.taskId)
        commit_task(self.case_files, task, change, case_change, others)
        return answer(applied(task, change), target if target is not None else case.status)
