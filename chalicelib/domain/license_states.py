"""A license's status and how it changes (docs/licenses.md, "Status").

Stored states: `valid`, `suspended` (暂停: may be resumed), `revoked` (撤销: final) and
`superseded` (a new version of the same license replaced it: final). `expired` is not
stored: a valid license whose `validTo` has passed is expired. Only the issuing
department changes a license's state, always with a reason.
"""
from datetime import date
from typing import Any

from . import payload
from .errors import Conflict, ValidationError
from .identifiers import make_license_identifier, parse_license_identifier

STATES = ("valid", "suspended", "revoked", "superseded")
STATUSES = (*STATES, "expired")
# action -> (the states it applies to, the state it leaves)
TRANSITIONS = {
    "suspend": (("valid",), "suspended"),
    "resume": (("suspended",), "valid"),
    "revoke": (("valid", "suspended"), "revoked"),
    "reissue": (("valid",), "superseded"),
}
# What a new version may change (a renamed holder, a renewal); everything else carries on.
REISSUE_FIELDS = ("holder", "validTo")


def status(state: str, valid_to: str, today: date) -> str:
    """What a verifier is told: the stored state, or `expired` for a valid license past
    its `validTo`."""
    if state == "valid" and str(valid_to) < today.isoformat():
        return "expired"
    return state


def target(action: str, state: str) -> str:
    """The state `action` leaves a license in `state` in; Conflict when it may not."""
    allowed, after = TRANSITIONS[action]
    if state not in allowed:
        raise Conflict(f"a {state} license cannot be {action}ed here: only a "
                       f"{' or '.join(allowed)} one", code="license_state")
    return after


def next_version(identifier: str, issuer_uscc: str | None = None) -> str:
    """The identifier of the license's next version (same type and serial; same issuer
    unless `issuer_uscc` names another)."""
    parts = parse_license_identifier(identifier)
    version = int(parts["version"]) + 1
    if version > 999:
        raise Conflict("the license has no version left", code="license_state")
    return make_license_identifier(parts["typeCode"], issuer_uscc or parts["issuer"],
                                   parts["serial"], f"{version:03d}")


def reissued(document: dict[str, Any], changes: dict[str, Any], today: date,
             issuer: dict[str, Any] | None = None) -> dict[str, Any]:
    """The next version's document: the changes applied, issued today — by `issuer` (the
    department that decided, as the registry names it), which a license issued before
    licenses named the department (the data bureau's) takes on in its new version."""
    unknown = sorted(set(changes) - set(REISSUE_FIELDS))
    if unknown:
        raise ValidationError(f"a new version may change only {', '.join(REISSUE_FIELDS)}",
                              field=f"changes.{unknown[0]}")
    if "validTo" in changes:
        try:
            date.fromisoformat(changes["validTo"])
        except (TypeError, ValueError):
            raise ValidationError("validTo must be a date (YYYY-MM-DD)",
                                  field="changes.validTo") from None
        if changes["validTo"] <= today.isoformat():
            raise ValidationError("validTo must be after today", field="changes.validTo")
    if "holder" in changes and not str(changes["holder"]).strip():
        raise ValidationError("holder must not be empty", field="changes.holder")
    if "holder" in changes:
        payload.check_text(str(changes["holder"]), "changes.holder", payload.NAME_ALLOWS)
    named = {"issuer": issuer["name"], "issuerCode": issuer["uscc"]} if issuer else {}
    return {**document, **changes, **named,
            "identifier": next_version(document["identifier"], named.get("issuerCode")),
            "issueDate": today.isoformat(), "validFrom": today.isoformat()}
