"""A license's state after issue: suspended, resumed, revoked or superseded by a reissued
version, by its issuing department with a reason; revoked with its case. Each change is
on the license's history and its case's timeline, written in one transaction."""
import logging

from pynamodb.exceptions import TransactWriteError

from ...adapters.models import LicenseChangeRecord, LicenseRecord, transact_write, update_if
from ...domain import identity, license_states
from ...domain.errors import Conflict, Forbidden
from ...domain.masking import mask_text
from .. import clock
from ..case_access import load as load_case
from .access import concealed, load, reads_case
from .issuing import signed_record
from .views import public_status, signed_license

log = logging.getLogger("onewindow")


def revoke_for_case(case: dict) -> bool:
    """A revoked case's license is revoked with it; True if it was valid until now."""
    if not case.get("licenseId"):
        return False
    return update_if(LicenseRecord(case["licenseId"]), [
        LicenseRecord.state.set("revoked"),
        LicenseRecord.stateReason.set("办件已被撤销 (the case was revoked)"),
        LicenseRecord.stateSince.set(clock.now().isoformat())],
        LicenseRecord.state.is_in("valid", "suspended"))


def _issuing_department(principal: identity.Principal, record: LicenseRecord) -> None:
    """Only the issuing department's own staff change a license; to staff who may not
    even read it, it does not exist."""
    if principal.role in identity.DEPARTMENT_STAFF and record.dept and \
            principal.dept == record.dept:
        return
    if not reads_case(principal, record):
        raise concealed(record)
    raise Forbidden(f"only the issuing department ({record.dept}) changes this license")


def _change(principal: identity.Principal, record: LicenseRecord, action: str,
            reason: str, at: str, **fields) -> dict:
    after = license_states.target(action, record.state)
    reason = mask_text(reason)
    step = {"action": action, "from": record.state, "to": after, "reason": reason,
            "by": principal.sub, "at": at, **fields}
    return {"state": after, "step": step,
            "actions": [LicenseRecord.state.set(after), LicenseRecord.stateReason.set(reason),
                        LicenseRecord.stateSince.set(at),
                        LicenseRecord.history.set((record.history or []) + [step])]}


def _on_timeline(record: LicenseRecord, step: dict, principal: identity.Principal):
    """The change as its case's timeline shows it (written in the same transaction)."""
    return LicenseChangeRecord(
        record.caseNo, f"LICENSE#{step['at']}#{record.licenseId}#{step['action']}",
        licenseId=record.licenseId, action=step["action"], fromState=step["from"],
        toState=step["to"], reason=step["reason"], by=principal.sub, byRole=principal.role,
        byName=identity.staff_name(principal),
        dept=record.dept, at=step["at"], supersededBy=step.get("supersededBy"),
        itemCode=_item_code(record))


def _item_code(record: LicenseRecord) -> str:
    """The item of the case the license came from (its events name it, as every event
    does): the signed document says it; one signed before it did, its case."""
    return record.document.get("itemCode") or load_case(record.caseNo)[0].itemCode


def _write_change(record: LicenseRecord, change: dict, principal: identity.Principal,
                  *also) -> None:
    """The license's change and its line on the case's timeline, in one transaction;
    409 when the license changed meanwhile. `also`: more to save with them."""
    try:
        with transact_write() as transaction:
            for model in also:
                transaction.save(model, condition=LicenseRecord.licenseId.does_not_exist())
            transaction.update(record, change["actions"],
                               condition=LicenseRecord.state == record.state)
            if record.caseNo:
                transaction.save(_on_timeline(record, change["step"], principal),
                                 condition=LicenseChangeRecord.sk.does_not_exist())
    except TransactWriteError:
        raise Conflict(f"license {record.licenseId} changed meanwhile; reload it",
                       code="license_changed") from None


def change_state(principal: identity.Principal | None, license_id: str, action: str,
                 reason: str) -> dict:
    """Suspend, resume or revoke a license (its issuing department, with a reason)."""
    principal = identity.require_role(principal, *identity.DEPARTMENT_STAFF)
    record = load(license_id, consistent=True)
    _issuing_department(principal, record)
    change = _change(principal, record, action, reason, clock.now().isoformat())
    _write_change(record, change, principal)
    log.info("license %s %s -> %s by %s", license_id, change["step"]["from"],
             change["state"], principal.sub)
    step = change["step"]
    record.state, record.stateReason, record.stateSince = step["to"], step["reason"], \
        step["at"]
    return public_status(record)


def reissue(principal: identity.Principal | None, license_id: str, changes: dict,
            reason: str) -> dict:
    """A new version of the license (a renamed holder, a renewal): signed and stored,
    the old version superseded, both in one transaction."""
    principal = identity.require_role(principal, *identity.DEPARTMENT_STAFF)
    record = load(license_id, consistent=True)
    _issuing_department(principal, record)
    now = clock.now()
    signed = signed_license(record)["license"]
    document = license_states.reissued(signed, changes, clock.local_date(now))
    new_id = document["identifier"]
    change = _change(principal, record, "reissue", reason, now.isoformat(),
                     supersededBy=new_id)
    change["actions"].append(LicenseRecord.supersededBy.set(new_id))
    successor = signed_record(document, signed["holderId"], record.caseNo, now,
                              record.holderSub, record.holderKey, record.dept)
    successor.supersedes = license_id
    _write_change(record, change, principal, successor)
    log.info("license %s superseded by %s", license_id, new_id)
    return signed_license(successor, document)
