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

from pynamodb.exceptions import UpdateError

from ..adapters.models import CaseRecord, condition_failed
from ..domain.catalogue import review_plan
from ..domain.lifecycle import CLOSED, Status
from ..domain.task_states import ACTIVE, TaskState
from ..domain.workdays import add_workdays
from . import casefile, catalogue, clock, licenses, stages
from .cases import load

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


def conclude(case_no: str) -> int | None:
    """Conclude the case; safe to deliver any number of times. Returns the status it
    concluded with, or None when there was nothing to do (concluded already, or closed
    meanwhile — withdrawn, revoked)."""
    case, _, tasks = load(case_no, consistent=True)
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
    license_id = licenses.issue(case, item)
    now = clock.now()
    opinion = "准予许可" + ("，已核发电子证照" if license_id else "") + \
        ("；容缺材料待补" if pending else "")
    actions = casefile.status_actions(case, target, "workflow", "workflow", "system",
                                      opinion, now, watched=bool(pending))
    if license_id:
        actions.append(CaseRecord.licenseId.set(license_id))
    if pending:
        # The materials have their own due date; the overdue sweep watches it.
        days = item["process"].get("materialsToFollowDays") or 0
        due_by = add_workdays(clock.counting_day(now), days).isoformat()
        actions += [CaseRecord.pendingMaterials.set(pending),
                    CaseRecord.materialsDueBy.set(due_by),
                    CaseRecord.watchShard.set(casefile.watch_shard(case.pk)),
                    CaseRecord.watchAt.set(min(casefile.materials_due(due_by),
                                               casefile.invitation_at(case, now.isoformat())))]
    try:
        case.update(actions=actions)
    except UpdateError as error:
        if condition_failed(error):
            raise NotYet(f"case {case_no} changed while concluding; again") from None
        raise
    log.info("case %s concluded %s%s", case_no, int(target),
             f" with license {license_id}" if license_id else "")
    return int(target)
