"""Suspending, resuming and cancelling an item."""
from ...domain import identity
from ...domain.changes import Change, ConditionFailed, Create, Equals
from ...domain.errors import Conflict, NotFound
from ..catalogue_items import CatalogueItems
from .store import (
    CURRENT,
    changes_catalogue,
    history_record,
    known_code,
    now,
    object_body,
    reason_of,
    version_key,
)

# action -> (the statuses it applies to, the status it leaves)
TRANSITIONS = {
    "suspend": (("published",), "suspended"),
    "resume": (("suspended",), "published"),
    "cancel": (("published", "suspended"), "cancelled"),
}


@changes_catalogue
def _set_current_status(items: CatalogueItems, principal: identity.Principal, code: str,
                        body, action: str) -> dict:
    allowed_from, target = TRANSITIONS[action]
    body = object_body(body)
    reason = reason_of(body)
    current = items.current(known_code(code))
    if current is None:
        raise NotFound(f"no service item {code}", field="code")
    if current.status not in allowed_from:
        raise Conflict(f"{code} is {current.status}; cannot {action}",
                       code="illegal_transition")
    at = now()
    # The current record, on the condition that its status is still the one read; a
    # cancelled item's version is cancelled with it; the history says who, when and why.
    changes: list[Change | Create] = [Change(
        (code, CURRENT), set={"status": target, "updatedAt": at},
        expect=(Equals("status", current.status),))]
    if target == "cancelled":
        changes.append(Change((code, version_key(current.version)),
                              set={"status": "cancelled", "updatedAt": at}))
    history = history_record(code, action, current.version, principal.sub, reason, at=at)
    changes.append(Create((history.code, history.sk), history))
    try:
        items.commit(changes)
    except ConditionFailed:
        raise Conflict(f"{code} changed meanwhile", code="illegal_transition") from None
    items.reindex(code)
    return {"code": code, "version": current.version, "status": target}


def suspend(items: CatalogueItems, principal, code, body) -> dict:
    return _set_current_status(items, principal, code, body, "suspend")


def resume(items: CatalogueItems, principal, code, body) -> dict:
    return _set_current_status(items, principal, code, body, "resume")


def cancel(items: CatalogueItems, principal, code, body) -> dict:
    return _set_current_status(items, principal, code, body, "cancel")
