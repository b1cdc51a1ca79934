"""An item's open cases, for the catalogue's change simulation (domain/open_cases.py): what
publishing a new version means for the cases in flight.

Never a Scan. One Query of the `inbox` index per department a case of the item can have a
task in (the acceptance department and the review stages' departments of every version a
case may have applied under), keeping the item's tasks only and reading each task's case
number, kind, state and deadline; then one BatchGet of those cases' own records for the
version each applied under (a task does not carry it).
"""
from ..adapters.models import CaseRecord, TaskRecord
from ..domain import open_cases, worktime
from . import clock

# The case's own record (services/cases.py META: not imported, cases imports the catalogue).
META = "META"
_BATCH = 100   # DynamoDB's BatchGetItem limit


def _open_tasks(code: str, depts: set[str]) -> list[open_cases.OpenTask]:
    found = []
    for dept in sorted(depts):
        for task in TaskRecord.inbox.query(
                dept, filter_condition=TaskRecord.itemCode == code,
                attributes_to_get=["rt", "caseNo", "taskKind", "state", "deadline"]):
            found.append(open_cases.OpenTask(task.caseNo, task.taskKind, task.state,
                                             task.deadline, dept))
    return found


def _versions(case_nos: list[str]) -> dict[str, int]:
    versions = {}
    for start in range(0, len(case_nos), _BATCH):
        for case in CaseRecord.batch_get(
                [(case_no, META) for case_no in case_nos[start:start + _BATCH]],
                attributes_to_get=["pk", "sk", "rt", "itemVersion"]):
            versions[case.pk] = int(case.itemVersion)
    return versions


def open_cases_of(code: str, items: list[dict]) -> dict:
    """The open cases of item `code` whose tasks are in the inboxes of the departments
    that `items` (its versions) name: {asOf, depts, count, byState, byVersion, overdue,
    soonest, keepVersion}."""
    depts = set().union(*(open_cases.task_departments(item) for item in items))
    tasks = _open_tasks(code, depts)
    versions = _versions(sorted({task.case_no for task in tasks}))
    now = worktime.utc_text(clock.now())
    return {"asOf": now, "depts": sorted(depts), "keepVersion": True,
            **open_cases.summarise(tasks, versions, now)}
