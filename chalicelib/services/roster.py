"""The staff OneWindow has seen, each with the department their token last named: whom a
department's lead may hand a task to.

The identity provider says who is in which department, but only in each person's own
token; there is no directory to ask. So a clerk or reviewer is entered (one record per
person, under their subject) when they open their department's inbox or act on one of its
tasks, and entered again when their department, role or lead flag changes, or a day has
passed. A lead assigns only to someone whose record names the task's department, in a role
that handles the task, seen there within `ACTIVE_DAYS` — never to someone outside the
department (or who has moved on from it), who could neither see nor decide the task and
would hold it from everyone else.
"""
from datetime import timedelta

from ..adapters.models import StaffMemberRecord
from ..domain import identity, worktime
from . import clock

STAFF = "STAFF"
# Someone not seen in their department for this long is not handed its tasks.
ACTIVE_DAYS = 30
# What this container has entered already, by subject: one write per person a day, and
# at once when what their token says changes.
_entered: dict[str, tuple] = {}


def saw(principal: identity.Principal) -> None:
    """Enter a department's clerk or reviewer as their verified token shows them."""
    if principal.role not in identity.DEPARTMENT_STAFF or not principal.dept:
        return
    now = clock.now()
    shown = (principal.dept, principal.role, principal.lead, principal.name,
             clock.local_date(now))
    if _entered.get(principal.sub) == shown:
        return
    StaffMemberRecord(STAFF, principal.sub, dept=principal.dept, role=principal.role,
                      name=principal.name, lead=principal.lead,
                      seenAt=worktime.utc_precise_text(now)).save()
    _entered[principal.sub] = shown


def colleague(dept: str, sub: str) -> StaffMemberRecord | None:
    """`sub` as one of `dept`'s active staff, or None (unknown, in another department
    now, or not seen there for `ACTIVE_DAYS`)."""
    try:
        member = StaffMemberRecord.get(STAFF, sub)
    except StaffMemberRecord.DoesNotExist:
        return None
    since = worktime.utc_precise_text(clock.now() - timedelta(days=ACTIVE_DAYS))
    return member if member.dept == dept and member.seenAt >= since else None


def members(dept: str) -> list[StaffMemberRecord]:
    """`dept`'s active staff (as `colleague` finds them), by name then account."""
    since = worktime.utc_precise_text(clock.now() - timedelta(days=ACTIVE_DAYS))
    found = StaffMemberRecord.query(STAFF, filter_condition=(StaffMemberRecord.dept == dept)
                                    & (StaffMemberRecord.seenAt >= since))
    return sorted(found, key=lambda member: (member.name or "", member.sk))
