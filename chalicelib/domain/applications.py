"""What an application must contain; pure validation, every error names its field."""
import hashlib
import hmac
import re
from dataclasses import dataclass

from stdnum.cn import ric, uscc

from .canonical import canonical_bytes
from .errors import ValidationError

CHANNELS = ("web", "miniprogram", "api", "counter")
APPLICANT_TYPES = {"natural": ("111", ric), "legal": ("001", uscc)}
_PHONE_RE = re.compile(r"^1\d{10}$")


@dataclass(frozen=True)
class Application:
    item_code: str
    applicant: dict
    form: dict
    materials: list
    channel: str


def _text(body: dict, field: str, path: str, max_len: int = 200) -> str:
    value = body.get(field)
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(f"{path} is required and must be a non-empty string", field=path)
    if len(value) > max_len:
        raise ValidationError(f"{path} is longer than {max_len} characters", field=path)
    return value.strip()


def parse_application(body) -> Application:
    if not isinstance(body, dict):
        raise ValidationError("the request body must be a JSON object", field="body")
    item_code = _text(body, "itemCode", "itemCode", 64)
    raw = body.get("applicant")
    if not isinstance(raw, dict):
        raise ValidationError("applicant is required and must be an object", field="applicant")
    kind = raw.get("type")
    if kind not in APPLICANT_TYPES:
        raise ValidationError("applicant.type must be 'natural' or 'legal'",
                              field="applicant.type")
    id_type, scheme = APPLICANT_TYPES[kind]
    id_number = _text(raw, "idNumber", "applicant.idNumber", 18).upper()
    if not scheme.is_valid(id_number):
        what = "公民身份号码" if kind == "natural" else "统一社会信用代码"
        raise ValidationError(f"applicant.idNumber is not a valid {what}",
                              field="applicant.idNumber")
    applicant = {"type": kind, "name": _text(raw, "name", "applicant.name", 100),
                 "idType": id_type, "idNumber": id_number}
    phone = raw.get("phone")
    if phone is not None:
        if not isinstance(phone, str) or not _PHONE_RE.match(phone):
            raise ValidationError("applicant.phone must be an 11-digit mobile number",
                                  field="applicant.phone")
        applicant["phone"] = phone
    form = body.get("form", {})
    if not isinstance(form, dict):
        raise ValidationError("form must be an object", field="form")
    materials = body.get("materials", [])
    if not isinstance(materials, list):
        raise ValidationError("materials must be a list", field="materials")
    for index, material in enumerate(materials):
        path = f"materials.{index}"
        if not isinstance(material, dict):
            raise ValidationError(f"{path} must be an object", field=path)
        _text(material, "name", f"{path}.name")
        _text(material, "ref", f"{path}.ref", 500)
    channel = body.get("channel", "api")
    if channel not in CHANNELS:
        raise ValidationError(f"channel must be one of {', '.join(CHANNELS)}", field="channel")
    return Application(item_code, applicant, form, materials, channel)


def request_hash(body: dict) -> str:
    return hashlib.sha256(canonical_bytes(body)).hexdigest()


def query_password(secret: str, case_no: str) -> str:
    """The 6-digit query password of a case, derived (HMAC) rather than stored, so a
    retried application returns the same password and the database holds none."""
    digest = hmac.new(secret.encode(), b"query-password:" + case_no.encode(),
                      hashlib.sha256).digest()
    return f"{int.from_bytes(digest[:8], 'big') % 10**6:06d}"


def password_matches(secret: str, case_no: str, given: str | None) -> bool:
    return bool(given) and given.isascii() and \
        hmac.compare_digest(query_password(secret, case_no), given)
