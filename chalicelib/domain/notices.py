"""Who is told what (消息通知): the notifications one lifecycle event becomes. Pure rules.

Applicants (and their agents) hear of their case — received, accepted, refused with the
reason, asked for materials (named), concluded (with the license); a department of a new
task in its inbox, a warning and a card; operators of a red card. Ratings (好差评): the
applicant is invited to rate and hears the rectification's answer and its re-review; the
department of a rectification opened, re-reviewed, contested or late; operators of what
waits for a supervisor and of a late rectification. Each notice names its
template (chalicelib/templates/notifications/<template>.txt).
"""
from dataclasses import dataclass
from typing import Any

APPLICANT, DEPARTMENT, OPERATORS = "applicant", "department", "operators"
CHANNELS = ("sms", "miniprogram", "email", "inapp")
DEFAULT_CHANNELS = {APPLICANT: ("sms", "inapp"), DEPARTMENT: ("inapp",),
                    OPERATORS: ("email", "inapp")}
STATUS_TEMPLATES = {"received": "received", "accepted": "accepted", "refused": "refused",
                    "not_accepted": "refused", "supplement_requested": "supplement",
                    "approved": "concluded", "approved_pending_materials": "concluded",
                    "denied": "concluded"}
LEVEL_NAMES = {"warning": "预警", "yellow": "黄牌", "red": "红牌"}
SCOPE_NAMES = {"task": "办理环节", "stage": "审查阶段", "case": "整体办理时限"}
TASK_KINDS = {"acceptance": "受理", "review": "审查"}
# 好差评: the invitation to rate, and who hears of each step of a rectification.
RATING_NOTICES = {
    "rating_invited": ((APPLICANT, "rating_invitation"),),
    "rectification_opened": ((DEPARTMENT, "rectification_opened"),),
    "rectification_rectified": ((APPLICANT, "rectification_answer"),),
    "rectification_review_requested": ((DEPARTMENT, "rectification_review"),
                                       (OPERATORS, "rectification_review")),
    "rectification_review_decided": ((DEPARTMENT, "rectification_review_decided"),
                                     (APPLICANT, "rectification_review_decided")),
    "rating_contested": ((OPERATORS, "rating_contested"),),
    "rating_contest_decided": ((DEPARTMENT, "rating_contest_decided"),),
    "rectification_overdue": ((DEPARTMENT, "rectification_overdue"),
                              (OPERATORS, "rectification_overdue")),
}
DECISIONS = {"upheld": "维持", "redo": "重新整改", "rejected": "驳回"}
DEADLINES = {"callback": "核实回访", "rectify": "整改"}


@dataclass(frozen=True)
class Notice:
    audience: str          # applicant | department | operators
    template: str
    dept: str | None = None


def notices_for(kind: str, detail: dict[str, Any]) -> list[Notice]:
    """The notices a lifecycle event of type `kind` (docs/events.md) becomes."""
    if kind in STATUS_TEMPLATES:
        return [Notice(APPLICANT, STATUS_TEMPLATES[kind])]
    if kind == "task_created":
        return [Notice(DEPARTMENT, "task_created", detail["dept"])]
    if kind == "card_issued":
        if detail["level"] == "warning":
            return [Notice(DEPARTMENT, "warning", detail["dept"])]
        found = [Notice(DEPARTMENT, "card", detail["dept"])]
        if detail["level"] == "red":
            found.append(Notice(OPERATORS, "red_card", detail["dept"]))
        return found
    if kind in RATING_NOTICES:
        return [Notice(audience, template, detail.get("dept"))
                for audience, template in RATING_NOTICES[kind]]
    return []


def channels_for(audience: str, preferred: list[str] | None) -> list[str]:
    """The channels a notice goes out on: the person's choice, in-app always kept (the
    inbox is the record of what was said)."""
    chosen = [c for c in (preferred if preferred is not None else
                          DEFAULT_CHANNELS[audience]) if c in CHANNELS]
    return sorted(set(chosen) | {"inapp"})
