"""A license standing in for a material of an application (免提交, 证照互认)."""
from ... import config
from ...domain import license_proof, materials
from ...domain.errors import NotFound, UnprocessableEntity
from .. import clock
from ..holders import names_id
from ..license_library import LicenseLibrary
from .access import load, stored
from .keys import known_keys
from .views import public_status, signed_license


def accepted_in_case(ref: dict, spec: dict, holder_id: str, field: str,
                     library: LicenseLibrary | None = None) -> dict:
    """A license standing in for a material (免提交, 证照互认): this region's named by its
    identifier, or any recognised region's as signed. It must verify now, be valid, be
    held by the applicant and be of a type and trust level the version's material takes.
    What the case keeps of it (the reviewer's proof it was verified)."""
    library = stored(library)
    record = None
    if ref.get("licenseId") is not None:
        field = f"{field}.licenseId"
        try:
            record = load(library, ref["licenseId"], consistent=True)
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
            record = load(library, verdict.identifier, consistent=True)
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
