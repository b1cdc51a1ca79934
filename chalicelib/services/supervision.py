"""Supervision cards (电子监察): issued by the overdue sweep, then acknowledged, appealed,
resolved or withdrawn (rules in domain/cards.py).

A card is a record of its case (sk `CARD#<scope key>#<level>`), so issuing one is a put
that fails if it is there: two sweeps at once, or one run again, issue it once. Every card
and each change of it reaches the timeline and the event bus through the cases table's
stream (services/timeline.py), like everything else that happens to a case.
"""
import logging
from datetime import datetime

from pynamodb.exceptions import UpdateError
from pynamodb.expressions.condition import Condition

from ..adapters.models import CardRecord, condition_failed, put_if_absent
from ..domain import cards, worktime
from . import clock

log = logging.getLogger("onewindow")

CARD_PREFIX = "CARD#"


def card_key(scope_key: str, level: str) -> str:
    return f"{CARD_PREFIX}{scope_key}#{level}"


def scope_key(scope: str, subject: str | None = None) -> str:
    return f"{scope}.{subject}" if subject else scope


def issue(case_no: str, item_code: str, scope: str, level: str, dept: str, due: datetime,
          at: datetime, subject: str | None = None, task_id: str | None = None,
          stage: int | None = None) -> bool:
    """Issue one card; False if it was issued before."""
    card = cards.card_id(case_no, scope, level, subject)
    issued = worktime.utc_precise_text(at)
    return put_if_absent(CardRecord(
        case_no, card_key(scope_key(scope, subject), level), cardId=card, scope=scope,
        level=level, caseNo=case_no, itemCode=item_code, dept=dept, taskId=task_id,
        stage=stage, dueAt=worktime.utc_text(due), issuedAt=issued, state="issued",
        updatedAt=issued, updatedBy="sweep", cardDept=dept, cardAt=f"{issued}#{card}"))


def cards_of(case_no: str, prefix: str = "", consistent: bool = True) -> list[CardRecord]:
    """The case's cards (those whose scope key starts with `prefix`)."""
    return list(CardRecord.query(case_no, CardRecord.sk.startswith(CARD_PREFIX + prefix),
                                 consistent_read=consistent))


def highest(found: list[CardRecord], prefix: str) -> str | None:
    """The highest level among the cards of one piece of work."""
    levels = [card.level for card in found if card.sk.startswith(CARD_PREFIX + prefix + "#")]
    return max(levels, key=cards.rank) if levels else None


def _change(card: CardRecord, actions: list, condition: Condition | None) -> bool:
    try:
        card.update(actions=actions, condition=condition)
    except UpdateError as error:
        if condition_failed(error):
            return False
        raise
    return True


def settle(old: dict | None, new: dict | None) -> int:
    """After a change of the cases table (stream images): when carded work is done — a
    task decided or cancelled, the case closed — its open cards are resolved."""
    if not new or not old:
        return 0
    if new.get("rt") == "task" and new.get("cardLevel") and \
            new.get("state") in ("decided", "cancelled") and old.get("state") != new["state"]:
        return resolve_done(new["pk"], (scope_key("task", new["taskId"]),
                                        scope_key("stage", f"{new.get('stage')}.{new['dept']}")))
    if new.get("rt") == "case" and new.get("carded") and new.get("closedAt") and \
            not old.get("closedAt"):
        return resolve_done(new["pk"])
    return 0


def resolve_done(case_no: str, prefixes: tuple[str, ...] | None = None) -> int:
    """The work a card stood for is done: its cards still open are resolved. `prefixes`:
    the scope keys done (a task, a department's part of a stage); None: the whole case."""
    now = worktime.utc_precise_text(clock.now())
    resolved = 0
    for card in cards_of(case_no):
        key = card.sk[len(CARD_PREFIX):].rsplit("#", 1)[0]
        if card.state not in cards.OPEN_STATES or \
                (prefixes is not None and key not in prefixes):
            continue
        resolved += _change(card, [CardRecord.state.set("resolved"),
                                   CardRecord.updatedAt.set(now),
                                   CardRecord.updatedBy.set("system")],
                            CardRecord.state.is_in(*cards.OPEN_STATES))
    if resolved:
        log.info("case %s: %d card(s) resolved", case_no, resolved)
    return resolved
