"""Bodies of the `tasks` tag: a department's tasks, deciding, assigning them, special procedures."""
from typing import Annotated, Literal

from msgspec import Meta

from ...domain import decisions, documents, task_states
from .shared import FREE_TEXT, STAFF_NAME_NOTE, CaseNo, Cursor, Request, Response, Timestamp

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
# kind's in the description, its rules (schema_rules.py) — and services take it typed.
MaterialName = decisions.MaterialName
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
