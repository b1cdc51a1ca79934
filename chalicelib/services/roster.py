"""A department's staff as OneWindow has seen them: whom its lead may hand a task to.

The identity provider says who is in which department, but only in each person's own
token; there is no directory to ask. So a clerk or reviewer is entered on the roster of
the department their verified token names when they open its inbox or take one of its
tasks, and a lead assigns only to someone on it, in a role that handles the task — never
to someone outside the department, who could neither see nor decide it and would hold it
from everyone else.
"""
from ..adapters.models import StaffMemberRecord
from ..domain import identity, worktime
from . import clock

# What this container has entered already: one write per member and change of role.
_entered: set[tuple] = set()


def _code(dept: str) -> str:
    return f"STAFF#{dept}"


def saw(principal: identity.Principal) -> None:
    """Enter a department's clerk or reviewer on its roster (again only if their role,
    lead flag or name changed since this container entered them)."""
    if principal.role not in identity.DEPARTMENT_STAFF or not principal.dept:
        return
    key = (principal.dept, principal.sub, principal.role, principal.lead, principal.name)
    if key in _entered:
        return
    StaffMemberRecord(_code(principal.dept), principal.sub, role=principal.role,
                      name=principal.name, lead=principal.lead,
                      seenAt=worktime.utc_precise_text(clock.now())).save()
    _entered.add(key)


def member(dept: str, sub: str) -> StaffMemberRecord | None:
    try:
        return StaffMemberRecord.get(_code(dept), sub)
    except StaffMemberRecord.DoesNotExist:
        return None


def members(dept: str) -> list[dict]:
    """The department's roster, by subject."""
    return [{"sub": r.sk, "role": r.role, "name": r.name, "lead": r.lead}
            for r in StaffMemberRecord.query(_code(dept))]
