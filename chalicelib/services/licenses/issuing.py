"""Issuing the e-license a concluded case earns: the document, signed as issued (with the
holder's number in clear), stored masked with the number sealed."""
from contextlib import suppress
from datetime import date

from ... import config
from ...adapters import sealing
from ...adapters.models import CaseRecord, LicenseRecord
from ...domain.changes import ConditionFailed, Create
from ...domain.identifiers import make_license_identifier
from ...domain.masking import mask_id
from .. import catalogue, clock
from ..holders import applicant_in_clear
from ..license_library import LicenseLibrary, license_key
from .keys import sign

VALID_YEARS = 5


def issuing_authority(item: dict) -> dict:
    """Who issues what a case of `item` earns: the department that decided — the item
    version's implementing department, as the registry names it (name, USCC, seal
    name) — not the region's data bureau that runs the platform."""
    code = item.get("implementingDept")
    found = catalogue.department(code) if code else None
    if found is None:
        # The catalogue refuses an implementation naming an unknown department; one
        # removed since is an operator's error: the conclusion fails and is retried.
        raise RuntimeError(f"implementing department {code!r} of {item.get('code')} is not "
                           "in the department registry: no license can name its issuer")
    return found


def _build_document(case: CaseRecord, item: dict, cfg: config.Config, today: date,
                    holder_id: str, issuer: dict) -> dict:
    result = item["result"]
    identifier = make_license_identifier(result["licenseType"], issuer["uscc"], case.pk)
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
        "issuer": issuer["name"],
        "issuerCode": issuer["uscc"],
        "issueDate": today.isoformat(),
        "validFrom": today.isoformat(),
        "validTo": valid_to.isoformat(),
        "area": cfg.area_code,
        "trustLevel": "A",
        "caseNo": case.pk,
        "itemCode": case.itemCode,
    }


def issue(library: LicenseLibrary, case: CaseRecord, item: dict) -> str | None:
    """Sign and store the e-license a concluded case earns in `library`; None when the
    item issues none. Safe to call any number of times: the identifier is derived from
    the case number, so a second call finds the license issued and returns its
    identifier."""
    if not (item.get("result") or {}).get("licenseType"):
        return None
    cfg = config.get()
    issued_at = clock.now()
    holder_id = applicant_in_clear(case)["idNumber"]
    document = _build_document(case, item, cfg, clock.local_date(issued_at), holder_id,
                               issuing_authority(item))
    license_id = document["identifier"]
    if library.get(license_id, consistent=True) is None:
        record = signed_record(document, holder_id, case.pk, issued_at, case.applicant.sub,
                               case.owner, item.get("implementingDept"))
        # A concurrent delivery that issued it meanwhile: it is issued, as asked.
        with suppress(ConditionFailed):
            library.commit([Create(license_key(license_id), record)])
    return license_id


def signed_record(document: dict, holder_id: str, case_no: str, issued_at, holder_sub,
                  holder_key, dept: str | None) -> LicenseRecord:
    """A license record: signed as issued (with the clear number), stored masked, the
    number sealed and its keyed hash kept (to tell the holder)."""
    license_id = document["identifier"]
    return LicenseRecord(
        license_id, caseNo=case_no, document={**document, "holderId": mask_id(holder_id)},
        signature=sign(document), issuedAt=issued_at.isoformat(), holderSub=holder_sub,
        sealedHolder=sealing.seal({"holderId": holder_id}, license_id), holderKey=holder_key,
        dept=dept)
