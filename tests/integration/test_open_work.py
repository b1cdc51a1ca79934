"""GET /supervision/open-work: a department's open tasks by working days left, and the
tasks behind each bucket through GET /tasks?dueAfter=&dueBefore= (issue 26)."""
from datetime import datetime, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import boto3

from chalicelib.domain import worktime
from chalicelib.services import clock

from .harness import FOOD, REGION, another

ZONE = ZoneInfo("Asia/Shanghai")
# Thursday 10 December 2026, 10:00. Working days after it: 11 (1st), 14 (2nd), 15, 16,
# 17 (5th), 18 (6th), 21, 22, 23, 24 (10th), 25 December (11th).
NOW = datetime(2026, 12, 10, 10, 0, tzinfo=ZONE)


def _at(day: int, hour: int = 18) -> str:
    return worktime.utc_text(datetime(2026, 12, day, hour, 0, tzinfo=ZONE))


# The deadline each open acceptance task is given, and the bucket it is then in.
DEADLINES = [(worktime.utc_text(NOW - timedelta(hours=1)), "overdue"),
             (_at(10), "0"), (_at(11, 9), "1"),
             (_at(12, 12), "2"),             # a Saturday: as on the next working day
             (_at(14), "2"), (_at(15), "3-5"),
             (_at(17), "3-5"), (_at(24), "6-10"), (_at(25, 9), "11+")]


def _due(stack, task: dict, deadline: str) -> None:
    """Set a task's deadline (the inbox index's range key), as if its limit ended then."""
    boto3.client("dynamodb", region_name=REGION).update_item(
        TableName=stack.env["OW_CASES_TABLE"],
        Key={"pk": {"S": task["caseNo"]}, "sk": {"S": f"TASK#{task['taskId']}"}},
        UpdateExpression="SET deadline = :d", ExpressionAttributeValues={":d": {"S": deadline}})


def _tasks(stack, user: str, **query) -> list[str]:
    found, cursor = [], None
    while True:
        page = stack.call("GET", "/tasks?" + urlencode(
            {**query, "limit": 3, **({"cursor": cursor} if cursor else {})}), user)
        assert page.status_code == 200, page.data
        found += [t["taskId"] for t in page.data["tasks"]]
        cursor = page.data["next"]
        if not cursor:
            return found


def test_open_tasks_are_counted_by_working_days_left_and_each_bucket_lists_its_own(
        stack, monkeypatch):
    tasks = []
    for n in range(len(DEADLINES) + 1):
        case_no = stack.call("POST", "/cases", "company", another(FOOD, n)).data["caseNo"]
        tasks.append(stack.open_task(case_no, "ZWFW", "clerk"))
    # The last one waits on the applicant: in the inbox, in no bucket.
    paused = tasks.pop()
    asked = stack.call("POST", f"/tasks/{paused['taskId']}/decision", "clerk", {
        "decision": "supplement", "opinion": "请补正", "materials": ["营业执照"]})
    assert asked.status_code == 200, asked.data
    expected: dict[str, list[str]] = {}
    for task, (deadline, key) in zip(tasks, DEADLINES, strict=True):
        _due(stack, task, deadline)
        expected.setdefault(key, []).append(task["taskId"])
    _due(stack, paused, _at(11))
    monkeypatch.setattr(clock, "now", lambda: NOW)

    answer = stack.call("GET", "/supervision/open-work?dept=ZWFW", "supervisor")
    assert answer.status_code == 200, answer.data
    work = answer.data
    assert (work["dept"], work["asOf"], work["open"], work["overdue"], work["dueToday"],
            work["paused"]) == ("ZWFW", worktime.utc_text(NOW), 9, 1, 1, 1)
    assert [(b["key"], b["count"]) for b in work["buckets"]] == [
        ("overdue", 1), ("0", 1), ("1", 1), ("2", 2), ("3-5", 2), ("6-10", 1), ("11+", 1)]
    assert work["buckets"][2]["label"] == "剩1个工作日"
    # Each bucket's bounds list exactly its tasks, soonest first, over pages.
    for bucket in work["buckets"]:
        bounds = {name: bucket[name] for name in ("dueAfter", "dueBefore") if bucket[name]}
        assert _tasks(stack, "supervisor", dept="ZWFW", state="open", **bounds) == \
            expected[bucket["key"]], bucket
    # The department's own clerk reads the same (its own, by default).
    assert stack.call("GET", "/supervision/open-work", "clerk").data == work


def test_a_supervisor_reads_any_departments_inbox_but_acts_on_none(stack):
    case_no = stack.call("POST", "/cases", "company", another(FOOD, 1)).data["caseNo"]
    task = stack.open_task(case_no, "ZWFW", "supervisor")   # read through GET /tasks
    assert task["dept"] == "ZWFW"
    for action, body in (("claim", None), ("decision", {"decision": "accept",
                                                        "opinion": "受理"})):
        refused = stack.call("POST", f"/tasks/{task['taskId']}/{action}", "supervisor",
                             body)
        assert refused.status_code == 403, (action, refused.data)
    assert stack.call("GET", "/tasks", "supervisor").data["error"]["field"] == "dept"


def test_only_its_staff_and_supervisors_read_a_departments_open_work(stack):
    for user, query in (("scjg", "?dept=ZWFW"), ("evaluator", "?dept=ZWFW"),
                        ("company", "?dept=ZWFW")):
        refused = stack.call("GET", f"/supervision/open-work{query}", user)
        assert (refused.status_code, refused.data["error"]["code"]) == (403, "forbidden"), user
    assert stack.call("GET", "/supervision/open-work?dept=ZWFW", "admin").status_code == 200
    missing = stack.call("GET", "/supervision/open-work", "supervisor")
    assert (missing.status_code, missing.data["error"]["field"]) == (422, "dept")


def test_bad_deadline_bounds_are_named(stack):
    for query, status, field in (("dueAfter=tomorrow", 400, "dueAfter"),
                                 ("dueBefore=2026-13-01T00:00:00Z", 400, "dueBefore"),
                                 # a moment UTC cannot hold: refused, not a crash
                                 ("dueAfter=0001-01-01T00:00:00%2B08:00", 400, "dueAfter"),
                                 ("dueAfter=2026-12-10T00:00:00Z&dueBefore=2026-12-09T00:00:00Z",
                                  422, "dueAfter")):
        refused = stack.call("GET", f"/tasks?{query}", "clerk")
        assert (refused.status_code, refused.data["error"]["field"]) == (status, field), query
    # Early years are bounds like any other (the fuzzer's: year 519, an odd offset).
    early = stack.call("GET", "/tasks?dueAfter=0519-04-24T22:53:06-21:25"
                              "&dueBefore=0860-11-15T05:51:42.1Z", "clerk")
    assert early.status_code == 200 and early.data["tasks"] == []
