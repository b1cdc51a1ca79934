"""Ratings (好差评) and the rectification a bad one opens. Pure rules: no AWS.

The applicant or their agent rates, once each, what they were served with:

- `case`: the whole case once it is closed (一事一评), charged to the item's implementing
  department;
- `acceptance`: the acceptance at the window or online (一次一评), once it is decided,
  charged to the accepting department;
- `stage.<n>.<dept>`: one department's part of review stage n, once its reviews are
  decided.

Five levels, 5 非常满意 … 1 非常不满意, with optional indicator scores and a comment. A
rating of 1 or 2 opens a rectification (整改) charged to the same department:

    open ──callback──▶ called_back ──rectify──▶ rectified ──rater accepts──▶ closed
      │                    │                        │
      └──── contest ───────┘                        └──rater asks re-review──▶ review_requested
              ▼                                                                 │
          contested ──supervisor upholds──▶ voided (the rating no longer counts)  │
              └──supervisor rejects──▶ back where it was         supervisor: upheld ──▶ closed
                                                                 supervisor: redo ──▶ called_back

The department calls the rater back (回访) within `callback_working_days` and rectifies
within `rectify_working_days` (a redo: again from the decision); each deadline missed is
marked once. Contesting does not stop the clock: a rejected contest finds the deadlines
where they were.
"""
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import Any

from . import worktime
from .errors import Conflict, ValidationError
from .regional import RegionalRules

LEVELS = {5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意"}
SATISFIED = (4, 5)
OPENS_RECTIFICATION = (1, 2)
INDICATORS = {"attitude": "服务态度", "efficiency": "办事效率", "once": "一次办成",
              "guidance": "办事指南清晰", "convenience": "办事便捷"}
SCOPES = ("case", "acceptance", "stage")
RATERS = ("applicant", "agent")

STATES = ("open", "called_back", "rectified", "review_requested", "contested", "closed",
          "voided")
# Where the department still owes work (and may contest the rating).
CONTESTABLE = ("open", "called_back")
DONE = ("rectified", "closed")
REVIEW_DECISIONS = ("upheld", "redo")
CONTEST_DECISIONS = ("upheld", "rejected")
ACTIONS = {
    # action: (states it may follow, state it leads to)
    "callback": (("open",), "called_back"),
    "rectify": (("called_back",), "rectified"),
    "accept": (("rectified",), "closed"),
    "review": (("rectified",), "review_requested"),
    "contest": (CONTESTABLE, "contested"),
}


@dataclass(frozen=True)
class Rules(RegionalRules):
    """A region's rating rules (OW_RATING_RULES, JSON with these names)."""
    invite_days: int = 3
    callback_working_days: float = 1.0
    rectify_working_days: float = 5.0
    label = "rating rules"

    def in_range(self) -> bool:
        return self.invite_days >= 0 and self.callback_working_days > 0 and \
            self.rectify_working_days >= self.callback_working_days


def scope_key(scope: str, stage: int | None = None, dept: str | None = None) -> str:
    return f"stage.{stage}.{dept}" if scope == "stage" else scope


def rating_id(case_no: str, key: str, rater: str) -> str:
    """`<caseNo>~<scope key>~<rater>`: one rating per case, scope and rater."""
    return f"{case_no}~{key}~{rater}"


def parse_rating_id(rating: str) -> tuple[str, str, str]:
    parts = rating.split("~")
    if len(parts) != 3 or parts[2] not in RATERS or not parts[1] or \
            parts[1].split(".")[0] not in SCOPES:
        raise ValidationError(f"not a rating id: {rating}", field="ratingId")
    return parts[0], parts[1], parts[2]


def check_rating(body: dict[str, Any]) -> None:
    """What a schema cannot say: the indicators named are ours."""
    for name in body.get("indicators") or {}:
        if name not in INDICATORS:
            raise ValidationError(f"unknown indicator {name}; one of {', '.join(INDICATORS)}",
                                  field=f"indicators.{name}")


def opens_rectification(level: int) -> bool:
    return level in OPENS_RECTIFICATION


def due_dates(at: datetime, zone: tzinfo, rules: Rules, callback: bool = True) -> dict[str, Any]:
    """When the department must have called back and rectified, counted in working time
    from `at` (the rating; for a redo, the supervisor's decision: rectify only)."""
    found = {"rectifyDue": worktime.utc_text(worktime.add_minutes(
        at, round(rules.rectify_working_days * worktime.DAY_MINUTES), zone))}
    if callback:
        found["callbackDue"] = worktime.utc_text(worktime.add_minutes(
            at, round(rules.callback_working_days * worktime.DAY_MINUTES), zone))
    return found


def pending(rectification: dict[str, Any]) -> dict[str, str]:
    """The deadlines still to watch, by kind (callback, rectify): those whose work is
    not done and not yet marked missed. A contested rectification is watched as it stood
    before (the clock does not stop)."""
    state = rectification["state"]
    if state == "contested":
        state = rectification["contest"]["from"]
    late = set(rectification.get("late") or ())
    found = {}
    if state == "open" and "callback" not in late:
        found["callback"] = rectification["callbackDue"]
    if state in ("open", "called_back") and "rectify" not in late:
        found["rectify"] = rectification["rectifyDue"]
    return found


def missed(rectification: dict[str, Any], now_text: str) -> list[str]:
    """The deadlines passed at `now_text` not yet marked."""
    return sorted(kind for kind, due in pending(rectification).items() if due < now_text)


def next_watch(rectification: dict[str, Any]) -> str | None:
    found = pending(rectification).values()
    return min(found) if found else None


def check_action(rectification: dict[str, Any] | None, action: str) -> str:
    """The state `action` leads to; 409 if the rectification is not where it may."""
    if rectification is None:
        raise Conflict("the rating opened no rectification (only a rating of 1 or 2 does)",
                       code="no_rectification")
    allowed, target = ACTIONS[action]
    state = rectification["state"]
    if action == "contest" and rectification.get("round", 1) > 1:
        raise Conflict("a rectification sent back on re-review is not contested any more",
                       code="rectification_state")
    if state not in allowed:
        raise Conflict(f"the rectification is {state}; {action} needs it "
                       f"{' or '.join(allowed)}", code="rectification_state")
    return target


def check_decision(rectification: dict[str, Any] | None, waiting: str) -> None:
    """A supervisor decides only what waits for a decision (`review_requested`,
    `contested`)."""
    if rectification is None or rectification["state"] != waiting:
        state = rectification["state"] if rectification else "none"
        raise Conflict(f"the rectification is {state}; nothing waits for this decision",
                       code="rectification_state")


def invitation_moment(closed_at: datetime, rules: Rules) -> datetime:
    """When an unrated concluded case gets its invitation (calendar days)."""
    return closed_at + timedelta(days=rules.invite_days)
