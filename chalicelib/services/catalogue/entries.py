"""Catalogue entries (事项目录): the items every region implements, main and sub-items."""
from pynamodb.exceptions import DoesNotExist, TransactWriteError

from ...adapters.models import CatalogueEntryRecord, ItemsTableRecord, transact_write
from ...domain import identity
from ...domain.catalogue import check_entry, diff
from ...domain.errors import Conflict, NotFound, UnprocessableEntity
from ..pagination import decode_cursor, encode_cursor
from .reads import list_items
from .store import (
    CATALOGUE,
    changes_catalogue,
    history_record,
    known_code,
    now,
    object_body,
    reason_of,
)


def entry_view(record: CatalogueEntryRecord) -> dict:
    return {"baseCode": record.sk, "name": record.name, "kind": record.kind,
            "legalBasis": record.legalBasis, "definingDept": record.definingDept,
            "parentCode": record.parentCode, "status": record.status,
            "updatedAt": record.updatedAt}


def entries() -> dict:
    """Every catalogue entry by base code (one Query)."""
    return {r.sk: entry_view(r) for r in ItemsTableRecord.query(CATALOGUE)
            if isinstance(r, CatalogueEntryRecord)}


def list_entries(limit: int = 50, cursor: str | None = None) -> dict:
    page = ItemsTableRecord.query(CATALOGUE, limit=limit,
                                  last_evaluated_key=decode_cursor(cursor, "catalogue"))
    found = [entry_view(r) for r in page if isinstance(r, CatalogueEntryRecord)]
    return {"entries": found, "next": encode_cursor(page.last_evaluated_key, "catalogue")}


def get_entry(base_code: str) -> dict:
    """A catalogue entry with its sub-items and its published implementations."""
    known_code(base_code, "catalogue entry")
    everything = entries()
    if base_code not in everything:
        raise NotFound(f"no catalogue entry {base_code}", field="baseCode")
    implementations = list_items(q=base_code, limit=100)["items"]
    return {**everything[base_code],
            "subItems": sorted(code for code, e in everything.items()
                               if e["parentCode"] == base_code),
            "implementations": implementations}


@changes_catalogue
def save_entry(principal: identity.Principal, body, base_code: str | None = None) -> dict:
    """Create an entry (base_code None) or change one; recorded in its history."""
    body = object_body(body)
    reason = reason_of(body)
    existing = entries()
    raw = body.get("entry")
    if base_code is not None:
        if base_code not in existing:
            raise NotFound(f"no catalogue entry {base_code}", field="baseCode")
        if isinstance(raw, dict) and raw.get("baseCode", base_code) != base_code:
            raise UnprocessableEntity("an entry keeps its base code",
                                      field="entry.baseCode", code="item_not_valid")
        stored = {k: v for k, v in existing[base_code].items() if k != "updatedAt"}
        raw = {**stored, **(raw if isinstance(raw, dict) else {})}
        raw["baseCode"] = base_code
    entry = check_entry(raw, existing)
    if base_code is None and entry["baseCode"] in existing:
        raise Conflict(f"catalogue entry {entry['baseCode']} exists", code="entry_exists",
                       field="entry.baseCode")
    at = now()
    record = CatalogueEntryRecord(CATALOGUE, entry["baseCode"], name=entry["name"],
                                  kind=entry["kind"], legalBasis=entry["legalBasis"],
                                  definingDept=entry["definingDept"],
                                  parentCode=entry["parentCode"], status=entry["status"],
                                  updatedAt=at)
    changes = None
    if base_code:
        changes = diff(existing[base_code], entry, ignore=("updatedAt",))
    # Created only if new; changed only if unchanged since read (a racing admin gets 409).
    condition = CatalogueEntryRecord.sk.does_not_exist() if base_code is None else \
        CatalogueEntryRecord.updatedAt == existing[base_code]["updatedAt"]
    try:
        with transact_write() as transaction:
            transaction.save(record, condition=condition)
            transaction.save(history_record(entry["baseCode"], "update" if base_code else "create",
                                      None, principal.sub, reason,
                                      {"changes": changes} if changes else None, at=at))
    except TransactWriteError:
        raise Conflict(f"catalogue entry {entry['baseCode']} was created or changed "
                       "meanwhile", code="entry_exists" if base_code is None else
                       "entry_changed", field="entry.baseCode") from None
    return entry_view(record)


def is_entry(code: str) -> bool:
    try:
        CatalogueEntryRecord.get(CATALOGUE, code)
        return True
    except DoesNotExist:
        return False
