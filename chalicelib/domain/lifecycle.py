"""Case status codes and the transitions between them (docs/architecture.md).

The codes are the ones provincial platforms exchange; every status change goes through
`check_transition`, so an illegal one is refused before anything is written.
"""
from enum import IntEnum

from .errors import Conflict


class Status(IntEnum):
    RECEIVED = 1               # 已接件
    WITHDRAWN_BEFORE_ACCEPTANCE = 2  # 已撤件
    ACCEPTED = 3               # 已受理
    NOT_ACCEPTED = 4           # 不受理
    REFUSED = 5                # 不予受理
    SUPPLEMENT_REQUESTED = 6   # 补正开始
    SUPPLEMENT_SUPPLIED = 7    # 补正结束
    IN_REVIEW = 8              # 部门办理
    SPECIAL_PROCEDURE = 9      # 特别程序开始
    SPECIAL_PROCEDURE_ENDED = 10  # 特别程序结束
    APPROVED = 11              # 办结（准予）
    APPROVED_PENDING_MATERIALS = 12  # 办结（容缺）
    DENIED = 13                # 办结（不予许可）
    WITHDRAWN = 14             # 撤回
    REVOKED = 15               # 撤销


LABELS = {
    Status.RECEIVED: "已接件", Status.WITHDRAWN_BEFORE_ACCEPTANCE: "已撤件",
    Status.ACCEPTED: "已受理", Status.NOT_ACCEPTED: "不受理", Status.REFUSED: "不予受理",
    Status.SUPPLEMENT_REQUESTED: "补正开始", Status.SUPPLEMENT_SUPPLIED: "补正结束",
    Status.IN_REVIEW: "部门办理", Status.SPECIAL_PROCEDURE: "特别程序开始",
    Status.SPECIAL_PROCEDURE_ENDED: "特别程序结束", Status.APPROVED: "办结（准予）",
    Status.APPROVED_PENDING_MATERIALS: "办结（容缺）", Status.DENIED: "办结（不予）",
    Status.WITHDRAWN: "撤回", Status.REVOKED: "撤销",
}

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


# The clerk's intake decisions and the status each leads to.
ACCEPTANCE_DECISIONS = {
    "accept": Status.ACCEPTED,
    "refuse": Status.REFUSED,
    "not_accept": Status.NOT_ACCEPTED,
    "supplement": Status.SUPPLEMENT_REQUESTED,
}
# The reviewer's decisions. An approval (with or without materials to follow) and a
# denial without veto leave the case in review; the workflow concludes once every
# department of every stage has decided. A denial with veto concludes at once (13); a
# supplement asks the applicant (6) and keeps the task waiting.
REVIEW_DECISIONS = ("approve", "deny", "supplement")


def withdrawal_status(accepted: bool) -> Status:
    """What a withdrawal makes of a case: 2 before acceptance, 14 after."""
    return S.WITHDRAWN if accepted else S.WITHDRAWN_BEFORE_ACCEPTANCE
