"""A new case as it is first written: status received, its deadlines planned from the
item version's stages, the applicant masked in it and sealed in clear."""
from dataclasses import dataclass
from datetime import date, datetime

from ...adapters import sealing
from ...adapters.models import CaseRecord
from ...domain import identity, worktime
from ...domain.applications import Application
from ...domain.case_file import META
from ...domain.catalogue import promised_by
from ...domain.lifecycle import Status
from ...domain.masking import mask_id, mask_phone, split_personal
from .. import casefile, clock


@dataclass(frozen=True)
class Applying:
    """Who applies (the caller, the holder's verified name, the agent it acts as) for
    what, when, under which number and plan."""
    principal: identity.Principal
    application: Application
    item: dict
    case_no: str
    plan: dict
    started: datetime
    holder: str
    agent: dict | None
    owner_key: str
    materials: list
    data_use: dict | None = None


def planned_due(item: dict, plan: dict, applied_at: datetime) -> dict:
    """The case's deadlines as planned (before any pause): promised, at the close of the
    day its last stage is due; statutory, the item version's statutory limit."""
    zone = clock.zone()
    limit = item["statutoryLimit"]
    return {"promised": worktime.utc_text(worktime.close_of(
                date.fromisoformat(promised_by(plan)), zone)),
            "statutory": worktime.utc_text(worktime.limit_due(
                applied_at, limit["value"], limit["unit"], zone))}


def case_record(applying: Applying) -> CaseRecord:
    """The case record to create."""
    principal, application, item = applying.principal, applying.application, applying.item
    case_no, counter = applying.case_no, application.channel == "counter"
    applicant = application.applicant
    # Personal data typed into the form (a contact's phone, a representative's ID number)
    # is kept as the applicant's is: masked in the item, sealed in clear.
    form_masked, form_clear = split_personal(application.form)
    record = CaseRecord(
        case_no, META, status=int(Status.RECEIVED), itemCode=item["code"],
        itemVersion=str(item["version"]), itemName=item["name"],
        # At the counter the applicant, not the clerk, owns the case (by ID number); the
        # clerk is its first actor on the timeline.
        applicant={**applicant, "name": applying.holder,
                   "sub": None if counter else principal.sub,
                   "idNumber": mask_id(applicant["idNumber"]),
                   "phone": mask_phone(applicant.get("phone"))},
        sealedApplicant=sealing.seal(
            {"idNumber": applicant["idNumber"], "phone": applicant.get("phone"),
             "agentIdNumber": principal.id_number if applying.agent else None,
             **({"form": form_clear} if form_clear else {})}, case_no),
        form=form_masked, materials=applying.materials,
        appliedVia=application.channel, createdAt=applying.started.isoformat(),
        promisedBy=promised_by(applying.plan), deadlineBasis=applying.plan["calendar"],
        updatedAt=applying.started.isoformat(), actor=principal.sub,
        actorRole=principal.role, actorName=identity.staff_name(principal),
        channel=application.channel, opinion="申请已提交",
        workflow="queued", due=planned_due(item, applying.plan, applying.started),
        pauses=[], watchShard=casefile.watch_shard(case_no), owner=applying.owner_key,
        agent=applying.agent, dataUse=applying.data_use)
    record.watchAt = casefile.next_watch(record, [])
    return record
