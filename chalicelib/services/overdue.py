"""The overdue sweep (a scheduled event): every task and case past a deadline is marked
overdue once, and the mark becomes a lifecycle event (`onewindow.case.overdue`). A case's
deadlines are its own (promised, then statutory), an open special procedure's own limit,
and the due date of materials approved to follow (容缺, watched after conclusion 12). A missed
deadline never fails a workflow: it is escalated to supervision, and the work goes on.

No Scan: open tasks sit in their department's inbox and open cases in the CASES shards
of the same index, each ordered by its deadline, so the sweep reads only what is due.
Whether a deadline has really passed is decided with the case's clock as it stands now
(a paused case's deadlines move on), not from the stored order alone.
"""
import logging

from pynamodb.exceptions import UpdateError
from pynamodb.expressions.condition import size

from ..adapters.models import CaseRecord, TaskRecord, condition_failed
from ..domain import worktime
from . import casefile, catalogue, clock
from .cases import META

log = logging.getLogger("onewindow")


def sweep(now=None) -> dict:
    """Mark what is overdue at `now` (the service clock's time by default)."""
    now = now or clock.now()
    text = worktime.utc_text(now)
    cases: dict[str, CaseRecord] = {}
    counts = {"tasks": 0, "cases": 0}

    def case_of(case_no: str) -> CaseRecord:
        if case_no not in cases:
            cases[case_no] = CaseRecord.get(case_no, META, consistent_read=True)
        return cases[case_no]

    zone = clock.zone()
    for dept in catalogue.departments():
        for task in TaskRecord.inbox.query(dept, TaskRecord.deadline < text,
                                           filter_condition=TaskRecord.overdue
                                           .does_not_exist()):
            if task.state != "open" or not task.planned:
                continue  # waiting on the applicant or a special procedure: clock stopped
            pauses = worktime.end_pause(case_of(task.pk).pauses or [], now, zone)
            if worktime.shifted(task.planned, pauses, zone) < text:
                counts["tasks"] += _mark_task(task, text)
    for shard in range(casefile.CASE_SHARDS):
        for record in CaseRecord.inbox.query(f"CASES#{shard}", CaseRecord.deadline < text):
            counts["cases"] += _mark_case(record, now, text)
    if any(counts.values()):
        log.info("overdue sweep at %s: %s", text, counts)
    return counts


def _mark_task(task: TaskRecord, text: str) -> int:
    try:
        task.update(actions=[TaskRecord.overdue.set(text)],
                    condition=TaskRecord.overdue.does_not_exist()
                    & (TaskRecord.state == "open"))
    except UpdateError as error:
        if condition_failed(error):
            return 0  # decided, or marked by a concurrent sweep
        raise
    return 1


def _mark_case(case: CaseRecord, now, text: str) -> int:
    """Mark the deadlines the case has missed (its own, an open special procedure's,
    materials to follow); keep it in the watch for the next one."""
    pauses = worktime.end_pause(case.pauses or [], now, clock.zone())
    before = list(case.overdue or [])
    missed = before + sorted(kind for kind, moment in
                             casefile.deadlines(case, pauses).items() if moment < text)
    if missed == before:
        return 0  # paused: its deadlines have moved on
    case.overdue = missed
    watch = casefile.next_watch(case)
    actions = [CaseRecord.overdue.set(missed), CaseRecord.overdueAt.set(text),
               CaseRecord.deadline.set(watch) if watch else CaseRecord.inboxDept.remove()]
    # Only over what this sweep read: still watched, no mark added meanwhile.
    unchanged = size(CaseRecord.overdue) == len(before) if before \
        else CaseRecord.overdue.does_not_exist()
    try:
        # Not a transition: the case's version stays (a decision racing the sweep stands).
        CaseRecord._get_connection().update_item(case.pk, META, actions=actions,
                                 condition=unchanged & CaseRecord.inboxDept.exists())
    except UpdateError as error:
        if condition_failed(error):
            return 0
        raise
    return 1
