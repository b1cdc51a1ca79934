"""A license looked up by its identifier, and who may know of it: its holder, and the
staff who read the case it came from; to anyone else it does not exist."""
from ...adapters.models import LicenseRecord
from ...domain import identity
from ...domain.errors import Concealed, NotFound, UnprocessableEntity, ValidationError
from ...domain.identifiers import parse_license_identifier
from ..holders import names_id
from ..license_library import LicenseLibrary


def load(library: LicenseLibrary, license_id: str, consistent: bool = False) -> LicenseRecord:
    try:
        parse_license_identifier(license_id)
    except (ValidationError, UnprocessableEntity):   # malformed, or a wrong check character
        raise NotFound("no license with that identifier", field="licenseId") from None
    record = library.get(license_id, consistent=consistent)
    if record is None:
        raise NotFound(f"no license {license_id}", field="licenseId")
    return record


def holds(principal: identity.Principal | None, record: LicenseRecord) -> bool:
    return identity.owns(principal, record.holderSub,
                         names_id(record.holderKey, record.document.get("holderId")))


def reads_case(library: LicenseLibrary, principal: identity.Principal,
               record: LicenseRecord) -> bool:
    """Whether staff read the license's case (and so may know the license exists)."""
    return identity.reads_case(principal, library.case_departments(record.caseNo))


def concealed(record: LicenseRecord) -> Concealed:
    return Concealed(f"no license {record.licenseId}", field="licenseId")
