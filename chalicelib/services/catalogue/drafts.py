"""Authoring: drafts, new versions, editing guarded by ETag, and publishing."""
from pynamodb.exceptions import DoesNotExist, TransactWriteError

from ...adapters.models import ItemCurrentRecord, ItemVersionRecord, transact_write
from ...domain import identity
from ...domain.catalogue import check_implementation, check_publishable, diff
from ...domain.errors import Conflict, NotFound, PreconditionFailed, ValidationError
from .departments import departments
from .entries import entries
from .loading import reindex
from .store import (
    CURRENT,
    changes_catalogue,
    history_record,
    latest_version,
    new_draft,
    now,
    object_body,
    public_view,
    reason_of,
    version_key,
    version_record,
)


@changes_catalogue
def create_draft(principal: identity.Principal, body) -> dict:
    """A new implementation (version 1, draft)."""
    body = object_body(body)
    reason = reason_of(body)
    doc = check_implementation(body.get("item"), departments(), entries())
    at = now()
    draft = new_draft(doc, 1, principal.sub, at)
    try:
        with transact_write() as transaction:
            transaction.save(draft, condition=ItemVersionRecord.code.does_not_exist())
            transaction.save(history_record(doc["code"], "create", 1, principal.sub, reason,
                                            at=at))
    except TransactWriteError:
        raise Conflict(f"service item {doc['code']} already exists",
                       code="item_exists", field="item.code") from None
    return {"code": doc["code"], "version": 1, "status": "draft"}


def version_etag(record: ItemVersionRecord) -> str:
    """The entity tag of a version as stored: it changes with every write to it."""
    import hashlib
    stamp = f"{record.status}|{record.updatedAt}".encode()
    return f'"{record.version}-{hashlib.sha256(stamp).hexdigest()[:20]}"'


def version_for_edit(code: str, version) -> tuple[dict, str]:
    """A version, drafts included, and its ETag (what If-Match must quote to change it)."""
    record = version_record(code, version)
    return public_view(record.document, record.status), version_etag(record)


@changes_catalogue
def update_draft(principal: identity.Principal, code: str, version, body,
                 if_match: str | None = None) -> tuple[dict, str]:
    """Change a draft. With `if_match` (the ETag the editor read), a draft changed since
    is refused with 412 instead of being overwritten; the write itself is conditional on
    the version being as read, so two editors racing cannot both win."""
    body = object_body(body)
    reason = reason_of(body)
    record = version_record(code, version)
    if if_match is not None and if_match.strip() not in ("*", version_etag(record)):
        raise PreconditionFailed(f"version {version} of {code} changed since it was read "
                                 f"(ETag now {version_etag(record)})", field="If-Match")
    if record.status != "draft":
        raise Conflict(f"version {version} of {code} is {record.status}; only drafts change "
                       "(create a new version)", code="not_a_draft")
    doc = check_implementation(body.get("item"), departments(), entries())
    if doc["code"] != code:
        raise ValidationError("a draft cannot change its implementation code (split or "
                              "create a new item)", field="item.code")
    changes = diff(record.document, doc)
    at = now()
    try:
        with transact_write() as transaction:
            transaction.update(record, actions=[
                ItemVersionRecord.document.set({**doc, "version": record.version}),
                ItemVersionRecord.updatedAt.set(at)],
                condition=(ItemVersionRecord.status == "draft") &
                          (ItemVersionRecord.updatedAt == record.updatedAt))
            transaction.save(history_record(code, "update", record.version, principal.sub, reason,
                                      {"changes": changes}, at=at))
    except TransactWriteError:
        if if_match is not None:
            raise PreconditionFailed(f"version {version} of {code} changed since it was "
                                     "read", field="If-Match") from None
        raise Conflict(f"version {version} of {code} changed meanwhile",
                       code="not_a_draft") from None
    record.updatedAt, record.status = at, "draft"
    return ({"code": code, "version": record.version, "status": "draft", "changes": changes},
            version_etag(record))


@changes_catalogue
def new_version(principal: identity.Principal, code: str, body) -> dict:
    """A new draft version, copied from the latest version (usually the published one)."""
    body = object_body(body)
    reason = reason_of(body)
    latest = latest_version(code)
    if latest is None:
        raise NotFound(f"no service item {code}", field="code")
    if latest.status == "draft":
        raise Conflict(f"{code} already has a draft (version {latest.version})",
                       code="draft_exists")
    at = now()
    number = latest.version + 1
    try:
        with transact_write() as transaction:
            transaction.save(new_draft(latest.document, number, principal.sub, at),
                             condition=ItemVersionRecord.code.does_not_exist())
            transaction.save(history_record(code, "new_version", number, principal.sub, reason,
                                      {"from": latest.version}, at=at))
    except TransactWriteError:
        raise Conflict(f"{code} version {number} was created meanwhile",
                       code="draft_exists") from None
    return {"code": code, "version": number, "status": "draft"}


@changes_catalogue
def publish(principal: identity.Principal, code: str, version, body) -> dict:
    """Publish a draft: it becomes CURRENT for new cases; the previous published version
    is superseded (cases already applied keep it). Re-publishing the published version
    only rebuilds its search entries (a safe retry)."""
    body = object_body(body)
    reason = reason_of(body)
    record = version_record(code, version)
    if record.status == "published":
        reindex(code)
        return {"code": code, "version": record.version, "status": "published"}
    if record.status != "draft":
        raise Conflict(f"version {version} of {code} is {record.status}", code="not_a_draft")
    # the registry and the catalogue may have changed since the draft was written
    doc = check_implementation(record.document, departments(), entries())
    check_publishable(doc)
    try:
        current = ItemCurrentRecord.get(code, CURRENT)
    except DoesNotExist:
        current = None
    if current is not None and current.status == "cancelled":
        raise Conflict(f"{code} is cancelled", code="item_cancelled")
    at = now()
    try:
        with transact_write() as transaction:
            transaction.update(record, actions=[ItemVersionRecord.status.set("published"),
                                                ItemVersionRecord.updatedAt.set(at)],
                               condition=ItemVersionRecord.status == "draft")
            if current is not None:
                previous = ItemVersionRecord(code, version_key(current.version))
                transaction.update(previous, actions=[
                    ItemVersionRecord.status.set("superseded"),
                    ItemVersionRecord.updatedAt.set(at)],
                    condition=ItemVersionRecord.status == "published")
                transaction.save(
                    ItemCurrentRecord(code, CURRENT, version=record.version,
                                      status="published", document=doc, updatedAt=at),
                    condition=ItemCurrentRecord.version == current.version)
            else:
                transaction.save(
                    ItemCurrentRecord(code, CURRENT, version=record.version,
                                      status="published", document=doc, updatedAt=at),
                    condition=ItemCurrentRecord.code.does_not_exist())
            transaction.save(history_record(
                code, "publish", record.version, principal.sub, reason,
                {"supersedes": current.version} if current else None, at=at))
    except TransactWriteError:
        raise Conflict(f"{code} was published or changed meanwhile",
                       code="publish_conflict") from None
    reindex(code)
    return {"code": code, "version": record.version, "status": "published",
            "supersedes": current.version if current else None}
