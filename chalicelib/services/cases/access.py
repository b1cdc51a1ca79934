"""Who may read a case: its owner (or the owner's agent) and the staff who may read it;
to everyone else it does not exist."""
from collections.abc import Callable

from ...adapters import secrets
from ...adapters.models import CaseRecord, TaskRecord
from ...domain import identity, lookup
from ...domain.errors import Concealed


def may_read(principal: identity.Principal | None, case: CaseRecord,
             tasks: list[TaskRecord]) -> bool:
    """Its owner (or the owner's agent), and the staff who may read it."""
    return (identity.owns(principal, case.applicant.sub, owner_id(case))
            or identity.reads_case(principal, {task.dept for task in tasks}))


def require_readable(principal: identity.Principal | None, case: CaseRecord,
                     tasks: list[TaskRecord]) -> None:
    """A case the caller may not read does not exist for it: 404, whatever it asked to
    do (audited as concealed), before any rule about what it may do tells it otherwise."""
    if not may_read(principal, case, tasks):
        raise Concealed(f"no case {case.pk}", field="caseNo")


def owner_id(case: CaseRecord) -> Callable[[str], bool]:
    """Whether an ID number is the one the case's application names."""
    return names_id(case.owner, case.applicant.idNumber)


def names_id(key: str | None, stored: str | None) -> Callable[[str], bool]:
    """Whether an ID number is the one a record names: by the record's keyed hash of it
    (domain/lookup.py), or — records from before the hash — by the number it stores."""
    if key:
        secret = secrets.lookup()
        return lambda id_number: lookup.id_key(secret, id_number) == key
    return lambda id_number: id_number == stored
