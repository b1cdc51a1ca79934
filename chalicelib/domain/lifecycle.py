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
TRANSITIONS: dict[Status, frozenset[Status]] = {
    S.RECEIVED: frozenset({S.WITHDRAWN_BEFORE_ACCEPTANCE, S.ACCEPTED, S.NOT_ACCEPTED,
                           S.REFUSED, S.SUPPLEMENT_REQUESTED}),
    S.SUPPLEMENT_REQUESTED: frozenset({S.SUPPLEMENT_SUPPLIED, S.WITHDRAWN_BEFORE_ACCEPTANCE}),
    S.SUPPLEMENT_SUPPLIED: frozenset({S.ACCEPTED, S.NOT_ACCEPTED, S.REFUSED,
                                      S.SUPPLEMENT_REQUESTED, S.WITHDRAWN_BEFORE_ACCEPTANCE}),
    S.ACCEPTED: frozenset({S.IN_REVIEW, S.WITHDRAWN}),
    S.IN_REVIEW: frozenset({S.SPECIAL_PROCEDURE, S.APPROVED, S.APPROVED_PENDING_MATERIALS,
                            S.DENIED, S.WITHDRAWN}),
    S.SPECIAL_PROCEDURE: frozenset({S.SPECIAL_PROCEDURE_ENDED}),
    S.SPECIAL_PROCEDURE_ENDED: frozenset({S.IN_REVIEW, S.APPROVED,
                                          S.APPROVED_PENDING_MATERIALS, S.DENIED}),
    S.APPROVED: frozenset({S.REVOKED}),
    S.APPROVED_PENDING_MATERIALS: frozenset({S.APPROVED, S.REVOKED}),
}
TERMINAL = frozenset(s for s in Status if not TRANSITIONS.get(s))


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
# The reviewer's decisions: they do not move the case by themselves; the workflow
# concludes once every department of the stage has decided.
REVIEW_DECISIONS = {"approve": True, "deny": False}
