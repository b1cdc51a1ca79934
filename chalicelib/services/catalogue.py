"""The service catalogue (事项管理): versioned implementations, their lifecycle, history,
lineage, simulation, search and guides.

Every write checks the document with `domain.catalogue.check_implementation` (the shipped
demo data goes through the same functions), records who, when and why in the item's
history, and leaves published versions immutable: a change is a new draft version, and
publishing it supersedes the old one for new cases only (cases pin their version).
"""
import re
from datetime import date, datetime, timezone

from pynamodb.exceptions import DoesNotExist, TransactWriteError

from ..adapters.models import (CatalogueEntryRecord, DepartmentRecord, ItemCurrentRecord,
                               ItemHistoryRecord,
                               ItemIndexRecord, ItemsTableRecord, ItemVersionRecord,
                               LineageRecord, transact_write)
from ..domain import identity, search
from ..domain.catalogue import check_entry, check_implementation, diff, dry_run
from ..domain.errors import Conflict, NotFound, PreconditionFailed, ValidationError
from . import clock
from .pagination import decode_cursor, encode_cursor

DEPARTMENTS = "DEPT"
CATALOGUE = "CATALOGUE"
CURRENT = "CURRENT"
PUBLIC_VERSION_STATUSES = ("published", "superseded", "cancelled")
SUMMARY_FIELDS = ("code", "baseCode", "version", "name", "kind", "implementingDept",
                  "audience", "themes", "immediate", "promisedLimit", "statutoryLimit",
                  "onlineDepth", "visits")


def _now() -> str:
    return datetime.now(timezone.utc).isoformat()


def _version_key(version: int) -> str:
    return f"V#{int(version):04d}"


def _reason(body: dict) -> str:
    reason = body.get("reason") if isinstance(body, dict) else None
    if not isinstance(reason, str) or not reason.strip() or len(reason) > 500:
        raise ValidationError("every change needs a reason (1–500 characters)",
                              field="reason")
    return reason.strip()


def _body(body) -> dict:
    if not isinstance(body, dict):
        raise ValidationError("the request body must be a JSON object", field="body")
    return body


# -- departments ---------------------------------------------------------------------

def departments() -> dict:
    """The region's department registry: code -> {name, uscc} (one Query)."""
    return {r.sk: {"name": r.name, "uscc": r.uscc}
            for r in ItemsTableRecord.query(DEPARTMENTS) if isinstance(r, DepartmentRecord)}


def save_department(code: str, name: str, uscc_code: str) -> None:
    from stdnum.cn import uscc
    if not uscc.is_valid(uscc_code):
        raise ValidationError(f"department {code}: not a valid USCC", field="uscc")
    DepartmentRecord(DEPARTMENTS, code, name=name, uscc=uscc_code).save()


# -- catalogue entries (事项目录) -----------------------------------------------------

def _entry_view(record: CatalogueEntryRecord) -> dict:
    return {"baseCode": record.sk, "name": record.name, "kind": record.kind,
            "legalBasis": record.legalBasis, "definingDept": record.definingDept,
            "parentCode": record.parentCode, "status": record.status,
            "updatedAt": record.updatedAt}


def entries() -> dict:
    """Every catalogue entry by base code (one Query)."""
    return {r.sk: _entry_view(r) for r in ItemsTableRecord.query(CATALOGUE)
            if isinstance(r, CatalogueEntryRecord)}


def list_entries(limit: int = 50, cursor: str | None = None) -> dict:
    page = ItemsTableRecord.query(CATALOGUE, limit=limit,
                                  last_evaluated_key=decode_cursor(cursor))
    found = [_entry_view(r) for r in page if isinstance(r, CatalogueEntryRecord)]
    return {"entries": found, "next": encode_cursor(page.last_evaluated_key)}


def get_entry(base_code: str) -> dict:
    """A catalogue entry with its sub-items and its published implementations."""
    _known_code(base_code, "catalogue entry")
    everything = entries()
    if base_code not in everything:
        raise NotFound(f"no catalogue entry {base_code}", field="baseCode")
    implementations = list_items(q=base_code, limit=100)["items"]
    return {**everything[base_code],
            "subItems": sorted(code for code, e in everything.items()
                               if e["parentCode"] == base_code),
            "implementations": implementations}


def save_entry(principal: identity.Principal, body, base_code: str | None = None) -> dict:
    """Create an entry (base_code None) or change one; recorded in its history."""
    body = _body(body)
    reason = _reason(body)
    existing = entries()
    raw = body.get("entry")
    if base_code is not None:
        if base_code not in existing:
            raise NotFound(f"no catalogue entry {base_code}", field="baseCode")
        if isinstance(raw, dict) and raw.get("baseCode", base_code) != base_code:
            raise ValidationError("an entry keeps its base code", field="entry.baseCode")
        raw = {**existing[base_code], **(raw if isinstance(raw, dict) else {})}
        raw["baseCode"] = base_code
    entry = check_entry(raw, existing)
    if base_code is None and entry["baseCode"] in existing:
        raise Conflict(f"catalogue entry {entry['baseCode']} exists", code="entry_exists",
                       field="entry.baseCode")
    at = _now()
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
            transaction.save(_history(entry["baseCode"], "update" if base_code else "create",
                                      None, principal.sub, reason,
                                      {"changes": changes} if changes else None, at=at))
    except TransactWriteError:
        raise Conflict(f"catalogue entry {entry['baseCode']} was created or changed "
                       "meanwhile", code="entry_exists" if base_code is None else
                       "entry_changed", field="entry.baseCode") from None
    return _entry_view(record)


# -- reads ---------------------------------------------------------------------------

_CODE = re.compile(r"[0-9A-Z]{1,44}")


def _known_code(code: str, what: str = "service item") -> str:
    """A path's code, refused (404) before it becomes a key if it cannot be one."""
    if not isinstance(code, str) or not _CODE.fullmatch(code):
        raise NotFound(f"no {what} with that code", field="code")
    return code


def _current(code: str) -> ItemCurrentRecord:
    _known_code(code)
    try:
        return ItemCurrentRecord.get(code, CURRENT)
    except DoesNotExist:
        raise NotFound(f"no service item {code}", field="code") from None


def _version(code: str, version) -> ItemVersionRecord:
    _known_code(code)
    try:
        number = int(version) if str(version).isascii() else None
        if number is None or not 0 < number < 10000:
            raise ValueError
    except (TypeError, ValueError):
        raise NotFound(f"service item {code} has no version {version}",
                       field="version") from None
    try:
        return ItemVersionRecord.get(code, _version_key(number))
    except DoesNotExist:
        raise NotFound(f"service item {code} has no version {version}",
                       field="version") from None


def _public(document: dict, status: str, lineage: list | None = None) -> dict:
    view = {**document, "status": status}
    if lineage is not None:
        view["lineage"] = lineage
    return view


def get_item(code: str) -> dict:
    """The current guide (published, or suspended / cancelled with its status)."""
    current = _current(code)
    return _public(current.document, current.status, _lineage(code))


def published_item(code: str) -> dict:
    """The version new applications must use; only a published item takes them."""
    try:
        current = ItemCurrentRecord.get(code, CURRENT)
    except DoesNotExist:
        raise ValidationError(f"no published service item {code}", field="itemCode") from None
    if current.status != "published":
        raise ValidationError(f"service item {code} is {current.status} and takes no "
                              "applications", field="itemCode")
    return current.document


def get_item_version(code: str, version, include_drafts: bool = False) -> dict:
    record = _version(code, version)
    if not include_drafts and record.status not in PUBLIC_VERSION_STATUSES:
        raise NotFound(f"service item {code} has no published version {version}",
                       field="version")
    return _public(record.document, record.status)


def pinned_version(code: str, version) -> dict:
    """The exact version a case applied under, whatever has happened to it since."""
    return _version(code, version).document


def _lineage(code: str) -> list[dict]:
    return [{"relation": r.relation, "code": r.other, "at": r.at, "reason": r.reason}
            for r in ItemsTableRecord.query(code, ItemsTableRecord.sk.startswith("L#"))
            if isinstance(r, LineageRecord)]


def list_items(*, dept: str | None = None, kind: str | None = None,
               audience: str | None = None, theme: str | None = None, q: str | None = None,
               limit: int = 20, cursor: str | None = None) -> dict:
    """Published items, by facet, one Query per page (never a Scan)."""
    name_has = initials_have = None
    if q and search.normalise_query(q):
        facet, name_has, initials_have = search.keyword_facet(q)
    elif dept:
        facet, dept = f"dept#{dept}", None
    elif kind:
        facet, kind = f"kind#{kind}", None
    elif theme:
        facet, theme = f"theme#{theme}", None
    elif audience:
        facet, audience = f"audience#{audience}", None
    else:
        facet = "all"
    condition = None
    for part in (
            ItemIndexRecord.depts.contains(dept) if dept else None,
            ItemIndexRecord.kind == kind if kind else None,
            ItemIndexRecord.audience.contains(audience) if audience else None,
            ItemIndexRecord.themes.contains(theme) if theme else None,
            ItemIndexRecord.name.contains(name_has) if name_has else None,
            ItemIndexRecord.initials.contains(initials_have) if initials_have else None):
        if part is not None:
            condition = part if condition is None else condition & part
    page = ItemIndexRecord.by_facet.query(facet, filter_condition=condition, limit=limit,
                                          last_evaluated_key=decode_cursor(cursor))
    items = [record.summary for record in page]
    return {"items": items, "next": encode_cursor(page.last_evaluated_key)}


def _is_entry(code: str) -> bool:
    try:
        CatalogueEntryRecord.get(CATALOGUE, code)
        return True
    except DoesNotExist:
        return False


def history(code: str, limit: int = 50, cursor: str | None = None) -> dict:
    """The change history of an implementation or a catalogue entry, oldest first."""
    _known_code(code)
    if not _is_entry(code) and _latest_version(code) is None:
        raise NotFound(f"no service item {code}", field="code")
    page = ItemsTableRecord.query(code, ItemsTableRecord.sk.startswith("H#"), limit=limit,
                                  last_evaluated_key=decode_cursor(cursor))
    changes = [{"at": r.at, "action": r.action, "version": r.version, "actor": r.actor,
                "reason": r.reason, **({"detail": r.detail} if r.detail else {})}
               for r in page if isinstance(r, ItemHistoryRecord)]
    return {"code": code, "history": changes, "next": encode_cursor(page.last_evaluated_key)}


def versions(code: str) -> dict:
    _known_code(code)
    records = [r for r in ItemsTableRecord.query(code, ItemsTableRecord.sk.startswith("V#"))
               if isinstance(r, ItemVersionRecord)]
    if not records:
        raise NotFound(f"no service item {code}", field="code")
    return {"code": code, "versions": [
        {"version": r.version, "status": r.status, "createdAt": r.createdAt,
         "createdBy": r.createdBy, "updatedAt": r.updatedAt} for r in records]}


def _latest_version(code: str) -> ItemVersionRecord | None:
    for record in ItemsTableRecord.query(code, ItemsTableRecord.sk.startswith("V#"),
                                         scan_index_forward=False, limit=1):
        return record
    return None


# -- writes --------------------------------------------------------------------------

def _history(code: str, action: str, version: int | None, actor: str, reason: str,
             detail: dict | None = None, at: str | None = None) -> ItemHistoryRecord:
    at = at or _now()
    return ItemHistoryRecord(code, f"H#{at}#{action}#{version or 0}", at=at, action=action,
                             version=version, actor=actor, reason=reason, detail=detail)


def _new_draft(doc: dict, version: int, actor: str, at: str) -> ItemVersionRecord:
    document = {**doc, "version": version}
    return ItemVersionRecord(document["code"], _version_key(version), version=version,
                             status="draft", document=document, createdAt=at,
                             createdBy=actor, updatedAt=at)


def create_draft(principal: identity.Principal, body) -> dict:
    """A new implementation (version 1, draft)."""
    body = _body(body)
    reason = _reason(body)
    doc = check_implementation(body.get("item"), departments(), entries())
    at = _now()
    draft = _new_draft(doc, 1, principal.sub, at)
    try:
        with transact_write() as transaction:
            transaction.save(draft, condition=ItemVersionRecord.code.does_not_exist())
            transaction.save(_history(doc["code"], "create", 1, principal.sub, reason, at=at))
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
    record = _version(code, version)
    return _public(record.document, record.status), version_etag(record)


def update_draft(principal: identity.Principal, code: str, version, body,
                 if_match: str | None = None) -> tuple[dict, str]:
    """Change a draft. With `if_match` (the ETag the editor read), a draft changed since
    is refused with 412 instead of being overwritten; the write itself is conditional on
    the version being as read, so two editors racing cannot both win."""
    body = _body(body)
    reason = _reason(body)
    record = _version(code, version)
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
    at = _now()
    try:
        with transact_write() as transaction:
            transaction.update(record, actions=[
                ItemVersionRecord.document.set({**doc, "version": record.version}),
                ItemVersionRecord.updatedAt.set(at)],
                condition=(ItemVersionRecord.status == "draft") &
                          (ItemVersionRecord.updatedAt == record.updatedAt))
            transaction.save(_history(code, "update", record.version, principal.sub, reason,
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


def new_version(principal: identity.Principal, code: str, body) -> dict:
    """A new draft version, copied from the latest version (usually the published one)."""
    body = _body(body)
    reason = _reason(body)
    latest = _latest_version(code)
    if latest is None:
        raise NotFound(f"no service item {code}", field="code")
    if latest.status == "draft":
        raise Conflict(f"{code} already has a draft (version {latest.version})",
                       code="draft_exists")
    at = _now()
    number = latest.version + 1
    try:
        with transact_write() as transaction:
            transaction.save(_new_draft(latest.document, number, principal.sub, at),
                             condition=ItemVersionRecord.code.does_not_exist())
            transaction.save(_history(code, "new_version", number, principal.sub, reason,
                                      {"from": latest.version}, at=at))
    except TransactWriteError:
        raise Conflict(f"{code} version {number} was created meanwhile",
                       code="draft_exists") from None
    return {"code": code, "version": number, "status": "draft"}


def publish(principal: identity.Principal, code: str, version, body) -> dict:
    """Publish a draft: it becomes CURRENT for new cases; the previous published version
    is superseded (cases already applied keep it). Re-publishing the published version
    only rebuilds its search entries (a safe retry)."""
    body = _body(body)
    reason = _reason(body)
    record = _version(code, version)
    if record.status == "published":
        reindex(code)
        return {"code": code, "version": record.version, "status": "published"}
    if record.status != "draft":
        raise Conflict(f"version {version} of {code} is {record.status}", code="not_a_draft")
    # the registry and the catalogue may have changed since the draft was written
    doc = check_implementation(record.document, departments(), entries())
    try:
        current = ItemCurrentRecord.get(code, CURRENT)
    except DoesNotExist:
        current = None
    if current is not None and current.status == "cancelled":
        raise Conflict(f"{code} is cancelled", code="item_cancelled")
    at = _now()
    try:
        with transact_write() as transaction:
            transaction.update(record, actions=[ItemVersionRecord.status.set("published"),
                                                ItemVersionRecord.updatedAt.set(at)],
                               condition=ItemVersionRecord.status == "draft")
            if current is not None:
                previous = ItemVersionRecord(code, _version_key(current.version))
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
            transaction.save(_history(
                code, "publish", record.version, principal.sub, reason,
                {"supersedes": current.version} if current else None, at=at))
    except TransactWriteError:
        raise Conflict(f"{code} was published or changed meanwhile",
                       code="publish_conflict") from None
    reindex(code)
    return {"code": code, "version": record.version, "status": "published",
            "supersedes": current.version if current else None}


def _set_current_status(principal: identity.Principal, code: str, body, action: str,
                        allowed_from: tuple[str, ...], target: str) -> dict:
    body = _body(body)
    reason = _reason(body)
    current = _current(code)
    if current.status not in allowed_from:
        raise Conflict(f"{code} is {current.status}; cannot {action}",
                       code="illegal_transition")
    at = _now()
    try:
        with transact_write() as transaction:
            transaction.update(current, actions=[ItemCurrentRecord.status.set(target),
                                                 ItemCurrentRecord.updatedAt.set(at)],
                               condition=ItemCurrentRecord.status == current.status)
            if target == "cancelled":
                transaction.update(ItemVersionRecord(code, _version_key(current.version)),
                                   actions=[ItemVersionRecord.status.set("cancelled"),
                                            ItemVersionRecord.updatedAt.set(at)])
            transaction.save(_history(code, action, current.version, principal.sub, reason,
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


def _derived_drafts(principal, sources: list[str], targets, reason: str, relation: str):
    """New drafts from existing items, with lineage recorded on both sides."""
    registry, catalogue_entries = departments(), entries()
    base = get_item(sources[0])
    drafts = []
    for index, target in enumerate(targets):
        if not isinstance(target, dict):
            raise ValidationError("each target must be an object of changed fields",
                                  field=f"into.{index}")
        doc = {k: v for k, v in base.items() if k not in ("code", "status", "lineage")}
        doc.update(target)
        try:
            drafts.append(check_implementation(doc, registry, catalogue_entries))
        except ValidationError as error:
            raise ValidationError(error.message, field=f"into.{index}." +
                                  (error.field or "").removeprefix("item.")) from None
    codes = [d["code"] for d in drafts]
    if len(set(codes)) != len(codes) or set(codes) & set(sources):
        raise ValidationError("targets need codes of their own (change sequence or "
                              "baseCode)", field="into")
    at = _now()
    inverse = {"split_into": "split_from", "merged_into": "merged_from"}[relation]
    try:
        with transact_write() as transaction:
            for draft in drafts:
                transaction.save(_new_draft(draft, 1, principal.sub, at),
                                 condition=ItemVersionRecord.code.does_not_exist())
                transaction.save(_history(draft["code"], "create", 1, principal.sub, reason,
                                          {inverse: sources}, at=at))
                for source in sources:
                    transaction.save(LineageRecord(source, f"L#{relation}#{draft['code']}",
                                                   relation=relation, other=draft["code"],
                                                   at=at, reason=reason))
                    transaction.save(LineageRecord(draft["code"], f"L#{inverse}#{source}",
                                                   relation=inverse, other=source, at=at,
                                                   reason=reason))
            for source in sources:
                transaction.save(_history(source, relation.split("_")[0], None,
                                          principal.sub, reason, {relation: codes}, at=at))
    except TransactWriteError:
        raise Conflict("a target code already exists", code="item_exists",
                       field="into") from None
    return {"from": sources, "drafts": [{"code": c, "version": 1, "status": "draft"}
                                        for c in codes]}


def split(principal: identity.Principal, code: str, body) -> dict:
    """Split one item into several new drafts (the source stays until cancelled)."""
    body = _body(body)
    reason = _reason(body)
    into = body.get("into")
    if not isinstance(into, list) or len(into) < 2:
        raise ValidationError("into must list at least two new items", field="into")
    return _derived_drafts(principal, [code], into, reason, "split_into")


def merge(principal: identity.Principal, body) -> dict:
    """Merge several items into one new draft (the sources stay until cancelled)."""
    body = _body(body)
    reason = _reason(body)
    sources = body.get("from")
    if not isinstance(sources, list) or len(sources) < 2 or \
            not all(isinstance(c, str) for c in sources) or len(set(sources)) != len(sources):
        raise ValidationError("from must list at least two different item codes",
                              field="from")
    for source in sources:
        _current(source)
    result = _derived_drafts(principal, sources, [body.get("into")], reason, "merged_into")
    return {"from": sources, "draft": result["drafts"][0]}


def simulate(code: str, version, body) -> dict:
    """Change simulation: the diff against the published version and a dry run of the
    version's process on a start date. Publishes nothing, writes nothing."""
    body = _body(body) if body is not None else {}
    record = _version(code, version)
    raw_start = body.get("startDate") or clock.today().isoformat()
    try:
        start = date.fromisoformat(raw_start)
    except (TypeError, ValueError):
        raise ValidationError("startDate must be a date (YYYY-MM-DD)",
                              field="startDate") from None
    try:
        current = ItemCurrentRecord.get(code, CURRENT)
        published = current.document if current.status == "published" else None
    except DoesNotExist:
        published = None
    proposed = record.document
    result = {"code": code, "version": record.version, "status": record.status,
              "comparedWith": published["version"] if published else None,
              "changes": diff(published, proposed),
              "dryRun": dry_run(proposed, start)}
    if published and published["version"] != record.version:
        result["publishedDryRun"] = dry_run(published, start)
    return result


def reindex(code: str) -> None:
    """Make the item's search entries match its current record (idempotent)."""
    existing = {r.sk: r for r in ItemsTableRecord.query(code, ItemsTableRecord.sk.startswith("IX#"))}
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
                themes=doc.get("themes", []), summary=summary)
    with ItemsTableRecord.batch_write() as batch:
        for key, record in existing.items():
            if key not in wanted:
                batch.delete(record)
        for record in wanted.values():
            batch.save(record)


def import_entries(docs: list[dict], actor: str, reason: str) -> int:
    """Import shipped catalogue entries (main items before their sub-items), checked by
    the same `check_entry` as the admin API. Existing entries are left as they are."""
    known = entries()
    imported = 0
    at = _now()
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
            batch.save(_history(entry["baseCode"], "import", None, actor, reason, at=at))
            imported += 1
    return imported


def import_published(docs: list[dict], actor: str, reason: str) -> list[str]:
    """Import shipped implementations as published version 1, in bulk: each is checked
    by the same `check_implementation` as the admin API and stored as the same records
    creating and publishing it would leave (version, current, history, search entries).
    An item already in the table is left as it is. Returns the imported codes."""
    registry, catalogue_entries = departments(), entries()
    checked = [check_implementation(doc, registry, catalogue_entries) for doc in docs]
    codes = [doc["code"] for doc in checked]
    if len(set(codes)) != len(codes):
        raise ValidationError("the shipped catalogue lists an item twice", field="item.code")
    at = _now()
    imported = []
    with ItemsTableRecord.batch_write() as batch:
        for doc in checked:
            if any(True for _ in ItemsTableRecord.query(doc["code"], limit=1)):
                continue
            document = {**doc, "version": 1}
            batch.save(ItemVersionRecord(doc["code"], _version_key(1), version=1,
                                         status="published", document=document,
                                         createdAt=at, createdBy=actor, updatedAt=at))
            batch.save(ItemCurrentRecord(doc["code"], CURRENT, version=1, status="published",
                                         document=document, updatedAt=at))
            batch.save(_history(doc["code"], "import", 1, actor, reason, at=at))
            imported.append(doc["code"])
    for code in imported:
        reindex(code)
    return imported
