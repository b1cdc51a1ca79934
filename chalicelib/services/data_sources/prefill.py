"""免填: an application's form filled from the data the government holds, each value with
its source; materials a registry record stands in for, with the record's hash.

The answer carries a token (signed, bound to the applicant, item version and consent,
valid for PREFILL_HOURS) naming each value's source by its hash. The application hands it
back: the case records which values came from which source, refuses a change to a value
the version does not let the applicant change, and takes the registry records in place of
their materials — with nothing asked of a registry a second time."""
import base64
import hashlib
import hmac
import json
import time
from typing import Any

from ...adapters import secrets
from ...adapters.models import CaseRecord
from ...domain import data_use, identifiers, identity
from ...domain.canonical import canonical_bytes
from ...domain.errors import Forbidden, UnprocessableEntity
from .. import catalogue
from ..at_once import map_at_once
from ..case_access import META
from ..holders import form_in_clear, holder_key
from ..license_library import LicenseLibrary
from ..licenses import public_status
from . import consents
from .queries import Answer, ask

PREFILL_HOURS = 2
LAST_CASES_READ = 50
LICENSES_READ = 50


def _digest(value: Any) -> str:
    return hashlib.sha256(canonical_bytes(value)).hexdigest()[:32]


def prefill(library: LicenseLibrary, principal: identity.Principal | None, code: str,
            for_company: str | None, consent_id: str | None) -> dict:
    """The form of the item's published version, filled for the caller (or the company
    it is an agent of) from the sources its fields name (its licenses from `library`)."""
    principal = identity.require_role(principal, identity.APPLICANT)
    holder = holder_key(principal, for_company, "prefilled forms")
    item = catalogue.published_item(code)
    named = (for_company or principal.id_number or "").strip().upper()
    # A company signs in with its USCC, or an agent names it (`for`).
    subject = {"type": "natural" if identifiers.is_valid_id_number(named, "natural")
               else "legal", "idNumber": named}
    sources = data_use.field_sources(item.get("formSchema", {}))
    by_data = data_use.data_materials(item)
    needed = [name for name in data_use.REGISTRIES
              if name in {s.source for s in sources} | set(by_data.values())
              and data_use.subject_of(name, subject)]
    if needed and not consent_id:
        raise Forbidden("consent to the item's use of your data first (POST /me/consents)",
                        field="consent", code="consent_required")
    purpose = data_use.stated("person", principal.sub, (item.get("dataUse") or {})
                              .get("purpose"), f"consent:{consent_id}",
                              item=(item["code"], int(item["version"]))) if needed else None

    def asked(registry: str) -> Answer:
        # Only the fields the form maps; the whole record where it stands in for a
        # material (its hash is the evidence).
        fields = None if registry in by_data.values() else sorted(
            {s.path for s in sources if s.source == registry})
        return ask(registry, data_use.subject_of(registry, subject), purpose, fields)
    answers = dict(zip(needed, map_at_once(asked, needed), strict=True)) if needed else {}
    last = _last_case_form(holder, item["code"]) if any(
        s.source == data_use.LAST_CASE for s in sources) else None
    held = _licenses_held(library, holder) if any(
        s.source == data_use.LICENSE for s in sources) else {}
    fields, signed = {}, {}
    for source in sources:
        if source.source == data_use.LICENSE:
            type_code, _, name = source.path.partition(".")
            record, path = held.get(type_code), name
        else:
            record = last if source.source == data_use.LAST_CASE else \
                (answers.get(source.source) or Answer(source.source, None, None, "")).record
            path = source.path
        if not record or record.get(path) is None:
            continue
        value = record[path]
        fields[source.field] = {"value": value, "source": f"{source.source}.{source.path}",
                                "sourceName": data_use.SOURCES[source.source],
                                "editable": source.editable}
        signed[source.field] = [f"{source.source}.{source.path}", _digest(value),
                                source.editable]
    materials = [{"name": name, "registry": registry,
                  "sourceName": data_use.REGISTRIES[registry],
                  "sha256": hashlib.sha256(canonical_bytes(answers[registry].record)).hexdigest(),
                  "fetchedAt": answers[registry].at}
                 for name, registry in by_data.items()
                 if registry in answers and answers[registry].record is not None]
    notes = [{"registry": a.registry, "note": a.note + "，请手动填写"}
             for a in answers.values() if a.note]
    token = _sign({"i": item["code"], "v": int(item["version"]), "c": consent_id,
                   "x": int(time.time()) + PREFILL_HOURS * 3600, "f": signed,
                   "m": [[m["name"], m["registry"], m["sha256"], m["fetchedAt"]]
                         for m in materials]}, holder)
    return {"itemCode": item["code"], "itemVersion": int(item["version"]),
            "fields": fields, "materials": materials, "notes": notes,
            "token": token if (fields or materials) else None}


# The token: base64url JSON and its HMAC-SHA256, bound to the applicant's holder key,
# under the cursor secret with a domain of its own (never taken for a page cursor).
MAX_TOKEN = 8192


def _mac(raw: bytes, holder: str) -> bytes:
    return hmac.new(secrets.cursor().encode(), b"prefill:" + holder.encode() + b":" + raw,
                    hashlib.sha256).digest()


def _sign(said: dict, holder: str) -> str:
    raw = json.dumps(said, separators=(",", ":"), sort_keys=True).encode()
    return f"{_b64(raw)}.{_b64(_mac(raw, holder))}"


def _verified(token: str, holder: str) -> dict | None:
    """What a token says, if it is one this service signed for `holder`; else None."""
    if len(token) > MAX_TOKEN or not token.isascii() or token.count(".") != 1:
        return None
    body, mac = token.split(".")
    try:
        raw = _unb64(body)
        if not hmac.compare_digest(_unb64(mac), _mac(raw, holder)):
            return None
        said = json.loads(raw)
    except ValueError:
        return None
    return said if isinstance(said, dict) else None


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode((text + "=" * (-len(text) % 4)).encode("ascii"))


def _licenses_held(library: LicenseLibrary, holder: str) -> dict[str, dict]:
    """The newest valid license of each type the holder holds, by type code: its
    document (the applicant's own data, in our own records: no registry is asked)."""
    found: dict[str, dict] = {}
    for record in library.held_by(holder, limit=LICENSES_READ).records:
        document = record.document
        if document.get("typeCode") not in found and public_status(record)["status"] == "valid":
            found[document["typeCode"]] = document
    return found


def _last_case_form(holder: str, code: str) -> dict | None:
    """The form of the applicant's last case of the item, in clear (its own data)."""
    for index, case in enumerate(CaseRecord.by_owner.query(holder, scan_index_forward=False)):
        if index >= LAST_CASES_READ:
            return None
        if case.itemCode == code:
            form = form_in_clear(CaseRecord.get(case.pk, META))
            return form or None
    return None


def prefilled_in_application(token: str | None, consent_id: str | None, item: dict,
                             owner_key: str, form: dict) -> dict | None:
    """What an application's prefill token says of its form and materials — the case's
    `dataUse` — or None without a token; 422 when the token is not this applicant's for
    this version, or a value the version does not let the applicant change was changed."""
    if consent_id:
        # A consent given for this item version by this applicant, and not revoked.
        consents.require(owner_key, consent_id, (item["code"], int(item["version"])))
    if not token:
        return {"consentId": consent_id} if consent_id else None
    said = _verified(token, owner_key)
    if not said or said.get("i") != item["code"] or said.get("v") != int(item["version"]) \
            or said.get("x", 0) < time.time() or said.get("c") != consent_id:
        raise UnprocessableEntity("the prefill token is not this applicant's for this item "
                                  "version and consent, or it has expired", field="prefill",
                                  code="prefill_not_valid")
    sources, changed = {}, []
    for field, (source, digest, editable) in said["f"].items():
        if field in form and _digest(form[field]) == digest:
            sources[field] = source
        elif editable:
            changed.append(field)
        else:
            raise UnprocessableEntity(f"form.{field} was filled from {source} and may not be "
                                      "changed", field=f"form.{field}",
                                      code="prefilled_field_locked")
    return {"consentId": consent_id, "sources": sources, "changed": changed,
            "materials": [{"name": name, "registry": registry, "sha256": sha256,
                           "fetchedAt": at} for name, registry, sha256, at in said["m"]]}


