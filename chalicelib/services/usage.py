"""The use log (用证记录): every view, verification and use of a holder's license by
someone else — who, for which organisation, when and why — kept by holder, so the holder
can read who used their license and their data (`GET /me/access-log`).

A record is written before the answer goes out: a view or verification the log does not
hold is one that was refused. Staff and third parties state a purpose (用证事由); the
holder's own reads are not logged.

Anonymous verifiers need no account, so they must not be able to fill a holder's log:
the same verifier (address, organisation, purpose) verifying a license again the same
day adds to one entry (`count`, `lastAt`), and a license logs at most
ANONYMOUS_PER_DAY distinct anonymous verifiers a day — past that, the day's further
anonymous verifications are merged into one entry (`merged`) with their count. So
anonymous verifications add at most ANONYMOUS_PER_DAY + 1 entries per license and day,
however many arrive and however they vary.
"""
import hashlib
import json
import logging
import secrets as random
from datetime import UTC, datetime

from pynamodb.exceptions import TransactWriteError

from ..adapters.models import (
    LicenseRecord,
    UsageRecord,
    VerifierAllowance,
    VerifierEntry,
    cancellation_codes,
    transact_write,
)
from ..domain import identity, worktime
from ..domain.errors import UnprocessableEntity, ValidationError
from ..domain.masking import mask_text
from . import clock
from .pagination import decode_cursor, encode_cursor

logger = logging.getLogger("onewindow")
ACTIONS = ("view", "verify", "use", "query")
MAX_PURPOSE = 200
ANONYMOUS_PER_DAY = 20


def stated_purpose(purpose: str | None, field: str = "purpose") -> str:
    """The purpose a staff member or third party must state (masked: it is free text)."""
    if not isinstance(purpose, str) or not purpose.strip():
        # Optional where the holder reads (the document cannot say by caller): 422.
        raise UnprocessableEntity("state the purpose of using this license",
                                  field=field, code="purpose_required")
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


def anonymous_verification(license_record: LicenseRecord, *, purpose: str,
                           organisation: str | None, source: str | None) -> bool:
    """Log an anonymous verification of a license, folded into the day's entry of the
    same verifier (or, past the day's limit of verifiers, the day's merged entry)."""
    if not license_record.holderKey:
        return False
    now = clock.now()
    day = now.astimezone(UTC).date().isoformat()
    verifier = hashlib.sha256(json.dumps([source, organisation, purpose],
                                         ensure_ascii=False).encode()).hexdigest()[:32]
    pk, expires = f"VFY#{license_record.licenseId}", int(now.timestamp()) + 2 * 86400
    fields = {"organisation": organisation, "purpose": purpose, "source": source}
    at = _entry_of(pk, f"D#{day}#{verifier}") or \
        _claim_entry(pk, f"D#{day}#{verifier}", day, now, expires, counted=True)
    if at is None:   # the day's places for distinct verifiers are taken
        fields = {"merged": True}
        at = _entry_of(pk, f"D#{day}#merged") or \
            _claim_entry(pk, f"D#{day}#merged", day, now, expires, counted=False)
    stamp = worktime.utc_precise_text(now)
    # Repeats arriving at once add to the same entry: ADD is atomic, the rest the same.
    UsageRecord(license_record.holderKey, at).update(actions=[
        UsageRecord.count.add(1), UsageRecord.lastAt.set(stamp),
        UsageRecord.action.set("verify"),
        UsageRecord.licenseId.set(license_record.licenseId),
        *[getattr(UsageRecord, name).set(value) for name, value in fields.items()
          if value is not None]])
    logger.info("license %s: verify by anonymous (%s)", license_record.licenseId,
                "merged" if fields.get("merged") else "logged")
    return True


def _entry_of(pk: str, sk: str) -> str | None:
    try:
        return VerifierEntry.get(pk, sk, consistent_read=True).usageAt
    except VerifierEntry.DoesNotExist:
        return None


def _claim_entry(pk: str, sk: str, day: str, now: datetime, expires: int, *,
                 counted: bool) -> str | None:
    """The log entry a verifier's day goes to: a new one — claimed in one transaction
    with one of the day's places for a distinct verifier (`counted`) — or the one a
    verification racing this one claimed first; None when no place is left."""
    for _ in range(8):
        at = _entry_key(now)
        try:
            with transact_write() as transaction:
                transaction.save(VerifierEntry(pk, sk, usageAt=at, expiresAt=expires),
                                 condition=VerifierEntry.pk.does_not_exist())
                if counted:
                    transaction.update(
                        VerifierAllowance(pk, f"N#{day}"),
                        actions=[VerifierAllowance.count.add(1),
                                 VerifierAllowance.expiresAt.set(expires),
                                 VerifierAllowance.rt.set(VerifierAllowance)],
                        condition=VerifierAllowance.count.does_not_exist()
                        | (VerifierAllowance.count < ANONYMOUS_PER_DAY))
            return at
        except TransactWriteError as error:
            codes = cancellation_codes(error)
            if codes[:1] == ["ConditionalCheckFailed"]:
                return _entry_of(pk, sk)   # the same verifier, a moment earlier
            if codes[1:2] == ["ConditionalCheckFailed"]:
                return None
            # A transaction touching the same records at once: look again.
    raise RuntimeError(f"no use-log entry claimed for {pk} {sk}")


def _entry_key(moment: datetime, entry: str | None = None) -> str:
    """A log entry's sort key: when (UTC, to the microsecond), then what it was (a random
    suffix when the same moment may log several)."""
    return worktime.utc_precise_text(moment) + "#" + (entry or random.token_hex(4))


def log(holder_key: str, action: str, *, license_id: str | None = None,
        material_id: str | None = None, principal: identity.Principal | None = None,
        purpose: str | None = None, organisation: str | None = None,
        case_no: str | None = None, source: str | None = None,
        at: datetime | None = None, entry: str | None = None,
        registry: str | None = None, basis: str | None = None,
        by: str | None = None) -> None:
    """Log one use of a holder's license or material under the holder. A use recorded
    more than once (`at` the moment it happened, `entry` what it was) is one entry."""
    UsageRecord(holder_key, _entry_key(at or clock.now(), entry), action=action,
                licenseId=license_id,
                materialId=material_id, caseNo=case_no,
                sub=principal.sub if principal else by,
                role=principal.role if principal else None,
                organisation=organisation or (principal.dept if principal else None),
                purpose=purpose, source=None if principal else source,
                registry=registry, basis=basis).save()
    logger.info("%s %s: %s by %s", "license" if license_id else
                "registry" if registry else "case" if case_no and not material_id
                else "material", license_id or material_id or registry or case_no, action,
                principal.sub if principal else organisation or "anonymous")


# Why staff read a case file, by role: what the applicant's access log says.
STAFF_PURPOSES = {identity.CLERK: "受理办件", identity.REVIEWER: "审查办件",
                  identity.SUPERVISOR: "监督检查", identity.ADMIN: "系统管理"}


def staff_read(owner_key: str | None, case_no: str, principal: identity.Principal,
               what: str | None = None) -> None:
    """A member of staff read the case file of `owner_key` (or `what` of it: a
    document): one entry of the applicant's access log, with the purpose its role reads
    for. The applicant's own reads, and a case from before owners were keyed, log
    nothing."""
    if owner_key is None or principal.role not in STAFF_PURPOSES:
        return
    purpose = STAFF_PURPOSES[principal.role] + (f"：{what}" if what else "")
    log(owner_key, "view", case_no=case_no, principal=principal, purpose=purpose)


def entries(holder_key: str, limit: int, cursor: str | None) -> dict:
    """A holder's log, newest first, paged."""
    # Entries' keys start with their moment (a digit); the holder's consents sort after.
    page = UsageRecord.query(holder_key, UsageRecord.at < "A", scan_index_forward=False,
                             limit=limit,
                             last_evaluated_key=decode_cursor(cursor, f"usage/{holder_key}"))
    found = [{"at": entry.at.split("#")[0], "action": entry.action,
              "licenseId": entry.licenseId, "materialId": entry.materialId,
              "caseNo": entry.caseNo, "by": entry.sub,
              "role": entry.role, "organisation": entry.organisation,
              "purpose": entry.purpose, "count": entry.count, "lastAt": entry.lastAt,
              "merged": entry.merged, "registry": entry.registry,
              "basis": entry.basis} for entry in page]
    return {"entries": [{k: v for k, v in e.items() if v is not None} for e in found],
            "next": encode_cursor(page.last_evaluated_key, f"usage/{holder_key}")}
