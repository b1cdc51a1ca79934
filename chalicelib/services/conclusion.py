"""Conclusion (办结): every review of every stage decided, the stream hands the case to
the conclude queue (services/stages.py). Here it is concluded once — 11, or 12 when a
department approved with materials to follow (容缺) — with its e-license when the item
issues one.

Only what the reviews concluded is concluded: the message says which case, never that it
may be approved. The case's tasks are read (consistently) and checked against the item
version's review plan — every review of every stage decided, none vetoed, no task of
the case still open or upcoming — so a message delivered early, twice, or moved to this
queue by mistake approves nothing; the last review decided sends the case again."""
import logging

from ..domain.case_file import case_key
from ..domain.catalogue import review_plan
from ..domain.changes import Change, ConditionFailed, merged
from ..domain.errors import NotFound
from ..domain.lifecycle import CLOSED, Status
from ..domain.task_states import ACTIVE, TaskState
from ..domain.workdays import add_workdays
from . import casefile, catalogue, clock, licenses, stages
from .case_files import CaseFiles
from .license_library import LicenseLibrary

log = logging.getLogger("onewindow")
CONCLUDES_FROM = (Status.ACCEPTED, Status.IN_REVIEW, Status.SPECIAL_PROCEDURE_ENDED)


class NotYet(Exception):
    """The case is not where a conclusion can follow yet: the message is retried."""


def reviews_waiting(plan: dict[int, list[str]], tasks: list) -> str | None:
    """What keeps the reviews from having concluded the case (None: nothing): a review
    of the plan not decided yet, a vetoing denial, a task still open or upcoming."""
    reviews = {(task.stage, task.dept): task for task in tasks if task.taskKind == "review"}
    stage = stages.turn(plan, {key: task.state for key, task in reviews.items()})
    if stage is not None:
        return f"stage {stage}'s reviews are not all decided"
    vetoed = [task.taskId for task in reviews.values()
              if task.decision == "deny" and task.veto]
    if vetoed:
        return f"denied by {', '.join(vetoed)}"
    still_open = [task.taskId for task in tasks if task.state in ACTIVE]
    if still_open:
        return f"{', '.join(still_open)} still open"
    return None


def conclude(case_files: CaseFiles, library: LicenseLibrary, case_no: str) -> int | None:
    """Conclude the case on `case_files`, its license issued into `library`; safe to
    deliver any number of times. Returns the status it concluded with, or None when there
    was nothing to do (concluded already, or closed meanwhile — withdrawn, revoked)."""
    found = case_files.load(case_no, consistent=True)
    if found is None:
        raise NotFound(f"no case {case_no}", field="caseNo")
    case, _, tasks = found
    if case.status in CLOSED:
        return None
    if case.status not in CONCLUDES_FROM:
        raise NotYet(f"case {case_no} is at {case.status}, not ready to conclude")
    item = catalogue.pinned_version(case.itemCode, case.itemVersion)
    waiting = reviews_waiting(review_plan(item), tasks)
    if waiting:
        log.warning("case %s not concluded: %s", case_no, waiting)
        return None
    pending = sorted({name for task in tasks if task.state == TaskState.DECIDED
                      for name in task.pendingMaterials or ()})
    target = Status.APPROVED_PENDING_MATERIALS if pending else Status.APPROVED
    license_id = licenses.issue(library, case, item)
    now = clock.now()
    opinion = "准予许可" + ("，已核发电子证照" if license_id else "") + \
        ("；容缺材料待补" if pending else "")
    extra = {}
    if license_id:
        extra["licenseId"] = license_id
    if pending:
        # The materials have their own due date; the overdue sweep watches it.
        days = item["process"].get("materialsToFollowDays") or 0
        due_by = add_workdays(clock.counting_day(now), days).isoformat()
        extra.update(pendingMaterials=pending, materialsDueBy=due_by,
                     watchShard=casefile.watch_shard(case.pk),
                     watchAt=min(casefile.materials_due(due_by),
                                 casefile.invitation_at(case, now.isoformat())))
    try:
        case_files.commit([merged(
            casefile.status_change(case, target, "workflow", "workflow", "system", opinion,
                                   now, watched=bool(pending)),
            Change(case_key(case_no), set=extra))])
    except ConditionFailed:
        raise NotYet(f"case {case_no} changed while concluding; again") from None
    log.info("case %s concluded %s%s", case_no, int(target),
             f" with license {license_id}" if license_id else "")
    return int(target)
