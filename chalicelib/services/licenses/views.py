"""What a license record shows: the signed license (to its holder and the staff who may
read it) and its public status (to anyone)."""
import base64

from ...adapters import sealing
from ...adapters.models import LicenseRecord
from ...domain import license_proof, license_states
from .. import clock


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


def _low_s(signature: dict) -> dict:
    """A stored signature as verifiers accept it: one signed before signatures were
    normalised may be the high-S twin, served as its low-S one (the same proof). An SM2
    signature has no twin: as it is."""
    if signature.get("alg", license_proof.KMS_ALGORITHM) != license_proof.KMS_ALGORITHM:
        return signature
    try:
        der = base64.b64decode(signature["value"], validate=True)
        return {**signature, "value": base64.b64encode(
            license_proof.low_s(der)).decode("ascii")}
    except (KeyError, TypeError, ValueError):
        return signature


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
