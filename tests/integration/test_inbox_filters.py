"""The inbox's filters served by indexes of their own: a filtered page is one bounded read
of the tasks that match (a Query of the filter's index, then its tasks by key) however
many tasks the inbox holds, and each index follows the task through its life — claimed,
released, reassigned, waiting on a supplement, overdue, decided, cancelled — also when
claims race."""
import itertools
from datetime import timedelta

import boto3
import botocore.client
from boto3.dynamodb.conditions import Key

from chalicelib.services import clock

from .harness import FOOD, REGION, another, sweep
from .test_concurrency import race

_DISTINCT = itertools.count(500)   # each case a distinct application
INDEXES = {"inboxMine": "mineKey", "inboxState": "stateKey", "inboxItem": "itemKey",
           "inboxOverdue": "overdueKey"}


def _review(stack, dept="SCJG", user="scjg"):
    case_no = stack.call("POST", "/cases", "company", another(FOOD, next(_DISTINCT))
                         ).data["caseNo"]
    accept = stack.open_task(case_no, "ZWFW", "clerk")
    stack.decide(accept["taskId"], "clerk", "accept", "受理")
    return case_no, stack.open_task(case_no, dept, user)


def _entries(stack, index: str, key: str) -> list[str]:
    """The task ids one filter index holds under `key`, as DynamoDB answers."""
    table = boto3.resource("dynamodb", region_name=REGION).Table(stack.env["OW_CASES_TABLE"])
    found = table.query(IndexName=index, KeyConditionExpression=Key(INDEXES[index]).eq(key))
    return [entry["sk"].removeprefix("TASK#") for entry in found["Items"]]


def _held(stack, task: dict) -> dict:
    """The filter keys the task carries now."""
    table = boto3.resource("dynamodb", region_name=REGION).Table(stack.env["OW_CASES_TABLE"])
    item = table.get_item(Key={"pk": task["caseNo"], "sk": f"TASK#{task['taskId']}"},
                          ConsistentRead=True)["Item"]
    return {key: item.get(key) for key in INDEXES.values()}


def _filtered_by(query: dict) -> set[str]:
    """The attributes a Query's filter expression names."""
    expression = query.get("FilterExpression", "")
    return {name for alias, name in query.get("ExpressionAttributeNames", {}).items()
            if alias in expression}


def _calls(monkeypatch, request):
    """The DynamoDB operations (with their parameters) `request()` makes."""
    calls = []
    original = botocore.client.BaseClient._make_api_call

    def counted(client, operation, params):
        if client.meta.service_model.service_name == "dynamodb":
            calls.append((operation, params))
        return original(client, operation, params)

    monkeypatch.setattr(botocore.client.BaseClient, "_make_api_call", counted)
    try:
        answer = request()
    finally:
        monkeypatch.undo()
    return answer, calls


def test_a_filtered_page_is_one_query_of_its_index_and_one_batch_read(stack, monkeypatch):
    """Six tasks in SCJG's inbox, one claimed and one waiting on a supplement: each
    filter's page reads only its index (Limit: the page size) and the tasks it names —
    not the inbox page by page until enough match."""
    tasks = [_review(stack)[1] for _ in range(6)]
    claimed, waiting = tasks[-1]["taskId"], tasks[-2]["taskId"]
    assert stack.call("POST", f"/tasks/{claimed}/claim", "scjg").status_code == 200
    assert stack.call("POST", f"/tasks/{waiting}/decision", "scjg2", {
        "decision": "supplement", "opinion": "补正", "materials": ["营业执照"]}
    ).status_code == 200
    stack.call("GET", "/tasks", "scjg")   # the roster's sighting made once, before counting

    for path, index, expected in (
            ("/tasks?mine=true&limit=5", "inboxMine", [claimed]),
            ("/tasks?state=supplement&limit=5", "inboxState", [waiting]),
            (f"/tasks?item={FOOD}&limit=5", "inboxItem",
             [t["taskId"] for t in tasks[:5]])):
        answer, calls = _calls(monkeypatch, lambda p=path: stack.call("GET", p, "scjg"))
        assert answer.status_code == 200, answer.data
        assert [t["taskId"] for t in answer.data["tasks"]] == expected, path
        assert [op for op, _ in calls] == ["Query", "BatchGetItem"], (path, calls)
        query = calls[0][1]
        assert (query["IndexName"], query["Limit"]) == (index, 5)
        # Filtered by nothing but the record type (every entry is a task's): all it reads
        # is returned.
        assert _filtered_by(query) <= {"rt"}, query
    # The item's sixth task is on the next page, read the same way.
    first = stack.call("GET", f"/tasks?item={FOOD}&limit=5", "scjg").data
    rest = stack.call("GET", f"/tasks?item={FOOD}&limit=5&cursor={first['next']}", "scjg")
    assert [t["taskId"] for t in rest.data["tasks"]] == [tasks[5]["taskId"]]
    # A cursor of one filter's pages is refused by another's (its key names another index).
    wrong = stack.call("GET", f"/tasks?mine=true&cursor={first['next']}", "scjg")
    assert (wrong.status_code, wrong.data["error"]["code"]) == (422, "invalid_cursor")
    # Two filters at once: the narrowest's index read, the other applied to what it found.
    both = stack.call("GET", "/tasks?mine=true&state=supplement", "scjg").data["tasks"]
    assert both == []
    answer, calls = _calls(monkeypatch,
                           lambda: stack.call("GET", "/tasks?limit=5", "scjg"))
    assert [op for op, _ in calls] == ["Query"] and calls[0][1]["IndexName"] == "inbox"
    assert len(answer.data["tasks"]) == 5
    # "open", which most of an inbox is, reads the inbox itself: one page of it, the
    # waiting task on it left out (a page may hold fewer than asked for).
    answer, calls = _calls(monkeypatch,
                           lambda: stack.call("GET", "/tasks?state=open&limit=6", "scjg"))
    assert [op for op, _ in calls] == ["Query"] and calls[0][1]["Limit"] == 6
    assert waiting not in [t["taskId"] for t in answer.data["tasks"]]
    assert {t["state"] for t in answer.data["tasks"]} == {"open"}


def test_the_filter_indexes_follow_a_task_through_its_life(stack, monkeypatch):
    case_no, task = _review(stack)
    task_id = task["taskId"]
    assert _held(stack, task) == {"mineKey": None, "stateKey": None,
                                  "itemKey": f"SCJG#{FOOD}", "overdueKey": None}
    stack.call("POST", f"/tasks/{task_id}/claim", "scjg")
    assert _entries(stack, "inboxMine", "SCJG#staff:wang-scjg") == [task_id]
    stack.call("GET", "/tasks", "scjg2")   # 吴审查 on SCJG's roster: the lead may assign
    moved = stack.call("POST", f"/tasks/{task_id}/assign", "scjg_lead",
                       {"to": "staff:wu-scjg"})
    assert moved.status_code == 200, moved.data
    assert _entries(stack, "inboxMine", "SCJG#staff:wang-scjg") == []
    assert _entries(stack, "inboxMine", "SCJG#staff:wu-scjg") == [task_id]
    assert stack.call("POST", f"/tasks/{task_id}/release", "scjg2").status_code == 200
    assert _entries(stack, "inboxMine", "SCJG#staff:wu-scjg") == []
    # Waiting on the applicant: into the state's index (which holds waiting tasks only) —
    # claimed by who asked.
    stack.call("POST", f"/tasks/{task_id}/decision", "scjg", {
        "decision": "supplement", "opinion": "补正", "materials": ["营业执照"]})
    assert _entries(stack, "inboxState", "SCJG#supplement") == [task_id]
    assert _entries(stack, "inboxMine", "SCJG#staff:wang-scjg") == [task_id]
    supplied = stack.call("POST", f"/cases/{case_no}/supplement", "company", {"materials": [
        {"name": "营业执照", "materialId": stack.upload("company")["materialId"]}]})
    assert supplied.status_code == 200, supplied.data
    assert _entries(stack, "inboxState", "SCJG#supplement") == []
    assert _held(stack, task)["stateKey"] is None
    # Past its deadline: the sweep marks it, and the overdue filter finds it.
    later = clock.now() + timedelta(days=60)
    monkeypatch.setattr(clock, "now", lambda: later)
    sweep(later)
    assert _entries(stack, "inboxOverdue", "SCJG") == [task_id]
    assert [t["taskId"] for t in stack.call("GET", "/tasks?overdue=true", "scjg"
                                            ).data["tasks"]] == [task_id]
    # Decided: in no filter's index any more.
    assert stack.decide(task_id, "scjg", "approve", "同意").status_code == 200
    assert _held(stack, task) == dict.fromkeys(INDEXES.values())
    for index in INDEXES:
        assert all(task_id not in _entries(stack, index, key) for key in (
            "SCJG", "SCJG#supplement", f"SCJG#{FOOD}", "SCJG#staff:wang-scjg"))


def test_a_cancelled_task_leaves_every_filter_and_racing_claims_leave_one(stack):
    _, withdrawn = _review(stack)
    _, raced = _review(stack)
    path = f"/tasks/{raced['taskId']}/claim"
    answers = race(12, lambda i: stack.call("POST", path, ("scjg", "scjg2")[i % 2]))
    winner = next(a.data["task"]["claimedBy"] for a in answers if a.status_code == 200)
    assert _entries(stack, "inboxMine", f"SCJG#{winner}") == [raced["taskId"]]
    loser = ({"staff:wang-scjg", "staff:wu-scjg"} - {winner}).pop()
    assert _entries(stack, "inboxMine", f"SCJG#{loser}") == []
    withdrawn_case = withdrawn["caseNo"]
    assert stack.call("POST", f"/cases/{withdrawn_case}/withdraw", "company",
                      {"reason": "不再需要"}).status_code == 200
    assert stack.pump.run_until(
        lambda: _held(stack, withdrawn) == dict.fromkeys(INDEXES.values()))
    assert withdrawn["taskId"] not in _entries(stack, "inboxItem", f"SCJG#{FOOD}")
    assert raced["taskId"] in _entries(stack, "inboxItem", f"SCJG#{FOOD}")


def test_reindexing_gives_tasks_written_before_the_indexes_their_keys_once(stack, monkeypatch):
    """Tasks as a stage before the filter indexes stored them (no keys): reindexing puts
    them in every index they match, and a second run writes nothing."""
    tasks = [_review(stack)[1] for _ in range(2)]
    stack.call("POST", f"/tasks/{tasks[0]['taskId']}/claim", "scjg")
    table = boto3.resource("dynamodb", region_name=REGION).Table(stack.env["OW_CASES_TABLE"])
    for task in tasks:
        table.update_item(Key={"pk": task["caseNo"], "sk": f"TASK#{task['taskId']}"},
                          UpdateExpression="REMOVE mineKey, stateKey, itemKey, overdueKey")
    assert stack.call("GET", "/tasks?mine=true", "scjg").data["tasks"] == []

    from chalicelib.services.tasks import reindex_inbox
    counts = reindex_inbox()
    assert counts["indexed"] == 2 and counts["tasks"] >= 2
    assert [t["taskId"] for t in stack.call("GET", "/tasks?mine=true", "scjg"
                                            ).data["tasks"]] == [tasks[0]["taskId"]]
    assert _held(stack, tasks[1]) == {"mineKey": None, "stateKey": None,
                                      "itemKey": f"SCJG#{FOOD}", "overdueKey": None}
    assert reindex_inbox()["indexed"] == 0
    # Beside live traffic: a claim between reindex's read and its write wins — the write
    # holds only while the claim is as read — and a reindex racing claims leaves the key
    # of whoever holds the task.
    key = {"pk": tasks[1]["caseNo"], "sk": f"TASK#{tasks[1]['taskId']}"}
    table.update_item(Key=key, UpdateExpression="REMOVE mineKey, stateKey, itemKey, overdueKey")
    from chalicelib.adapters.models import TaskRecord
    as_read = list(TaskRecord.inbox.scan())
    assert stack.call("POST", f"/tasks/{tasks[1]['taskId']}/claim", "scjg2").status_code == 200
    with monkeypatch.context() as stale:
        stale.setattr(TaskRecord.inbox, "scan", lambda *a, **k: iter(as_read))
        assert reindex_inbox()["indexed"] == 0
    assert _held(stack, tasks[1])["mineKey"] == "SCJG#staff:wu-scjg"
    stack.call("POST", f"/tasks/{tasks[1]['taskId']}/release", "scjg2")
    table.update_item(Key=key, UpdateExpression="REMOVE mineKey, stateKey, itemKey, overdueKey")
    race(4, lambda i: reindex_inbox() if i % 2 else stack.call(
        "POST", f"/tasks/{tasks[1]['taskId']}/claim", ("scjg", "scjg2")[i // 2]))
    claimant = stack.call("GET", f"/cases/{tasks[1]['caseNo']}", "supervisor").data
    held_by = next(t["claimedBy"] for t in claimant["tasks"]
                   if t["taskId"] == tasks[1]["taskId"])
    assert _held(stack, tasks[1])["mineKey"] == f"SCJG#{held_by}"
