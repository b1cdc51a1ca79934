"""A license standing in for a material of an application (免提交, 证照互认)."""
from contextlib import suppress

from ... import config
from ...adapters.models import LicenseRecord
from ...domain import license_proof, materials
from ...domain.errors import NotFound, UnprocessableEntity
from .. import clock
from ..holders import names_id
from ..license_library import LicenseLibrary
from .access import load
from .keys import known_keys
from .views import public_status, signed_license


def accepted_in_case(library: LicenseLibrary, ref: dict, spec: dict, holder_id: str,
                     field: str) -> dict:
    """A license standing in for a material (免提交, 证照互认): this region's named by its
    identifier, or any recognised region's as signed. It must verify now, be valid, be
    held by the applicant and be of a type and trust level the version's material takes.
    What the case keeps of it (the reviewer's proof it was verified)."""
    if ref.get("licenseId") is not None:
        field = f"{field}.licenseId"
        record = _named(library, ref["licenseId"], holder_id, field)
        signed = signed_license(record)
    else:
        field = f"{field}.license"
        record, signed = None, ref["license"]
    verdict = license_proof.verify(signed, known_keys(), clock.local_date(clock.now()))
    if not verdict.valid:
        raise UnprocessableEntity(f"the license does not verify: {verdict.reason}",
                                  field=field, code="license_not_valid")
    document = signed["license"]
    if record is None:
        record = _as_signed(library, verdict, document, holder_id, field)
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
        "issuer": document.get("issuer"), "area": verdict.area,
        "validTo": document.get("validTo"), "kid": verdict.kid, "verified": True,
        "verifiedAt": clock.now().isoformat()}}


def _named(library: LicenseLibrary, license_id: str, holder_id: str,
           field: str) -> LicenseRecord:
    """A license of this region named by its identifier: the applicant's, or (to them)
    none at all."""
    record = None
    with suppress(NotFound):
        record = load(library, license_id, consistent=True)
    if record is None or not names_id(record.holderKey,
                                      record.document.get("holderId"))(holder_id):
        raise UnprocessableEntity(f"the applicant holds no license {license_id}",
                                  field=field, code="material_not_accepted")
    return record


def _as_signed(library: LicenseLibrary, verdict: license_proof.Verdict, document: dict,
               holder_id: str, field: str) -> LicenseRecord | None:
    """A license given as signed: this region's as its library has it (how it stands
    now); another region's, the applicant's by the number it names."""
    if verdict.area == config.get().area_code:
        try:
            return load(library, verdict.identifier, consistent=True)
        except NotFound:
            raise UnprocessableEntity("the license is not in this region's library",
                                      field=field, code="license_not_valid") from None
    if str(document.get("holderId", "")).upper() != holder_id:
        raise UnprocessableEntity("the license is not the applicant's", field=field,
                                  code="material_not_accepted")
    return None
