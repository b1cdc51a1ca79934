"""The case as each caller may see it: in full for its owner and the staff who may read
it, the public view for anyone with its query password, and what an application answers."""
from datetime import datetime

from ...adapters.models import CaseRecord, TaskRecord, TimelineEvent
from ...domain import identity, worktime
from ...domain.errors import Concealed, NotFound, Unauthorized
from ...domain.lifecycle import LABELS, Status
from ...domain.masking import mask_id, mask_name
from .. import clock, query_passwords, usage
from ..case_access import META, load, may_read
from ..holders import applicant_in_clear, form_in_clear, open_applicant

# Supervision's own events — cards, breaches, a contested rating, a rectification deadline
# missed: staff see them on the timeline, applicants do not.
CARD_EVENTS = ("card_", "rule_breach", "rating_contest", "rectification_overdue")


def view(principal: identity.Principal | None, case_no: str,
         password: str | None = None, source: str | None = None) -> dict:
    """The case as the caller may see it: in full for its owner and the staff who may
    read it; with the query password, the public view. Nobody else learns whether it
    exists: a stranger gets 404, an anonymous caller 401, a wrong password 403."""
    if principal is None:
        if password is None:
            raise Unauthorized("sign in or give the case's query password",
                               field="Authorization")
        return public_view(case_no, password, source)
    try:
        case, events, tasks = load(case_no)
    except NotFound:
        case = None
    if case is not None and may_read(principal, case, tasks):
        staff = principal.role in identity.STAFF
        if staff:
            # The applicant's log of who read its case file, and why (GET /me/access-log).
            usage.staff_read(case.owner, case_no, principal)
        return case_view(case, events, tasks, staff=staff)
    if password is not None:
        return public_view(case_no, password, source)
    if case is None:
        raise NotFound(f"no case {case_no}", field="caseNo")
    raise Concealed(f"no case {case_no}", field="caseNo")


def created_view(record: CaseRecord) -> dict:
    """What an application answers (and its replays answer again): the case's number,
    its query password, status and dates."""
    return {"caseNo": record.pk,
            "queryPassword": query_passwords.issue(record.pk),
            "status": record.status, "statusLabel": LABELS[Status(record.status)],
            "itemCode": record.itemCode, "itemVersion": int(record.itemVersion),
            "createdAt": record.createdAt, "promisedBy": record.promisedBy,
            "deadlineBasis": record.deadlineBasis, "workflow": record.workflow or "started"}


def public_view(case_no: str, password: str, source: str | None = None) -> dict:
    """What the query password shows anyone: status, item, dates, the holder masked —
    no staff, no opinions, no form. A wrong password and a case that does not exist get
    the same 403; wrong ones are limited per caller address (`source`)."""
    query_passwords.check(case_no, password, source)
    try:
        case = CaseRecord.get(case_no, META)
    except CaseRecord.DoesNotExist:  # a password that matches a number never issued
        raise query_passwords.refused() from None
    applicant = case.applicant
    holder = {"type": applicant.type, "idType": applicant.idType,
              "name": mask_name(applicant.name) if applicant.type == "natural"
              else applicant.name, "idNumber": mask_id(applicant.idNumber)}
    return {"caseNo": case.pk, "status": case.status,
            "statusLabel": LABELS[Status(case.status)], "itemCode": case.itemCode,
            "itemVersion": int(case.itemVersion), "itemName": case.itemName,
            "applicant": holder, "channel": case.appliedVia, "createdAt": case.createdAt,
            "promisedBy": case.promisedBy, "updatedAt": case.updatedAt}


def case_view(case: CaseRecord, events: list[TimelineEvent], tasks: list[TaskRecord],
              staff: bool = True) -> dict:
    """The whole case, for its owner and the staff who may read it (the public view is
    `public_view`). Supervision's cards and breaches are internal: only staff see them on
    the timeline."""
    opened = open_applicant(case)
    applicant = applicant_in_clear(case, opened)
    applicant.pop("sub", None)
    agent_id = applicant.pop("agentIdNumber", None)
    result = {
        "caseNo": case.pk, "status": case.status, "statusLabel": LABELS[Status(case.status)],
        "itemCode": case.itemCode, "itemVersion": int(case.itemVersion),
        "itemName": case.itemName,
        "applicant": {k: v for k, v in applicant.items() if v is not None},
        "appliedVia": case.appliedVia, "channel": case.appliedVia, "createdAt": case.createdAt,
        "promisedBy": case.promisedBy, "deadlineBasis": case.deadlineBasis,
        "updatedAt": case.updatedAt,
        "licenseId": case.licenseId,
        "workflow": case.workflow or "started",
        "clock": clock_of(case),
        "overdue": list(case.overdue or []),
        "timeline": [event_view(e) for e in sorted(events, key=lambda e: e.sk)
                     if staff or not e.action.startswith(CARD_EVENTS)],
    }
    if case.supplement:
        result["supplement"] = case.supplement
    if case.pendingMaterials:
        result["pendingMaterials"] = list(case.pendingMaterials)
        result["materialsDueBy"] = case.materialsDueBy
    if case.procedures:
        result["specialProcedures"] = case.procedures
    if case.agent:
        result["agent"] = {**case.agent, **({"idNumber": agent_id} if agent_id else {})}
    result["form"] = form_in_clear(case, opened)
    result["materials"] = case.materials
    result["tasks"] = [task_view(t) for t in sorted(tasks, key=lambda t: t.createdAt)]
    if case.ruleCheck:
        # Whether it is sampled for a supervisor (抽查) is for staff only.
        result["ruleCheck"] = case.ruleCheck if staff else {
            k: v for k, v in case.ruleCheck.items() if k != "sampled"}
    if case.dataUse:
        result["dataUse"] = {k: v for k, v in case.dataUse.items() if k != "materials"}
    return result


def clock_of(case: CaseRecord) -> dict:
    """Elapsed and remaining working time, every pause (domain/worktime.py)."""
    return worktime.clock_view(worktime.utc_text(datetime.fromisoformat(case.createdAt)),
                               case.due or {}, case.pauses or [], case.closedAt and
                               worktime.utc_text(datetime.fromisoformat(case.closedAt)),
                               clock.now(), clock.zone())


def event_view(event: TimelineEvent) -> dict:
    view_ = {"at": event.at, "action": event.action, "actor": event.actor,
             "actorRole": event.actorRole, "actorName": event.actorName,
             "channel": event.channel, "opinion": event.opinion}
    if event.status is not None:
        view_.update(status=event.status, statusLabel=LABELS[Status(event.status)],
                     fromStatus=event.fromStatus)
    if event.taskId:
        view_.update(taskId=event.taskId, decision=event.decision)
    if event.dept:
        view_["dept"] = event.dept
    if event.detail:
        view_["detail"] = event.detail
    return {k: v for k, v in view_.items() if v is not None}


def task_view(task: TaskRecord) -> dict:
    view_ = {"taskId": task.taskId, "kind": task.taskKind, "caseNo": task.caseNo,
             "itemCode": task.itemCode, "dept": task.dept, "stage": task.stage,
             "deadline": task.deadline, "state": task.state, "createdAt": task.createdAt,
             "claimedBy": task.claimedBy, "claimedByName": task.claimedByName,
             "overdue": task.overdue, "decidedBy": task.decidedBy,
             "decidedByName": task.decidedByName,
             "pendingMaterials": task.pendingMaterials,
             "decision": task.decision, "opinion": task.opinion, "decidedAt": task.decidedAt,
             "cancelledAt": task.cancelledAt}
    return {k: v for k, v in view_.items() if v is not None}
