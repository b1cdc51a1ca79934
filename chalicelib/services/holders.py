"""Whose a record is: the caller's holder key (the keyed hash of the ID number whose cases,
licenses, materials and use log it has), whether an ID number is the one a record names,
and a case's applicant opened for those who may see it.

Cases, licenses, materials and the caller's own lists all ask these questions; they live
here, below all of them, so none of them imports another to ask."""
from collections.abc import Callable

from ..adapters import sealing, secrets
from ..adapters.models import CaseRecord
from ..domain import identity, lookup
from ..domain.errors import Forbidden
from ..domain.masking import restore_personal


def holder_key(principal: identity.Principal | None, for_company: str | None,
               what: str = "cases", field: str = "for") -> str:
    """The keyed hash of the ID number whose cases, licenses, materials and use log the
    caller has: its own, or a company's (named in `field`) it is an authorised agent of."""
    principal = identity.require(principal)
    if principal.role != identity.APPLICANT or not principal.id_number:
        raise Forbidden(f"only an applicant signed in with its ID number (claim idn) has "
                        f"{what}", field="Authorization")
    named = (for_company or "").strip().upper() or principal.id_number
    if named != principal.id_number and named not in principal.acts_for:
        raise Forbidden(f"not an authorised agent of {named}", field=field)
    return lookup.id_key(secrets.lookup(), named)


def names_id(key: str | None, stored: str | None) -> Callable[[str], bool]:
    """Whether an ID number is the one a record names: by the record's keyed hash of it
    (domain/lookup.py), or — records from before the hash — by the number it stores."""
    if key:
        secret = secrets.lookup()
        return lambda id_number: lookup.id_key(secret, id_number) == key
    return lambda id_number: id_number == stored


def owner_id(case: CaseRecord) -> Callable[[str], bool]:
    """Whether an ID number is the one the case's application names."""
    return names_id(case.owner, case.applicant.idNumber)


def open_applicant(case: CaseRecord) -> dict:
    """The applicant's sealed numbers, opened."""
    return sealing.open_sealed(case.sealedApplicant, case.pk) if case.sealedApplicant else {}


def form_in_clear(case: CaseRecord, opened: dict | None = None) -> dict:
    """The case's form with the personal values it holds masked put back in clear (only
    for those who may see them)."""
    opened = open_applicant(case) if opened is None else opened
    form = restore_personal(case.form, opened.get("form"))
    return form if isinstance(form, dict) else {}


def applicant_in_clear(case: CaseRecord, opened: dict | None = None) -> dict:
    """The applicant with its ID and phone numbers opened (only for those who may see
    them)."""
    applicant = case.applicant.as_dict()
    opened = open_applicant(case) if opened is None else opened
    applicant.update({k: v for k, v in opened.items()
                      if v is not None and k in ("idNumber", "phone")})
    if opened.get("agentIdNumber"):
        applicant["agentIdNumber"] = opened["agentIdNumber"]
    return applicant
