"""Suspending, resuming and cancelling an item."""
from pynamodb.exceptions import TransactWriteError

from ...adapters.models import ItemCurrentRecord, ItemVersionRecord, transact_write
from ...domain import identity
from ...domain.errors import Conflict
from .loading import reindex
from .store import (
    changes_catalogue,
    current_record,
    history_record,
    now,
    object_body,
    reason_of,
    version_key,
)


@changes_catalogue
def _set_current_status(principal: identity.Principal, code: str, body, action: str,
                        allowed_from: tuple[str, ...], target: str) -> dict:
    body = object_body(body)
    reason = reason_of(body)
    current = current_record(code)
    if current.status not in allowed_from:
        raise Conflict(f"{code} is {current.status}; cannot {action}",
                       code="illegal_transition")
    at = now()
    try:
        with transact_write() as transaction:
            transaction.update(current, actions=[ItemCurrentRecord.status.set(target),
                                                 ItemCurrentRecord.updatedAt.set(at)],
                               condition=ItemCurrentRecord.status == current.status)
            if target == "cancelled":
                transaction.update(ItemVersionRecord(code, version_key(current.version)),
                                   actions=[ItemVersionRecord.status.set("cancelled"),
                                            ItemVersionRecord.updatedAt.set(at)])
            transaction.save(history_record(code, action, current.version, principal.sub, reason,
                                      at=at))
    except TransactWriteError:
        raise Conflict(f"{code} changed meanwhile", code="illegal_transition") from None
    reindex(code)
    return {"code": code, "version": current.version, "status": target}


def suspend(principal, code, body) -> dict:
    return _set_current_status(principal, code, body, "suspend", ("published",), "suspended")


def resume(principal, code, body) -> dict:
    return _set_current_status(principal, code, body, "resume", ("suspended",), "published")


def cancel(principal, code, body) -> dict:
    return _set_current_status(principal, code, body, "cancel", ("published", "suspended"),
                               "cancelled")
