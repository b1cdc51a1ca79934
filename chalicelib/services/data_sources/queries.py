"""A purpose-bound query of a base-data registry, logged for its data subject."""
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ...adapters import registries, secrets
from ...domain import lookup
from ...domain.data_use import REGISTRIES, Purpose
from .. import clock, usage
from . import consents

log = logging.getLogger("onewindow")


@dataclass(frozen=True)
class Answer:
    registry: str
    record: dict[str, Any] | None
    note: str | None      # why there is no record (none kept, unreachable, not connected)
    at: str


def ask(registry: str, subject_id: str, purpose: Purpose,
        fields: list[str] | None = None, once: tuple[datetime, str] | None = None) -> Answer:
    """The subject's record in `registry`, asked as `purpose` states. Refused (403
    consent_required, nothing asked) when the basis is a consent the subject has not
    given for this registry, or has revoked. Logged for the subject before it is asked:
    a query its log does not hold is one that was never made. `once` (the moment and name
    of the work asking): asked again by a redelivery of that work, it is one entry."""
    holder = lookup.id_key(secrets.lookup(), subject_id)
    if purpose.consent_id and purpose.item:
        consents.require(holder, purpose.consent_id, purpose.item, registry)
    label = REGISTRIES[registry]
    at = clock.now()
    settings = registries.source(registry)
    if settings is None:
        return Answer(registry, None, f"本地区未接入{label}", at.isoformat())
    usage.log(holder, "query", organisation=_requester_name(purpose), purpose=purpose.purpose,
              case_no=purpose.case_no, registry=registry, basis=purpose.basis,
              at=once[0] if once else at, entry=once[1] if once else None,
              principal=None, source=None,
              by=purpose.requester if purpose.requester_kind == "person" else None)
    request = {"subject": subject_id, "fields": fields,
               "requester": {"kind": purpose.requester_kind, "id": purpose.requester},
               "purpose": purpose.purpose, "basis": purpose.basis, "caseNo": purpose.case_no}
    try:
        record = registries.query(settings, request)
    except registries.Unavailable as error:
        log.warning("registry %s unavailable: %s", registry, error)
        return Answer(registry, None, f"{label}暂时无法访问", at.isoformat())
    return Answer(registry, record, None if record is not None else f"{label}无此记录",
                  at.isoformat())


def _requester_name(purpose: Purpose) -> str:
    if purpose.requester_kind == "system":
        return "系统（秒批规则核验）"
    if purpose.requester_kind == "person":
        return "本人"
    return purpose.requester
