"""E-licenses: issue (signed by the region's KMS key), read, verify; the keys they are
verified with (this region's published key set, and the keys it recognises)."""
import functools
import json
import logging
from datetime import date

from .. import config
from ..adapters import sealing, signer
from ..adapters.models import CaseRecord, LicenseRecord, put_if_absent, update_if
from ..domain import identity
from ..domain import license_proof
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
            signature=sign(document),
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


def sign(document: dict) -> dict:
    """The region's signature over the document's RFC 8785 form, naming its key by kid."""
    cfg = config.get()
    signature = {**signer.sign(cfg.signing_key_id, license_proof.signed_bytes(
        document, {"canonicalization": license_proof.CANONICALIZATION})),
        "canonicalization": license_proof.CANONICALIZATION}
    return {**signature, "kid": _current_key(signature["keyId"])["kid"]}


def _current_key(key_arn: str | None = None) -> dict:
    cfg = config.get()
    key_arn = key_arn or signer.key_arn(cfg.signing_key_id)
    return license_proof.jwk_of(signer.public_key_der(key_arn), keyArn=key_arn,
                                issuer=cfg.issuer_name, issuerCode=cfg.issuer_uscc,
                                area=cfg.area_code, validFrom=cfg.signing_key_valid_from)


@functools.lru_cache(maxsize=4)
def _trust_list(path: str | None) -> tuple[list[dict], list[dict]]:
    if not path:
        return [], []
    with open(path, encoding="utf-8") as file:
        return license_proof.trust_list(json.load(file))


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


def verify(body) -> dict:
    """Answer valid / invalid with the reason; anyone may ask, no login needed. The
    signature is checked as anyone would offline (domain/license_proof.py); a license of
    this region is then looked up in its library."""
    if not isinstance(body, dict):
        raise ValidationError("the request body must be a JSON object", field="body")
    document, signature = body.get("license"), body.get("signature")
    if not isinstance(document, dict):
        raise ValidationError("license must be the license object", field="license")
    if not isinstance(signature, dict) or not isinstance(signature.get("value"), str) \
            or not isinstance(signature.get("keyId"), str):
        raise ValidationError("signature must carry keyId and value", field="signature")
    keys = known_keys()
    verdict = license_proof.verify(body, keys, clock.local_date(clock.now()))
    key = license_proof.find_key(keys, signature)
    answer = {**verdict.as_dict(), "area": key.get("area") if key else None}
    if not verdict.valid or answer["area"] != config.get().area_code:
        return answer
    try:
        if LicenseRecord.get(verdict.identifier).state == "revoked":
            return {**answer, "valid": False, "reason": "revoked"}
    except LicenseRecord.DoesNotExist:
        return {**answer, "valid": False, "reason": "not_in_library"}
    return answer
