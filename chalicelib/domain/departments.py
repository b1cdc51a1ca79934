"""A department of the region's registry: what a well-formed one is, what may change.

Its shape is the contract's (a 400 for what /openapi.json does not admit); what the
document cannot state — a USCC's check character, a code the path or the registry
decides — answers 422 (docs/errors.md)."""
from typing import Any

from .errors import UnprocessableEntity, ValidationError
from .identifiers import is_valid_id_number

FIELDS = ("code", "name", "uscc", "sealName", "contacts", "parentArea")


def check_department(doc: dict[str, Any], code: str | None = None,
                     registered: dict[str, Any] | None = None) -> dict[str, Any]:
    """The registry's record of a department from a request's `department` (already of
    the contract's shape). Registering (`code` None) names its code; a change keeps the
    path's `code` and the USCC `registered` with it — the codes of the items the
    department implements carry its USCC, so a reorganised department is registered anew."""
    named = doc.get("code")
    if code is None and not named:
        raise UnprocessableEntity("a department is registered with its code",
                                  field="department.code")
    if code is not None and named not in (None, code):
        raise UnprocessableEntity("a department keeps its code (the path's)",
                                  field="department.code")
    uscc = doc["uscc"]
    if not is_valid_id_number(uscc, "legal"):
        raise UnprocessableEntity("not a valid unified social credit code (USCC): its "
                                  "check character is wrong", field="department.uscc",
                                  code="bad_check_character")
    if registered is not None and registered["uscc"] != uscc:
        raise UnprocessableEntity("a department keeps its USCC (its items' codes carry "
                                  "it); register a reorganised department under a new "
                                  "code", field="department.uscc")
    name = doc["name"].strip()
    if not name:
        raise ValidationError("a department needs a name", field="department.name")
    return {"code": code or named, "name": name, "uscc": uscc,
            "sealName": (doc.get("sealName") or "").strip() or None,
            "contacts": list(doc.get("contacts") or []),
            "parentArea": doc.get("parentArea")}
