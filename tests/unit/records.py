"""Case files as a unit test gives them: a case and its tasks, as the models hold them
(the in-memory case files keep model instances), at a clock that stands still."""
from datetime import UTC, date, datetime, timedelta

from chalicelib.adapters.models import CaseRecord, TaskRecord
from chalicelib.domain import identity
from chalicelib.domain.identifiers import make_case_number
from chalicelib.domain.lifecycle import Status

CASE_NO = make_case_number("440300", date(2026, 11, 24), 1)
NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)  # a Wednesday, 10:00 in Shanghai
ACCEPTANCE, REVIEW, OTHER_REVIEW = (f"{CASE_NO}-A1", f"{CASE_NO}-R1-SCJG",
                                    f"{CASE_NO}-R1-WSJ")
ITEM = {"code": "ITEM", "version": 1, "process": {"materialsToFollowDays": 10},
        "materials": [{"name": "营业执照"}, {"name": "食品安全管理制度文本"}],
        "specialProcedures": [{"type": "hearing", "name": "听证",
                               "limit": {"value": 20, "unit": "workdays"}}]}

CLERK = identity.Principal("clerk-1", identity.CLERK, dept="ZWFW", name="张受理")
OTHER_CLERK = identity.Principal("clerk-2", identity.CLERK, dept="ZWFW", name="李受理")
FOREIGN_CLERK = identity.Principal("clerk-9", identity.CLERK, dept="WSJ")
REVIEWER = identity.Principal("rev-1", identity.REVIEWER, dept="SCJG", name="王审查")
OTHER_REVIEWER = identity.Principal("rev-2", identity.REVIEWER, dept="SCJG")
LEAD = identity.Principal("lead-1", identity.REVIEWER, dept="SCJG", name="赵科长", lead=True)
SUPERVISOR = identity.Principal("sup-1", identity.SUPERVISOR)


def case_record(status: Status = Status.RECEIVED, **values) -> CaseRecord:
    """A case (at version 4); a value None leaves the attribute out."""
    created = (NOW - timedelta(days=1)).isoformat()
    return CaseRecord(CASE_NO, "META", **{name: value for name, value in {
        "status": int(status), "itemCode": "ITEM", "itemVersion": "1",
        "itemName": "食品经营许可", "createdAt": created, "updatedAt": created, "actor": "u",
        "actorRole": "applicant", "channel": "api", "promisedBy": "2026-12-10",
        "due": {"promised": "2026-12-10T10:00:00Z", "statutory": "2026-12-20T10:00:00Z"},
        "pauses": [], "watchShard": "W#1", "watchAt": "2026-12-01T00:00:00Z", "version": 4,
        **values}.items() if value is not None})


def task_record(task_id: str = ACCEPTANCE, state: str = "open", **values) -> TaskRecord:
    kind = "acceptance" if "-A" in task_id else "review"
    dept = {"acceptance": "ZWFW"}.get(kind) or task_id.rsplit("-", 1)[1]
    return TaskRecord(
        CASE_NO, f"TASK#{task_id}", taskId=task_id, taskKind=kind, caseNo=CASE_NO,
        itemCode="ITEM", dept=dept, stage=None if kind == "acceptance" else 1,
        planned="2026-11-27T10:00:00Z", deadline="2026-11-27T10:00:00Z", state=state,
        inboxDept=dept if state in ("open", "supplement", "special") else None,
        createdAt=(NOW - timedelta(hours=1)).isoformat(), watchShard="W#1",
        watchAt="2026-11-26T10:00:00Z", **values)
