"""Who am I (`GET /me`) and my cases (`GET /me/cases`): what the token says, and the
cases an applicant's ID number names, newest first, from the `owner` index (no Scan)."""
from ..adapters.models import CaseRecord
from ..domain import identity
from ..domain.lifecycle import LABELS, Status
from . import licenses, usage
from .case_access import META
from .holders import holder_key
from .license_library import LicenseLibrary
from .pagination import decode_cursor, encode_cursor


def me(principal: identity.Principal | None) -> dict:
    principal = identity.require(principal)
    view = {"sub": principal.sub, "role": principal.role, "name": principal.name,
            "idNumber": principal.id_number,
            "departments": [principal.dept] if principal.dept else [],
            "leads": [principal.dept] if principal.lead and principal.dept else [],
            "actsFor": list(principal.acts_for), "assurance": principal.assurance}
    return {k: v for k, v in view.items() if v is not None}


def my_cases(principal: identity.Principal | None, limit: int = 20,
             cursor: str | None = None, for_company: str | None = None) -> dict:
    """The caller's cases, or (`for_company`) those of a company it is an agent of."""
    owner = holder_key(principal, for_company)
    page = CaseRecord.by_owner.query(owner, scan_index_forward=False, limit=limit,
                                     last_evaluated_key=decode_cursor(cursor, f"cases/{owner}"))
    found = list(page)
    promised = _promised_by([case.pk for case in found])
    cases = [{"caseNo": case.pk, "status": case.status,
              "statusLabel": LABELS[Status(case.status)], "itemCode": case.itemCode,
              "itemName": case.itemName, "createdAt": case.createdAt,
              "updatedAt": case.updatedAt, "promisedBy": promised.get(case.pk)}
             for case in found]
    return {"cases": cases, "next": encode_cursor(page.last_evaluated_key, f"cases/{owner}")}


def _promised_by(case_nos: list[str]) -> dict[str, str]:
    """Each case's promised date, read with the page in one batch: the `owner` index does
    not project it, and a deployed index's projection cannot be changed in place."""
    if not case_nos:
        return {}
    return {case.pk: case.promisedBy for case in CaseRecord.batch_get(
        [(case_no, META) for case_no in case_nos],
        attributes_to_get=["pk", "sk", "rt", "promisedBy"])}


def my_licenses(library: LicenseLibrary, principal: identity.Principal | None,
                limit: int = 20, cursor: str | None = None,
                for_company: str | None = None) -> dict:
    """The licenses the caller (or a company it is an agent of) holds in `library`, newest
    first, each with its status."""
    holder = holder_key(principal, for_company, "licenses")
    listing = f"licenses/{holder}"
    page = library.held_by(holder, limit=limit, start=decode_cursor(cursor, listing))
    found = [{**licenses.public_status(record), "caseNo": record.caseNo,
              "issueDate": record.document.get("issueDate"),
              "typeCode": record.document.get("typeCode")} for record in page.records]
    return {"licenses": found, "next": encode_cursor(page.last_key, listing)}


def my_access_log(principal: identity.Principal | None, limit: int = 50,
                  cursor: str | None = None, for_company: str | None = None) -> dict:
    """Who used the caller's licenses and data, for what, when (用证记录), newest first."""
    return usage.entries(holder_key(principal, for_company, "an access log"), limit, cursor)
