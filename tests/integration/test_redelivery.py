"""Every event handler, given each event twice and again after the case has moved on:
no error, no duplicate, no change, and no workflow resumed twice."""
import copy

import boto3
import pytest

from chalicelib.adapters import aws
from infra.local.pump import LambdaContext, _handler

from .harness import HYGIENE, REGION, application


@pytest.fixture
def resumes(stack):
    """SendTaskSuccess / SendTaskFailure and StartExecution calls the app makes (through
    its own Step Functions client)."""
    calls = []
    for operation in ("SendTaskSuccess", "SendTaskFailure", "StartExecution"):
        aws.client("stepfunctions").meta.events.register(
            f"before-call.states.{operation}",
            lambda operation=operation, **kw: calls.append((operation, kw["params"])))
    return calls


def _snapshot(stack, case_no):
    case = stack.case(case_no)
    licenses = boto3.resource("dynamodb", region_name=REGION).Table(
        stack.env["OW_LICENSES_TABLE"]).scan()["Items"]
    return case, licenses


def _replay(events):
    for source, event in events:
        _handler(source.handler_string)(copy.deepcopy(event), LambdaContext(source.name))


def test_every_event_delivered_again_after_the_case_concluded_changes_nothing(
        stack, delivered, resumes):
    case_no = stack.approve_in_parallel()["caseNo"]
    assert stack.pump.run_until(
        lambda: [e["status"] for e in stack.case(case_no)["timeline"]
                 if e["action"] == "status"] == [1, 3, 8, 11])
    stack.pump.run_until(lambda: False, timeout=0.5)  # let the last changes through
    kinds = {source.name for source, _ in delivered}
    assert {"record_task", "conclude_case", "case_timeline", "start_workflow"} <= kinds
    resumed_once = len(resumes)
    # One start; acceptance and two reviews resumed (conclusion needs no resume).
    assert [operation for operation, _ in resumes].count("StartExecution") == 1
    assert resumed_once == 4
    before = _snapshot(stack, case_no)

    _replay(delivered)  # each event a second time ...
    _replay(delivered)  # ... and a third, all after the case moved on

    assert _snapshot(stack, case_no) == before
    assert len(resumes) == resumed_once


def test_a_redelivered_decision_resumes_the_workflow_once(stack, resumes):
    case_no = stack.call("POST", "/cases", "company", application(HYGIENE)).data["caseNo"]
    task = stack.open_task(case_no, "ZWFW", "clerk")
    stack.decide(task["taskId"], "clerk", "accept", "受理")
    stack.wait_status(case_no, 8)
    assert [operation for operation, _ in resumes] == ["StartExecution", "SendTaskSuccess"]
    table = boto3.resource("dynamodb", region_name=REGION).Table(stack.env["OW_CASES_TABLE"])
    decided = table.get_item(Key={"pk": case_no, "sk": f"TASK#{task['taskId']}"})["Item"]
    decided = {k: (int(v) if k == "stage" and v is not None else v) for k, v in decided.items()}
    from chalicelib.services import progress
    assert progress.resume_decided({**decided, "state": "open"}, decided) is False
    assert len(resumes) == 2


def test_lifecycle_metrics_are_counted_once_however_often_events_arrive(stack, delivered):
    import io
    import json

    from chalicelib import metrics
    out = io.StringIO()
    metrics.set_stream(out)
    try:
        stack.approve_in_parallel()
        stack.pump.run_until(lambda: False, timeout=0.5)
        _replay(delivered)
        _replay(delivered)
    finally:
        metrics.set_stream(None)
    names = [name for line in out.getvalue().splitlines()
             for name in [m["Name"] for m in
                          json.loads(line)["_aws"]["CloudWatchMetrics"][0]["Metrics"]]]
    assert sorted(n for n in names if n != "ColdStart") == sorted(
        ["CasesReceived", "CasesAccepted", "CasesConcluded"] + ["DecisionLatency"] * 3)
