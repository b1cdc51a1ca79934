"""A license looked up by its identifier, and who may know of it: its holder, and the
staff who read the case it came from; to anyone else it does not exist."""
from ...adapters.models import LicenseRecord
from ...domain import identity
from ...domain.errors import Concealed, NotFound, UnprocessableEntity, ValidationError
from ...domain.identifiers import parse_license_identifier
from ..case_access import load as load_case
from ..holders import names_id


def load(license_id: str, consistent: bool = False) -> LicenseRecord:
    try:
        parse_license_identifier(license_id)
    except (ValidationError, UnprocessableEntity):   # malformed, or a wrong check character
        raise NotFound("no license with that identifier", field="licenseId") from None
    try:
        return LicenseRecord.get(license_id, consistent_read=consistent)
    except LicenseRecord.DoesNotExist:
        raise NotFound(f"no license {license_id}", field="licenseId") from None


def holds(principal: identity.Principal | None, record: LicenseRecord) -> bool:
    return identity.owns(principal, record.holderSub,
                         names_id(record.holderKey, record.document.get("holderId")))


def reads_case(principal: identity.Principal, record: LicenseRecord) -> bool:
    """Whether staff read the license's case (and so may know the license exists)."""
    _, _, tasks = load_case(record.caseNo)
    return identity.reads_case(principal, {task.dept for task in tasks})


def concealed(record: LicenseRecord) -> Concealed:
    return Concealed(f"no license {record.licenseId}", field="licenseId")
