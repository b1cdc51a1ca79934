"""Bodies of the `ratings` tag (好差评): ratings and the rectification a bad one opens."""
from typing import Annotated, Any, Literal

from msgspec import Meta

from ...domain.ratings import INDICATORS
from .shared import FREE_TEXT, STAFF_NAME_NOTE, CaseNo, Cursor, Dept, Request, Response, Timestamp

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
