"""Case status codes (办件状态) and their labels.

The codes are the ones provincial platforms exchange. How a case moves between them is
lifecycle.py's; which decision leads to which, decisions.py's.
"""
from enum import IntEnum


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
