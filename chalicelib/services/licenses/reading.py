"""Reading a license: the signed license and its printable page for its holder and the
staff who read its case (who state why, logged for the holder); its public status for
anyone (what the QR code on a printed license opens)."""
from ...adapters.models import LicenseRecord
from ...domain import identity
from .. import license_print, usage
from ..license_library import LicenseLibrary
from .access import concealed, holds, load, reads_case
from .views import public_status, signed_license


def read(library: LicenseLibrary, principal: identity.Principal | None, license_id: str,
         purpose: str | None) -> LicenseRecord:
    """The license record for its holder, and for the staff who read its case, who state
    why (用证事由) and are logged for the holder to see; to anyone else it does not exist."""
    principal = identity.require(principal)
    record = load(library, license_id)
    if not holds(principal, record):
        if not reads_case(library, principal, record):
            raise concealed(record)
        usage.record(record, "view", principal=principal,
                     purpose=usage.stated_purpose(purpose))
    return record


def get(library: LicenseLibrary, principal: identity.Principal | None, license_id: str,
        purpose: str | None = None) -> dict:
    """The signed license (who may read it: `read`)."""
    return signed_license(read(library, principal, license_id, purpose))


def printable(library: LicenseLibrary, principal: identity.Principal | None, license_id: str,
              purpose: str | None, base_url: str, kind: str = "html") -> str | bytes:
    """The license as a printable page or PDF (`kind`) with its verification QR code,
    for whoever may read it (a staff member's read is logged, as for the JSON)."""
    record = read(library, principal, license_id, purpose)
    render = license_print.RENDERERS[kind]
    return render(signed_license(record), public_status(record), base_url)


def status_of(library: LicenseLibrary, license_id: str) -> dict:
    """GET /licenses/{id}/status: public, what the QR code on a printed license opens."""
    return public_status(load(library, license_id))
