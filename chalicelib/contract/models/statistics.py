"""Bodies of the `statistics` tag: monthly figures, breakdowns and the cases counted."""
from typing import Annotated, Literal

import msgspec
from msgspec import Meta

from .shared import CaseNo, Channel, Cursor, Response, Timestamp

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
