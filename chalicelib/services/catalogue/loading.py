"""Bulk loading of the shipped catalogue and rebuilding an item's search entries."""
from pynamodb.exceptions import DoesNotExist

from ...adapters.models import (
    CatalogueEntryRecord,
    ItemCurrentRecord,
    ItemIndexRecord,
    ItemsTableRecord,
    ItemVersionRecord,
)
from ...domain import search
from ...domain.catalogue import check_entry, check_implementation, check_publishable
from ...domain.errors import ValidationError
from .departments import departments
from .entries import entries
from .store import (
    CATALOGUE,
    CURRENT,
    SUMMARY_FIELDS,
    changes_catalogue,
    history_record,
    now,
    version_key,
)


@changes_catalogue
def reindex(code: str) -> None:
    """Make the item's search entries match its current record (idempotent)."""
    existing = {r.sk: r for r in
                ItemsTableRecord.query(code, ItemsTableRecord.sk.startswith("IX#"))}
    wanted = {}
    try:
        current = ItemCurrentRecord.get(code, CURRENT)
    except DoesNotExist:
        current = None
    if current is not None and current.status == "published":
        doc = current.document
        name_initials = search.initials(doc["name"])
        summary = {k: doc.get(k) for k in SUMMARY_FIELDS}
        depts = search.departments_of(doc)
        for facet in search.facets(doc, name_initials):
            wanted[f"IX#{facet}"] = ItemIndexRecord(
                code, f"IX#{facet}", facet=facet, name=doc["name"], initials=name_initials,
                kind=doc["kind"], depts=depts, audience=doc["audience"],
                themes=doc.get("themes", []), channels=doc.get("channels", []),
                summary=summary)
    with ItemsTableRecord.batch_write() as batch:
        for key, record in existing.items():
            if key not in wanted:
                batch.delete(record)
        for record in wanted.values():
            batch.save(record)


@changes_catalogue
def import_entries(docs: list[dict], actor: str, reason: str) -> int:
    """Import shipped catalogue entries (main items before their sub-items), checked by
    the same `check_entry` as the admin API. Existing entries are left as they are."""
    known = entries()
    imported = 0
    at = now()
    with ItemsTableRecord.batch_write() as batch:
        for doc in sorted(docs, key=lambda d: d.get("parentCode") is not None):
            entry = check_entry(doc, known)
            if entry["baseCode"] in known:
                continue
            known[entry["baseCode"]] = entry
            batch.save(CatalogueEntryRecord(
                CATALOGUE, entry["baseCode"], name=entry["name"], kind=entry["kind"],
                legalBasis=entry["legalBasis"], definingDept=entry["definingDept"],
                parentCode=entry["parentCode"], status=entry["status"], updatedAt=at))
            batch.save(history_record(entry["baseCode"], "import", None, actor, reason, at=at))
            imported += 1
    return imported


@changes_catalogue
def import_published(docs: list[dict], actor: str, reason: str) -> list[str]:
    """Import shipped implementations as published version 1, in bulk: each is checked
    by the same `check_implementation` as the admin API and stored as the same records
    creating and publishing it would leave (version, current, history, search entries).
    An item already in the table is left as it is. Returns the imported codes."""
    registry, catalogue_entries = departments(), entries()
    checked = [check_implementation(doc, registry, catalogue_entries) for doc in docs]
    for doc in checked:
        check_publishable(doc)
    codes = [doc["code"] for doc in checked]
    if len(set(codes)) != len(codes):
        raise ValidationError("the shipped catalogue lists an item twice", field="item.code")
    at = now()
    imported = []
    with ItemsTableRecord.batch_write() as batch:
        for doc in checked:
            if any(True for _ in ItemsTableRecord.query(doc["code"], limit=1)):
                continue
            document = {**doc, "version": 1}
            batch.save(ItemVersionRecord(doc["code"], version_key(1), version=1,
                                         status="published", document=document,
                                         createdAt=at, createdBy=actor, updatedAt=at))
            batch.save(ItemCurrentRecord(doc["code"], CURRENT, version=1, status="published",
                                         document=document, updatedAt=at))
            batch.save(history_record(doc["code"], "import", 1, actor, reason, at=at))
            imported.append(doc["code"])
    for code in imported:
        reindex(code)
    return imported
