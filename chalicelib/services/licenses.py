"""E-licenses: issue (signed by the region's KMS key), read, verify; the keys they are
verified with (this region's published key set, and the keys it recognises)."""
import base64
import functools
import json
import logging
from datetime import date

from pynamodb.exceptions import TransactWriteError

from .. import config
from ..adapters import sealing, signer
from ..adapters.models import (
    CaseRecord,
    LicenseChangeRecord,
    LicenseRecord,
    put_if_absent,
    transact_write,
    update_if,
)
from ..domain import identity, license_proof, license_states, materials
from ..domain.errors import (
    Concealed,
    Conflict,
    Forbidden,
    NotFound,
    UnprocessableEntity,
    ValidationError,
)
from ..domain.identifiers import make_license_identifier, parse_license_identifier
from ..domain.masking import mask_id, mask_text
from . import clock, license_print, usage
from .cases import applicant_in_clear, load, names_id

log = logging.getLogger("onewindow")

VALID_YEARS = 5


def _build_document(case: CaseRecord, item: dict, cfg: config.Config, today: date,
                    holder_id: str) -> dict:
    result = item["result"]
    identifier = make_license_identifier(result["licenseType"], cfg.issuer_uscc, case.pk)
    # 29 February has no twin five years on: such a license runs to 28 February.
    valid_to = date(today.year + VALID_YEARS, today.month,
                    min(today.day, 28 if today.month == 2 else 31))
    return {
        "identifier": identifier,
        "name": result["licenseName"],
        "number": f"{result.get('numberPrefix', 'ZZ')}{case.pk}",
        "typeCode": result["licenseType"],
        "holder": case.applicant.name,
        "holderId": holder_id,
        "holderIdType": case.applicant.idType,
        "issuer": cfg.issuer_name,
        "issuerCode": cfg.issuer_uscc,
        "issueDate": today.isoformat(),
        "validFrom": today.isoformat(),
        "validTo": valid_to.isoformat(),
        "area": cfg.area_code,
        "trustLevel": "A",
        "caseNo": case.pk,
        "itemCode": case.itemCode,
    }


def issue(case: CaseRecord, item: dict) -> str | None:
    """Sign and store the e-license a concluded case earns; None when the item issues
    none. Safe to call any number of times: the identifier is derived from the case
    number, so a second call finds the license issued and returns its identifier."""
    if not (item.get("result") or {}).get("licenseType"):
        return None
    cfg = config.get()
    issued_at = clock.now()
    holder_id = applicant_in_clear(case)["idNumber"]
    document = _build_document(case, item, cfg, clock.local_date(issued_at), holder_id)
    license_id = document["identifier"]
    try:
        LicenseRecord.get(license_id, consistent_read=True)
    except LicenseRecord.DoesNotExist:
        record = _signed_record(document, holder_id, case.pk, issued_at, case.applicant.sub,
                                case.owner, item.get("implementingDept"))
        put_if_absent(record)  # a concurrent delivery may have issued it meanwhile
    return license_id


def _signed_record(document: dict, holder_id: str, case_no: str, issued_at, holder_sub,
                   holder_key, dept: str | None) -> LicenseRecord:
    """A license record: signed as issued (with the clear number), stored masked, the
    number sealed and its keyed hash kept (to tell the holder)."""
    license_id = document["identifier"]
    return LicenseRecord(
        license_id, caseNo=case_no, document={**document, "holderId": mask_id(holder_id)},
        signature=sign(document), issuedAt=issued_at.isoformat(), holderSub=holder_sub,
        sealedHolder=sealing.seal({"holderId": holder_id}, license_id), holderKey=holder_key,
        dept=dept)


def revoke_for_case(case: dict) -> bool:
    """A revoked case's license is revoked with it; True if it was valid until now."""
    if not case.get("licenseId"):
        return False
    return update_if(LicenseRecord(case["licenseId"]), [
        LicenseRecord.state.set("revoked"),
        LicenseRecord.stateReason.set("办件已被撤销 (the case was revoked)"),
        LicenseRecord.stateSince.set(clock.now().isoformat())],
        LicenseRecord.state.is_in("valid", "suspended"))


def signed_license(record: LicenseRecord, document: dict | None = None) -> dict:
    """The license as signed (the holder's number opened), for its holder and the staff
    who may read it; `document`: the signed document when the caller has it already."""
    if document is None:
        document = record.document
        if record.sealedHolder:
            opened = sealing.open_sealed(record.sealedHolder, record.licenseId)
            document = {**document, "holderId": opened["holderId"]}
    return {"license": document, "signature": _low_s(record.signature), "state": record.state,
            **({"supersededBy": record.supersededBy} if record.supersededBy else {})}

def _load(license_id: str, consistent: bool = False) -> LicenseRecord:
    try:
        parse_license_identifier(license_id)
    except (ValidationError, UnprocessableEntity):   # malformed, or a wrong check character
        raise NotFound("no license with that identifier", field="licenseId") from None
    try:
        return LicenseRecord.get(license_id, consistent_read=consistent)
    except LicenseRecord.DoesNotExist:
        raise NotFound(f"no license {license_id}", field="licenseId") from None


def _holds(principal: identity.Principal | None, record: LicenseRecord) -> bool:
    return identity.owns(principal, record.holderSub,
                         names_id(record.holderKey, record.document.get("holderId")))


def _reads_case(principal: identity.Principal, record: LicenseRecord) -> bool:
    """Whether staff read the license's case (and so may know the license exists)."""
    _, _, tasks = load(record.caseNo)
    return identity.reads_case(principal, {task.dept for task in tasks})


def _concealed(record: LicenseRecord) -> Concealed:
    return Concealed(f"no license {record.licenseId}", field="licenseId")


def _read(principal: identity.Principal | None, license_id: str,
          purpose: str | None) -> LicenseRecord:
    """The license record for its holder, and for the staff who read its case, who state
    why (用证事由) and are logged for the holder to see; to anyone else it does not exist."""
    principal = identity.require(principal)
    record = _load(license_id)
    if not _holds(principal, record):
        if not _reads_case(principal, record):
            raise _concealed(record)
        usage.record(record, "view", principal=principal,
                     purpose=usage.stated_purpose(purpose))
    return record


def get(principal: identity.Principal | None, license_id: str,
        purpose: str | None = None) -> dict:
    """The signed license (who may read it: `_read`)."""
    return signed_license(_read(principal, license_id, purpose))


def annotated_copy(principal: identity.Principal | None, license_id: str, purpose: str,
                   valid_until: str) -> dict:
    """A copy of the license annotated with what it is for and until when (加注件),
    signed over the license and the annotation together: its holder hands it to one
    recipient, who verifies that it was given for this purpose and has not run out."""
    principal = identity.require(principal)
    record = _load(license_id)
    if not _holds(principal, record):
        if _reads_case(principal, record):
            raise Forbidden("only the holder makes an annotated copy of its license")
        raise _concealed(record)
    status = public_status(record)
    if status["status"] != "valid":
        raise Conflict(f"a {status['status']} license has no copies made",
                       code="license_state")
    signed = signed_license(record)
    today = clock.local_date(clock.now()).isoformat()
    if not today <= valid_until <= signed["license"]["validTo"]:
        raise UnprocessableEntity("validUntil must be from today to the license's validTo",
                              field="validUntil")
    annotation = {"purpose": usage.stated_purpose(purpose), "validUntil": valid_until,
                  "annotatedAt": clock.now().isoformat(), "copyOf": license_id}
    copy = {"license": signed["license"], "annotation": annotation}
    return {**copy, "signature": sign(license_proof.signed_content(copy))}


def printable(principal: identity.Principal | None, license_id: str,
              purpose: str | None, base_url: str, kind: str = "html") -> str | bytes:
    """The license as a printable page or PDF (`kind`) with its verification QR code,
    for whoever may read it (a staff member's read is logged, as for the JSON)."""
    record = _read(principal, license_id, purpose)
    render = license_print.RENDERERS[kind]
    return render(signed_license(record), public_status(record), base_url)


def public_status(record: LicenseRecord) -> dict:
    """What anyone is told of a license: its status and why, never who holds it."""
    today = clock.local_date(clock.now())
    found = {"identifier": record.licenseId, "name": record.document.get("name"),
             "issuer": record.document.get("issuer"), "area": record.document.get("area"),
             "validTo": record.document.get("validTo"),
             "status": license_states.status(record.state, record.document.get("validTo", ""),
                                             today),
             "statusReason": record.stateReason, "statusSince": record.stateSince,
             "supersededBy": record.supersededBy}
    return {k: v for k, v in found.items() if v is not None}


def accepted_in_case(ref: dict, spec: dict, holder_id: str, field: str) -> dict:
    """A license standing in for a material (免提交, 证照互认): this region's named by its
    identifier, or any recognised region's as signed. It must verify now, be valid, be
    held by the applicant and be of a type and trust level the version's material takes.
    What the case keeps of it (the reviewer's proof it was verified)."""
    record = None
    if ref.get("licenseId") is not None:
        field = f"{field}.licenseId"
        try:
            record = _load(ref["licenseId"], consistent=True)
        except NotFound:
            pass
        if record is None or not names_id(record.holderKey,
                                          record.document.get("holderId"))(holder_id):
            raise UnprocessableEntity(f"the applicant holds no license {ref['licenseId']}",
                                      field=field, code="material_not_accepted")
        signed = signed_license(record)
    else:
        field = f"{field}.license"
        signed = ref["license"]
    verdict = license_proof.verify(signed, known_keys(), clock.local_date(clock.now()))
    if not verdict.valid:
        raise UnprocessableEntity(f"the license does not verify: {verdict.reason}",
                                  field=field, code="license_not_valid")
    document, area = signed["license"], verdict.area
    if record is None and area == config.get().area_code:
        try:  # this region's license, given as signed: its library says how it stands
            record = _load(verdict.identifier, consistent=True)
        except NotFound:
            raise UnprocessableEntity("the license is not in this region's library",
                                      field=field, code="license_not_valid") from None
    if record is None and str(document.get("holderId", "")).upper() != holder_id:
        raise UnprocessableEntity("the license is not the applicant's", field=field,
                                  code="material_not_accepted")
    if record is not None:
        status = public_status(record)["status"]
        if status != "valid":
            raise UnprocessableEntity(f"the license is {status}", field=field,
                                      code="license_not_valid")
    why = materials.replacement_refused(spec, document.get("typeCode"),
                                        document.get("trustLevel"))
    if why:
        raise UnprocessableEntity(why, field=field, code="material_not_accepted")
    return {"name": spec["name"], "license": {
        "identifier": verdict.identifier, "name": document.get("name"),
        "typeCode": document.get("typeCode"), "trustLevel": document.get("trustLevel"),
        "issuer": document.get("issuer"), "area": area, "validTo": document.get("validTo"),
        "kid": verdict.kid, "verified": True, "verifiedAt": clock.now().isoformat()}}


def status_of(license_id: str) -> dict:
    """GET /licenses/{id}/status: public, what the QR code on a printed license opens."""
    return public_status(_load(license_id))


def _issuing_department(principal: identity.Principal, record: LicenseRecord) -> None:
    """Only the issuing department's own staff change a license; to staff who may not
    even read it, it does not exist."""
    if principal.role in identity.DEPARTMENT_STAFF and record.dept and \
            principal.dept == record.dept:
        return
    if not _reads_case(principal, record):
        raise _concealed(record)
    raise Forbidden(f"only the issuing department ({record.dept}) changes this license")


def _change(principal: identity.Principal, record: LicenseRecord, action: str,
            reason: str, at: str, **fields) -> dict:
    after = license_states.target(action, record.state)
    reason = mask_text(reason)
    step = {"action": action, "from": record.state, "to": after, "reason": reason,
            "by": principal.sub, "at": at, **fields}
    return {"state": after, "step": step,
            "actions": [LicenseRecord.state.set(after), LicenseRecord.stateReason.set(reason),
                        LicenseRecord.stateSince.set(at),
                        LicenseRecord.history.set((record.history or []) + [step])]}


def _on_timeline(record: LicenseRecord, step: dict, principal: identity.Principal):
    """The change as its case's timeline shows it (written in the same transaction)."""
    return LicenseChangeRecord(
        record.caseNo, f"LICENSE#{step['at']}#{record.licenseId}#{step['action']}",
        licenseId=record.licenseId, action=step["action"], fromState=step["from"],
        toState=step["to"], reason=step["reason"], by=principal.sub, byRole=principal.role,
        byName=identity.staff_name(principal),
        dept=record.dept, at=step["at"], supersededBy=step.get("supersededBy"),
        itemCode=_item_code(record))


def _item_code(record: LicenseRecord) -> str:
    """The item of the case the license came from (its events name it, as every event
    does): the signed document says it; one signed before it did, its case."""
    return record.document.get("itemCode") or load(record.caseNo)[0].itemCode


def _write_change(record: LicenseRecord, change: dict, principal: identity.Principal,
                  *also) -> None:
    """The license's change and its line on the case's timeline, in one transaction;
    409 when the license changed meanwhile. `also`: more to save with them."""
    try:
        with transact_write() as transaction:
            for model in also:
                transaction.save(model, condition=LicenseRecord.licenseId.does_not_exist())
            transaction.update(record, change["actions"],
                               condition=LicenseRecord.state == record.state)
            if record.caseNo:
                transaction.save(_on_timeline(record, change["step"], principal),
                                 condition=LicenseChangeRecord.sk.does_not_exist())
    except TransactWriteError:
        raise Conflict(f"license {record.licenseId} changed meanwhile; reload it",
                       code="license_changed") from None


def change_state(principal: identity.Principal | None, license_id: str, action: str,
                 reason: str) -> dict:
    """Suspend, resume or revoke a license (its issuing department, with a reason)."""
    principal = identity.require_role(principal, *identity.DEPARTMENT_STAFF)
    record = _load(license_id, consistent=True)
    _issuing_department(principal, record)
    change = _change(principal, record, action, reason, clock.now().isoformat())
    _write_change(record, change, principal)
    log.info("license %s %s -> %s by %s", license_id, change["step"]["from"],
             change["state"], principal.sub)
    step = change["step"]
    record.state, record.stateReason, record.stateSince = step["to"], step["reason"], \
        step["at"]
    return public_status(record)


def reissue(principal: identity.Principal | None, license_id: str, changes: dict,
            reason: str) -> dict:
    """A new version of the license (a renamed holder, a renewal): signed and stored,
    the old version superseded, both in one transaction."""
    principal = identity.require_role(principal, *identity.DEPARTMENT_STAFF)
    record = _load(license_id, consistent=True)
    _issuing_department(principal, record)
    now = clock.now()
    signed = signed_license(record)["license"]
    document = license_states.reissued(signed, changes, clock.local_date(now))
    new_id = document["identifier"]
    change = _change(principal, record, "reissue", reason, now.isoformat(),
                     supersededBy=new_id)
    change["actions"].append(LicenseRecord.supersededBy.set(new_id))
    successor = _signed_record(document, signed["holderId"], record.caseNo, now,
                               record.holderSub, record.holderKey, record.dept)
    successor.supersedes = license_id
    _write_change(record, change, principal, successor)
    log.info("license %s superseded by %s", license_id, new_id)
    return signed_license(successor, document)


def _low_s(signature: dict) -> dict:
    """A stored signature as verifiers accept it: one signed before signatures were
    normalised may be the high-S twin, served as its low-S one (the same proof)."""
    try:
        der = base64.b64decode(signature["value"], validate=True)
        return {**signature, "value": base64.b64encode(
            license_proof.low_s(der)).decode("ascii")}
    except (KeyError, TypeError, ValueError):
        return signature


def sign(document: dict) -> dict:
    """The region's signature over the document's RFC 8785 form, naming its key by kid."""
    cfg = config.get()
    signature = {**signer.sign(cfg.signing_key_id, license_proof.signed_bytes(
        document, {"canonicalization": license_proof.CANONICALIZATION})),
        "canonicalization": license_proof.CANONICALIZATION}
    return {**signature, "kid": _current_key(signature["keyId"])["kid"]}


def _current_key(key_arn: str | None = None) -> dict:
    cfg = config.get()
    return _jwk(key_arn or signer.key_arn(cfg.signing_key_id), cfg.issuer_name,
                cfg.issuer_uscc, cfg.area_code, cfg.signing_key_valid_from)


@functools.lru_cache(maxsize=16)
def _jwk(key_arn: str, issuer: str, issuer_code: str, area: str,
         valid_from: str | None) -> dict:
    # Every verification and signature needs it: the key parsed and hashed once.
    return license_proof.jwk_of(signer.public_key_der(key_arn), keyArn=key_arn,
                                issuer=issuer, issuerCode=issuer_code, area=area,
                                validFrom=valid_from)


@functools.lru_cache(maxsize=4)
def _trust_list(path: str | None) -> tuple[list[dict], list[dict]]:
    if not path:
        return [], []
    with open(path, encoding="utf-8") as file:
        return license_proof.trust_list(json.load(file))


def check_trust_list(path: str) -> None:
    """Read and check the trust list now (ValueError naming the bad key)."""
    _trust_list.cache_clear()
    _trust_list(path)


def own_keys() -> list[dict]:
    """This region's keys: the signing key, then the retired ones older licenses name."""
    cfg = config.get()
    retired, _ = _trust_list(cfg.trust_list_file)
    own = {"issuer": cfg.issuer_name, "issuerCode": cfg.issuer_uscc, "area": cfg.area_code}
    return [_current_key(), *({**own, **key} for key in retired)]


def known_keys() -> list[dict]:
    """Every key a license is verified with here: this region's and the regions it
    recognises (证照互认)."""
    _, regions = _trust_list(config.get().trust_list_file)
    return own_keys() + regions


def jwks() -> dict:
    """The published key set (/.well-known/license-keys): anyone verifies offline with it."""
    return {"keys": own_keys()}


def public_keys() -> dict:
    cfg = config.get()
    return {"issuer": cfg.issuer_name, "issuerCode": cfg.issuer_uscc,
            "keys": [{"keyId": key.get("keyArn") or key["kid"], "kid": key["kid"],
                      "alg": signer.ALGORITHM,
                      "publicKeyPem": license_proof.pem_of(key)} for key in own_keys()]}


def verify(body, principal: identity.Principal | None = None,
           source: str | None = None) -> dict:
    """Answer valid / invalid with the reason; anyone may ask, no login needed. The
    signature is checked as anyone would offline (domain/license_proof.py); a license of
    this region is then looked up in its library, and the verification logged for its
    holder with the purpose the verifier states (the holder's own verification is not)."""
    if not isinstance(body, dict):
        raise ValidationError("the request body must be a JSON object", field="body")
    document, signature = body.get("license"), body.get("signature")
    if not isinstance(document, dict):
        raise ValidationError("license must be the license object", field="license")
    if not isinstance(signature, dict) or not isinstance(signature.get("value"), str) \
            or not isinstance(signature.get("keyId"), str):
        raise ValidationError("signature must carry keyId and value", field="signature")
    organisation = None
    # Every verifier states a purpose (api/licenses.py takes it from the query); the
    # holder's own verification is not logged all the same.
    purpose = usage.stated_purpose(body.get("purpose"))
    if body.get("organisation"):
        organisation = mask_text(str(body["organisation"]))
    verdict = license_proof.verify(body, known_keys(), clock.local_date(clock.now()))
    answer = verdict.as_dict()
    if verdict.annotation:
        answer["annotation"] = {k: verdict.annotation[k] for k in ("purpose", "validUntil")}
    if not verdict.valid or answer["area"] != config.get().area_code:
        return answer
    try:
        record = LicenseRecord.get(verdict.identifier)
    except LicenseRecord.DoesNotExist:
        return {**answer, "valid": False, "reason": "not_in_library"}
    if not _holds(principal, record):
        if principal is None:   # repeats folded, bounded per day (services/usage.py)
            usage.anonymous_verification(record, purpose=purpose, organisation=organisation,
                                         source=source)
        else:
            usage.record(record, "verify", principal=principal, purpose=purpose,
                         organisation=organisation, source=source)
    status = public_status(record)
    answer.update({k: status[k] for k in ("status", "statusReason", "statusSince",
                                          "supersededBy") if k in status})
    if status["status"] != "valid":
        return {**answer, "valid": False, "reason": status["status"]}
    return answer
