"""Bodies of the `supervision` tag: cards, breaches, a case's supervision, the supervision
record's status, open work and the audit of refused accesses."""
from typing import Annotated, Any, Literal

import msgspec
from msgspec import Meta

from .shared import FREE_TEXT, STAFF_NAME_NOTE, CaseNo, Cursor, Date, Request, Response, Timestamp


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
    chain: Annotated[str, Meta(description="the chain it is in: <area>#<day>#<nn>",
                               examples=["440300#2026-11-25#07"])]
    seq: Annotated[int, Meta(description="the first entry that is not as sealed or "
                                         "recorded (0: the chain's seal)")]
    reason: Annotated[str, Meta(description="what is wrong with it (English)",
                                examples=["its content was changed"])]


class ChainStatus(Response):
    """One day of the record: its entries are spread over up to 64 chains (each hashing
    its own entries), taken together here."""
    chain: Annotated[str, Meta(description="<area>#<day>", examples=["440300#2026-11-25"])]
    chains: Annotated[int, Meta(description="how many chains the day's entries are in")]
    entries: Annotated[int, Meta(description="entries the table holds")]
    sealed: Annotated[int, Meta(description="how many of them the seals cover")]
    final: Annotated[bool, Meta(description="sealed for good (its day is over)")]
    broken: Annotated[BrokenEntry | None, Meta(
        description="the day's first break, in the first chain that has one; null: all "
                    "its chains hold")]


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


class InstantSample(Response, omit_defaults=True):
    """抽查: an instant approval (秒批) sampled for a supervisor to check."""
    caseNo: CaseNo
    itemCode: str
    itemName: str
    ruleSet: str
    checkedAt: Annotated[str, Meta(description="when its rules were checked")]
    state: Literal["open", "checked"]
    reviewedAt: str | None = None
    reviewedBy: str | None = None
    note: str | None = None


class InstantSamples(Response):
    samples: list[InstantSample]
    next: str | None


class SampleCheck(Request):
    note: Annotated[str, Meta(extra=FREE_TEXT, min_length=1, max_length=500,
                              examples=["核对户籍与年龄无误"])]
