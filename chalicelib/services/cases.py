"""Use cases of a case: apply, read (with timeline), and the view each caller may see."""
import logging
from datetime import date, datetime

from pynamodb.exceptions import TransactWriteError

from .. import config, tracing
from ..adapters import sealing, secrets
from ..adapters.models import (
    CaseRecord,
    DailyCounter,
    IdempotencyRecord,
    TaskRecord,
    TimelineEvent,
    transact_write,
)
from ..domain import applications, identity, lookup, worktime
from ..domain import materials as material_rules
from ..domain.catalogue import promised_by, validate_form, workflow_input
from ..domain.errors import (
    Concealed,
    Conflict,
    Forbidden,
    NotFound,
    Unauthorized,
    UnprocessableEntity,
    ValidationError,
)
from ..domain.identifiers import make_case_number
from ..domain.lifecycle import LABELS, Status
from ..domain.masking import mask_id, mask_name, mask_phone, restore_personal, split_personal
from . import casefile, catalogue, clock, materials, open_applications, query_passwords
# The loader, the access checks and whose a record is live below this module (materials
# use them, and this module uses materials); their names stay importable from here.
from .case_access import META as META
from .case_access import load as load
from .case_access import load_records as load_records
from .case_access import may_read as may_read
from .case_access import require_readable as require_readable
from .holders import applicant_in_clear as applicant_in_clear
from .holders import names_id as names_id
from .holders import open_applicant
from .holders import owner_id as owner_id

log = logging.getLogger("onewindow")


def _next_sequence(area: str, day: str) -> int:
    counter = DailyCounter(f"SEQ#{area}#{day}", "SEQ")
    counter.update(actions=[DailyCounter.value.add(1)])
    return int(counter.value)


def apply(principal: identity.Principal | None, body, idempotency_key: str | None = None):
    """Create a case and start its workflow. Returns (response, replayed)."""
    # Only the applicant (for itself or a company it acts for) and the counter clerk (for
    # the person at the counter) apply; no other member of staff ever owns a case.
    principal = identity.require_role(principal, identity.APPLICANT, identity.CLERK)
    cfg = config.get()
    application = applications.parse_application(body)
    if principal.role == identity.APPLICANT and not principal.id_number:
        # An applicant's identity comes only from the token: without its ID number there
        # is no telling whose application this is.
        raise Forbidden("the token names no ID number (claim idn): sign in with a "
                        "verified identity to apply", field="Authorization")
    agent = None
    if principal.role == identity.APPLICANT and \
            principal.id_number != application.applicant["idNumber"]:
        if application.applicant["type"] != "legal" or \
                application.applicant["idNumber"] not in principal.acts_for:
            raise Forbidden("applicants apply in their own name, or for a company they are "
                            "an authorised agent of", field="applicant.idNumber")
        # 代办: the company is the holder, the natural person its agent.
        agent = {"sub": principal.sub, "name": principal.name,
                 "idNumber": mask_id(principal.id_number)}
    counter = application.channel == "counter"
    if counter != (principal.role == identity.CLERK):
        # Every channel is in the document; who may use which is the caller's role's.
        raise UnprocessableEntity("a clerk enters an application at the counter (channel "
                                  "counter) for its applicant; only a clerk uses that "
                                  "channel", field="channel")
    # A retried request answers as the first did, whatever the catalogue says now.
    idem_pk, body_hash = None, None
    if idempotency_key is not None:
        if not 1 <= len(idempotency_key) <= 128:
            raise ValidationError("Idempotency-Key must be 1 to 128 characters",
                                  field="Idempotency-Key")
        idem_pk = f"IDEMP#{principal.sub}#{idempotency_key}"
        body_hash = applications.request_hash(body)
        replay = _replay(idem_pk, body_hash)
        if replay:
            return replay, True
    item = catalogue.published_item(application.item_code)
    if application.applicant["type"] not in item.get("audience", ()):
        who = {"natural": "natural persons", "legal": "legal persons"}
        raise UnprocessableEntity(
            f"the item is for {' and '.join(who[a] for a in item['audience'])} only",
            field="applicant.type")
    validate_form(item.get("formSchema", {}), application.form)
    if principal.role == identity.APPLICANT and principal.assurance < item.get("minAssurance", 1):
        raise Forbidden(f"the item needs an identity verified to level "
                        f"{item['minAssurance']}; this sign-in is level "
                        f"{principal.assurance}", field="Authorization",
                        code="assurance_too_low")
    missing = material_rules.missing_at_submission(
        item, {m["name"] for m in application.materials}, application.channel)
    if missing:
        raise UnprocessableEntity(f"the item is applied for online with every "
                                  f"mandatory material: {'、'.join(missing)} missing",
                                  field="materials", code="material_not_accepted")

    holder = identity.holder_name(principal, application.applicant)  # not as typed
    owner_key = lookup.id_key(secrets.lookup(), application.applicant["idNumber"])
    given = materials.given_in_case(item, application.materials,
                                    application.applicant["idNumber"], owner_key,
                                    at_counter=counter)
    # One open case per identical application, unless the item allows parallel ones.
    try:
        one_open = open_applications.guard(item, owner_key, application.form)
    except Conflict:   # its own retry (the same key) that won meanwhile is a replay
        replay = _replay(idem_pk, body_hash)
        if replay:
            return replay, True
        raise
    started = clock.now()
    today = clock.local_date(started)
    case_no = make_case_number(cfg.area_code, today,
                               _next_sequence(cfg.area_code, today.strftime("%Y%m%d")))
    # Deadlines count from the day the office receives it (the next working day when
    # applied for out of office hours); the case number carries the calendar date.
    plan = workflow_input(case_no, item, clock.counting_day(started))
    due = planned_due(item, plan, started)
    # Personal data typed into the form (a contact's phone, a representative's ID number)
    # is kept as the applicant's is: masked in the item, sealed in clear.
    form_masked, form_clear = split_personal(application.form)
    record = CaseRecord(
        case_no, META, status=int(Status.RECEIVED), itemCode=item["code"],
        itemVersion=str(item["version"]), itemName=item["name"],
        # At the counter the applicant, not the clerk, owns the case (by ID number); the
        # clerk is its first actor on the timeline.
        applicant={**application.applicant, "name": holder,
                   "sub": None if counter else principal.sub,
                   "idNumber": mask_id(application.applicant["idNumber"]),
                   "phone": mask_phone(application.applicant.get("phone"))},
        sealedApplicant=sealing.seal(
            {"idNumber": application.applicant["idNumber"],
             "phone": application.applicant.get("phone"),
             "agentIdNumber": principal.id_number if agent else None,
             **({"form": form_clear} if form_clear else {})}, case_no),
        form=form_masked, materials=given.entries,
        appliedVia=application.channel, createdAt=started.isoformat(),
        promisedBy=promised_by(plan), deadlineBasis=plan["calendar"],
        updatedAt=started.isoformat(), actor=principal.sub,
        actorRole=principal.role, actorName=identity.staff_name(principal),
        channel=application.channel, opinion="申请已提交",
        workflow="queued", due=due, pauses=[], watchShard=casefile.watch_shard(case_no),
        owner=owner_key,
        agent=agent)
    record.watchAt = casefile.next_watch(record, [])
    try:
        with transact_write() as transaction:
            transaction.save(record, condition=CaseRecord.pk.does_not_exist())
            if one_open:
                transaction.save(*one_open.claim(case_no))
            if idem_pk:
                transaction.save(
                    IdempotencyRecord(idem_pk, "IDEMP", caseNo=case_no,
                                      requestHash=body_hash,
                                      createdAt=started.isoformat()),
                    condition=IdempotencyRecord.pk.does_not_exist())
    except TransactWriteError:
        # A concurrent request with the same key won the race: answer with its case.
        replay = _replay(idem_pk, body_hash)
        if replay:
            return replay, True
        open_applications.refuse_if_taken(one_open)
        raise
    materials.record_uses(given, principal, case_no, item, owner_key, started)
    if plan["calendar"] != "official":
        log.warning("case %s: deadlines up to %s follow a provisional holiday calendar "
                    "(no announced schedule for a year they cross)", case_no,
                    record.promisedBy)
    tracing.annotate(case_no=case_no, item_code=application.item_code)
    # The workflow starts from the starts queue (services/starts.py): the stream hands
    # every new case to it, so a burst never meets Step Functions' start quota here.
    return _created(record), False


def planned_due(item: dict, plan: dict, applied_at: datetime) -> dict:
    """The case's deadlines as planned (before any pause): promised, at the close of the
    day its last stage is due; statutory, the item version's statutory limit."""
    zone = clock.zone()
    limit = item["statutoryLimit"]
    return {"promised": worktime.utc_text(worktime.close_of(
                date.fromisoformat(promised_by(plan)), zone)),
            "statutory": worktime.utc_text(worktime.limit_due(
                applied_at, limit["value"], limit["unit"], zone))}


def _replay(idem_pk: str | None, body_hash: str | None) -> dict | None:
    """The case a request with this Idempotency-Key made before (None: none, or no key)."""
    if idem_pk is None:
        return None
    try:
        seen = IdempotencyRecord.get(idem_pk, "IDEMP")
    except IdempotencyRecord.DoesNotExist:
        return None
    if seen.requestHash != body_hash:
        raise UnprocessableEntity("this Idempotency-Key was used with a different request",
                                  field="Idempotency-Key", code="idempotency_key_reused")
    return _created(CaseRecord.get(seen.caseNo, META))


def _created(record: CaseRecord) -> dict:
    return {"caseNo": record.pk,
            "queryPassword": query_passwords.issue(record.pk),
            "status": record.status, "statusLabel": LABELS[Status(record.status)],
            "itemCode": record.itemCode, "itemVersion": int(record.itemVersion),
            "createdAt": record.createdAt, "promisedBy": record.promisedBy,
            "deadlineBasis": record.deadlineBasis, "workflow": record.workflow or "started"}


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
        return case_view(case, events, tasks, staff=principal.role in identity.STAFF)
    if password is not None:
        return public_view(case_no, password, source)
    if case is None:
        raise NotFound(f"no case {case_no}", field="caseNo")
    raise Concealed(f"no case {case_no}", field="caseNo")


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


def case_view(case: CaseRecord, events, tasks, staff: bool = True) -> dict:
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
    result["form"] = restore_personal(case.form, opened.get("form"))
    result["materials"] = case.materials
    result["tasks"] = [task_view(t) for t in sorted(tasks, key=lambda t: t.createdAt)]
    return result


def clock_of(case: CaseRecord) -> dict:
    """Elapsed and remaining working time, every pause (domain/worktime.py)."""
    return worktime.clock_view(worktime.utc_text(datetime.fromisoformat(case.createdAt)),
                               case.due or {}, case.pauses or [], case.closedAt and
                               worktime.utc_text(datetime.fromisoformat(case.closedAt)),
                               clock.now(), clock.zone())


# Supervision's own events — cards, breaches, a contested rating, a rectification deadline
# missed: staff see them on the timeline, applicants do not.
CARD_EVENTS = ("card_", "rule_breach", "rating_contest", "rectification_overdue")


def event_view(event: TimelineEvent) -> dict:
    view_ = {"at": event.at, "action": event.action, "actor": event.actor,
             "actorRole": event.actorRole, "actorName": event.actorName, "channel": event.channel, "opinion": event.opinion}
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
