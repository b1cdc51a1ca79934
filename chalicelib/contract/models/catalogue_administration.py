"""Bodies of the `catalogue administration` tag: catalogue entries, item versions and
their lifecycle, split and merge, simulation, and the department registry."""
from typing import Annotated, Any, Literal

import msgspec
from msgspec import UNSET, Meta, Struct, UnsetType

from ...domain import documents
from ...domain.documents import Implementation
from .shared import (
    BaseCode,
    CaseNo,
    Cursor,
    Date,
    Dept,
    ItemCode,
    Kind,
    Name,
    Reason,
    Request,
    Response,
    ShortText,
    Text,
    Timestamp,
)


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


class RulesOnHistory(Response):
    """秒批: the version's rules replayed on the item's checked cases, each on the facts its
    own check read."""
    replayed: Annotated[int, Meta(description="the cases replayed (the most recent 500)")]
    wouldApprove: int
    wouldRefer: int
    referred: Annotated[list[dict[str, Any]], Meta(
        description="up to 50: caseNo and the rules that would fail ({id, name, why})")]
    changed: Annotated[list[dict[str, Any]], Meta(
        description="up to 50 cases whose outcome would change: caseNo, was, would")]
    notReplayable: Annotated[int, Meta(
        description="checks that read nothing (made while instant approval was off)")] = 0


class SimulationResult(Response):
    code: ItemCode
    version: int
    status: str
    comparedWith: int | None
    changes: list[dict[str, Any]]
    dryRun: dict[str, Any]
    openCases: OpenCases
    publishedDryRun: dict[str, Any] | None = None
    rulesOnHistory: RulesOnHistory | None = None


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
