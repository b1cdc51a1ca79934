"""Annotated copies (加注件): a copy of the license its holder hands one recipient, signed
over the license and what it is for and until when."""
from ...domain import identity, license_proof
from ...domain.errors import Conflict, Forbidden, UnprocessableEntity
from .. import clock, usage
from ..license_library import LicenseLibrary
from .access import concealed, holds, load, reads_case
from .keys import sign
from .views import public_status, signed_license


def annotated_copy(library: LicenseLibrary, principal: identity.Principal | None,
                   license_id: str, purpose: str, valid_until: str) -> dict:
    """A copy of the license annotated with what it is for and until when (加注件),
    signed over the license and the annotation together: its holder hands it to one
    recipient, who verifies that it was given for this purpose and has not run out."""
    principal = identity.require(principal)
    record = load(library, license_id)
    if not holds(principal, record):
        if reads_case(library, principal, record):
            raise Forbidden("only the holder makes an annotated copy of its license")
        raise concealed(record)
    status = public_status(record)
    if status["status"] != "valid":
        raise Conflict(f"a {status['status']} license has no copies made",
                       code="license_state")
    signed = signed_license(record)
    today = clock.local_date(clock.now()).isoformat()
    if not today <= valid_until <= signed["license"]["validTo"]:
        raise UnprocessableEntity("validUntil must be from today to the license's validTo",
                              field="validUntil")
    annotation = {"purpose": usage.stated_purpose(purpose), "validUntil": valid_until,
                  "annotatedAt": clock.now().isoformat(), "copyOf": license_id}
    copy = {"license": signed["license"], "annotation": annotation}
    return {**copy, "signature": sign(license_proof.signed_content(copy))}
