"""Inboxes and decisions: once only, by the right people, with the lifecycle enforced."""
import hashlib

import boto3

from chalicelib import wiring
from chalicelib.events.handlers import record_task
from chalicelib.services import tasks, timeline

from .harness import FOOD, HYGIENE, REGION, another, application


def _apply(stack, item=FOOD):
    return stack.call("POST", "/cases", "company", application(item)).data["caseNo"]


def test_a_task_is_decided_once(stack):
    case_no = _apply(stack)
    task = stack.open_task(case_no, "ZWFW", "clerk")
    assert stack.decide(task["taskId"], "clerk", "accept", "受理").status_code == 200
    stack.wait_status(case_no, 8)
    # The timeline follows the case through the stream: wait until it has caught up.
    assert stack.pump.run_until(
        lambda: [e["status"] for e in stack.case(case_no)["timeline"]
                 if e["action"] == "status"] == [1, 3, 8])
    review = stack.open_task(case_no, "SCJG", "scjg")
    assert stack.pump.run_until(lambda: review["taskId"] in [
        e.get("taskId") for e in stack.case(case_no)["timeline"]
        if e["action"] == "task_created"])
    before = stack.case(case_no)
    again = stack.decide(task["taskId"], "clerk", "refuse", "改主意了")
    assert again.status_code == 409
    assert again.data["error"]["code"] == "task_already_decided"
    after = stack.case(case_no)
    assert after["status"] == 8
    decided = [t for t in after["tasks"] if t["taskId"] == task["taskId"]][0]
    assert decided["decision"] == "accept" and decided["opinion"] == "受理"
    stack.pump.run_until(lambda: False, timeout=0.5)
    assert stack.case(case_no)["timeline"] == before["timeline"]
    assert all(e.get("decision") != "refuse" for e in after["timeline"])


def test_inbox_is_sorted_by_deadline_and_decided_tasks_leave_it(stack):
    food, hygiene = _apply(stack, FOOD), _apply(stack, HYGIENE)
    stack.open_task(food, "ZWFW", "clerk")
    stack.open_task(hygiene, "ZWFW", "clerk")
    inbox = stack.call("GET", "/tasks?dept=ZWFW", "clerk").data["tasks"]
    assert [t["deadline"] for t in inbox] == sorted(t["deadline"] for t in inbox)
    assert {t["caseNo"] for t in inbox} == {food, hygiene}
    assert all("token" not in t for t in inbox)
    first = [t for t in inbox if t["caseNo"] == food][0]
    stack.decide(first["taskId"], "clerk", "accept", "受理")
    left = stack.call("GET", "/tasks?dept=ZWFW", "clerk").data["tasks"]
    assert [t["caseNo"] for t in left] == [hygiene]
    page = stack.call("GET", "/tasks?dept=ZWFW&limit=1", "clerk").data
    assert len(page["tasks"]) == 1


def test_only_the_tasks_department_and_role_may_decide(stack):
    case_no = _apply(stack)
    task = stack.open_task(case_no, "ZWFW", "clerk")
    assert stack.call("GET", "/tasks?dept=ZWFW", "scjg").status_code == 403
    assert stack.call("GET", "/tasks?dept=ZWFW", "company").status_code == 403
    assert stack.call("GET", "/tasks", "admin").data["error"]["field"] == "dept"
    assert stack.call("GET", "/tasks", "clerk").data["dept"] == "ZWFW"  # their own
    # Another department's task does not exist for its staff (404); an applicant may not
    # decide at all (403); a supervisor sees the case but may not act on its tasks (403).
    assert stack.decide(task["taskId"], "scjg", "accept", "x").status_code == 404
    assert stack.decide(task["taskId"], "company", "accept", "x").status_code == 403
    assert stack.decide(task["taskId"], "supervisor", "accept", "x").status_code == 403
    assert stack.call("POST", f"/tasks/{task['taskId']}/decision", None,
                      {"decision": "accept"}).status_code == 401
    wrong = stack.decide(task["taskId"], "clerk", "approve", "x")
    # Every decision is in the document; which one a task takes is its kind's: 422.
    assert wrong.status_code == 422 and wrong.data["error"]["field"] == "decision"
    no_reason = stack.decide(task["taskId"], "clerk", "refuse")
    assert no_reason.status_code == 400 and no_reason.data["error"]["field"] == "opinion"
    assert stack.case(case_no)["status"] == 1
    assert stack.call("GET", "/tasks?dept=ZWFW", "clerk").data["tasks"][0]["state"] == "open"


def test_refusal_ends_the_case_at_5_and_the_workflow(stack):
    case_no = _apply(stack)
    task = stack.open_task(case_no, "ZWFW", "clerk")
    refused = stack.decide(task["taskId"], "clerk", "refuse", "不属于本部门职权范围")
    assert refused.status_code == 200 and refused.data["caseStatus"] == 5
    sfn = boto3.client("stepfunctions", region_name=REGION)
    arn = stack.env["OW_STATE_MACHINE_ARN"].replace(":stateMachine:", ":execution:") + ":" + case_no
    assert stack.pump.run_until(
        lambda: sfn.describe_execution(executionArn=arn)["status"] == "SUCCEEDED", 15)
    stack.pump.run_until(lambda: 5 in [e.get("status") for e in stack.case(case_no)["timeline"]])
    assert [e.get("status") for e in stack.case(case_no)["timeline"] if e["action"] == "status"] \
        == [1, 5]


PLAN = "经营场所平面图和设备布局图"


def test_supplement_loops_back_to_the_applicant_then_the_counter(stack):
    case_no = _apply(stack)
    first = stack.open_task(case_no, "ZWFW", "clerk")
    asked = stack.call("POST", f"/tasks/{first['taskId']}/decision", "clerk", {
        "decision": "supplement", "opinion": "请补充经营场所平面图",
        "materials": [PLAN]})
    assert asked.data["caseStatus"] == 6 and asked.data["task"]["state"] == "supplement"
    case = stack.case(case_no, "company")
    assert case["supplement"]["materials"] == [PLAN]
    assert case["clock"]["running"] is False and case["clock"]["pauseKind"] == "supplement"
    # The clerk cannot decide while the applicant has the case; the applicant must give
    # what was asked for, and nobody else may give it.
    assert stack.decide(first["taskId"], "clerk", "accept", "受理").data["error"]["code"] \
        == "task_waiting"
    plan = stack.upload("company", b"%PDF-1.7 plan", material=PLAN)["materialId"]
    supply = {"materials": [{"name": PLAN, "materialId": plan}], "note": "已上传平面图"}
    assert stack.call("POST", f"/cases/{case_no}/supplement", "applicant",
                      supply).status_code == 404
    partial = stack.call("POST", f"/cases/{case_no}/supplement", "company",
                         {"materials": [{"name": "食品安全管理制度文本",
                                         "materialId": stack.upload("company")["materialId"]}]})
    assert partial.status_code == 400 and partial.data["error"]["field"] == "materials"
    supplied = stack.call("POST", f"/cases/{case_no}/supplement", "company", supply)
    assert supplied.status_code == 200 and supplied.data["status"] == 7
    # The same task (and the workflow's same token) is back with the counter.
    again = stack.open_task(case_no, "ZWFW", "clerk")
    assert again["taskId"] == first["taskId"] and again["state"] == "open"
    stack.decide(again["taskId"], "clerk", "accept", "补正后受理")
    stack.wait_status(case_no, 8)
    stack.pump.run_until(lambda: 8 in [e.get("status") for e in stack.case(case_no)["timeline"]])
    case = stack.case(case_no, "company")
    assert [e.get("status") for e in case["timeline"] if e["action"] == "status"] \
        == [1, 6, 7, 3, 8]
    assert [e["action"] for e in case["timeline"] if e["action"].startswith("clock")] == [
        "clock_paused", "clock_resumed"]
    assert case["clock"]["running"] is True and len(case["clock"]["pauses"]) == 1
    assert [m for m in case["materials"] if m["name"] == PLAN] == [{
        "name": PLAN, "materialId": plan, "fileName": "material.pdf",
        "contentType": "application/pdf", "size": len(b"%PDF-1.7 plan"),
        "sha256": hashlib.sha256(b"%PDF-1.7 plan").hexdigest()}]


def test_illegal_transition_is_409_and_changes_nothing(stack):
    case_no = _apply(stack)
    task = stack.open_task(case_no, "ZWFW", "clerk")
    # The case leaves "received" behind the workflow's back (e.g. an operator fix-up).
    table = boto3.resource("dynamodb", region_name=REGION).Table(stack.env["OW_CASES_TABLE"])
    table.update_item(Key={"pk": case_no, "sk": "META"}, UpdateExpression="SET #s = :s",
                      ExpressionAttributeNames={"#s": "status"},
                      ExpressionAttributeValues={":s": 2})
    answer = stack.decide(task["taskId"], "clerk", "accept", "受理")
    assert answer.status_code == 409 and answer.data["error"]["code"] == "illegal_transition"
    assert stack.case(case_no)["status"] == 2
    assert [t for t in stack.case(case_no)["tasks"] if t["taskId"] == task["taskId"]][0][
        "state"] == "open"


def test_redelivered_events_never_duplicate(stack):
    case_no = _apply(stack)
    task = stack.open_task(case_no, "ZWFW", "clerk")
    message = {"taskId": task["taskId"], "kind": "acceptance", "caseNo": case_no,
               "itemCode": FOOD, "dept": "ZWFW", "deadline": "2026-12-01", "token": "t"}
    assert tasks.record(wiring.stores().case_files, message) is False  # delivered before
    # Tokens are kept apart from the task (so out of the inbox index), every one the
    # task came with: a retried callback state brings a new one.
    from chalicelib.adapters.models import TaskRecord, TaskToken
    assert TaskRecord.get(case_no, f"TASK#{task['taskId']}").token is None
    kept = TaskToken.get(case_no, tasks.token_key(task["taskId"])).tokens
    assert "t" in kept and len(kept) == 2
    event = {"Records": [{"messageId": "m", "receiptHandle": "r", "body": __import__("json")
                          .dumps(message), "attributes": {}, "messageAttributes": {},
                          "md5OfBody": "", "eventSource": "aws:sqs",
                          "eventSourceARN": "arn:aws-cn:sqs:cn-north-1:1:q",
                          "awsRegion": REGION}]}
    record_task(event, None)
    assert len([t for t in stack.case(case_no)["tasks"]]) == 1

    # Received, and the acceptance task created.
    stack.pump.run_until(lambda: len(stack.case(case_no)["timeline"]) == 2)
    new = {"pk": case_no, "sk": "META", "rt": "case", "status": 1, "version": 1,
           "updatedAt": stack.case(case_no)["createdAt"], "actor": "org:shenzhen-xiaochi",
           "actorRole": "applicant", "channel": "web", "opinion": "申请已提交"}
    assert timeline.record_change(None, new) == []
    assert len(stack.case(case_no)["timeline"]) == 2
    # Decided: the stale token is refused, the live one moves the workflow on.
    stack.decide(task["taskId"], "clerk", "accept", "受理")
    assert stack.open_task(case_no, "SCJG", "scjg")["taskId"] == f"{case_no}-R1-SCJG"


def _dynamodb_calls(monkeypatch, request, answer_first=None):
    """The DynamoDB operations this thread makes while `request()` runs; `answer_first`,
    if given, may answer a call itself (operation, params -> a fault to raise or None)."""
    import threading

    import botocore.client
    calls, me = [], threading.get_ident()
    original = botocore.client.BaseClient._make_api_call

    def counted(client, operation, params):
        if client.meta.service_model.service_name == "dynamodb" and \
                threading.get_ident() == me:
            calls.append(operation)
            fault = answer_first(operation, params) if answer_first else None
            if fault is not None:
                raise fault
        return original(client, operation, params)

    monkeypatch.setattr(botocore.client.BaseClient, "_make_api_call", counted)
    try:
        return request(), calls
    finally:
        monkeypatch.undo()


def test_a_decision_reads_its_task_and_case_in_one_snapshot_then_commits(stack,
                                                                         monkeypatch):
    """Two round trips: the task and its case read as one snapshot (TransactGetItems),
    then the one commit."""
    case_no = stack.call("POST", "/cases", "company", another(HYGIENE, 301)).data["caseNo"]
    task = stack.open_task(case_no, "ZWFW", "clerk")
    stack.call("GET", "/tasks", "clerk")   # the roster's sighting made before counting
    answer, calls = _dynamodb_calls(
        monkeypatch, lambda: stack.decide(task["taskId"], "clerk", "accept", "受理"))
    assert answer.status_code == 200, answer.data
    assert calls == ["TransactGetItems", "TransactWriteItems"], calls


def test_a_snapshot_refused_by_a_transaction_in_flight_is_read_again_or_as_two_reads(
        stack, monkeypatch):
    """AWS refuses a TransactGetItems while a transaction writes one of its items (moto
    never does): tried again; refused every time, the case and then the task are read
    apart — the decision goes through either way."""
    from botocore.exceptions import ClientError

    from chalicelib.adapters import case_files

    def conflict(times, code="TransactionConflict"):
        left = [times]

        def answer(operation, params):
            if operation != "TransactGetItems" or not left[0]:
                return None
            left[0] -= 1
            return ClientError({"Error": {"Code": "TransactionCanceledException",
                                          "Message": "Transaction cancelled"},
                                "CancellationReasons": [{"Code": code},
                                                        {"Code": "None"}]},
                               "TransactGetItems")
        return answer

    monkeypatch.setattr(case_files.time, "sleep", lambda seconds: None)
    for times, code, expected in (
            (1, "TransactionConflict",
             ["TransactGetItems", "TransactGetItems", "TransactWriteItems"]),
            (1, "ThrottlingError",
             ["TransactGetItems", "TransactGetItems", "TransactWriteItems"]),
            (case_files.SNAPSHOT_TRIES, "TransactionConflict",
             ["TransactGetItems"] * case_files.SNAPSHOT_TRIES
             + ["GetItem", "GetItem", "TransactWriteItems"])):
        case_no = stack.call("POST", "/cases", "company", another(
            HYGIENE, 300 + times + len(code))).data["caseNo"]
        task = stack.open_task(case_no, "ZWFW", "clerk")
        stack.call("GET", "/tasks", "clerk")
        answer, calls = _dynamodb_calls(
            monkeypatch, lambda t=task: stack.decide(t["taskId"], "clerk", "accept", "受理"),
            conflict(times, code))
        assert answer.status_code == 200, answer.data
        assert calls == expected, calls
        monkeypatch.setattr(case_files.time, "sleep", lambda seconds: None)
