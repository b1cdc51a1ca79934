"""Supervision cards (电子监察): issued by the overdue sweep, then acknowledged, appealed,
resolved or withdrawn (rules in domain/cards.py).

A card is a record of its case (sk `CARD#<scope key>#<level>`), so issuing one is a put
that fails if it is there: two sweeps at once, or one run again, issue it once. Every card
and each change of it reaches the timeline and the event bus through the cases table's
stream (services/timeline.py), like everything else that happens to a case.
"""
import logging
from datetime import datetime

from ..adapters.models import BreachRecord, CardRecord, CaseRecord, CasesTableRecord, TaskRecord
from ..domain import breaches, cards, identity, worktime
from ..domain.changes import Absent, Change, Condition, ConditionFailed, Create, Equals, OneOf
from ..domain.errors import (
    Concealed,
    Conflict,
    Forbidden,
    NotFound,
    ValidationError,
)
from ..domain.identifiers import is_valid_case_number
from ..domain.task_states import FINAL, became
from . import clock
from .pagination import decode_cursor, encode_cursor
from .supervision_store import SupervisionStore

log = logging.getLogger("onewindow")

CARD_PREFIX = "CARD#"


def card_key(scope_key: str, level: str) -> str:
    return f"{CARD_PREFIX}{scope_key}#{level}"


def scope_key(scope: str, subject: str | None = None) -> str:
    return f"{scope}.{subject}" if subject else scope


def issue(store: SupervisionStore, case_no: str, item_code: str, scope: str, level: str,
          dept: str, due: datetime, at: datetime, subject: str | None = None,
          task_id: str | None = None, stage: int | None = None) -> bool:
    """Issue one card in `store`; False if it was issued before."""
    card = cards.card_id(case_no, scope, level, subject)
    issued = worktime.utc_precise_text(at)
    return _created(store, CardRecord(
        case_no, card_key(scope_key(scope, subject), level), cardId=card, scope=scope,
        level=level, caseNo=case_no, itemCode=item_code, dept=dept, taskId=task_id,
        stage=stage, dueAt=worktime.utc_text(due), issuedAt=issued, state="issued",
        updatedAt=issued, updatedBy="sweep", cardDept=dept, cardAt=f"{issued}#{card}"))


def _created(store: SupervisionStore, record) -> bool:
    """Write a new record (a card, a breach) once: False if its key was there (the sweep
    run twice, the stream delivering again)."""
    try:
        store.commit([Create((record.pk, record.sk), record)])
    except ConditionFailed:
        return False
    return True


def cards_of(store: SupervisionStore, case_no: str) -> list[CardRecord]:
    """The case's cards, as they stand now (a consistent read)."""
    return store.cards(case_no)


def highest(found: list[CardRecord], prefix: str) -> str | None:
    """The highest level among the cards of one piece of work."""
    levels = [card.level for card in found if card.sk.startswith(CARD_PREFIX + prefix + "#")]
    return max(levels, key=cards.rank) if levels else None


def settle(old: dict | None, new: dict | None, store: SupervisionStore) -> int:
    """After a change of the cases table (stream images): when carded work is done — a
    task decided or cancelled, the case closed — its open cards are resolved."""
    if not new or not old:
        return 0
    if new.get("rt") == "task" and new.get("cardLevel") and \
            any(became(old, new, state) for state in FINAL):
        return resolve_done(new["pk"], (scope_key("task", new["taskId"]),
                                        scope_key("stage", f"{new.get('stage')}.{new['dept']}")),
                            store)
    if new.get("rt") == "case" and new.get("carded") and new.get("closedAt") and \
            not old.get("closedAt"):
        return resolve_done(new["pk"], None, store)
    return 0


def flag_breaches(old: dict | None, new: dict | None, store: SupervisionStore) -> int:
    """Record the rule breaches one change shows (domain/breaches.py), each once."""
    flagged = 0
    for breach in breaches.found(old, new):
        at = worktime.utc_precise_text(worktime.parse(breach.at))
        key = f"BREACH#{breach.kind}#{breach.ref}"
        flagged += _created(store, BreachRecord(
            new["pk"], key, kind=breach.kind, ref=breach.ref, caseNo=new["pk"],
            itemCode=new.get("itemCode"), dept=breach.dept, taskId=breach.taskId, at=at,
            detail=breach.detail, cardDept=breach.dept, cardAt=f"{at}#{key}"))
    if flagged:
        log.info("case %s: %d rule breach(es) flagged", new["pk"], flagged)
    return flagged


def breach_view(breach: BreachRecord) -> dict:
    view = {"caseNo": breach.caseNo, "kind": breach.kind, "dept": breach.dept,
            "at": breach.at, "itemCode": breach.itemCode, "taskId": breach.taskId,
            "detail": breach.detail}
    return {k: v for k, v in view.items() if v is not None}


def list_breaches(store: SupervisionStore, principal: identity.Principal | None,
                  dept: str | None, *, kind: str | None = None, limit: int = 50,
                  cursor: str | None = None) -> dict:
    """A department's rule breaches, newest first."""
    principal = identity.require_role(principal, *identity.STAFF)
    dept = identity.department_read(principal, dept)
    if kind is not None and kind not in breaches.KINDS:
        raise ValidationError(f"kind must be one of {', '.join(breaches.KINDS)}",
                              field="kind")
    listing = f"breaches/{dept}"
    page = store.department_breaches(dept, kind=kind, limit=limit,
                                     start=decode_cursor(cursor, listing))
    return {"dept": dept, "breaches": [breach_view(breach) for breach in page.records],
            "next": encode_cursor(page.last_key, listing)}


def resolve_done(case_no: str, prefixes: tuple[str, ...] | None,
                 store: SupervisionStore) -> int:
    """The work a card stood for is done: its cards still open are resolved. `prefixes`:
    the scope keys done (a task, a department's part of a stage); None: the whole case."""
    now = worktime.utc_precise_text(clock.now())
    resolved = 0
    for card in store.cards(case_no):
        key = card.sk[len(CARD_PREFIX):].rsplit("#", 1)[0]
        if card.state not in cards.OPEN_STATES or \
                (prefixes is not None and key not in prefixes):
            continue
        try:
            store.commit([Change((card.pk, card.sk), set={
                "state": "resolved", "updatedAt": now, "updatedBy": "system"},
                expect=(OneOf("state", cards.OPEN_STATES),))])
        except ConditionFailed:   # closed meanwhile (withdrawn on appeal, say)
            continue
        resolved += 1
    if resolved:
        log.info("case %s: %d card(s) resolved", case_no, resolved)
    return resolved


# -- reading and acting on cards (the supervision routes) ------------------------------------

def card_view(card: CardRecord) -> dict:
    view = {"cardId": card.cardId, "caseNo": card.caseNo, "itemCode": card.itemCode,
            "scope": card.scope, "level": card.level, "dept": card.dept,
            "taskId": card.taskId, "stage": card.stage, "dueAt": card.dueAt,
            "issuedAt": card.issuedAt, "state": card.state, "updatedAt": card.updatedAt,
            "updatedBy": card.updatedBy, "updatedByName": card.updatedByName,
            "note": card.note, "appeal": card.appeal}
    return {k: v for k, v in view.items() if v is not None}


def list_cards(store: SupervisionStore, principal: identity.Principal | None,
               dept: str | None, *, item: str | None = None, state: str | None = None,
               level: str | None = None, appeal: str | None = None, limit: int = 50,
               cursor: str | None = None) -> dict:
    """A department's cards, newest first, with filters: its own staff see theirs,
    supervisors and admins any department's."""
    principal = identity.require_role(principal, *identity.STAFF)
    dept = identity.department_read(principal, dept)
    for name, value, allowed in (("state", state, cards.STATES),
                                 ("level", level, cards.LEVELS),
                                 ("appeal", appeal, cards.APPEAL_STATES)):
        if value is not None and value not in allowed:
            raise ValidationError(f"{name} must be one of {', '.join(allowed)}", field=name)
    listing = f"cards/{dept}"
    page = store.department_cards(dept, item=item, state=state, level=level, appeal=appeal,
                                  limit=limit, start=decode_cursor(cursor, listing))
    return {"dept": dept, "cards": [card_view(card) for card in page.records],
            "next": encode_cursor(page.last_key, listing)}


def case_records(store: SupervisionStore, case_no: str
                 ) -> tuple[CaseRecord, list[CasesTableRecord]]:
    """The case and its other records (one read); 404 when there is no such case."""
    found = store.case_records(case_no) if is_valid_case_number(case_no) else None
    if found is None:
        raise NotFound(f"no case {case_no}", field="caseNo")
    return found


def case_supervision(store: SupervisionStore, principal: identity.Principal | None,
                     case_no: str) -> dict:
    """One case as supervision sees it: its cards, the deadlines it missed, the clock.
    For staff who may read the case; nobody else learns it exists."""
    principal = identity.require_role(principal, *identity.STAFF)
    case, others = case_records(store, case_no)
    tasks = [record for record in others if isinstance(record, TaskRecord)]
    if not identity.reads_case(principal, {task.dept for task in tasks}):
        raise Concealed(f"no case {case_no}", field="caseNo")
    found = sorted((record for record in others if isinstance(record, CardRecord)),
                   key=lambda card: card.issuedAt)
    flagged = sorted((record for record in others if isinstance(record, BreachRecord)),
                     key=lambda breach: breach.at)
    return {"caseNo": case_no, "itemCode": case.itemCode, "status": case.status,
            "breaches": [breach_view(breach) for breach in flagged],
            "overdue": list(case.overdue or []),
            "tasks": [{"taskId": task.taskId, "dept": task.dept, "state": task.state,
                       "deadline": task.deadline, "overdue": task.overdue,
                       "cardLevel": task.cardLevel}
                      for task in sorted(tasks, key=lambda task: task.createdAt)],
            "cardLevel": case.cardLevel,
            "cards": [card_view(card) for card in found]}


def _load_card(store: SupervisionStore, card_id: str,
               principal: identity.Principal) -> CardRecord:
    """The card, if the caller may know of it: another department's card does not exist
    for its clerks and reviewers (404, audited)."""
    try:
        case_no, key, level = cards.parse_card_id(card_id)
    except ValidationError:
        raise NotFound(f"no card {card_id}", field="cardId") from None
    card = store.card(case_no, card_key(key, level))
    if card is None:
        raise NotFound(f"no card {card_id}", field="cardId")
    if principal.role not in identity.READS_EVERY_CASE and principal.dept != card.dept:
        raise Concealed(f"no card {card_id}", field="cardId")
    return card


def _commit(store: SupervisionStore, card: CardRecord, changed: dict,
            expect: tuple[Condition, ...], principal) -> dict:
    """The card changed as `changed` says, on `expect`, by `principal`; 409 when it
    changed meanwhile."""
    now = worktime.utc_precise_text(clock.now())
    name = identity.staff_name(principal)
    changed = {**changed, "updatedAt": now, "updatedBy": principal.sub,
               "updatedRole": principal.role, **({"updatedByName": name} if name else {})}
    try:
        store.commit([Change((card.pk, card.sk), set=changed,
                             remove=frozenset() if name else frozenset({"updatedByName"}),
                             expect=expect)])
    except ConditionFailed:
        raise Conflict(f"card {card.cardId} changed meanwhile; reload it",
                       code="card_changed") from None
    return card_view(store.card(card.pk, card.sk, consistent=True))


def acknowledge(store: SupervisionStore, principal: identity.Principal | None, card_id: str,
                body: dict) -> dict:
    """The department has seen the card (with a note of what it does about it)."""
    principal = identity.require_role(principal, *identity.DEPARTMENT_STAFF)
    card = _load_card(store, card_id, principal)
    if principal.dept != card.dept:
        raise Forbidden(f"the card is {card.dept}'s to acknowledge")
    if card.state != "issued":
        raise Conflict(f"the card is {card.state}", code="card_closed"
                       if card.state not in cards.OPEN_STATES else "card_acknowledged")
    return _commit(store, card, {"state": "acknowledged", "note": body.get("note")},
                   (Equals("state", "issued"),), principal)


def appeal(store: SupervisionStore, principal: identity.Principal | None, card_id: str,
           body: dict) -> dict:
    """The department's lead contests a card, with its reason; a supervisor decides."""
    principal = identity.require_role(principal, *identity.DEPARTMENT_STAFF)
    card = _load_card(store, card_id, principal)
    if principal.dept != card.dept or not principal.leads(card.dept):
        raise Forbidden(f"the lead of {card.dept} appeals its cards")
    cards.check_appeal({"level": card.level, "state": card.state, "appeal": card.appeal})
    at = worktime.utc_precise_text(clock.now())
    return _commit(store, card, {"appeal": {"reason": body["reason"], "by": principal.sub,
                                            "byName": identity.staff_name(principal),
                                            "at": at},
                                 "appealState": "pending"},
                   (Absent("appealState"), OneOf("state", cards.OPEN_STATES)), principal)


def decide_appeal(store: SupervisionStore, principal: identity.Principal | None, card_id: str,
                  body: dict) -> dict:
    """A supervisor upholds the appeal (the card is withdrawn) or rejects it (it stands)."""
    principal = identity.require_role(principal, identity.SUPERVISOR)
    card = _load_card(store, card_id, principal)
    cards.check_appeal_decision({"appeal": card.appeal})
    decision = body["decision"]
    at = worktime.utc_precise_text(clock.now())
    changed = {"appeal": {**card.appeal, "decision": decision,
                          "opinion": body.get("opinion"),
                          "decidedBy": principal.sub, "decidedAt": at,
                          "decidedByName": identity.staff_name(principal)},
               "appealState": decision}
    if decision == "upheld":
        changed["state"] = "withdrawn"
    return _commit(store, card, changed, (Equals("appealState", "pending"),), principal)
