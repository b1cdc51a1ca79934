"""Case numbers and e-license identifiers with their check characters.

Case number: 6-digit area code + yyyymmdd + 7-digit daily sequence + ISO 7064 MOD 11-2
check character (the same scheme as the 18-digit ID number), e.g. `440300202611240000001X`
-> 22 characters, human-readable, carrying region and date.

License identifier (GB/T 36904 as used by provincial license libraries):
`1.2.156.3005.2.<type code>.<issuer USCC>.<serial>.<version>.<check>` where the check is
ISO 7064 MOD 37,36 over type + issuer + serial + version.
"""
import re
from datetime import date
from typing import Any

from .errors import UnprocessableEntity, ValidationError

AREA_RE = re.compile(r"^\d{6}$")
CASE_NO_RE = re.compile(r"^(\d{6})(\d{8})(\d{7})([0-9X])$")


def make_case_number(area: str, day: date, sequence: int) -> str:
    if not AREA_RE.match(area):
        raise ValidationError("area code must be 6 digits", field="area")
    if not 0 < sequence < 10**7:
        raise ValidationError("daily case sequence out of range", field="sequence")
    body = f"{area}{day:%Y%m%d}{sequence:07d}"
    from stdnum.iso7064 import mod_11_2  # python-stdnum loads pydoc: only when needed
    return body + mod_11_2.calc_check_digit(body)


def is_valid_case_number(case_no: str) -> bool:
    from stdnum.iso7064 import mod_11_2
    return bool(CASE_NO_RE.match(case_no or "")) and mod_11_2.is_valid(case_no)


# <case no>-A<n> (acceptance), -S<n> (supplement), -R<stage>-<dept> (review)
TASK_ID_RE = re.compile(r"^(\d{21}[0-9X])-(A\d{1,3}|S\d{1,3}|R\d{1,3}-[A-Z][A-Z0-9_]{1,15})$")


def is_valid_task_id(task_id: str) -> bool:
    match = TASK_ID_RE.match(task_id or "")
    return match is not None and is_valid_case_number(match.group(1))


LICENSE_PREFIX = "1.2.156.3005.2"
_SERIAL_RE = re.compile(r"^[0-9A-Z]{20,64}$")
_TYPE_RE = re.compile(r"^[0-9A-Z]{18}\d{3}$")
_VERSION_RE = re.compile(r"^\d{3}$")


def is_valid_id_number(value: str, applicant_type: str | None = None) -> bool:
    """A 公民身份号码 (a natural person's) or 统一社会信用代码 (a legal person's) by its
    check character (python-stdnum): of `applicant_type`'s kind, or of either."""
    from stdnum.cn import ric, uscc  # python-stdnum loads pydoc: only when needed
    schemes = {"natural": ric, "legal": uscc}
    chosen = [schemes[applicant_type]] if applicant_type else schemes.values()
    return any(scheme.is_valid(value) for scheme in chosen)


def _check_uscc(value: str, field: str) -> None:
    from stdnum.cn import uscc
    from stdnum.exceptions import ValidationError as StdnumError
    try:
        uscc.validate(value)
    except StdnumError as exc:
        raise ValidationError(f"{field} is not a valid USCC: {exc}", field=field) from exc


def make_license_identifier(type_code: str, issuer_uscc: str, serial: str,
                            version: str = "001") -> str:
    if not _TYPE_RE.match(type_code):
        raise ValidationError("license type code must be an 18-char USCC + 3 digits",
                              field="typeCode")
    _check_uscc(type_code[:18], "typeCode")
    _check_uscc(issuer_uscc, "issuer")
    if not _SERIAL_RE.match(serial):
        raise ValidationError("serial must be 20 to 64 uppercase alphanumerics",
                              field="serial")
    if not _VERSION_RE.match(version):
        raise ValidationError("version must be 3 digits", field="version")
    from stdnum.iso7064 import mod_37_36
    check = mod_37_36.calc_check_digit(type_code + issuer_uscc + serial + version)
    return ".".join([LICENSE_PREFIX, type_code, issuer_uscc, serial, version, check])


def parse_license_identifier(identifier: object) -> dict[str, Any]:
    """Split and check an identifier; raises ValidationError naming what is wrong."""
    if not isinstance(identifier, str) or not identifier.startswith(LICENSE_PREFIX + "."):
        raise ValidationError("identifier must start with " + LICENSE_PREFIX,
                              field="identifier")
    parts = identifier[len(LICENSE_PREFIX) + 1:].split(".")
    if len(parts) != 5:
        raise ValidationError("identifier must have type, issuer, serial, version, check",
                              field="identifier")
    type_code, issuer, serial, version, check = parts
    rebuilt = make_license_identifier(type_code, issuer, serial, version)
    if not rebuilt.endswith("." + check):
        raise UnprocessableEntity("identifier check character is wrong", field="identifier",
                                  code="bad_check_character")
    return {"typeCode": type_code, "issuer": issuer, "serial": serial, "version": version}


def case_number_in_path(params: dict[str, Any] | None) -> str | None:
    """The case a request's path names: `{case_no}`, or the case of a `{task_id}`
    (`<caseNo>-A1`, `<caseNo>-R1-SCJG`)."""
    params = params or {}
    return params.get("case_no") or (params.get("task_id") or "").split("-")[0] or None
