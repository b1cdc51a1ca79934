"""The audit trail of refused access: every 401, 403 and 429, and every 404 that hid
something that exists (domain.errors.Concealed), is written down — who (the token's
subject and role, if it had a valid one), what (method, path), when, from where (source
address, user agent), why (code and reason) — never the token. Kept 400 days (等保 asks
six months at least); supervisors read it by day (`GET /audit`).

Writing it never changes the answer: a failed write is logged and the refusal stands.
"""
import logging
import uuid
from datetime import date

from ..adapters.models import AuditRecord
from ..domain import identity, worktime
from ..domain.errors import Concealed, DomainError, ValidationError
from ..domain.masking import mask_text
from . import clock
from .pagination import decode_cursor, encode_cursor

log = logging.getLogger("onewindow")
KEEP_SECONDS = 400 * 86400
AUDITED = (401, 403, 429)


def audited(error: DomainError) -> bool:
    return error.status in AUDITED or isinstance(error, Concealed)


def record(error: DomainError, *, method: str, path: str,
           principal: identity.Principal | None, source_ip: str | None,
           user_agent: str | None, request_id: str | None) -> None:
    now = clock.now()
    stamp = worktime.utc_precise_text(now)
    try:
        AuditRecord(stamp[:10], f"{stamp}#{request_id or uuid.uuid4().hex}",
                    status=error.status, code=error.code, reason=mask_text(error.message),
                    method=method, path=path[:512],
                    sub=principal.sub if principal else None,
                    role=principal.role if principal else None,
                    sourceIp=source_ip, userAgent=(user_agent or "")[:256] or None,
                    requestId=request_id,
                    expiresAt=int(now.timestamp()) + KEEP_SECONDS).save()
    except Exception:  # noqa: BLE001 - the refusal stands whatever happens here
        log.exception("audit entry for %s %s not written", method, path)


def entries(principal: identity.Principal | None, day: str, limit: int = 50,
            cursor: str | None = None) -> dict:
    """One day's refusals, in time order (supervisors and admins)."""
    identity.require_role(principal, identity.SUPERVISOR, identity.ADMIN)
    try:
        date.fromisoformat(day)
    except (TypeError, ValueError):
        raise ValidationError("day must be a date YYYY-MM-DD", field="day") from None
    page = AuditRecord.query(day, limit=limit,
                             last_evaluated_key=decode_cursor(cursor, f"audit/{day}"))
    found = [{k: v for k, v in {
        "at": entry.at.split("#", 1)[0], "status": entry.status, "code": entry.code,
        "reason": entry.reason, "method": entry.method, "path": entry.path,
        "sub": entry.sub, "role": entry.role, "sourceIp": entry.sourceIp,
        "userAgent": entry.userAgent, "requestId": entry.requestId}.items()
        if v is not None} for entry in page]
    return {"day": day, "entries": found,
            "next": encode_cursor(page.last_evaluated_key, f"audit/{day}")}
