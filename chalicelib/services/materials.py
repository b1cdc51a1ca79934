"""Materials (申请材料): uploaded once straight to the bucket, checked when S3 says they
arrived, kept per owner (我的材料), named by id in applications and supplements.

1. `POST /materials` declares the file (name, type, size, SHA-256) and answers a presigned
   POST for exactly that file; the bytes never pass through the API.
2. The bucket tells the materials queue; `arrived` checks the object against what was
   declared and marks the material stored (or rejected, and the object deleted).
3. An application names stored materials by id (`resolve`); the case keeps what they
   were, and each material lists the cases it was used in.
"""
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime

from .. import config
from ..adapters import secrets, storage
from ..adapters.models import MaterialRecord, put_if_absent, update_if
from ..domain import identifiers, identity, lookup
from ..domain import materials as rules
from ..domain.documents import MaterialUpload, conform
from ..domain.errors import Forbidden, NotFound, UnprocessableEntity, ValidationError
from . import case_access, catalogue, clock, licenses, usage
from .holders import holder_key
from .license_library import LicenseLibrary
from .pagination import decode_cursor, encode_cursor

log = logging.getLogger("onewindow")


def _owner_key(principal: identity.Principal, holder: str | None) -> str:
    """Whose material it will be: the applicant's own, a company's it is an agent of, or
    at the counter the applicant's the clerk names."""
    if principal.role == identity.APPLICANT:
        return holder_key(principal, holder, "materials", field="holder")
    if principal.role == identity.CLERK:
        if not holder:
            raise ValidationError("at the counter, name the applicant's ID number whose "
                                  "material this is", field="holder")
        holder = holder.strip().upper()
        if not identifiers.is_valid_id_number(holder):
            raise UnprocessableEntity("holder is not a valid ID number or unified social "
                                      "credit code (its check character)", field="holder",
                                      code="bad_check_character")
    else:
        raise Forbidden("applicants upload their materials (and clerks at the counter)")
    return lookup.id_key(secrets.lookup(), holder)


def _state(record: MaterialRecord) -> str:
    """pending, stored or rejected as recorded; expired once an unused one's term passed."""
    return "expired" if rules.expired(record.expiresAt, clock.now()) else record.state


def view(record: MaterialRecord) -> dict:
    expires = record.expiresAt
    found = {"materialId": record.materialId, "name": record.name,
             "material": record.material, "contentType": record.contentType,
             "size": int(record.size), "sha256": record.sha256, "state": _state(record),
             "reason": record.reason, "createdAt": record.createdAt,
             "storedAt": record.storedAt, "usedIn": list(record.usedIn or []) or None,
             "expiresAt": None if expires is None else
             datetime.fromtimestamp(int(expires), UTC).isoformat()}
    return {k: v for k, v in found.items() if v is not None}


def request_upload(principal: identity.Principal | None, body) -> tuple[dict, bool]:
    """Declare a file and get the form to upload it with; (answer, created). The same
    file of the same owner is one material: a stored one is answered as it is (nothing
    to upload), a pending, rejected or expired one gets a fresh form for what is declared
    now, and a new term (rules.UNUSED_DAYS) until a case names it."""
    principal = identity.require(principal)
    document = conform(body, MaterialUpload)
    owner = _owner_key(principal, document.holder)
    identifier = rules.material_id(owner, document.sha256)
    declared = dict(name=document.name, material=document.material,
                    contentType=document.contentType, size=document.size)
    now = clock.now()
    record = MaterialRecord(identifier, owner=owner, uploader=principal.sub,
                            sha256=document.sha256, state="pending",
                            createdAt=now.isoformat(), expiresAt=rules.unused_until(now),
                            **declared)
    created = put_if_absent(record)
    if not created:
        redeclared = update_if(record, [
            *(getattr(MaterialRecord, k).set(v) for k, v in declared.items() if v is not None),
            MaterialRecord.state.set("pending"), MaterialRecord.reason.remove(),
            MaterialRecord.uploader.set(principal.sub),
            MaterialRecord.createdAt.set(now.isoformat()),
            MaterialRecord.expiresAt.set(rules.unused_until(now))],
            MaterialRecord.state.is_in("pending", "rejected")
            | (MaterialRecord.expiresAt <= int(now.timestamp())))
        record = MaterialRecord.get(identifier, consistent_read=True)
        if not redeclared:   # stored already: nothing to upload
            return view(record), False
    form = storage.upload_form(rules.object_key(identifier), document.contentType,
                               document.size, rules.checksum_base64(document.sha256),
                               rules.UPLOAD_SECONDS)
    expires = now.timestamp() + rules.UPLOAD_SECONDS
    return {**view(record), "upload": {
        "url": form["url"], "fields": form["fields"],
        "expiresAt": datetime.fromtimestamp(expires, UTC).isoformat()}}, created


def arrived(key: str, version_id: str | None = None) -> str:
    """The bucket says an object arrived: check it against what was declared. Returns
    what became of it (stored, rejected, duplicate, dropped, orphan, gone, unknown); safe
    to repeat: a notice of an object deleted since (a rejected or dropped upload, delivered
    again) finds it gone."""
    identifier = rules.id_of_key(key)
    if identifier is None:
        log.warning("an object %s in the materials bucket is no material's", key)
        return "unknown"
    try:
        record = MaterialRecord.get(identifier, consistent_read=True)
    except MaterialRecord.DoesNotExist:
        # Every form is signed after its record is written: no record means it expired
        # unused (the table's TTL) before this notice came (from the dead-letter queue):
        # its bytes go too, or the bucket would keep them untagged, for ever.
        found = storage.head(key, version_id)
        if found is None:
            return "gone"
        storage.delete_version(key, found.version_id)
        log.warning("object %s: material %s has expired; its upload was deleted", key,
                    identifier)
        return "orphan"
    found = storage.head(key, version_id)
    if found is None:
        return "gone"
    if record.state == "stored":
        return _second_upload(record, key, found)
    sha256 = found.sha256 or storage.sha256_of(key, found.version_id)
    why = rules.mismatch(
        {"size": int(record.size), "contentType": record.contentType,
         "sha256": record.sha256},
        {"size": found.size, "contentType": found.content_type, "sha256": sha256}) \
        or _content_refused(key, found)
    if why:
        storage.delete_version(key, found.version_id)
        update_if(record, [MaterialRecord.state.set("rejected"),
                           MaterialRecord.reason.set(why)],
                  MaterialRecord.state == "pending")
        log.info("material %s rejected: %s", identifier, why)
        return "rejected"
    # Tagged before it is stored: no upload a case can name lacks its tag, and the bucket
    # deletes it at its term unless a case names it (mark_used).
    storage.tag(key, found.version_id, rules.USE_TAG, "unused")
    if update_if(record, [MaterialRecord.state.set("stored"),
                          MaterialRecord.storedAt.set(clock.now().isoformat()),
                          MaterialRecord.versionId.set(found.version_id),
                          MaterialRecord.reason.remove()],
                 MaterialRecord.state.is_in("pending", "rejected")):
        log.info("material %s stored (%s bytes)", identifier, found.size)
        return "stored"
    # Another delivery of this notice stored it, and a case may have named it since:
    # this delivery's "unused" must not be the tag that stays (mark_used tags after).
    latest = MaterialRecord.get(identifier, consistent_read=True)
    if latest.usedIn and latest.versionId == found.version_id:
        storage.tag(key, found.version_id, rules.USE_TAG, "used")
    return _second_upload(latest, key, found)


def _content_refused(key: str, found: storage.Stored) -> str | None:
    """Why the bytes themselves are refused: not what their type says (the file's magic
    number, domain/materials.py), or what the configured malware scanner finds."""
    why = rules.content_mismatch(
        found.content_type, storage.first_bytes(key, found.version_id, rules.SNIFF_BYTES),
        lambda: storage.zip_names(key, found.version_id, found.size))
    return why or scan(key, found.version_id, found.content_type)


def scan(key: str, version_id: str | None, content_type: str) -> str | None:
    """The malware-scanner hook: OW_MATERIAL_SCANNER names a function
    (`package.module:function`) called as function(bucket, key, version_id,
    content_type) for each arrived upload whose type checked out, before it is stored;
    it answers None (clean) or why the file is refused. It may raise to have the notice
    retried (a scanner not ready yet): the material stays pending meanwhile, and the
    materials queue's redelivery and dead-letter queue apply (docs/materials.md)."""
    named = config.get().material_scanner
    if not named:
        return None
    import importlib
    module, _, function = named.partition(":")
    scanner = getattr(importlib.import_module(module), function)
    return scanner(config.get().materials_bucket, key, version_id, content_type)


def _second_upload(record: MaterialRecord, key: str, found: storage.Stored) -> str:
    """A material is stored once: the version checked stays; another upload with the same
    form (a retried POST, a race) is deleted, so it never becomes what the key serves."""
    if found.version_id == record.versionId:
        return "duplicate"
    storage.delete_version(key, found.version_id)
    log.info("material %s: a second upload (version %s) was dropped", record.materialId,
             found.version_id)
    return "dropped"


def _load(identifier: str) -> MaterialRecord:
    if rules.id_of_key(rules.object_key(identifier)) is None:
        raise NotFound("no material with that id", field="materialId")
    try:
        return MaterialRecord.get(identifier)
    except MaterialRecord.DoesNotExist:
        raise NotFound(f"no material {identifier}", field="materialId") from None


def _owns(principal: identity.Principal | None, record: MaterialRecord) -> bool:
    """Its owner (or the owner's agent), and the clerk who uploaded it at the counter."""
    if principal is None:
        return False
    if principal.role == identity.CLERK:
        return principal.sub == record.uploader
    secret = secrets.lookup()
    return identity.owns(principal, None,
                         lambda id_number: lookup.id_key(secret, id_number) == record.owner)


def get(principal: identity.Principal | None, identifier: str) -> dict:
    principal = identity.require(principal)
    record = _load(identifier)
    if not _owns(principal, record):
        raise NotFound(f"no material {identifier}", field="materialId")
    return view(record)


def download(principal: identity.Principal | None, identifier: str,
             purpose: str | None = None) -> dict:
    """A short-lived link to the file: for its owner, and for the staff who may read a
    case it was used in — with a purpose, logged for the owner (who used my data)."""
    principal = identity.require(principal)
    record = _load(identifier)
    used_in = None
    if not _owns(principal, record):
        if principal.role not in identity.STAFF:
            raise NotFound(f"no material {identifier}", field="materialId")
        used_in = next((case_no for case_no in record.usedIn or ()
                        if _reads(principal, case_no)), None)
        if used_in is None:
            raise NotFound(f"no material {identifier}", field="materialId")
        usage.log(record.owner, "view", principal=principal,
                  purpose=usage.stated_purpose(purpose), case_no=used_in,
                  material_id=identifier)
    state = _state(record)
    if state != "stored":
        raise NotFound(f"material {identifier} is {state}: nothing to download",
                       field="materialId")
    return {"materialId": identifier, "url": storage.download_link(
        rules.object_key(identifier), record.versionId, record.name, rules.DOWNLOAD_SECONDS),
        "expiresIn": rules.DOWNLOAD_SECONDS}


def _reads(principal: identity.Principal, case_no: str) -> bool:
    try:
        case, _, tasks = case_access.load(case_no)
    except NotFound:
        return False
    return case_access.may_read(principal, case, tasks)


def mine(principal: identity.Principal | None, limit: int = 20, cursor: str | None = None,
         for_company: str | None = None) -> dict:
    """My materials (or a company's I am an agent of), newest first."""
    owner = holder_key(principal, for_company, "materials")
    page = MaterialRecord.by_owner.query(
        owner, scan_index_forward=False, limit=limit,
        last_evaluated_key=decode_cursor(cursor, f"materials/{owner}"))
    return {"materials": [view(record) for record in page],
            "next": encode_cursor(page.last_evaluated_key, f"materials/{owner}")}


# -- in an application ----------------------------------------------------------------

@dataclass
class Given:
    """The materials of an application as the case keeps them, and the uses to record
    once the case exists: uploads to mark used, licenses to log for their holder."""
    entries: list[dict] = field(default_factory=list)
    uploads: list[str] = field(default_factory=list)
    licenses: list[tuple[str, str]] = field(default_factory=list)   # (identifier, name)


def _not_accepted(message: str, field: str) -> UnprocessableEntity:
    """A material the document admits that this case cannot take: not a material of the
    item version, not the applicant's, not stored, expired, for another material."""
    return UnprocessableEntity(message, field=field, code="material_not_accepted")


def given_in_case(library: LicenseLibrary, item: dict, refs: list[dict], holder_id: str,
                  owner_key: str, where: str = "materials", also: list[str] = (),
                  at_counter: bool = False) -> Given:
    """Check each named material against the item version and the applicant: an upload
    of theirs (stored, for this material, reusable here) or a license the version takes
    in its place (in `library`: services/licenses/acceptance.py); from a clerk at the
    counter (`at_counter`), also one the clerk checked there. `also`: names a reviewer
    asked for beyond the version's list (a supplement)."""
    given = Given()
    for index, ref in enumerate(refs):
        at = f"{where}.{index}"
        spec = rules.spec_of(item, ref["name"]) or \
            ({"name": ref["name"]} if ref["name"] in also else None)
        if spec is None:
            raise _not_accepted("the item version asks for no material of this name",
                                field=f"{at}.name")
        chosen = [k for k in ("materialId", "licenseId", "license", "checkedAtCounter")
                  if k in ref]
        if len(chosen) != 1:
            raise ValidationError("name each material by exactly one of materialId, "
                                  "licenseId, license and checkedAtCounter", field=at)
        if "checkedAtCounter" in ref:
            # Only the clerk who took the paper at the counter can say so; the case keeps
            # its word (the clerk is the case's first actor), there is no file behind it.
            if not at_counter:
                raise _not_accepted("only a clerk at the counter names a material "
                                    "checked there", field=f"{at}.checkedAtCounter")
            entry = {"name": spec["name"], "checkedAtCounter": ref["checkedAtCounter"]}
        elif "materialId" in ref:
            entry, _ = uploaded(ref["materialId"], spec, owner_key, f"{at}.materialId")
            given.uploads.append(ref["materialId"])
        else:
            entry = licenses.accepted_in_case(library, ref, spec, holder_id, at)
            given.licenses.append((entry["license"]["identifier"], spec["name"]))
        given.entries.append(entry)
    return given


def record_uses(given: Given, principal: identity.Principal, case_no: str, item: dict,
                owner_key: str, at: datetime) -> None:
    """After the case is written (`at`, the moment of that write): each upload lists the
    case, each license's use is in its holder's log (用证记录: which department used it,
    in which case, for what). The cases stream does it again (uses_added), with the same
    keys: a function that dies after the case write loses none, and none is doubled."""
    for identifier in given.uploads:
        mark_used(identifier, case_no)
    for license_id, name in given.licenses:
        usage.log(owner_key, "use", license_id=license_id, principal=principal,
                  purpose=f"{item['name']}：{name}（免提交）",
                  organisation=item.get("implementingDept"), case_no=case_no, at=at,
                  entry=rules.use_entry(case_no, license_id, name))


def uses_added(old: dict | None, new: dict) -> bool:
    """From the cases stream: the uses of the materials a change added to a case (an
    application, a supplement), recorded as the request recorded them — by the case's
    actor, at the change's updatedAt. True when there were any."""
    given = Given()
    for entry in (new.get("materials") or [])[len((old or {}).get("materials") or []):]:
        if isinstance(entry, dict) and entry.get("materialId"):
            given.uploads.append(entry["materialId"])
        elif isinstance(entry, dict) and isinstance(entry.get("license"), dict):
            given.licenses.append((entry["license"]["identifier"], entry["name"]))
    if not given.uploads and not given.licenses:
        return False
    item = catalogue.pinned_version(new["itemCode"], new["itemVersion"])
    actor = identity.Principal(sub=new.get("actor") or "", role=new.get("actorRole") or "")
    record_uses(given, actor, new["pk"], item, new["owner"],
                datetime.fromisoformat(new["updatedAt"]))
    return True


def uploaded(identifier: str, spec: dict, owner_key: str, field: str) -> tuple[dict, bool]:
    """A stored upload of the owner that the version's material takes: (what the case
    keeps of it, whether it was used before)."""
    try:
        record = MaterialRecord.get(identifier, consistent_read=True)
    except MaterialRecord.DoesNotExist:
        record = None
    if record is None or record.owner != owner_key:
        raise _not_accepted(f"the applicant has no material {identifier}", field=field)
    if rules.expired(record.expiresAt, clock.now()):
        raise _not_accepted(f"material {identifier} expired unused: upload it again",
                              field=field)
    if record.state != "stored":
        raise _not_accepted(f"material {identifier} is {record.state}"
                              + (f" ({record.reason})" if record.reason else "")
                              + ": only a stored upload can be named", field=field)
    if record.material and record.material != spec["name"]:
        raise _not_accepted(f"material {identifier} was uploaded for {record.material}, "
                              f"not {spec['name']}", field=field)
    why = rules.reuse_refused(spec, record.createdAt, bool(record.usedIn), clock.now())
    if why:
        raise _not_accepted(why, field=field)
    return {"name": spec["name"], "materialId": identifier, "fileName": record.name,
            "contentType": record.contentType, "size": int(record.size),
            "sha256": record.sha256}, bool(record.usedIn)


def mark_used(identifier: str, case_no: str) -> None:
    """List the case on the material (once, however often it is retried); its first use
    ends its term. The object is tagged used before the record says so, and again after
    (a late "unused" of a notice delivered twice, arrived(), may land in between): the
    bucket never deletes bytes a case names."""
    record = MaterialRecord.get(identifier, consistent_read=True)
    if case_no in (record.usedIn or ()):
        return
    first = not record.usedIn
    key = rules.object_key(identifier)
    if first:
        storage.tag(key, record.versionId, rules.USE_TAG, "used")
    update_if(record,
              [MaterialRecord.usedIn.set((MaterialRecord.usedIn | []).append([case_no])),
               MaterialRecord.expiresAt.remove()],
              MaterialRecord.usedIn.does_not_exist()
              | ~MaterialRecord.usedIn.contains(case_no))
    if first:
        storage.tag(key, record.versionId, rules.USE_TAG, "used")
