"""Open work by working days left (剩余工作日, the supervision dashboard): a department's
open tasks counted by how many working days their deadlines leave (domain/days_left.py).

One Query of the department's part of the `inbox` index, reading each task's deadline
and state only; never a Scan. Tasks waiting on the applicant or in a special procedure
(their clock stopped) are counted apart, as `paused`.
"""
from ..adapters.models import TaskRecord
from ..domain import days_left, identity, worktime
from ..domain.task_states import TaskState
from . import clock


def open_work(principal: identity.Principal | None, dept: str | None) -> dict:
    """How many of a department's open tasks are overdue, due today, and due in each
    bucket of working days left; supervisors and admins any department's, its own staff
    their own."""
    principal = identity.require_role(principal, *identity.STAFF)
    dept = identity.department_read(principal, dept)
    now = clock.now()
    found = days_left.buckets(now, clock.zone())
    counts = dict.fromkeys((bucket.key for bucket in found), 0)
    paused = 0
    for task in TaskRecord.inbox.query(dept, attributes_to_get=["rt", "deadline", "state"]):
        if task.state != TaskState.OPEN:
            paused += 1
            continue
        counts[days_left.bucket_of(task.deadline, found)] += 1
    return {"dept": dept, "asOf": worktime.utc_text(now), "overdue": counts["overdue"],
            "dueToday": counts["0"], "paused": paused, "open": sum(counts.values()),
            "buckets": [{"key": bucket.key, "label": bucket.label,
                         "count": counts[bucket.key], "dueAfter": bucket.after,
                         "dueBefore": bucket.before} for bucket in found]}
