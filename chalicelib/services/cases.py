"""Use cases of a case: apply, read (with timeline), and the view each caller may see."""
import logging
from datetime import datetime

from pynamodb.exceptions import TransactWriteError

from .. import config, tracing
from ..adapters import workflow
from ..adapters.models import (CaseRecord, CasesTableRecord, DailyCounter, IdempotencyRecord,
                               transact_write,
                               TaskRecord, TimelineEvent)
from ..domain import applications, identity
from ..domain.catalogue import promised_by, validate_form, workflow_input
from ..domain.errors import Forbidden, NotFound, Unauthorized, UnprocessableEntity, ValidationError
from ..domain.identifiers import is_valid_case_number, make_case_number
from ..domain.lifecycle import LABELS, Status
from ..domain.masking import mask_id, mask_phone
from . import catalogue, clock

META = "META"
log = logging.getLogger("onewindow")


def _next_sequence(area: str, day: str) -> int:
    counter = DailyCounter(f"SEQ#{area}#{day}", "SEQ")
    counter.update(actions=[DailyCounter.value.add(1)])
    return int(counter.value)


def apply(principal: identity.Principal | None, body, idempotency_key: str | None = None):
    """Create a case and start its workflow. Returns (response, replayed)."""
    principal = identity.require(principal)
    cfg = config.get()
    application = applications.parse_application(body)
    if principal.role == identity.APPLICANT and principal.id_number and \
            principal.id_number != application.applicant["idNumber"]:
        raise Forbidden("applicants may only apply in their own name",
                        field="applicant.idNumber")
    item = catalogue.published_item(application.item_code)
    if application.applicant["type"] not in item.get("audience", ()):
        who = {"natural": "natural persons", "legal": "legal persons"}
        raise ValidationError(
            f"{item['name']} is for {' and '.join(who[a] for a in item['audience'])} only",
            field="applicant.type")
    validate_form(item.get("formSchema", {}), application.form)

    idem_pk = None
    if idempotency_key is not None:
        if not 1 <= len(idempotency_key) <= 128:
            raise ValidationError("Idempotency-Key must be 1 to 128 characters",
                                  field="Idempotency-Key")
        idem_pk = f"IDEMP#{principal.sub}#{idempotency_key}"
        replay = _replay(idem_pk, applications.request_hash(body))
        if replay:
            return replay, True

    started = clock.now()
    today = clock.local_date(started)
    case_no = make_case_number(cfg.area_code, today,
                               _next_sequence(cfg.area_code, today.strftime("%Y%m%d")))
    plan = workflow_input(case_no, item, today)
    record = CaseRecord(
        case_no, META, status=int(Status.RECEIVED), itemCode=item["code"],
        itemVersion=str(item["version"]), itemName=item["name"],
        applicant={**application.applicant, "sub": principal.sub},
        form=application.form, materials=application.materials,
        appliedVia=application.channel, createdAt=started.isoformat(),
        promisedBy=promised_by(plan), deadlineBasis=plan["calendar"],
        updatedAt=started.isoformat(), actor=principal.sub,
        actorRole=principal.role, channel=application.channel, opinion="申请已提交")
    try:
        with transact_write() as transaction:
            transaction.save(record, condition=CaseRecord.pk.does_not_exist())
            if idem_pk:
                transaction.save(
                    IdempotencyRecord(idem_pk, "IDEMP", caseNo=case_no,
                                      requestHash=applications.request_hash(body),
                                      createdAt=started.isoformat()),
                    condition=IdempotencyRecord.pk.does_not_exist())
    except TransactWriteError:
        # A concurrent request with the same key won the race: answer with its case.
        replay = _replay(idem_pk, applications.request_hash(body)) if idem_pk else None
        if replay:
            return replay, True
        raise
    if plan["calendar"] != "official":
        log.warning("case %s: deadlines up to %s follow a provisional holiday calendar "
                    "(no announced schedule for a year they cross)", case_no,
                    record.promisedBy)
    tracing.annotate(case_no=case_no, item_code=application.item_code)
    workflow.start(cfg.state_machine_arn, case_no, plan)
    return _created(record), False


def _replay(idem_pk: str, body_hash: str) -> dict | None:
    try:
        seen = IdempotencyRecord.get(idem_pk, "IDEMP")
    except IdempotencyRecord.DoesNotExist:
        return None
    if seen.requestHash != body_hash:
        raise UnprocessableEntity("this Idempotency-Key was used with a different request",
                                  field="Idempotency-Key", code="idempotency_key_reused")
    record = CaseRecord.get(seen.caseNo, META)
    # A retry after a crash between the write and the start still gets its workflow:
    # the start is idempotent by execution name.
    if record.status == Status.RECEIVED:
        item = catalogue.pinned_version(record.itemCode, record.itemVersion)
        workflow.start(config.get().state_machine_arn, record.pk,
                       workflow_input(record.pk, item, clock.local_date(
                           datetime.fromisoformat(record.createdAt))))
    return _created(record)


def _created(record: CaseRecord) -> dict:
    return {"caseNo": record.pk,
            "queryPassword": applications.query_password(config.get().token_secret, record.pk),
            "status": record.status, "statusLabel": LABELS[Status(record.status)],
            "itemCode": record.itemCode, "itemVersion": record.itemVersion,
            "createdAt": record.createdAt, "promisedBy": record.promisedBy,
            "deadlineBasis": record.deadlineBasis}


def load(case_no: str) -> tuple[CaseRecord, list[TimelineEvent], list[TaskRecord]]:
    """The case with its timeline and tasks: one Query."""
    if not is_valid_case_number(case_no):
        raise NotFound(f"no case {case_no}", field="caseNo")
    case, events, tasks = None, [], []
    for record in CasesTableRecord.query(case_no):
        if isinstance(record, CaseRecord):
            case = record
        elif isinstance(record, TimelineEvent):
            events.append(record)
        elif isinstance(record, TaskRecord):
            tasks.append(record)
    if case is None:
        raise NotFound(f"no case {case_no}", field="caseNo")
    return case, events, tasks


def view(principal: identity.Principal | None, case_no: str,
         password: str | None = None) -> dict:
    case, events, tasks = load(case_no)
    owner = principal is not None and principal.sub == case.applicant.sub
    staff = principal is not None and principal.is_staff
    if not (owner or staff):
        if password is not None:
            if not applications.password_matches(config.get().token_secret, case_no,
                                                 password):
                raise Forbidden("the query password does not match", field="password")
        elif principal is None:
            raise Unauthorized("sign in or give the case's query password",
                               field="Authorization")
        else:
            raise Forbidden("this case belongs to someone else")
    return case_view(case, events, tasks, full=owner or staff)


def case_view(case: CaseRecord, events, tasks, full: bool) -> dict:
    applicant = case.applicant.as_dict()
    applicant.pop("sub", None)
    if not full:
        applicant["idNumber"] = mask_id(applicant.get("idNumber"))
        applicant["phone"] = mask_phone(applicant.get("phone"))
    result = {
        "caseNo": case.pk, "status": case.status, "statusLabel": LABELS[Status(case.status)],
        "itemCode": case.itemCode, "itemVersion": case.itemVersion, "itemName": case.itemName,
        "applicant": {k: v for k, v in applicant.items() if v is not None},
        "appliedVia": case.appliedVia, "createdAt": case.createdAt,
        "promisedBy": case.promisedBy, "deadlineBasis": case.deadlineBasis,
        "updatedAt": case.updatedAt,
        "licenseId": case.licenseId,
        "timeline": [event_view(e) for e in sorted(events, key=lambda e: e.sk)],
    }
    if full:
        result["form"] = case.form
        result["materials"] = case.materials
        result["tasks"] = [task_view(t) for t in sorted(tasks, key=lambda t: t.createdAt)]
    return result


def event_view(event: TimelineEvent) -> dict:
    view_ = {"at": event.at, "action": event.action, "actor": event.actor,
             "actorRole": event.actorRole, "channel": event.channel, "opinion": event.opinion}
    if event.status is not None:
        view_.update(status=event.status, statusLabel=LABELS[Status(event.status)],
                     fromStatus=event.fromStatus)
    if event.taskId:
        view_.update(taskId=event.taskId, decision=event.decision, dept=event.dept)
    return {k: v for k, v in view_.items() if v is not None}


def task_view(task: TaskRecord) -> dict:
    view_ = {"taskId": task.taskId, "kind": task.taskKind, "caseNo": task.caseNo,
             "itemCode": task.itemCode, "dept": task.dept, "stage": task.stage,
             "deadline": task.deadline, "state": task.state, "createdAt": task.createdAt,
             "decision": task.decision, "opinion": task.opinion, "decidedAt": task.decidedAt}
    return {k: v for k, v in view_.items() if v is not None}
