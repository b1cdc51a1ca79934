"""Verifying a signed license: anyone, no login needed; logged for its holder."""
from ... import config
from ...adapters.models import LicenseRecord
from ...domain import identity, license_proof
from ...domain.errors import ValidationError
from ...domain.masking import mask_text
from .. import clock, usage
from ..license_library import LicenseLibrary
from .access import holds
from .keys import known_keys
from .views import public_status


def verify(library: LicenseLibrary, body, principal: identity.Principal | None = None,
           source: str | None = None) -> dict:
    """Answer valid / invalid with the reason; anyone may ask, no login needed. The
    signature is checked as anyone would offline (domain/license_proof.py); a license of
    this region is then looked up in its library, and the verification logged for its
    holder with the purpose the verifier states (the holder's own verification is not)."""
    _check_shape(body)
    # Every verifier states a purpose (api/licenses.py takes it from the query); the
    # holder's own verification is not logged all the same.
    purpose = usage.stated_purpose(body.get("purpose"))
    organisation = mask_text(str(body["organisation"])) if body.get("organisation") else None
    verdict = license_proof.verify(body, known_keys(), clock.local_date(clock.now()))
    answer = verdict.as_dict()
    if verdict.annotation:
        answer["annotation"] = {k: verdict.annotation[k] for k in ("purpose", "validUntil")}
    if not verdict.valid or answer["area"] != config.get().area_code:
        return answer
    record = library.get(verdict.identifier)
    if record is None:
        return {**answer, "valid": False, "reason": "not_in_library"}
    if not holds(principal, record):
        _log_for_holder(record, principal, purpose, organisation, source)
    status = public_status(record)
    answer.update({k: status[k] for k in ("status", "statusReason", "statusSince",
                                          "supersededBy") if k in status})
    if status["status"] != "valid":
        return {**answer, "valid": False, "reason": status["status"]}
    return answer


def _check_shape(body) -> None:
    """A signed license as a request carries it: the license object and a signature with
    its key and value (400 naming the field otherwise)."""
    if not isinstance(body, dict):
        raise ValidationError("the request body must be a JSON object", field="body")
    if not isinstance(body.get("license"), dict):
        raise ValidationError("license must be the license object", field="license")
    signature = body.get("signature")
    if not isinstance(signature, dict) or not isinstance(signature.get("value"), str) \
            or not isinstance(signature.get("keyId"), str):
        raise ValidationError("signature must carry keyId and value", field="signature")


def _log_for_holder(record: LicenseRecord, principal: identity.Principal | None,
                    purpose: str, organisation: str | None,
                    source: str | None) -> None:
    """Someone other than the holder verified the license: its holder's log says so
    (an anonymous verifier's repeats folded, bounded per day: services/usage.py)."""
    if principal is None:
        usage.anonymous_verification(record, purpose=purpose, organisation=organisation,
                                     source=source)
    else:
        usage.record(record, "verify", principal=principal, purpose=purpose,
                     organisation=organisation, source=source)
