"""Bodies of the `cases` tag: an application, the case as read, closing it and supplying
materials."""
from typing import Annotated, Any, Literal

from msgspec import Meta

from ...domain import documents
from .shared import (
    FREE_TEXT,
    STAFF_NAME_NOTE,
    CaseNo,
    Channel,
    Date,
    DeadlineBasis,
    ItemCode,
    Request,
    Response,
    Timestamp,
)
from .tasks import Task

# The application is the domain's document (domain/documents.py), published as is.
Application = documents.Application

# The item version a case applied under: the created case and the case as read say it alike.
AppliedVersion = Annotated[int, Meta(ge=1, description=(
    "the item version it applied under (as GET /items/{code}/versions/{version})"))]


class CaseCreated(Response):
    caseNo: CaseNo
    queryPassword: Annotated[str, Meta(pattern=r"^\d{6}$", description="查询密码")]
    status: int
    statusLabel: Annotated[str, Meta(examples=["已接件"])]
    itemCode: ItemCode
    itemVersion: AppliedVersion
    createdAt: Timestamp
    promisedBy: Date
    deadlineBasis: DeadlineBasis
    workflow: Annotated[Literal["queued", "started", "none"], Meta(
        description="queued: the workflow's start waits in the starts queue")] = "queued"


class TimelineEntry(Response):
    at: Timestamp
    action: Annotated[str, Meta(description="status | decision | task_created | task_claimed "
                                            "| task_released | task_assigned | "
                                            "task_cancelled | clock_paused | clock_resumed "
                                            "| overdue (docs/events.md)")]
    actor: str
    actorRole: str
    channel: str
    actorName: Annotated[str, Meta(description=STAFF_NAME_NOTE)] | None = None
    opinion: str | None = None
    status: int | None = None
    statusLabel: str | None = None
    fromStatus: int | None = None
    taskId: str | None = None
    decision: str | None = None
    dept: str | None = None
    detail: dict[str, Any] | None = None


class Pause(Response):
    kind: Literal["supplement", "special_procedure"]
    since: Timestamp
    until: Timestamp | None = None
    minutes: Annotated[int, Meta(description="working minutes")] | None = None
    taskId: str | None = None


class Clock(Response):
    """The legal clock in working minutes (480 make a working day)."""
    running: bool
    elapsedMinutes: int
    pausedMinutes: int
    pauses: list[Pause]
    promisedDueAt: Timestamp | None = None
    promisedRemainingMinutes: Annotated[int, Meta(
        description="negative once the deadline has passed")] | None = None
    statutoryDueAt: Timestamp | None = None
    statutoryRemainingMinutes: int | None = None
    pausedSince: Timestamp | None = None
    pauseKind: str | None = None


class CaseApplicant(Response):
    type: str
    name: str
    idType: str
    idNumber: Annotated[str, Meta(description="masked unless the caller owns the case "
                                              "or is authorised staff")]
    phone: str | None = None


class LicenseInCase(Response):
    """A license that stood in for a material (免提交), as the case keeps it: what the
    reviewer needs to see that it was verified."""
    identifier: documents.LicenseId
    verified: Annotated[bool, Meta(description="it verified when the case named it")]
    verifiedAt: Timestamp
    name: Annotated[str | None, Meta(examples=["营业执照"])] = None
    typeCode: str | None = None
    trustLevel: Annotated[str | None, Meta(description="A (highest) … D")] = None
    issuer: str | None = None
    area: Annotated[str | None, Meta(description="the issuing region's area code")] = None
    validTo: Date | None = None
    kid: Annotated[str | None, Meta(description="the key that signed it")] = None


class DataRecord(Response):
    registry: Literal["population", "legalPerson", "credit"]
    sha256: Annotated[str, Meta(pattern="^[0-9a-f]{64}$")]
    fetchedAt: Timestamp


class CaseMaterial(Response):
    """A material of the case: an upload (materialId and the file's particulars), a
    license in its place (license), or one a clerk checked at the counter
    (checkedAtCounter)."""
    name: Annotated[str, Meta(description="the item version's material",
                              examples=["经营场所平面图和设备布局图"])]
    materialId: documents.MaterialId | None = None
    fileName: Annotated[str | None, Meta(examples=["plan.pdf"])] = None
    contentType: documents.ContentType | None = None
    size: Annotated[int | None, Meta(description="bytes")] = None
    sha256: str | None = None
    license: LicenseInCase | None = None
    checkedAtCounter: Annotated[documents.CounterCheck | None, Meta(
        description="handed over at the counter: original checked, or a paper copy kept")] \
        = None
    fromData: Annotated[DataRecord | None, Meta(
        description="免提交 by data: the registry record that stood in for it")] = None


class RuleStep(Response, omit_defaults=True):
    id: str
    name: Annotated[str, Meta(examples=["年满80周岁"])]
    expression: Annotated[str, Meta(examples=["population.age >= 80"])]
    inputs: Annotated[dict[str, Any], Meta(description="what the rule read, masked")]
    held: bool
    why: Annotated[str | None, Meta(examples=["条件不满足"])] = None


class RuleCheck(Response, omit_defaults=True):
    """秒批: the item version's rules checked at application (docs/data-sharing.md)."""
    outcome: Annotated[Literal["approved", "referred"], Meta(
        description="approved by the system, or referred to people")]
    ruleSet: Annotated[str, Meta(description="<item code>@v<version>")]
    checkedAt: Timestamp
    trace: list[RuleStep]
    notes: Annotated[list[str], Meta(description="what could not be read")] = []
    sampled: Annotated[bool, Meta(description="抽查: a supervisor is asked to check it "
                                              "(staff only)")] \
        = False


class CaseDataUse(Response, omit_defaults=True):
    """The base data the application used (数据共享)."""
    consentId: str | None = None
    sources: Annotated[dict[str, str], Meta(
        description="form field -> the source its value came from (registry.field)")] = {}
    changed: Annotated[list[str], Meta(
        description="pre-filled fields the applicant changed")] = []


class Case(Response):
    caseNo: CaseNo
    status: Annotated[int, Meta(ge=1, le=15, description="docs/glossary.md lists them")]
    statusLabel: str
    itemCode: ItemCode
    itemVersion: AppliedVersion
    applicant: CaseApplicant
    createdAt: Timestamp
    timeline: Annotated[list[TimelineEntry], Meta(
        description="not in the public (query-password) view")] | None = None
    itemName: str | None = None
    appliedVia: Annotated[str | None, Meta(description="the same as channel")] = None
    channel: Annotated[Channel | None, Meta(
        description="where the case came in: the application's channel")] = None
    promisedBy: Date | None = None
    deadlineBasis: DeadlineBasis | None = None
    updatedAt: Timestamp | None = None
    licenseId: str | None = None
    workflow: Annotated[Literal["queued", "started", "none", "instant"], Meta(
        description="queued: the workflow's start waits in the starts queue; instant: "
                    "approved by its rules (秒批), no workflow")] | None = None
    clock: Clock | None = None
    overdue: Annotated[list[str], Meta(
        description="the deadlines the case has missed: promised, statutory, "
                    "special_procedure#<n>, materials")] | None = None
    supplement: Annotated[dict[str, Any], Meta(
        description="what the applicant was asked for (taskId, dept, context, materials, "
                    "opinion, requestedAt, suppliedAt)")] | None = None
    pendingMaterials: Annotated[list[str], Meta(description="容缺: materials to follow")] \
        | None = None
    materialsDueBy: Date | None = None
    specialProcedures: list[dict[str, Any]] | None = None
    agent: Annotated[dict[str, Any], Meta(
        description="代办: the natural person who applied for the company (sub, name, "
                    "idNumber)")] | None = None
    form: Annotated[dict[str, Any], Meta(
        description="as applied, ID and phone numbers masked; its fields are the item "
                    "version's (GET /items/{code}/versions/{version}/form-schema)")] | None = None
    materials: list[CaseMaterial] | None = None
    tasks: list[Task] | None = None
    ruleCheck: RuleCheck | None = None
    dataUse: CaseDataUse | None = None


class CaseClosing(Request):
    reason: Annotated[str, Meta(extra=FREE_TEXT, min_length=1, max_length=500, pattern=r"\S",
                                examples=["申请人主动撤回"])]


class Closed(Response):
    caseNo: CaseNo
    status: int
    cancelledTasks: list[str]


class Supply(Request):
    materials: Annotated[list[documents.MaterialRef], Meta(min_length=1)]
    note: Annotated[str, Meta(extra=FREE_TEXT, max_length=500)] | None = None


class Supplied(Response):
    caseNo: CaseNo
    status: int
