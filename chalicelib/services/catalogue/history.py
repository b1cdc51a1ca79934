"""Who changed what, when and why; every version of an item."""
from ...adapters.models import ItemHistoryRecord, ItemsTableRecord, ItemVersionRecord
from ...domain.errors import NotFound
from ..pagination import decode_cursor, encode_cursor
from .entries import is_entry
from .store import known_code, latest_version


def history(code: str, limit: int = 50, cursor: str | None = None) -> dict:
    """The change history of an implementation or a catalogue entry, oldest first."""
    known_code(code)
    if not is_entry(code) and latest_version(code) is None:
        raise NotFound(f"no service item {code}", field="code")
    return changes(code, code, limit, cursor)


def changes(key: str, code: str, limit: int = 50, cursor: str | None = None) -> dict:
    """One page of the history records kept under `key`, for `code`, oldest first."""
    page = ItemsTableRecord.query(key, ItemsTableRecord.sk.startswith("H#"), limit=limit,
                                  last_evaluated_key=decode_cursor(cursor, f"history/{key}"))
    found = [{"at": r.at, "action": r.action, "version": r.version, "actor": r.actor,
              "reason": r.reason, **({"detail": r.detail} if r.detail else {})}
             for r in page if isinstance(r, ItemHistoryRecord)]
    return {"code": code, "history": found,
            "next": encode_cursor(page.last_evaluated_key, f"history/{key}")}


def versions(code: str) -> dict:
    known_code(code)
    records = [r for r in ItemsTableRecord.query(code, ItemsTableRecord.sk.startswith("V#"))
               if isinstance(r, ItemVersionRecord)]
    if not records:
        raise NotFound(f"no service item {code}", field="code")
    return {"code": code, "versions": [
        {"version": r.version, "status": r.status, "createdAt": r.createdAt,
         "createdBy": r.createdBy, "updatedAt": r.updatedAt} for r in records]}
