"""Request and response bodies of API v1: the one definition that validates what comes in
and generates the OpenAPI document (chalicelib/contract/openapi.py).

msgspec, not pydantic: the models are needed on every cold start, and msgspec with these
models imports in ~10 ms where pydantic v2 took ~70 ms on this machine (median of
alternating fresh processes) — against an `import app` budget of 1.3x `import boto3`.

Request models forbid unknown fields (a misspelt field is an error naming it, not a
silently ignored value); response models allow fields added later. Rules a schema cannot
say (ID-number check digits, a stage's lead among its departments, limits that add up)
stay in the domain, which answers them with the same error shape.
"""
import functools
from typing import Annotated, Any, Literal

import msgspec
from msgspec import UNSET, Meta, Struct, UnsetType

from ..domain import decisions, documents, task_states
from ..domain.documents import Implementation
from ..domain.ratings import INDICATORS

# -- shared pieces ----------------------------------------------------------------------

# Free text (an opinion, a reason, a note, a purpose): masked as it comes in.
FREE_TEXT = documents.FREE_TEXT

Text, Name, ShortText = documents.Text, documents.Name, documents.ShortText
Reason = Annotated[str, Meta(extra=FREE_TEXT, min_length=1, max_length=500, pattern=r"\S",
                             description="why the change is made (kept in the history)",
                             examples=["根据2026年新修订的实施办法调整材料清单"])]
Date = Annotated[str, Meta(pattern=r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$",
                           examples=["2026-12-02"], extra_json_schema={"format": "date"})]
Timestamp = Annotated[str, Meta(description="ISO 8601 with offset",
                                examples=["2026-11-25T09:41:54.673848+00:00"])]
CaseNo = Annotated[str, Meta(pattern=r"^\d{6}\d{8}\d{7}[0-9X]$",
                             examples=["4403002026112500000019"])]
ItemCode, BaseCode, Dept = documents.ItemCode, documents.BaseCode, documents.Dept
Channel, Kind = documents.Channel, documents.Kind
DeadlineBasis = Annotated[Literal["official", "provisional"], Meta(
    description="official: every day counted follows a published holiday schedule; "
                "provisional: a year without one was counted on computed holidays")]
Cursor = Annotated[str | None, Meta(description="opaque; pass as ?cursor= for the next "
                                                "page; null on the last page")]


class Request(Struct, forbid_unknown_fields=True, omit_defaults=True):
    """Base of request bodies."""


class Response(Struct, omit_defaults=False):
    """Base of response bodies."""


# -- errors -----------------------------------------------------------------------------

class ErrorDetail(Response):
    code: Annotated[str, Meta(description="machine-readable; docs/errors.md lists them",
                              examples=["validation_error"])]
    message: Annotated[str, Meta(description="in the language Accept-Language asks for "
                                             "(zh-CN by default, en)",
                                 examples=["请求参数不符合要求"])]
    field: Annotated[str | None, Meta(description="the offending field, dotted path",
                                      examples=["applicant.idNumber"])] = None
    detail: Annotated[str | None, Meta(description="what exactly is wrong (English)")] = None


class Error(Response):
    error: ErrorDetail
    requestId: Annotated[str | None, Meta(description="as in X-Request-Id")] = None


# -- meta -------------------------------------------------------------------------------

class Health(Response):
    status: Literal["ok"]


# -- catalogue: public reads ---------------------------------------------------------------

class CatalogueEntry(Response):
    baseCode: BaseCode
    name: str
    kind: Annotated[str, Meta(examples=["01"], description="01 行政许可 … 20 公共服务")]
    legalBasis: str
    definingDept: str
    parentCode: str | None
    status: Literal["active", "abolished"]
    updatedAt: Timestamp | None = None


class ItemSummary(Response):
    code: ItemCode
    baseCode: str
    version: int
    name: str
    kind: str
    implementingDept: str
    audience: list[str]
    themes: list[str]
    immediate: bool
    promisedLimit: documents.Limit
    statutoryLimit: documents.Limit
    onlineDepth: int
    visits: int


class CatalogueEntryDetail(CatalogueEntry):
    subItems: list[str] = []
    implementations: list[ItemSummary] = []


class CataloguePage(Response):
    entries: list[CatalogueEntry]
    next: Cursor


class ItemPage(Response):
    items: list[ItemSummary]
    next: Cursor


class DirectoryTheme(Response):
    name: Annotated[str, Meta(description="a theme (主题); GET /items?theme= lists its items",
                              examples=["开办餐厅"])]
    itemCount: int


class BundleItem(Response):
    code: ItemCode
    name: str


class DirectoryBundle(Response):
    """A "one thing" bundle (一件事): the items one life or business event needs, in the
    order they are done."""
    id: Annotated[str, Meta(examples=["kaiban-canting"])]
    name: Annotated[str, Meta(examples=["开办餐厅一件事"])]
    description: str
    items: list[BundleItem]


class DirectoryDepartment(Response):
    code: Annotated[str, Meta(description="GET /items?dept= lists its items",
                              examples=["SCJG"])]
    name: str
    itemCount: Annotated[int, Meta(description="published items it implements, co-operates "
                                               "on or reviews")]


class Directory(Response):
    themes: list[DirectoryTheme]
    bundles: list[DirectoryBundle]
    departments: list[DirectoryDepartment]
    popular: Annotated[list[ItemSummary], Meta(
        description="up to 8 items, most applied for in the last 12 months first (then by "
                    "code)")]


# An item as read: the implementation document with what the service adds (code,
# version, status, lineage, parentCode), every field of the guide described.
ItemView = Implementation


# -- catalogue: administration -------------------------------------------------------------

class EntryDocument(Struct, forbid_unknown_fields=True, omit_defaults=True):
    """A catalogue entry to create (every field but parentCode and status), or the fields
    of one to change; the result is checked as a whole (domain/documents.py Entry)."""
    # Absent, not null: only a parent may be taken away (null).
    baseCode: BaseCode | UnsetType = UNSET
    name: Name | UnsetType = UNSET
    kind: Kind | UnsetType = UNSET
    legalBasis: Text | UnsetType = UNSET
    definingDept: ShortText | UnsetType = UNSET
    parentCode: BaseCode | None = None
    status: Literal["active", "abolished"] | UnsetType = UNSET


class EntryChange(Request):
    reason: Reason
    entry: EntryDocument


class EntryCreation(Request):
    reason: Reason
    entry: documents.Entry


class ItemChange(Request):
    reason: Reason
    item: Implementation


class ReasonOnly(Request):
    reason: Reason


class Split(Request):
    reason: Reason
    into: Annotated[list[dict[str, Any]], Meta(
        min_length=2, description="per new item, the fields that differ from the source")]


class Merge(Request):
    reason: Reason
    from_: Annotated[list[ItemCode], Meta(min_length=2, extra_json_schema={
        "uniqueItems": True})] = msgspec.field(name="from")
    into: dict[str, Any] = {}


class Simulation(Request):
    startDate: Date | None = None


class VersionState(Response):
    code: ItemCode
    version: int
    status: str
    supersedes: int | None = None
    changes: list[dict[str, Any]] | None = None


class VersionInfo(Response):
    version: int
    status: str
    createdAt: Timestamp
    createdBy: str
    updatedAt: Timestamp | None = None


class Versions(Response):
    code: ItemCode
    versions: list[VersionInfo]


class HistoryEntry(Response):
    at: Timestamp
    action: str
    actor: str
    reason: str
    version: int | None = None


class History(Response):
    code: str
    history: list[HistoryEntry]
    next: Cursor


class Derived(Response):
    from_: list[str] = msgspec.field(name="from")
    drafts: list[VersionState] = []
    draft: VersionState | None = None


OpenCaseState = Annotated[Literal["acceptance", "review", "supplement", "special"], Meta(
    description="受理, 审查, 补正 (waiting on the applicant), 特别程序; a case with several "
                "open tasks is in the first of supplement, special, review, acceptance")]


class OpenCasesByState(Response):
    acceptance: int
    review: int
    supplement: int
    special: int


class OpenCase(Response):
    caseNo: CaseNo
    state: OpenCaseState
    deadline: Annotated[Timestamp, Meta(description="its open tasks' earliest deadline now")]
    dept: Annotated[Dept, Meta(description="the department whose task that deadline is")]
    version: Annotated[int, Meta(description="the item version it applied under (kept)")]
    paused: Annotated[bool, Meta(description="its clock stopped (supplement, special): "
                                             "the deadline moves on by the pause")]
    overdue: bool


class OpenCases(Response):
    """The item's open cases (those with a task in a department's inbox) and what
    publishing means for them: nothing — each keeps the version it applied under."""
    asOf: Timestamp
    depts: Annotated[list[Dept], Meta(description="the inboxes read: every department "
                                                  "a case of a non-draft version has tasks in")]
    count: int
    byState: OpenCasesByState
    byVersion: Annotated[dict[str, int], Meta(description="open cases by the version they "
                                                          "applied under")]
    overdue: int
    soonest: Annotated[list[OpenCase], Meta(description="up to 5: running cases soonest "
                                                        "deadline first, then paused ones")]
    # A plain boolean, not a true-only literal: generated clients (openapi-python-client)
    # cannot parse a boolean enum and drop the whole simulation result.
    keepVersion: Annotated[bool, Meta(
        description="always true: every open case keeps the version it applied under, so "
                    "publishing moves none of their deadlines")]


class SimulationResult(Response):
    code: ItemCode
    version: int
    status: str
    comparedWith: int | None
    changes: list[dict[str, Any]]
    dryRun: dict[str, Any]
    openCases: OpenCases
    publishedDryRun: dict[str, Any] | None = None


# -- cases --------------------------------------------------------------------------------

# The application is the domain's document (domain/documents.py), published as is.
Application = documents.Application


class CaseCreated(Response):
    caseNo: CaseNo
    queryPassword: Annotated[str, Meta(pattern=r"^\d{6}$", description="查询密码")]
    status: int
    statusLabel: Annotated[str, Meta(examples=["已接件"])]
    itemCode: ItemCode
    itemVersion: Annotated[int, Meta(ge=1, description="the item version it applied under (as GET /items/{code}/versions/{version})")]
    createdAt: Timestamp
    promisedBy: Date
    deadlineBasis: DeadlineBasis
    workflow: Annotated[Literal["queued", "started", "none"], Meta(
        description="queued: the workflow's start waits in the starts queue")] = "queued"


# A member of staff's name beside their account id, as their token named them when they
# acted (older records have none: null). Never a citizen's.
STAFF_NAME_NOTE = "the staff member's name (王审查) when they acted; null on older records"


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


TaskState = Annotated[task_states.Name, Meta(
    description="upcoming: a later stage's review, waiting for the stages before it; open: "
                "to be decided; supplement: waits on the applicant; special: in a special "
                "procedure; decided; cancelled (the case closed)")]


class Task(Response):
    taskId: str
    kind: decisions.Kind
    caseNo: CaseNo
    itemCode: str
    dept: str
    deadline: Annotated[Timestamp, Meta(description="UTC; moves on while the case's clock "
                                                    "is stopped")]
    state: TaskState
    createdAt: Timestamp
    stage: int | None = None
    claimedBy: str | None = None
    claimedByName: Annotated[str, Meta(description=STAFF_NAME_NOTE)] | None = None
    overdue: Annotated[Timestamp, Meta(description="when it was found past its "
                                                   "deadline")] | None = None
    pendingMaterials: list[str] | None = None
    decision: str | None = None
    opinion: str | None = None
    decidedAt: Timestamp | None = None
    decidedBy: str | None = None
    decidedByName: Annotated[str, Meta(description=STAFF_NAME_NOTE)] | None = None
    cancelledAt: Timestamp | None = None


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


class Case(Response):
    caseNo: CaseNo
    status: Annotated[int, Meta(ge=1, le=15, description="docs/glossary.md lists them")]
    statusLabel: str
    itemCode: ItemCode
    itemVersion: Annotated[int, Meta(ge=1, description="the item version it applied under (as GET /items/{code}/versions/{version})")]
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
    workflow: Annotated[Literal["queued", "started", "none"], Meta(
        description="queued: the workflow's start waits in the starts queue")] | None = None
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


# -- tasks -------------------------------------------------------------------------------

class Me(Response):
    sub: str
    role: str
    departments: list[str]
    leads: Annotated[list[str], Meta(description="departments whose tasks the caller may "
                                                 "reassign")]
    actsFor: Annotated[list[str], Meta(
        description="the companies (USCC) the caller is an authorised agent of")] = []
    assurance: Annotated[int, Meta(description="实名等级 of this sign-in (1–4)")] = 1
    name: str | None = None
    idNumber: Annotated[str, Meta(description="the caller's own, unmasked")] | None = None


class MyCase(Response):
    caseNo: CaseNo
    status: int
    statusLabel: str
    itemCode: ItemCode
    createdAt: Timestamp
    itemName: str | None = None
    updatedAt: Timestamp | None = None
    promisedBy: Annotated[str | None, Meta(
        description="the date promised at application (the case view has the clock)")] = None


class MyCases(Response):
    cases: list[MyCase]
    next: Cursor


NotificationChannel = Literal["sms", "miniprogram", "email", "inapp"]


class Notification(Response):
    id: str
    caseNo: CaseNo
    type: Annotated[str, Meta(description="its template: received, accepted, refused, "
                                          "supplement, concluded, task_created, warning, "
                                          "card, red_card")]
    event: str
    text: Annotated[str, Meta(description="Chinese, ID and phone numbers masked",
                              examples=["【一网通办】您的办件 4403002026112500000019（食品经营"
                                        "许可（新办））已受理，承诺于 2026-12-02 前办结。"])]
    channels: list[NotificationChannel]
    createdAt: Timestamp
    read: bool
    readAt: Timestamp | None = None


class NotificationPage(Response):
    notifications: list[Notification]
    next: Cursor


class NotificationPreferences(Response):
    channels: list[NotificationChannel]


class NotificationChoice(Request):
    channels: Annotated[list[NotificationChannel], Meta(
        max_length=4, description="in-app is always kept")]


class AuditEntry(Response):
    at: Timestamp
    status: int
    code: str
    reason: str
    method: str
    path: str
    sub: str | None = None
    role: str | None = None
    sourceIp: str | None = None
    userAgent: str | None = None
    requestId: str | None = None


class AuditPage(Response):
    day: str
    entries: list[AuditEntry]
    next: Cursor


class Assignee(Response):
    sub: Annotated[str, Meta(description="the account id `to` names (POST "
                                         "/tasks/{taskId}/assign)")]
    role: Literal["clerk", "reviewer"]
    lead: bool
    seenAt: Annotated[Timestamp, Meta(description="when they last acted in the department")]
    name: Annotated[str, Meta(description=STAFF_NAME_NOTE)] | None = None


class Assignees(Response):
    dept: str
    staff: list[Assignee]


class TaskPage(Response):
    dept: str
    tasks: list[Task]
    next: Cursor


# The body of a decision is the decision table's (domain/decisions.py): its names, each
# kind's in the description, its rules (SCHEMA_RULES below) — and services take it typed.
Decision = decisions.Decision


class Assignment(Request):
    to: Annotated[str, Meta(min_length=1, max_length=200, pattern=r"\S",
                            examples=["staff:wu-scjg"], description="the staff member")]


class SpecialProcedureStart(Request):
    type: documents.SpecialProcedureType
    reason: Annotated[str, Meta(extra=FREE_TEXT, min_length=1, max_length=1000, pattern=r"\S",
                                examples=["需现场核查经营场所"])]


class SpecialProcedureEnd(Request):
    result: Annotated[str, Meta(extra=FREE_TEXT, min_length=1, max_length=1000, pattern=r"\S",
                                examples=["现场勘验合格"])]


class Decided(Response):
    task: Task
    caseStatus: int


# -- supervision ---------------------------------------------------------------------------

CardLevel = Annotated[Literal["warning", "yellow", "red"], Meta(
    description="warning 预警 | yellow 黄牌 (due, not done) | red 红牌 (long overdue)")]
CardState = Literal["issued", "acknowledged", "resolved", "withdrawn"]


class Appeal(Response):
    reason: str
    by: str
    at: Timestamp
    byName: Annotated[str, Meta(description=STAFF_NAME_NOTE)] | None = None
    decision: Literal["upheld", "rejected"] | None = None
    opinion: str | None = None
    decidedBy: str | None = None
    decidedByName: Annotated[str, Meta(description=STAFF_NAME_NOTE)] | None = None
    decidedAt: Timestamp | None = None


class Card(Response):
    cardId: Annotated[str, Meta(description="<caseNo>~<scope>[.<subject>]~<level>",
                                examples=["4403002026112500000019~task.4403002026112500000019"
                                          "-R1-SCJG~yellow"])]
    caseNo: CaseNo
    itemCode: str
    scope: Annotated[Literal["task", "stage", "case"], Meta(
        description="what is carded: a task, a department's part of a review stage, the "
                    "case")]
    level: CardLevel
    dept: Annotated[str, Meta(description="the department it is charged to")]
    dueAt: Annotated[Timestamp, Meta(description="the deadline, as it stood when issued")]
    issuedAt: Timestamp
    state: CardState
    updatedAt: Timestamp
    updatedBy: str
    updatedByName: Annotated[str, Meta(description=STAFF_NAME_NOTE)] | None = None
    taskId: str | None = None
    stage: int | None = None
    note: str | None = None
    appeal: Appeal | None = None


class CardPage(Response):
    dept: str
    cards: list[Card]
    next: Cursor


class SupervisedTask(Response):
    taskId: str
    dept: str
    state: Annotated[str, Meta(description="upcoming (a later stage's) or as a task's")]
    deadline: Timestamp
    overdue: Timestamp | None = None
    cardLevel: CardLevel | None = None


class Breach(Response):
    caseNo: CaseNo
    kind: Annotated[Literal["second_supplement", "late_acceptance", "no_opinion"], Meta(
        description="second_supplement: materials asked for a second time (一次性告知 "
                    "broken); late_acceptance: accepted after its limit; no_opinion: a "
                    "review approved without an opinion")]
    dept: str
    at: Timestamp
    itemCode: str | None = None
    taskId: str | None = None
    detail: dict[str, Any] | None = None


class BreachPage(Response):
    dept: str
    breaches: list[Breach]
    next: Cursor


class CaseSupervision(Response):
    caseNo: CaseNo
    itemCode: str
    status: int
    breaches: list[Breach]
    overdue: Annotated[list[str], Meta(description="deadlines missed: promised, statutory, "
                                                   "special_procedure#<n>, materials")]
    tasks: list[SupervisedTask]
    cards: list[Card]
    cardLevel: CardLevel | None = None


class BrokenSeal(Response):
    n: Annotated[int, Meta(description="the seal's number")]
    reason: Annotated[str, Meta(description="what is wrong with it (English)",
                                examples=["its signature does not verify"])]


class SealsStatus(Response):
    count: Annotated[int, Meta(description="seals read: from the last one written before "
                                           "the first day asked for")]
    last: Annotated[int, Meta(description="the last seal's number (0: none yet)")]
    broken: Annotated[BrokenSeal | None, Meta(
        description="the first seal that is not genuine or intact; null: all hold")]


class BrokenEntry(Response):
    seq: Annotated[int, Meta(description="the first entry that is not as sealed or "
                                         "recorded (0: the chain's seal)")]
    reason: Annotated[str, Meta(description="what is wrong with it (English)",
                                examples=["its content was changed"])]


class ChainStatus(Response):
    chain: Annotated[str, Meta(description="<area>#<day>", examples=["440300#2026-11-25"])]
    entries: Annotated[int, Meta(description="entries the table holds")]
    sealed: Annotated[int, Meta(description="how many of them the seals cover")]
    final: Annotated[bool, Meta(description="sealed for good (its day is over)")]
    broken: Annotated[BrokenEntry | None, Meta(description="null: the chain holds")]


class RecordStatus(Response):
    """What `make verify-audit` reports for the days asked for (docs/supervision.md)."""
    to: Date
    holds: Annotated[bool, Meta(description="every seal and every chain holds")]
    entries: Annotated[int, Meta(description="entries in the chains checked")]
    seals: SealsStatus
    chains: Annotated[list[ChainStatus], Meta(description="each day with anything "
                                                          "recorded or sealed, in order")]
    start: Date = msgspec.field(name="from")


class DaysLeftBucket(Response):
    key: Annotated[Literal["overdue", "0", "1", "2", "3-5", "6-10", "11+"], Meta(
        description="working days left: overdue (deadline passed), 0 (due later today), "
                    "1, 2, 3-5, 6-10, 11+ (a deadline on a day off counts as on the next "
                    "working day)")]
    label: Annotated[str, Meta(examples=["剩1个工作日"])]
    count: int
    dueAfter: Annotated[Timestamp | None, Meta(
        description="its deadlines are at or after this (null: any before dueBefore); "
                    "pass as GET /tasks?dueAfter=")]
    dueBefore: Annotated[Timestamp | None, Meta(
        description="and before this (null: any later); pass as GET /tasks?dueBefore=")]


class OpenWork(Response):
    dept: str
    asOf: Annotated[Timestamp, Meta(description="the moment counted at (UTC, to the "
                                                "second)")]
    open: Annotated[int, Meta(description="open tasks (the clock running): the buckets' "
                                          "sum")]
    overdue: Annotated[int, Meta(description="open tasks past their deadline")]
    dueToday: Annotated[int, Meta(description="open tasks due later today")]
    paused: Annotated[int, Meta(description="tasks in the inbox waiting on the applicant "
                                            "or in a special procedure: in no bucket")]
    buckets: list[DaysLeftBucket]


class CardAcknowledgement(Request):
    note: Annotated[str, Meta(extra=FREE_TEXT, max_length=1000,
                              examples=["已督促经办人今日办结"])] | None = None


class CardAppeal(Request):
    reason: Annotated[str, Meta(extra=FREE_TEXT, min_length=1, max_length=1000, pattern=r"\S",
                                examples=["系统故障导致超期，已附运维记录"])]


class AppealDecision(Request):
    decision: Literal["upheld", "rejected"]
    opinion: Annotated[str, Meta(extra=FREE_TEXT, min_length=1, max_length=1000, pattern=r"\S",
                                 examples=["情况属实，撤销黄牌"])]


# -- ratings (好差评) -------------------------------------------------------------------------

RatingLevel = Annotated[int, Meta(ge=1, le=5, description="5 非常满意, 4 满意, 3 基本满意, "
                                                          "2 不满意, 1 非常不满意")]
RectificationState = Annotated[Literal[
    "open", "called_back", "rectified", "review_requested", "contested", "closed", "voided"],
    Meta(description="open → called_back (回访) → rectified (answered) → closed (the rater "
                     "accepts, or a supervisor upholds a re-review) | review_requested "
                     "(复核); contested (the department says the rating is abusive) → "
                     "voided (upheld) or back")]
Remark = Annotated[str, Meta(extra=FREE_TEXT, min_length=1, max_length=1000, pattern=r"\S")]


class RatingIn(Request):
    scope: Annotated[Literal["case", "acceptance", "stage"], Meta(
        description="case: the whole case, once concluded (一事一评); acceptance: the "
                    "window or online acceptance (一次一评); stage: one department's part "
                    "of a review stage")]
    level: RatingLevel
    stage: Annotated[int, Meta(ge=1, le=20)] | None = None
    dept: Annotated[Dept | None, Meta(description="a stage's department rated (needed "
                                                  "when the stage has several)")] = None
    indicators: Annotated[dict[str, RatingLevel], Meta(max_length=10,
        description="attitude 服务态度, efficiency 办事效率, once 一次办成, guidance 办事指南"
                    "清晰, convenience 办事便捷",
        extra_json_schema={"propertyNames": {"enum": list(INDICATORS)}})] | None = None
    comment: Annotated[str, Meta(extra=FREE_TEXT, max_length=500,
                                 examples=["窗口人员态度很好"])] | None = None


class Rectification(Response):
    state: RectificationState
    callbackDue: Annotated[Timestamp, Meta(description="call the rater back by then")]
    rectifyDue: Annotated[Timestamp, Meta(description="rectify and answer by then")]
    late: Annotated[list[Literal["callback", "rectify"]], Meta(
        description="the deadlines missed")]
    round: Annotated[int, Meta(description="1, and one more for each re-review sent back")]
    updatedAt: Timestamp
    updatedBy: str
    updatedByName: Annotated[str, Meta(description=STAFF_NAME_NOTE)] | None = None
    updatedRole: str | None = None
    lateAt: Timestamp | None = None
    callback: dict[str, Any] | None = None
    rectified: dict[str, Any] | None = None
    response: dict[str, Any] | None = None
    review: dict[str, Any] | None = None
    contest: Annotated[dict[str, Any] | None, Meta(description="staff only")] = None


class Rating(Response):
    ratingId: Annotated[str, Meta(description="<caseNo>~<scope key>~<rater>",
                                  examples=["4403002026112500000019~case~applicant"])]
    caseNo: CaseNo
    itemCode: str
    scope: Literal["case", "acceptance", "stage"]
    dept: Annotated[str, Meta(description="the department rated")]
    rater: Literal["applicant", "agent"]
    level: RatingLevel
    levelLabel: str
    channel: str
    at: Timestamp
    excluded: Annotated[bool, Meta(description="voided on a contest: not counted")]
    stage: int | None = None
    indicators: dict[str, int] | None = None
    comment: str | None = None
    rectification: Rectification | None = None


class CaseRatings(Response):
    caseNo: CaseNo
    ratings: list[Rating]


class RatingPage(Response):
    dept: str
    ratings: list[Rating]
    next: Cursor


class Callback(Request):
    verified: Annotated[bool, Meta(description="whether the complaint proved true")]
    note: Annotated[str, Meta(extra=FREE_TEXT, min_length=1, max_length=1000, pattern=r"\S",
                              examples=["已电话回访，情况属实"])]


class RectificationDone(Request):
    measures: Annotated[str, Meta(extra=FREE_TEXT, min_length=1, max_length=1000, pattern=r"\S",
                                  examples=["已对窗口人员开展服务规范培训"])]
    answer: Annotated[str, Meta(extra=FREE_TEXT, min_length=1, max_length=1000, pattern=r"\S",
                                description="what the rater is told",
                                examples=["感谢您的监督，我们已完成整改"])]


class RectificationResponse(Request):
    accept: Annotated[bool, Meta(description="true: satisfied (closed); false: ask for a "
                                             "re-review (复核), with a reason")]
    reason: Remark | None = None


class ReviewDecision(Request):
    decision: Annotated[Literal["upheld", "redo"], Meta(
        description="upheld: the rectification stands (closed); redo: back to the "
                    "department with a new deadline")]
    opinion: Remark


class RatingContest(Request):
    reason: Remark
    evidence: Annotated[list[Annotated[str, Meta(extra=FREE_TEXT, min_length=1,
                                                 max_length=500)]], Meta(
        min_length=1, max_length=20, description="what shows the rating is abusive "
                                                 "(references to recordings, messages…)")]


class ContestDecision(Request):
    decision: Annotated[Literal["upheld", "rejected"], Meta(
        description="upheld: the rating is voided (no longer counted); rejected: the "
                    "rectification goes on")]
    opinion: Remark


# -- statistics ---------------------------------------------------------------------------

Share = Annotated[float, Meta(ge=0, le=1, description="null when there is nothing to "
                                                      "divide by")] | None


class CardCounts(Response):
    warning: int
    yellow: int
    red: int


class Figures(Response):
    received: int
    accepted: int
    refused: Annotated[int, Meta(description="not accepted (4) and refused (5)")]
    concluded: Annotated[int, Meta(description="approved, approved with materials to "
                                               "follow, denied")]
    onTime: Annotated[int, Meta(description="concluded within the promised time")]
    onTimeRate: Share
    averageWorkingDays: Annotated[float | None, Meta(description="working days taken, "
                                                                 "pauses left out")]
    p90WorkingDays: Annotated[float | None, Meta(description="90th percentile, to a tenth "
                                                             "of a working day")]
    overdue: Annotated[int, Meta(description="cases found past their promised deadline")]
    cards: CardCounts
    ratings: Annotated[int, Meta(description="ratings counted (voided ones left out)")]
    ratingsByLevel: Annotated[list[int], Meta(
        description="ratings counted at each level, 1 (非常不满意) to 5 (非常满意), voided "
                    "ones left out", min_length=5, max_length=5)]
    satisfied: Annotated[int, Meta(description="ratings of 4 or 5")]
    satisfaction: Share
    excludedRatings: int
    rectifications: Annotated[int, Meta(description="opened by ratings of 1–2, voided left "
                                                    "out")]
    rectified: int
    rectificationRate: Share
    rectificationsLate: Annotated[int, Meta(description="rectification deadlines missed")]
    fullyOnline: Annotated[int, Meta(description="concluded cases applied online with no "
                                                 "step at a counter (全程网办)")]
    fullyOnlineShare: Share


class MonthFigures(Figures):
    month: Annotated[str, Meta(examples=["2026-11"])]


class Stats(Response):
    dimension: Annotated[str, Meta(description="all | dept#<code> | item#<code> | "
                                               "channel#<name>", examples=["dept#SCJG"])]
    months: list[MonthFigures]
    total: Figures
    # "from" is a keyword: the field is renamed in JSON.
    start: Annotated[str, Meta(examples=["2026-01"])] = msgspec.field(name="from")
    to: Annotated[str, Meta(examples=["2026-11"])]


class BreakdownRow(Response):
    code: Annotated[str, Meta(description="the department's or the item's code",
                              examples=["SCJG"])]
    months: list[MonthFigures]
    total: Figures


class StatsBreakdown(Response):
    by: Literal["dept", "item"]
    rows: list[BreakdownRow]
    next: Cursor
    start: Annotated[str, Meta(examples=["2026-01"])] = msgspec.field(name="from")
    to: Annotated[str, Meta(examples=["2026-11"])]


Measure = Annotated[Literal["concluded", "onTime", "late", "online", "overdue"], Meta(
    description="concluded: every case concluded that month; onTime, late: those within "
                "or past the promised time; online: fully online (全程网办); overdue: "
                "cases found past their promised deadline that month")]


class CountedCase(Response):
    caseNo: CaseNo
    itemCode: str
    itemName: str
    dept: Annotated[str, Meta(description="the department it is counted for (its item's "
                                          "implementing department)")]
    channel: Channel
    at: Annotated[Timestamp, Meta(description="when it counted: concluded, or found "
                                              "overdue")]
    outcome: Annotated[Literal["approved", "approved_pending_materials", "denied"] | None,
                       Meta(description="how it concluded (null: an overdue entry)")] = None
    concludedAt: Timestamp | None = None
    onTime: Annotated[bool | None, Meta(description="concluded within the promised "
                                                    "time")] = None
    workingDays: Annotated[float | None, Meta(description="working days taken, pauses "
                                                          "left out, to two decimals")] = None
    online: Annotated[bool | None, Meta(description="fully online (全程网办)")] = None


class CountedCases(Response):
    month: Annotated[str, Meta(examples=["2026-11"])]
    dimension: Annotated[str, Meta(description="dept#<code> | item#<code>",
                                   examples=["dept#SCJG"])]
    measure: Measure
    cases: list[CountedCase]
    next: Cursor


# -- licenses ------------------------------------------------------------------------------

class Signature(Struct, omit_defaults=True):
    alg: str
    keyId: str
    value: str
    kid: Annotated[str | None, Meta(description="the key's JWK thumbprint (RFC 7638)")] = None
    canonicalization: Annotated[str | None, Meta(
        description="RFC8785; absent on licenses signed before (sorted-keys JSON)")] = None


class SignatureIn(Struct, forbid_unknown_fields=True):
    keyId: Annotated[str, Meta(min_length=1, max_length=2048)]
    value: Annotated[str, Meta(min_length=1, max_length=4096)]
    alg: str = "ECDSA_SHA_256"
    kid: Annotated[str, Meta(min_length=1, max_length=128)] | None = None
    canonicalization: Annotated[str, Meta(max_length=32)] | None = None


LicenseState = Literal["valid", "suspended", "revoked", "superseded"]
LicenseStatusName = Literal["valid", "suspended", "revoked", "superseded", "expired"]


class License(Struct, omit_defaults=True):
    """An e-license as signed (电子证照): every field is signed (RFC 8785 canonical bytes),
    so none may be added, dropped or reordered in value. Another region's license may
    carry further fields of its own."""
    identifier: documents.LicenseId
    name: Annotated[str, Meta(examples=["食品经营许可证"])]
    number: Annotated[str, Meta(description="the number printed on it",
                                examples=["JY4403002026112500000019"])]
    typeCode: documents.LicenseType
    holder: Annotated[str, Meta(examples=["深圳小吃有限公司"])]
    holderId: Annotated[str, Meta(description="the holder's USCC or ID number (masked "
                                              "for anyone but the holder and staff)")]
    holderIdType: Annotated[str, Meta(description="001 USCC, 111 公民身份号码",
                                      examples=["001"])]
    issuer: Annotated[str, Meta(description="the issuing authority")]
    issuerCode: Annotated[str, Meta(description="its USCC")]
    issueDate: Date
    validFrom: Date
    validTo: Date
    area: Annotated[str, Meta(description="the issuing region's area code",
                              examples=["440300"])]
    trustLevel: Annotated[str, Meta(description="A (highest) … D", examples=["A"])]
    caseNo: CaseNo | None = None
    itemCode: ItemCode | None = None


class Annotation(Struct, omit_defaults=True):
    """What an annotated copy (加注件) was given for, signed with the license."""
    purpose: str
    validUntil: Date
    annotatedAt: Timestamp | None = None
    copyOf: documents.LicenseId | None = None


class SignedLicense(Response, omit_defaults=True):
    license: License
    signature: Signature
    state: LicenseState | None = None
    supersededBy: str | None = None


class LicenseStatus(Response, omit_defaults=True):
    identifier: str
    status: LicenseStatusName
    name: str | None = None
    issuer: str | None = None
    area: str | None = None
    validTo: str | None = None
    statusReason: Annotated[str | None, Meta(description="the issuing department's reason")] = None
    statusSince: str | None = None
    supersededBy: Annotated[str | None, Meta(description="the version that replaced it")] = None


class MyLicense(LicenseStatus, omit_defaults=True):
    caseNo: str | None = None
    issueDate: str | None = None
    typeCode: str | None = None


class MyLicenses(Response):
    licenses: list[MyLicense]
    next: str | None


class AccessLogEntry(Response, omit_defaults=True):
    at: str
    action: Literal["view", "verify", "use"]
    licenseId: str | None = None
    materialId: Annotated[str | None, Meta(description="a material of the holder's")] = None
    caseNo: Annotated[str | None, Meta(description="the case it was used in")] = None
    by: Annotated[str | None, Meta(description="who (absent: an anonymous verifier)")] = None
    role: str | None = None
    organisation: str | None = None
    purpose: Annotated[str | None, Meta(description="用证事由, as stated")] = None
    count: Annotated[int | None, Meta(description=(
        "an anonymous verifier's verifications that day, one entry"))] = None
    lastAt: Annotated[str | None, Meta(description="the last of them")] = None
    merged: Annotated[bool | None, Meta(description=(
        "the day's anonymous verifications past its limit of distinct verifiers"))] = None


class AccessLog(Response):
    entries: list[AccessLogEntry]
    next: str | None


MaterialUpload = documents.MaterialUpload
MaterialState = Literal["pending", "stored", "rejected", "expired"]


class StoredMaterial(Response, omit_defaults=True):
    materialId: documents.MaterialId
    name: str
    contentType: documents.ContentType
    size: int
    sha256: str
    state: Annotated[MaterialState, Meta(
        description="pending: not uploaded (or not checked) yet; stored: the bucket holds "
                    "the file declared; rejected: it held another (see reason); expired: "
                    "no case named it before expiresAt (declare it again to upload anew)")]
    createdAt: str
    material: Annotated[str | None, Meta(description="the catalogue material it is for")] \
        = None
    reason: str | None = None
    storedAt: str | None = None
    usedIn: Annotated[list[str] | None, Meta(description="the cases it was named in")] = None
    expiresAt: Annotated[str | None, Meta(
        description="until a case names it: when it expires and is deleted")] = None


class UploadForm(Response):
    url: Annotated[str, Meta(description="POST the form here (multipart/form-data)")]
    fields: Annotated[dict[str, str], Meta(
        description="every field, as given, before the `file` field (the last one)")]
    expiresAt: str


class MaterialUploadAnswer(StoredMaterial, omit_defaults=True):
    upload: Annotated[UploadForm | None, Meta(
        description="absent when the material is stored already (the same file)")] = None


class MyMaterials(Response):
    materials: list[StoredMaterial]
    next: str | None


class MaterialDownload(Response):
    materialId: documents.MaterialId
    url: Annotated[str, Meta(description="a short-lived link to the file")]
    expiresIn: int


class LicenseStateChange(Request):
    reason: Annotated[str, Meta(extra=FREE_TEXT, min_length=1, max_length=500)]


class LicenseChanges(Request):
    holder: Annotated[str, Meta(min_length=1, max_length=200)] | None = None
    validTo: Annotated[str, Meta(pattern=r"^\d{4}-\d{2}-\d{2}$")] | None = None


class LicenseReissue(Request):
    changes: LicenseChanges
    reason: Annotated[str, Meta(extra=FREE_TEXT, min_length=1, max_length=500)]


class VerificationRequest(Request):
    license: dict[str, Any]
    signature: SignatureIn
    annotation: Annotated[dict[str, Any] | None, Meta(
        description="an annotated copy's annotation (加注件): signed with the license")] = None
    state: str | None = None
    supersededBy: str | None = None
    purpose: Annotated[str, Meta(extra=FREE_TEXT, min_length=1, max_length=200, description=(
        "deprecated: the purpose goes in the query (?purpose=); taken when the query has "
        "none"), extra_json_schema={"deprecated": True})] | None = None
    organisation: Annotated[str, Meta(extra=FREE_TEXT, max_length=200, description=(
        "the organisation verifying it, as the verifier states it"))] | None = None


class Verification(Response):
    valid: bool
    reason: Annotated[Literal["malformed", "bad_identifier", "unsupported_algorithm",
                              "unknown_key", "signature_mismatch", "key_not_valid_then",
                              "suspended", "revoked", "superseded", "not_in_library",
                              "expired", "annotation_expired"] | None,
                      Meta(description="why it is not valid")]
    identifier: Annotated[str | None, Meta(
        description="the license's identifier, null when the document carries none")]
    kid: Annotated[str | None, Meta(description="the key that signed it, when known")] = None
    area: Annotated[str | None, Meta(
        description="the area code of the region whose key signed it")] = None
    status: Annotated[LicenseStatusName | None, Meta(
        description="its status in this region's library (its own licenses)")] = None
    statusReason: str | None = None
    statusSince: str | None = None
    supersededBy: str | None = None
    annotation: Annotated[dict[str, Any] | None, Meta(
        description="an annotated copy's purpose and validUntil")] = None


class AnnotatedCopyRequest(Request):
    purpose: Annotated[str, Meta(extra=FREE_TEXT, min_length=1, max_length=200)]
    validUntil: Annotated[str, Meta(pattern=r"^\d{4}-\d{2}-\d{2}$")]


class AnnotatedCopy(Response):
    license: License
    annotation: Annotation
    signature: Signature


class PublicKey(Response):
    keyId: str
    kid: str
    alg: str
    publicKeyPem: str


class Jwk(Struct, omit_defaults=True):
    kty: str
    crv: str
    x: str
    y: str
    kid: str
    use: str
    alg: str
    issuer: str | None = None
    issuerCode: str | None = None
    area: str | None = None
    keyArn: str | None = None
    validFrom: Annotated[str | None, Meta(description="signs licenses issued from")] = None
    validTo: Annotated[str | None, Meta(description="signed licenses issued until")] = None


class Jwks(Response):
    keys: list[Jwk]


class PublicKeys(Response):
    issuer: str
    issuerCode: str
    keys: list[PublicKey]


# -- free text ----------------------------------------------------------------------------

@functools.cache
def free_text_fields(model: type) -> tuple[tuple[str, ...], ...]:
    """Where `model` holds free text (fields marked FREE_TEXT): each a path of the JSON
    names of the fields to it, "*" standing for every item of a list."""
    from msgspec import inspect

    found = []

    def walk(kind, path, marked, seen):
        if isinstance(kind, inspect.Metadata):
            walk(kind.type, path, marked or bool((kind.extra or {}).get("freeText")), seen)
        elif isinstance(kind, inspect.StructType) and kind.cls not in seen:
            for field in kind.fields:
                walk(field.type, path + (field.encode_name,), False, seen | {kind.cls})
        elif isinstance(kind, inspect.ListType):
            walk(kind.item_type, path + ("*",), False, seen)
        elif isinstance(kind, inspect.UnionType):
            for member in kind.types:
                walk(member, path, marked, seen)
        elif isinstance(kind, inspect.StrType) and marked:
            found.append(path)

    walk(inspect.type_info(model), (), False, frozenset())
    return tuple(dict.fromkeys(found))


# -- the department registry (admin) ------------------------------------------------------

DepartmentCode = Annotated[str, Meta(pattern=r"^[A-Z][A-Z0-9]{1,15}$",
                                     description="the department's code in this region",
                                     examples=["SCJG"])]
AreaCode = Annotated[str, Meta(pattern=r"^[0-9]{12}$",
                               description="a 12-digit administrative area code",
                               examples=["440300000000"])]


class DepartmentContact(Struct, forbid_unknown_fields=True, omit_defaults=True):
    name: Annotated[str, Meta(min_length=1, max_length=50, examples=["政务服务热线"])]
    phone: Annotated[str, Meta(pattern=r"^[0-9+() -]{3,30}$", examples=["12345"])] | None = None
    email: Annotated[str, Meta(pattern=r"^[^@\s]{1,64}@[^@\s]{1,190}$", max_length=254)] \
        | None = None


# Not blank: at least one character that is not white space.
DepartmentName = Annotated[str, Meta(min_length=1, max_length=100, pattern=r"\S",
                                     examples=["深圳市市场监督管理局"])]


class DepartmentDocument(Request, kw_only=True):
    name: DepartmentName
    uscc: Annotated[str, Meta(pattern=r"^[0-9A-Z]{18}$", examples=["11440300007542808J"],
                              description="its unified social credit code (checksum "
                                          "checked: 422 bad_check_character); part of the "
                                          "codes of the items it implements, so it does "
                                          "not change")]
    code: Annotated[DepartmentCode | None, Meta(
        description="a change keeps the path's")] = None
    sealName: Annotated[str, Meta(min_length=1, max_length=100, pattern=r"\S",
                                  description="the name on its official seal (公章)")] \
        | None = None
    contacts: Annotated[list[DepartmentContact], Meta(max_length=10)] = []
    parentArea: Annotated[AreaCode | None, Meta(
        description="the area it belongs to")] = None


class NewDepartment(DepartmentDocument, kw_only=True):
    """A department to register: its code is required."""
    code: DepartmentCode


class DepartmentChange(Request):
    reason: Reason
    department: DepartmentDocument


class DepartmentRegistration(Request):
    reason: Reason
    department: NewDepartment


class RegisteredDepartment(Response):
    code: DepartmentCode
    name: str
    uscc: str
    sealName: str | None = None
    contacts: list[DepartmentContact] = []
    parentArea: str | None = None
    updatedAt: Timestamp | None = None


class DepartmentRegistry(Response):
    departments: list[RegisteredDepartment]


# -- what msgspec cannot say ----------------------------------------------------------------

def _given(field: str) -> dict:
    """A field that is present and not null."""
    return {"required": [field], "properties": {field: {"not": {"type": "null"}}}}


def _only_with(field: str, names: tuple[str, ...]) -> dict:
    """A list field that, non-empty, goes only with the decisions `names`."""
    allowed = {"const": names[0]} if len(names) == 1 else {"enum": list(names)}
    return {"if": {"required": [field],
                   "properties": {field: {"type": "array", "minItems": 1}}},
            "then": {"properties": {"decision": allowed}}}


# Text fields that are names (no line break or tab either: domain/payload.NAME_ALLOWS).
NAME_FIELDS = {"Applicant": ("name",), "LicenseChanges": ("holder",)}

# Rules the server checks that the models' own schemas cannot state, added to their schemas
# in the OpenAPI document (contract/openapi.py) so that a client learns them from it.
SCHEMA_RULES: dict[str, dict] = {
    # The README's application, whole: what a client sends.
    "Application": {"examples": [{
        "itemCode": "00020101200044030000000011440300007542808J01", "channel": "web",
        "applicant": {"type": "legal", "name": "深圳小吃有限公司",
                      "idNumber": "91440300MA5FXK7Q3T"},
        "form": {"businessName": "小吃店", "address": "深圳市南山区科技园1号",
                 "category": "餐饮服务"},
        "materials": [
            {"name": "营业执照", "licenseId": "1.2.156.3005.2.11100000MB0143028R001."
                                          "11440300MB2C92138W.4403002026112500000019.001.Z"},
            {"name": "经营场所平面图和设备布局图",
             "materialId": "M3f9c2a7d41b84e0c9a5e1d7b2c6f8a04"}]}]},
    # services/materials.given_in_case: exactly one of the four names the material.
    "MaterialRef": {"oneOf": [_given("materialId"), _given("licenseId"), _given("license"),
                              _given("checkedAtCounter")]},
    # domain/decisions.py's table, as decisions.parse checks it: the decisions that say
    # why need an opinion (not blank); materials and pendingMaterials go with the
    # decisions that name them only.
    "Decision": {"allOf": [
        {"if": {"properties": {"decision": {
            "enum": list(decisions.where("needs_opinion"))}}},
         "then": {"required": ["opinion"], "properties": {"opinion": {
             "type": "string", "minLength": 1, "pattern": r"\S"}}}},
        _only_with("materials", decisions.where("names_materials")),
        _only_with("pendingMaterials", decisions.where("names_pending"))]},
    # services/ratings: a stage's rating names the stage (and, where the stage has several
    # departments, the one rated: what the document cannot state, a 422).
    "RatingIn": {"if": {"required": ["scope"], "properties": {"scope": {"const": "stage"}}},
                 "then": _given("stage")},
    # services/ratings.respond: a re-review (accept false) names its reason.
    "RectificationResponse": {"if": {"required": ["accept"],
                                     "properties": {"accept": {"const": False}}},
                              "then": _given("reason")},
}
