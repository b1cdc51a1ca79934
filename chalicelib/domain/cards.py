"""Supervision cards (电子监察): when work with a deadline is warned about and carded.

A piece of work — a task, a review stage, a case — has a deadline and the working time
it was given (its limit). Three moments follow from them and the region's rules:

- warning (预警): when at most `warning_working_days` or at most `warning_share` of the
  limit is left, whichever comes first (never before the work started);
- yellow card (黄牌): the deadline itself, the work not done;
- red card (红牌): `red_working_days` working days past the deadline, or a hard limit
  (the statutory one) if that comes sooner.

A card moves issued → acknowledged (the department has seen it) → resolved (the work got
done) or withdrawn (a supervisor upheld the department's appeal). Pure rules: no AWS.
"""
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from . import worktime
from .errors import Conflict, ValidationError
from .regional import RegionalRules

LEVELS = ("warning", "yellow", "red")
SCOPES = ("task", "stage", "case")
STATES = ("issued", "acknowledged", "resolved", "withdrawn")
OPEN_STATES = ("issued", "acknowledged")
# An appeal's outcome: upheld withdraws the card, rejected lets it stand.
APPEAL_DECISIONS = ("upheld", "rejected")
# Where a card's appeal stands: waiting for a supervisor, or decided.
APPEAL_STATES = ("pending", *APPEAL_DECISIONS)


@dataclass(frozen=True)
class Rules(RegionalRules):
    """A region's card rules (OW_CARD_RULES, JSON with these names)."""
    warning_working_days: float = 1.0
    warning_share: float = 0.2
    red_working_days: int = 3
    label = "card rules"

    def in_range(self) -> bool:
        return self.warning_working_days >= 0 and 0 <= self.warning_share <= 1 and \
            self.red_working_days >= 0


def moments(due: datetime, limit: int, zone: tzinfo, rules: Rules,
            hard_due: datetime | None = None) -> dict[str, datetime]:
    """When the work reaches each level, given when it is due and the working minutes it
    was given (its limit as planned: time the clock stood still does not count)."""
    ahead = max(round(rules.warning_working_days * worktime.DAY_MINUTES),
                round(rules.warning_share * limit))
    red = worktime.add_minutes(due, rules.red_working_days * worktime.DAY_MINUTES, zone)
    if hard_due is not None and due <= hard_due < red:
        red = hard_due
    return {"warning": worktime.sub_minutes(due, min(ahead, limit), zone), "yellow": due,
            "red": red}


def reached(found: dict[str, datetime], now: datetime) -> str | None:
    """The highest level the work has reached at `now` (None: not even a warning)."""
    levels = [level for level in LEVELS if found[level] <= now]
    return levels[-1] if levels else None


def next_moment(found: dict[str, datetime], now: datetime) -> datetime | None:
    """The next moment a level is reached after `now` (None: red already)."""
    later = [moment for moment in found.values() if moment > now]
    return min(later) if later else None


def rank(level: str | None) -> int:
    return LEVELS.index(level) + 1 if level else 0


def card_id(case_no: str, scope: str, level: str, subject: str | None = None) -> str:
    """A card's id: the case, what is carded (a task id, `<stage>.<dept>`, or the case
    itself) and the level — one card per piece of work and level."""
    return "~".join([case_no, f"{scope}.{subject}" if subject else scope, level])


def parse_card_id(card: str) -> tuple[str, str, str]:
    """(case number, scope key, level) of a card id; ValidationError if it is none."""
    parts = card.split("~")
    if len(parts) != 3 or parts[2] not in LEVELS or \
            parts[1].split(".", 1)[0] not in SCOPES:
        raise ValidationError(f"{card!r} is not a card id", field="cardId")
    return parts[0], parts[1], parts[2]


def check_appeal(card: dict[str, Any]) -> None:
    """A department may appeal a yellow or red card it holds, once, while it stands."""
    if card["level"] == "warning":
        raise Conflict("a warning is not a card: nothing to appeal", code="not_appealable")
    if card["state"] not in OPEN_STATES:
        raise Conflict(f"the card is {card['state']}", code="card_closed")
    if card.get("appeal"):
        raise Conflict("the card was appealed already", code="already_appealed")


def check_appeal_decision(card: dict[str, Any]) -> None:
    appeal = card.get("appeal")
    if not appeal:
        raise Conflict("the card has no appeal to decide", code="no_appeal")
    if appeal.get("decision"):
        raise Conflict("the appeal was decided already", code="appeal_decided")
