"""The decisions a task takes: one table, per task kind and decision, of what the decision
needs (an opinion, the materials it names) and what it does (the case's status after it,
the named error its task fails with, the task's state).

Everything else is derived from it: the decision's body (`Decision`, which the contract
publishes with its list of decisions and its rules: chalicelib/contract/models/), the
events' schema of `task_decided` (contract/events.py), lifecycle's ACCEPTANCE_DECISIONS
and REVIEW_DECISIONS, and the checks on a decision (`parse`). A new decision is a new row
here (and its name in `Name`), then what it writes (services/tasks/deciding.py).
"""
from dataclasses import dataclass
from typing import Annotated, Literal, NamedTuple, get_args

from msgspec import Meta

from .case_status import Status
from .documents import FREE_TEXT, Document
from .errors import UnprocessableEntity, ValidationError
from .task_states import TaskState

Kind = Literal["acceptance", "review"]
# Every decision any task takes, in the order the contract lists them (a test keeps this
# and the table's rows the same).
Name = Literal["accept", "refuse", "not_accept", "supplement", "approve", "deny"]

# The named errors a decision fails its task with (SendTaskFailure): the state machine
# catches them (statemachines/case_approval.asl.json) and ends the workflow.
NOT_ACCEPTED, DENIED = "Case.NotAccepted", "Review.Denied"


class Outcome(NamedTuple):
    """What a decision does to the case: the status it reaches (None: the case stays as
    it is) and the named error its task fails with (None: the task succeeds or waits)."""
    status: Status | None
    fails_with: str | None = None


@dataclass(frozen=True)
class Rule:
    kind: Kind
    decision: Name
    needs_opinion: bool                # must say why: the applicant is told
    outcome: Outcome
    names_materials: bool = False      # `materials`: what the applicant must give
    names_pending: bool = False        # `pendingMaterials`: what may follow (容缺)
    task_state: TaskState = TaskState.DECIDED  # what the task becomes
    # A department with veto (the stage's rule): what the decision does instead.
    with_veto: Outcome | None = None

    def outcome_for(self, veto: bool) -> Outcome:
        return self.with_veto if veto and self.with_veto is not None else self.outcome


S = Status
TABLE: tuple[Rule, ...] = (
    # The counter's intake: accept (3) resumes the workflow; refusing (5) or not
    # accepting (4) ends it; a supplement (6) asks the applicant, the clock stops and the
    # task waits (the clerk decides again once it is given).
    Rule("acceptance", "accept", needs_opinion=False, outcome=Outcome(S.ACCEPTED)),
    Rule("acceptance", "refuse", needs_opinion=True,
         outcome=Outcome(S.REFUSED, NOT_ACCEPTED)),
    Rule("acceptance", "not_accept", needs_opinion=True,
         outcome=Outcome(S.NOT_ACCEPTED, NOT_ACCEPTED)),
    Rule("acceptance", "supplement", needs_opinion=True, names_materials=True,
         outcome=Outcome(S.SUPPLEMENT_REQUESTED), task_state=TaskState.SUPPLEMENT),
    # A department's review: an approval (with materials to follow, where the item
    # version allows it) and a denial without veto leave the case in review — the
    # workflow concludes once every department of every stage has decided; a denial
    # with veto concludes at once (13); a supplement asks the applicant (6) and keeps the
    # task waiting, back to this department.
    Rule("review", "approve", needs_opinion=False, outcome=Outcome(None),
         names_pending=True),
    Rule("review", "deny", needs_opinion=True, outcome=Outcome(None),
         with_veto=Outcome(S.DENIED, DENIED)),
    Rule("review", "supplement", needs_opinion=True, names_materials=True,
         outcome=Outcome(S.SUPPLEMENT_REQUESTED), task_state=TaskState.SUPPLEMENT),
)

RULES: dict[tuple[str, str], Rule] = {(rule.kind, rule.decision): rule for rule in TABLE}
KINDS: tuple[Kind, ...] = get_args(Kind)
# Each kind's decisions, in the table's order.
BY_KIND: dict[str, tuple[str, ...]] = {
    kind: tuple(rule.decision for rule in TABLE if rule.kind == kind) for kind in KINDS}
NAMES: tuple[str, ...] = get_args(Name)
# The clerk's intake decisions and the status each leads to.
ACCEPTANCE_DECISIONS: dict[str, Status] = {
    rule.decision: rule.outcome.status for rule in TABLE
    if rule.kind == "acceptance" and rule.outcome.status is not None}
# The reviewer's decisions.
REVIEW_DECISIONS: tuple[str, ...] = BY_KIND["review"]


def where(attribute: str) -> tuple[str, ...]:
    """The decisions of which `attribute` holds, whatever the task's kind: what the
    contract can state of a body that does not say which kind of task it decides (a test
    keeps every such attribute the same for a decision in every kind)."""
    return tuple(name for name in NAMES
                 if any(getattr(rule, attribute) for rule in TABLE if rule.decision == name))


def described() -> str:
    """The contract's description of the decision field: each kind's decisions."""
    return "; ".join(f"{kind}: {' | '.join(BY_KIND[kind])}" for kind in KINDS)


MaterialName = Annotated[str, Meta(min_length=1, max_length=200, examples=["营业执照"])]


class Decision(Document):
    # POST /tasks/{id}/decision's body (the contract publishes it as `Decision`): what
    # the document can say of it. Its kind's rules are `parse`'s.
    decision: Annotated[Name, Meta(description=described())]
    opinion: Annotated[str, Meta(extra=FREE_TEXT, max_length=1000,
                                 examples=["材料齐全，予以受理"],
                                 description="required to refuse, deny or ask for a "
                                             "supplement")] | None = None
    materials: Annotated[list[MaterialName], Meta(
        max_length=50, description="supplement: the materials the applicant must give")] \
        | None = None
    pendingMaterials: Annotated[list[MaterialName], Meta(
        max_length=50, description="approve: materials that may follow (容缺), where the "
                                   "item version allows it")] | None = None


class Decided(NamedTuple):
    """A decision's body as checked: its rule, the opinion, and the materials it names."""
    rule: Rule
    opinion: str | None
    materials: list[str]
    pending_materials: list[str]

    @property
    def decision(self) -> str:
        return self.rule.decision


def parse(kind: str, body: Decision) -> Decided:
    """A decision's body checked against the rule of a task of `kind`: a decision the
    kind takes (422), an opinion where the decision needs one, materials and
    pendingMaterials only where it names them (400)."""
    decision = body.decision
    allowed = BY_KIND[kind]
    if decision not in allowed:
        # The document lists every decision; which a task takes is its kind's rule.
        raise UnprocessableEntity(f"decision must be one of {', '.join(allowed)} for a "
                                  f"{kind} task", field="decision")
    rule = RULES[(kind, decision)]
    opinion = body.opinion
    if rule.needs_opinion and not (opinion or "").strip():
        raise ValidationError(f"an opinion is required to {decision}", field="opinion")
    materials, pending = body.materials or [], body.pendingMaterials or []
    if materials and not rule.names_materials:
        raise ValidationError("materials are named only when asking for a supplement",
                              field="materials")
    if pending and not rule.names_pending:
        raise ValidationError("pendingMaterials go only with an approval",
                              field="pendingMaterials")
    return Decided(rule, opinion, list(materials), list(pending))
