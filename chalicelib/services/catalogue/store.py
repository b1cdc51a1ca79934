"""The catalogue's storage plumbing shared by its modules: keys, the records of one item, the
history record every change writes, and forgetting cached reads after a change."""
import functools
import re

from pynamodb.exceptions import DoesNotExist

from ...adapters.models import (
    ItemCurrentRecord,
    ItemHistoryRecord,
    ItemsTableRecord,
    ItemVersionRecord,
    LineageRecord,
)
from ...domain.errors import NotFound, ValidationError
from .. import clock, read_cache

DEPARTMENTS = "DEPT"


CATALOGUE = "CATALOGUE"


CURRENT = "CURRENT"


PUBLIC_VERSION_STATUSES = ("published", "superseded", "cancelled")


SUMMARY_FIELDS = ("code", "baseCode", "version", "name", "kind", "implementingDept",
                  "audience", "themes", "immediate", "promisedLimit", "statutoryLimit",
                  "onlineDepth", "visits")


def now() -> str:
    """The time a catalogue change is recorded at (services/clock.py), as ISO text."""
    return clock.now().isoformat()


def version_key(version: int) -> str:
    return f"V#{int(version):04d}"


def reason_of(body: dict) -> str:
    reason = body.get("reason") if isinstance(body, dict) else None
    if not isinstance(reason, str) or not reason.strip() or len(reason) > 500:
        raise ValidationError("every change needs a reason (1–500 characters)",
                              field="reason")
    return reason.strip()


def object_body(body) -> dict:
    if not isinstance(body, dict):
        raise ValidationError("the request body must be a JSON object", field="body")
    return body


CODE_RE = re.compile(r"[0-9A-Z]{1,44}")


def known_code(code: str, what: str = "service item") -> str:
    """A path's code, refused (404) before it becomes a key if it cannot be one."""
    if not isinstance(code, str) or not CODE_RE.fullmatch(code):
        raise NotFound(f"no {what} with that code", field="code")
    return code


def current_record(code: str) -> ItemCurrentRecord:
    known_code(code)
    try:
        return ItemCurrentRecord.get(code, CURRENT)
    except DoesNotExist:
        raise NotFound(f"no service item {code}", field="code") from None


def version_record(code: str, version) -> ItemVersionRecord:
    known_code(code)
    try:
        number = int(version) if str(version).isascii() else None
        if number is None or not 0 < number < 10000:
            raise ValueError
    except (TypeError, ValueError):
        raise NotFound(f"service item {code} has no version {version}",
                       field="version") from None
    try:
        return ItemVersionRecord.get(code, version_key(number))
    except DoesNotExist:
        raise NotFound(f"service item {code} has no version {version}",
                       field="version") from None


def public_view(document: dict, status: str, lineage: list | None = None) -> dict:
    view = {**document, "status": status}
    if lineage is not None:
        view["lineage"] = lineage
    return view


def lineage_of(code: str) -> list[dict]:
    return [{"relation": r.relation, "code": r.other, "at": r.at, "reason": r.reason}
            for r in ItemsTableRecord.query(code, ItemsTableRecord.sk.startswith("L#"))
            if isinstance(r, LineageRecord)]


def latest_version(code: str) -> ItemVersionRecord | None:
    for record in ItemsTableRecord.query(code, ItemsTableRecord.sk.startswith("V#"),
                                         scan_index_forward=False, limit=1):
        return record
    return None


def history_record(code: str, action: str, version: int | None, actor: str, reason: str,
             detail: dict | None = None, at: str | None = None) -> ItemHistoryRecord:
    at = at or now()
    return ItemHistoryRecord(code, f"H#{at}#{action}#{version or 0}", at=at, action=action,
                             version=version, actor=actor, reason=reason, detail=detail)


def new_draft(doc: dict, version: int, actor: str, at: str) -> ItemVersionRecord:
    document = {**doc, "version": version}
    return ItemVersionRecord(document["code"], version_key(version), version=version,
                             status="draft", document=document, createdAt=at,
                             createdBy=actor, updatedAt=at)


def changes_catalogue(write):
    """Decorates a write: once it has run (or failed part-way), this container's cached
    public reads are forgotten, so its next read sees the change."""
    @functools.wraps(write)
    def writing(*args, **kwargs):
        try:
            return write(*args, **kwargs)
        finally:
            read_cache.catalogue.clear()
    return writing
