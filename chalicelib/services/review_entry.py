"""A case's entry into department review (8).

A case passes through some statuses on its own: accepted (3), back from a supplement
asked in review (7) or from a special procedure (10), it moves on to review (8). The
stream handler makes that move after the change (services/progress.py); a review
decision that comes first — its task is in the inbox as soon as the workflow asked for
it, which can be before the stream has moved the case — makes the move itself, the same
conditional write, so the decision finds its case in review and is never refused as an
illegal transition. Whichever of the two writes second finds the case moved and does
nothing.
"""
from ..adapters.models import CaseRecord
from ..domain.changes import ConditionFailed
from ..domain.lifecycle import MOVES_TO_REVIEW, Status
from . import casefile, clock
from .case_files import CaseFiles

OPINION = "进入部门办理"


def passes_through(status: int, supplement: dict | None, workflow: str | None = None) -> bool:
    """Whether a case at `status` moves on to review by itself (never one its rules
    accepted: its approval follows at once, services/instant_approval.py)."""
    if workflow == "instant":
        return False
    if status in MOVES_TO_REVIEW:
        return True
    return status == Status.SUPPLEMENT_SUPPLIED and (supplement or {}).get("context") == "review"


def enter(case: CaseRecord, case_files: CaseFiles) -> bool:
    """Move the case on to review if it is still as read (status and version); False when
    it moved meanwhile (the stream, another decision, a withdrawal)."""
    if not passes_through(case.status, case.supplement, case.workflow):
        return False
    try:
        case_files.commit([casefile.status_change(
            case, Status.IN_REVIEW, "workflow", "workflow", "system", OPINION, clock.now())])
    except ConditionFailed:
        return False
    return True
