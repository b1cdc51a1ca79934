"""Conclusion (办结): every stage approved, the workflow hands the case to the conclude
queue. Here it is concluded once — 11, or 12 when a department approved with materials
to follow (容缺) — with its e-license when the item issues one."""
import logging

from pynamodb.exceptions import UpdateError

from ..adapters.models import CaseRecord, condition_failed
from ..domain.lifecycle import CLOSED, Status
from ..domain.workdays import add_workdays
from . import casefile, catalogue, clock, licenses
from .cases import load

log = logging.getLogger("onewindow")
CONCLUDES_FROM = (Status.ACCEPTED, Status.IN_REVIEW, Status.SPECIAL_PROCEDURE_ENDED)


class NotYet(Exception):
    """The case is not where a conclusion can follow yet: the message is retried."""


def conclude(case_no: str) -> int | None:
    """Conclude the case; safe to deliver any number of times. Returns the status it
    concluded with, or None when there was nothing to do (concluded already, or closed
    meanwhile — withdrawn, revoked)."""
    case, _, tasks = load(case_no)
    if case.status in CLOSED:
        return None
    if case.status not in CONCLUDES_FROM:
        raise NotYet(f"case {case_no} is at {case.status}, not ready to conclude")
    item = catalogue.pinned_version(case.itemCode, case.itemVersion)
    pending = sorted({name for task in tasks if task.state == "decided"
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
