"""The transitions between case statuses (docs/architecture.md).

The codes are the ones provincial platforms exchange (case_status.py); every status
change goes through `check_transition`, so an illegal one is refused before anything is
written. Which decision leads to which status is the decision table's (decisions.py).
"""
from .case_status import LABELS, Status
from .decisions import ACCEPTANCE_DECISIONS, REVIEW_DECISIONS
from .errors import Conflict

# The case's vocabulary in one import: the codes, and the decisions' lists (derived from
# the decision table) beside the transitions they must keep to.
__all__ = ["ACCEPTANCE_DECISIONS", "CLOSED", "CONCLUDED", "LABELS", "MOVES_TO_REVIEW",
           "REVIEW_DECISIONS", "STOPS_WORKFLOW", "TERMINAL", "TRANSITIONS", "Status",
           "allowed_from", "check_transition", "withdrawal_status"]

S = Status
# Withdrawal (2 before acceptance, 14 after) and revocation (15, by a supervisor) end a
# case from anywhere it is still open; a supplement (6 -> 7) happens at intake (then the
# clerk decides again) or in review (then back to that department, 8); a special
# procedure (9 -> 10) pauses review; 容缺 (12) concludes with materials to follow, and
# becomes 11 once they are in.
_OPEN_BEFORE_ACCEPTANCE = {S.WITHDRAWN_BEFORE_ACCEPTANCE, S.REVOKED}
_OPEN_AFTER_ACCEPTANCE = {S.WITHDRAWN, S.REVOKED}
TRANSITIONS: dict[Status, frozenset[Status]] = {
    S.RECEIVED: frozenset({S.ACCEPTED, S.NOT_ACCEPTED, S.REFUSED, S.SUPPLEMENT_REQUESTED,
                           *_OPEN_BEFORE_ACCEPTANCE}),
    S.SUPPLEMENT_REQUESTED: frozenset({S.SUPPLEMENT_SUPPLIED, *_OPEN_BEFORE_ACCEPTANCE,
                                       *_OPEN_AFTER_ACCEPTANCE}),
    S.SUPPLEMENT_SUPPLIED: frozenset({S.ACCEPTED, S.NOT_ACCEPTED, S.REFUSED,
                                      S.SUPPLEMENT_REQUESTED, S.IN_REVIEW,
                                      *_OPEN_BEFORE_ACCEPTANCE, *_OPEN_AFTER_ACCEPTANCE}),
    # An item without review stages (即办件) concludes straight from acceptance.
    S.ACCEPTED: frozenset({S.IN_REVIEW, S.APPROVED, *_OPEN_AFTER_ACCEPTANCE}),
    S.IN_REVIEW: frozenset({S.SUPPLEMENT_REQUESTED, S.SPECIAL_PROCEDURE, S.APPROVED,
                            S.APPROVED_PENDING_MATERIALS, S.DENIED,
                            *_OPEN_AFTER_ACCEPTANCE}),
    S.SPECIAL_PROCEDURE: frozenset({S.SPECIAL_PROCEDURE_ENDED, *_OPEN_AFTER_ACCEPTANCE}),
    S.SPECIAL_PROCEDURE_ENDED: frozenset({S.IN_REVIEW, S.APPROVED,
                                          S.APPROVED_PENDING_MATERIALS, S.DENIED,
                                          *_OPEN_AFTER_ACCEPTANCE}),
    S.APPROVED: frozenset({S.REVOKED}),
    S.APPROVED_PENDING_MATERIALS: frozenset({S.APPROVED, S.REVOKED}),
}
TERMINAL = frozenset(s for s in Status if not TRANSITIONS.get(s))
# Concluded: the case's clock has stopped for good (a revocation may still follow).
CONCLUDED = frozenset({S.APPROVED, S.APPROVED_PENDING_MATERIALS, S.DENIED})
# Closed: nothing more happens in the workflow (its execution has ended or is stopped).
CLOSED = TERMINAL | CONCLUDED
# The statuses that stop a running workflow from outside it.
STOPS_WORKFLOW = frozenset({S.WITHDRAWN_BEFORE_ACCEPTANCE, S.WITHDRAWN, S.REVOKED})
# Statuses the case passes through on its own: the stream moves it on to review.
MOVES_TO_REVIEW = frozenset({S.ACCEPTED, S.SPECIAL_PROCEDURE_ENDED})


def allowed_from(target: Status) -> frozenset[Status]:
    """The statuses from which `target` may be reached (used as a write condition)."""
    return frozenset(src for src, targets in TRANSITIONS.items() if target in targets)


def check_transition(current: int, target: int) -> Status:
    current, target = Status(current), Status(target)
    if target not in TRANSITIONS.get(current, frozenset()):
        raise Conflict(
            f"case status {int(current)} ({LABELS[current]}) cannot become "
            f"{int(target)} ({LABELS[target]})",
            code="illegal_transition", field="status")
    return target


def withdrawal_status(accepted: bool) -> Status:
    """What a withdrawal makes of a case: 2 before acceptance, 14 after."""
    return S.WITHDRAWN if accepted else S.WITHDRAWN_BEFORE_ACCEPTANCE
