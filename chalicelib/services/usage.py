"""The use log (用证记录): every view, verification and use of a holder's license by
someone else — who, for which organisation, when and why — kept by holder, so the holder
can read who used their license and their data (`GET /me/access-log`).

A record is written before the answer goes out: a view or verification the log does not
hold is one that was refused. Staff and third parties state a purpose (用证事由); the
holder's own reads are not logged.
"""
import logging
from datetime import datetime, timezone
import secrets as random

from ..adapters.models import LicenseRecord, UsageRecord
from ..domain import identity
from ..domain.errors import ValidationError
from ..domain.masking import mask_text
from . import clock
from .pagination import decode_cursor, encode_cursor

logger = logging.getLogger("onewindow")
ACTIONS = ("view", "verify", "use")
MAX_PURPOSE = 200


def stated_purpose(purpose: str | None, field: str = "purpose") -> str:
    """The purpose a staff member or third party must state (masked: it is free text)."""
    if not isinstance(purpose, str) or not purpose.strip():
        raise ValidationError("state the purpose of using this license (用证事由)",
                              field=field)
    if len(purpose) > MAX_PURPOSE:
        raise ValidationError(f"at most {MAX_PURPOSE} characters", field=field)
    return mask_text(purpose.strip())


def record(license_record: LicenseRecord, action: str, *,
           principal: identity.Principal | None = None, purpose: str | None = None,
           organisation: str | None = None, case_no: str | None = None,
           source: str | None = None) -> bool:
    """Log one use of a license under its holder; False when the license names no holder
    key (issued before holders were keyed) and so has no log to go to."""
    if not license_record.holderKey:
        return False
    log(license_record.holderKey, action, license_id=license_record.licenseId,
        principal=principal, purpose=purpose, organisation=organisation, case_no=case_no,
        source=source)
    return True


def log(holder_key: str, action: str, *, license_id: str | None = None,
        material_id: str | None = None, principal: identity.Principal | None = None,
        purpose: str | None = None, organisation: str | None = None,
        case_no: str | None = None, source: str | None = None,
        at: datetime | None = None, entry: str | None = None) -> None:
    """Log one use of a holder's license or material under the holder. A use recorded
    more than once (`at` the moment it happened, `entry` what it was) is one entry."""
    when = (at or clock.now()).astimezone(timezone.utc)
    key = when.strftime("%Y-%m-%dT%H:%M:%S.%fZ") + "#" + (entry or random.token_hex(4))
    UsageRecord(holder_key, key, action=action, licenseId=license_id,
                materialId=material_id, caseNo=case_no,
                sub=principal.sub if principal else None,
                role=principal.role if principal else None,
                organisation=organisation or (principal.dept if principal else None),
                purpose=purpose, source=None if principal else source).save()
    logger.info("%s %s: %s by %s", "license" if license_id else "material",
                license_id or material_id, action,
                principal.sub if principal else "anonymous")


def entries(holder_key: str, limit: int, cursor: str | None) -> dict:
    """A holder's log, newest first, paged."""
    page = UsageRecord.query(holder_key, scan_index_forward=False, limit=limit,
                             last_evaluated_key=decode_cursor(cursor, f"usage/{holder_key}"))
    found = [{"at": entry.at.split("#")[0], "action": entry.action,
              "licenseId": entry.licenseId, "materialId": entry.materialId,
              "caseNo": entry.caseNo, "by": entry.sub,
              "role": entry.role, "organisation": entry.organisation,
              "purpose": entry.purpose} for entry in page]
    return {"entries": [{k: v for k, v in e.items() if v is not None} for e in found],
            "next": encode_cursor(page.last_evaluated_key, f"usage/{holder_key}")}
