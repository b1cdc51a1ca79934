"""A license's state after issue: suspended, resumed, revoked or superseded by a reissued
version, by its issuing department with a reason; revoked with its case. Each change is
on the license's history and its case's timeline, written together (all or nothing) on
the condition that the license is still in the state it was read in."""
import logging

from ... import config
from ...adapters.models import LicenseChangeRecord, LicenseRecord
from ...domain import identity, license_states
from ...domain.changes import Change, ConditionFailed, Create, Equals, OneOf
from ...domain.errors import Conflict, Forbidden
from ...domain.masking import mask_text
from .. import catalogue, clock
from ..license_library import LicenseLibrary, license_key
from .access import concealed, load, reads_case
from .issuing import signed_record
from .views import public_status, signed_license

log = logging.getLogger("onewindow")

CASE_REVOKED = "办件已被撤销 (the case was revoked)"


def revoke_for_case(case: dict, library: LicenseLibrary) -> bool:
    """A revoked case's license is revoked with it; True if it was valid until now."""
    if not case.get("licenseId"):
        return False
    try:
        library.commit([Change(
            license_key(case["licenseId"]),
            set={"state": "revoked", "stateReason": CASE_REVOKED,
                 "stateSince": clock.now().isoformat()},
            expect=(OneOf("state", ("valid", "suspended")),))])
    except ConditionFailed:   # revoked already, or superseded: nothing to revoke
        return False
    return True


def _issuing_department(library: LicenseLibrary, principal: identity.Principal,
                        record: LicenseRecord) -> None:
    """Only the issuing department's own staff change a license; to staff who may not
    even read it, it does not exist."""
    if principal.role in identity.DEPARTMENT_STAFF and record.dept and \
            principal.dept == record.dept:
        return
    if not reads_case(library, principal, record):
        raise concealed(record)
    raise Forbidden(f"only the issuing department ({record.dept}) changes this license")


def _step(principal: identity.Principal, record: LicenseRecord, action: str, reason: str,
          at: str, **fields) -> dict:
    """The change as the license's history keeps it (the state it goes to: domain rules,
    which refuse an action its state does not allow)."""
    return {"action": action, "from": record.state,
            "to": license_states.target(action, record.state), "reason": mask_text(reason),
            "by": principal.sub, "at": at, **fields}


def _changes(library: LicenseLibrary, principal: identity.Principal, record: LicenseRecord,
             step: dict, **also_set) -> list[Change | Create]:
    """The license's change, on the condition that it is still in the state it was read
    in, and its line on the case's timeline (new: a second write of the same change is
    refused)."""
    changes: list[Change | Create] = [Change(
        license_key(record.licenseId),
        set={"state": step["to"], "stateReason": step["reason"], "stateSince": step["at"],
             "history": (record.history or []) + [step], **also_set},
        expect=(Equals("state", record.state),))]
    if record.caseNo:
        line = _on_timeline(library, record, step, principal)
        changes.append(Create((line.pk, line.sk), line))
    return changes


def _on_timeline(library: LicenseLibrary, record: LicenseRecord, step: dict,
                 principal: identity.Principal) -> LicenseChangeRecord:
    """The change as its case's timeline shows it (written with it)."""
    return LicenseChangeRecord(
        record.caseNo, f"LICENSE#{step['at']}#{record.licenseId}#{step['action']}",
        licenseId=record.licenseId, action=step["action"], fromState=step["from"],
        toState=step["to"], reason=step["reason"], by=principal.sub, byRole=principal.role,
        byName=identity.staff_name(principal),
        dept=record.dept, at=step["at"], supersededBy=step.get("supersededBy"),
        # The item of the case the license came from (its events name it, as every event
        # does): the signed document says it; one signed before it did, its case.
        itemCode=record.document.get("itemCode") or library.case_item(record.caseNo))


def _commit(library: LicenseLibrary, record: LicenseRecord,
            changes: list[Change | Create]) -> None:
    """409 when the license changed meanwhile."""
    try:
        library.commit(changes)
    except ConditionFailed:
        raise Conflict(f"license {record.licenseId} changed meanwhile; reload it",
                       code="license_changed") from None


def change_state(library: LicenseLibrary, principal: identity.Principal | None,
                 license_id: str, action: str, reason: str) -> dict:
    """Suspend, resume or revoke a license (its issuing department, with a reason)."""
    principal = identity.require_role(principal, *identity.DEPARTMENT_STAFF)
    record = load(library, license_id, consistent=True)
    _issuing_department(library, principal, record)
    step = _step(principal, record, action, reason, clock.now().isoformat())
    _commit(library, record, _changes(library, principal, record, step))
    log.info("license %s %s -> %s by %s", license_id, step["from"], step["to"],
             principal.sub)
    record.state, record.stateReason, record.stateSince = step["to"], step["reason"], \
        step["at"]
    return public_status(record)


def reissue(library: LicenseLibrary, principal: identity.Principal | None, license_id: str,
            changes: dict, reason: str) -> dict:
    """A new version of the license (a renamed holder, a renewal): signed and stored,
    the old version superseded, both at once."""
    principal = identity.require_role(principal, *identity.DEPARTMENT_STAFF)
    record = load(library, license_id, consistent=True)
    _issuing_department(library, principal, record)
    now = clock.now()
    signed = signed_license(record)["license"]
    # A new version names the department that decided, also for a license issued when
    # licenses named the data bureau (docs/licenses.md, "Who signs"): only such a one
    # needs the registry.
    license_states.target("reissue", record.state)   # a suspended one is refused first
    legacy = signed.get("issuerCode") == config.get().issuer_uscc
    department = catalogue.department(record.dept) if legacy and record.dept else None
    document = license_states.reissued(signed, changes, clock.local_date(now), department)
    new_id = document["identifier"]
    step = _step(principal, record, "reissue", reason, now.isoformat(), supersededBy=new_id)
    successor = signed_record(document, signed["holderId"], record.caseNo, now,
                              record.holderSub, record.holderKey, record.dept)
    successor.supersedes = license_id
    _commit(library, record, [Create(license_key(new_id), successor),
                              *_changes(library, principal, record, step,
                                        supersededBy=new_id)])
    log.info("license %s superseded by %s", license_id, new_id)
    return signed_license(successor, document)
