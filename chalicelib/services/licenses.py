"""E-licenses: issue (signed by the region's KMS key), read, verify."""
import base64
import logging
from datetime import date


from .. import config
from ..adapters import sealing, signer
from ..adapters.models import CaseRecord, LicenseRecord, put_if_absent, update_if
from ..domain import identity
from ..domain.canonical import canonical_bytes
from ..domain.errors import Concealed, NotFound, ValidationError
from ..domain.identifiers import make_license_identifier, parse_license_identifier
from ..domain.masking import mask_id
from . import clock
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
        # Signed as issued (with the clear number); stored masked, the number sealed.
        record = LicenseRecord(
            license_id, caseNo=case.pk, document={**document, "holderId": mask_id(holder_id)},
            signature=signer.sign(cfg.signing_key_id, canonical_bytes(document)),
            issuedAt=issued_at.isoformat(), holderSub=case.applicant.sub,
            sealedHolder=sealing.seal({"holderId": holder_id}, license_id),
            holderKey=case.owner)  # the keyed hash of the same number
        put_if_absent(record)  # a concurrent delivery may have issued it meanwhile
    return license_id


def revoke_for_case(case: dict) -> bool:
    """A revoked case's license is revoked with it; True if it was valid until now."""
    if not case.get("licenseId"):
        return False
    return update_if(LicenseRecord(case["licenseId"]), [LicenseRecord.state.set("revoked")],
                     LicenseRecord.state == "valid")


def signed_license(record: LicenseRecord) -> dict:
    """The license as signed (the holder's number opened), for its holder and the staff
    who may read it."""
    document = record.document
    if record.sealedHolder:
        opened = sealing.open_sealed(record.sealedHolder, record.licenseId)
        document = {**document, "holderId": opened["holderId"]}
    return {"license": document, "signature": record.signature, "state": record.state}



def get(principal: identity.Principal | None, license_id: str) -> dict:
    principal = identity.require(principal)
    try:
        parse_license_identifier(license_id)
    except ValidationError:
        raise NotFound("no license with that identifier", field="licenseId") from None
    try:
        record = LicenseRecord.get(license_id)
    except LicenseRecord.DoesNotExist:
        raise NotFound(f"no license {license_id}", field="licenseId") from None
    if not identity.owns(principal, record.holderSub,
                         names_id(record.holderKey, record.document.get("holderId"))):
        # Staff read it as they read its case; to anyone else it does not exist.
        _, _, tasks = load(record.caseNo)
        if not identity.reads_case(principal, {task.dept for task in tasks}):
            raise Concealed(f"no license {license_id}", field="licenseId")
    return signed_license(record)


def public_keys() -> dict:
    cfg = config.get()
    return {"issuer": cfg.issuer_name, "issuerCode": cfg.issuer_uscc,
            "keys": [{"keyId": key_id, "alg": signer.ALGORITHM,
                      "publicKeyPem": signer.public_key_pem(key_id)}
                     for key_id in _trusted_keys(cfg)]}


def _trusted_keys(cfg: config.Config) -> list[str]:
    # This region's key. Recognising other regions' keys is the mutual-recognition issue.
    key_arn = signer.key_arn(cfg.signing_key_id)
    return [key_arn]


def verify(body) -> dict:
    """Answer valid / invalid with the reason; anyone may ask, no login needed."""
    if not isinstance(body, dict):
        raise ValidationError("the request body must be a JSON object", field="body")
    document, signature = body.get("license"), body.get("signature")
    if not isinstance(document, dict):
        raise ValidationError("license must be the license object", field="license")
    if not isinstance(signature, dict) or not isinstance(signature.get("value"), str) \
            or not isinstance(signature.get("keyId"), str):
        raise ValidationError("signature must carry keyId and value", field="signature")
    identifier = document.get("identifier")

    def answer(valid: bool, reason: str | None) -> dict:
        return {"valid": valid, "reason": reason, "identifier": identifier}

    try:
        parse_license_identifier(identifier)
    except ValidationError:
        return answer(False, "bad_identifier")
    cfg = config.get()
    if signature.get("alg") != signer.ALGORITHM:
        return answer(False, "unsupported_algorithm")
    if signature["keyId"] not in _trusted_keys(cfg):
        return answer(False, "unknown_key")
    try:
        base64.b64decode(signature["value"], validate=True)
    except ValueError:
        return answer(False, "signature_mismatch")
    if not signer.verify(signer.public_key_der(signature["keyId"]),
                         canonical_bytes(document), signature["value"]):
        return answer(False, "signature_mismatch")
    try:
        if LicenseRecord.get(identifier).state == "revoked":
            return answer(False, "revoked")
    except LicenseRecord.DoesNotExist:
        return answer(False, "not_in_library")
    if str(document.get("validTo", "")) < clock.local_date(clock.now()).isoformat():
        return answer(False, "expired")
    return answer(True, None)
