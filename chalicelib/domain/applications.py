"""What an application must contain; pure validation, every error names its field."""
import hashlib
import hmac
from dataclasses import dataclass
from typing import Any

from . import documents, identifiers, payload
from .canonical import canonical_bytes
from .documents import conform
from .errors import UnprocessableEntity

# applicant type -> the type code of its ID number on the case
ID_TYPES = {"natural": "111", "legal": "001"}


@dataclass(frozen=True)
class Application:
    item_code: str
    applicant: dict[str, Any]
    form: dict[str, Any]
    materials: list[dict[str, Any]]
    channel: str
    consent_id: str | None = None
    prefill: str | None = None


def parse_application(body: object) -> Application:
    """An application as the domain takes it: the document's shape (documents.Application),
    then the applicant's ID number by its own check digit."""
    document = conform(body, documents.Application)
    raw = document.applicant
    # A name is one line of visible text: not even a line break (any body's text refuses
    # the other control and format characters).
    payload.check_text(raw.name, "applicant.name", payload.NAME_ALLOWS)
    id_number = raw.idNumber.strip().upper()
    if not identifiers.is_valid_id_number(id_number, raw.type):
        what = "公民身份号码" if raw.type == "natural" else "统一社会信用代码"
        raise UnprocessableEntity(f"applicant.idNumber is not a valid {what} (its check "
                                  "character)", field="applicant.idNumber",
                                  code="bad_check_character")
    applicant = {"type": raw.type, "name": raw.name.strip(), "idType": ID_TYPES[raw.type],
                 "idNumber": id_number}
    if raw.phone is not None:
        applicant["phone"] = raw.phone
    materials = [material_ref(m) for m in document.materials]
    return Application(document.itemCode.strip(), applicant, document.form, materials,
                       document.channel, document.consentId, document.prefill)


def material_ref(ref: documents.MaterialRef) -> dict[str, Any]:
    """A material as named in an application or supplement: its name and what stands for
    it (an upload's id, a license's identifier, a signed license, or how a clerk checked
    it at the counter)."""
    return {k: v for k, v in (("name", ref.name.strip()), ("materialId", ref.materialId),
                              ("licenseId", ref.licenseId), ("license", ref.license),
                              ("checkedAtCounter", ref.checkedAtCounter))
            if v is not None}


def request_hash(body: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_bytes(body)).hexdigest()


def query_password(secret: str, case_no: str) -> str:
    """The 6-digit query password of a case, derived (HMAC) rather than stored, so a
    retried application returns the same password and the database holds none."""
    digest = hmac.new(secret.encode(), b"query-password:" + case_no.encode(),
                      hashlib.sha256).digest()
    return f"{int.from_bytes(digest[:8], 'big') % 10**6:06d}"


def password_matches(secret: str, case_no: str, given: str | None) -> bool:
    if not given:
        return False
    return given.isascii() and hmac.compare_digest(query_password(secret, case_no), given)
