"""A downstream service unavailable for a while during changes — the event bus, the
queues, Step Functions — strands no case: each effect of a change happens on its own, the
stream retries what failed, and once it gives up (as the deployed mapping does) the
reconciliation finishes it. Every case ends complete: its workflow started and ended, its
tasks created, concluded 11 with its license, every decision on its timeline once, every
timeline entry published once."""
from collections import Counter
from datetime import timedelta

import boto3
import pytest
from botocore.exceptions import ClientError

from chalicelib.adapters import aws
from chalicelib.adapters.models import SettleMarker, TimelineEvent
from chalicelib.services import clock, settlement
from infra.local import pump as pump_module

from .harness import FOOD, REGION, application, task_recorded


class Outage:
    """The app's own client of a service refuses the named operations while `down`."""

    def __init__(self):
        self.down: set[str] = set()
        self.refused: list[str] = []
        self.hooks = []

    def watch(self, service: str, operation: str) -> None:
        def refuse(**_):
            if operation in self.down:
                self.refused.append(operation)
                raise ClientError({"Error": {"Code": "ServiceUnavailable",
                                             "Message": f"{service} is unavailable"},
                                   "ResponseMetadata": {"HTTPStatusCode": 503}}, operation)

        client = aws.client(service)
        client.meta.events.register(f"before-call.*.{operation}", refuse)
        self.hooks.append((client, f"before-call.*.{operation}", refuse))

    def start(self, service: str, *operations: str) -> None:
        for operation in operations:
            self.watch(service, operation)
        self.down.update(operations)

    def end(self) -> None:
        self.down.clear()


@pytest.fixture
def outage(stack, monkeypatch):
    # The stream gives up after 2 retries here (10 deployed), backing off briefly.
    monkeypatch.setattr(pump_module, "MAX_STREAM_RETRIES", 2)
    stack.pump.pump_once()
    for shard in stack.pump.stream().shards.values():
        shard.backoff.base = 0.01
    found = Outage()
    yield found
    found.end()
    for client, event, handler in found.hooks:
        client.meta.events.unregister(event, handler)


def _given_up(stack) -> bool:
    """Whether the stream has given up on a batch (described on its on-failure queue)."""
    answer = boto3.client("sqs", region_name=REGION).get_queue_attributes(
        QueueUrl=stack.env["OW_STREAM_FAILURE_QUEUE_URL"],
        AttributeNames=["ApproximateNumberOfMessages"])
    return int(answer["Attributes"]["ApproximateNumberOfMessages"]) > 0


def _unsettled(case_no: str) -> list[SettleMarker]:
    return [m for m in SettleMarker.query(case_no, SettleMarker.sk.startswith(
        settlement.PREFIX), consistent_read=True) if m.watchShard]


def _reconcile(stack, monkeypatch) -> None:
    """The scheduled sweep (OverdueSweep, as `make sweep` runs it), once the markers are
    due; the stream then delivers the replays it asked for."""
    later = clock.now() + settlement.FIRST_REPLAY_AFTER + timedelta(minutes=1)
    with monkeypatch.context() as patched:
        patched.setattr(clock, "now", lambda: later)
        assert stack.pump.fire_schedules() == 2


def _statuses(stack, case_no):
    return [e["status"] for e in stack.case(case_no)["timeline"] if e["action"] == "status"]


def _execution(stack, case_no) -> str:
    arn = stack.env["OW_STATE_MACHINE_ARN"].replace(":stateMachine:", ":execution:")
    return boto3.client("stepfunctions", region_name=REGION).describe_execution(
        executionArn=f"{arn}:{case_no}")["status"]


def _accept_and_approve(stack, case_no):
    accept = stack.open_task(case_no, "ZWFW", "clerk", timeout=30)
    assert stack.decide(accept["taskId"], "clerk", "accept", "受理").status_code == 200
    review = stack.open_task(case_no, "SCJG", "scjg", timeout=30)
    assert stack.decide(review["taskId"], "scjg", "approve", "同意").status_code == 200


def _assert_complete(stack, case_no, bus_events):
    """Concluded with its license, the workflow ended, every status, task and decision
    on the timeline once, each timeline entry on the bus once, nothing left unsettled."""
    case = stack.wait_status(case_no, 11, timeout=30)
    assert case["licenseId"]
    assert stack.pump.run_until(lambda: _execution(stack, case_no) == "SUCCEEDED", 30)
    assert stack.pump.run_until(lambda: _statuses(stack, case_no) == [1, 3, 8, 11], 30), \
        _statuses(stack, case_no)
    timeline = stack.case(case_no)["timeline"]
    tasks = [f"{case_no}-A1", f"{case_no}-R1-SCJG"]
    assert [e["taskId"] for e in timeline if e["action"] == "decision"] == tasks
    assert [e["taskId"] for e in timeline if e["action"] == "task_created"] == tasks
    assert [t["taskId"] for t in case["tasks"]] == tasks
    stack.pump.run_until(lambda: False, timeout=0.5)
    recorded = sorted(f"{case_no}/{e.sk}" for e in TimelineEvent.query(
        case_no, TimelineEvent.sk.startswith("EV#"), consistent_read=True))
    published = Counter(e["detail"]["eventId"] for e in bus_events()
                        if e["detail"]["caseNo"] == case_no)
    assert max(published.values()) == 1, published
    assert sorted(published) == recorded
    assert _unsettled(case_no) == []


@pytest.mark.parametrize("service, operation", [("events", "PutEvents"),
                                                ("sqs", "SendMessage")])
def test_a_case_applied_while_a_service_is_down_completes(stack, outage, bus_events,
                                                          monkeypatch, service, operation):
    outage.start(service, operation)
    case_no = stack.call("POST", "/cases", "company", application(FOOD)).data["caseNo"]
    assert stack.pump.run_until(lambda: _given_up(stack), timeout=30)
    assert outage.refused
    # Meanwhile the effects that do not need the service happened all the same.
    if service == "events":     # the start was queued: the workflow asked for acceptance
        assert stack.pump.run_until(lambda: task_recorded(case_no, f"{case_no}-A1"), 30)
    else:                       # the application is on the timeline and the bus
        assert _statuses(stack, case_no) == [1]
    outage.end()
    # What the stream gave up on waits for the reconciliation: on main, forever.
    assert _unsettled(case_no)
    _reconcile(stack, monkeypatch)
    _accept_and_approve(stack, case_no)
    _assert_complete(stack, case_no, bus_events)


def test_a_case_applied_while_step_functions_refuses_starts_completes(stack, outage,
                                                                     bus_events, monkeypatch):
    outage.start("stepfunctions", "StartExecution")
    case_no = stack.call("POST", "/cases", "company", application(FOOD)).data["caseNo"]
    assert stack.pump.run_until(lambda: len(outage.refused) >= 3, timeout=30)
    outage.end()   # the starts queue delivers the start again
    _reconcile(stack, monkeypatch)
    _accept_and_approve(stack, case_no)
    _assert_complete(stack, case_no, bus_events)


@pytest.mark.parametrize("service, operation", [("events", "PutEvents"),
                                                ("sqs", "SendMessage"),
                                                ("stepfunctions", "SendTaskSuccess")])
def test_a_review_approved_while_a_service_is_down_concludes(stack, outage, bus_events,
                                                            monkeypatch, service, operation):
    case_no = stack.call("POST", "/cases", "company", application(FOOD)).data["caseNo"]
    accept = stack.open_task(case_no, "ZWFW", "clerk")
    stack.decide(accept["taskId"], "clerk", "accept", "受理")
    review = stack.open_task(case_no, "SCJG", "scjg")
    stack.wait_status(case_no, 8)
    outage.start(service, operation)
    assert stack.decide(review["taskId"], "scjg", "approve", "同意").status_code == 200
    assert stack.pump.run_until(lambda: _given_up(stack), timeout=30)
    assert outage.refused
    # Meanwhile the effects that do not need the service happened all the same.
    if service in ("events", "stepfunctions"):   # handed to the conclude queue: 11
        assert stack.pump.run_until(lambda: stack.case(case_no)["status"] == 11, 30)
    if service != "events":                      # the decision is on the timeline
        assert [e["taskId"] for e in stack.case(case_no)["timeline"]
                if e["action"] == "decision"] == [accept["taskId"], review["taskId"]]
    outage.end()
    assert _unsettled(case_no)
    _reconcile(stack, monkeypatch)
    _assert_complete(stack, case_no, bus_events)


def test_a_replay_that_fails_again_stays_due_for_the_next_sweep(stack, outage, monkeypatch):
    outage.start("sqs", "SendMessage")
    case_no = stack.call("POST", "/cases", "company", application(FOOD)).data["caseNo"]
    assert stack.pump.run_until(lambda: _given_up(stack), timeout=30)
    # Still down when the sweep asks for the replay: the marker stays, due again.
    _reconcile(stack, monkeypatch)
    stack.pump.run_until(lambda: False, timeout=1)
    markers = _unsettled(case_no)
    assert markers and all(m.attempts >= 1 for m in markers)
    assert stack.case(case_no)["workflow"] == "queued"
    outage.end()
    _reconcile(stack, monkeypatch)
    assert stack.pump.run_until(lambda: stack.case(case_no)["workflow"] == "started", 30)
    assert stack.pump.run_until(lambda: not _unsettled(case_no), 30)
    stack.open_task(case_no, "ZWFW", "clerk", timeout=30)


def test_a_start_that_runs_out_of_its_queues_receives_is_queued_again(stack, outage,
                                                                       bus_events, monkeypatch):
    """Step Functions refuses starts until the start has been received as often as the
    starts queue allows and sits in its dead-letter queue: the reconciliation queues it
    again, and the case completes — without anyone redriving it."""
    sqs = boto3.client("sqs", region_name=REGION)
    dead = next(u for u in stack.env["OW_DEAD_LETTER_QUEUE_URLS"].split(",")
                if "Starts" in u or "starts" in u)

    def dead_lettered() -> int:
        return int(sqs.get_queue_attributes(QueueUrl=dead, AttributeNames=[
            "ApproximateNumberOfMessages"])["Attributes"]["ApproximateNumberOfMessages"])

    outage.start("stepfunctions", "StartExecution")
    case_no = stack.call("POST", "/cases", "company", application(FOOD)).data["caseNo"]
    assert stack.pump.run_until(lambda: dead_lettered() == 1, timeout=120)
    outage.end()
    stack.pump.run_until(lambda: False, timeout=1.0)
    assert stack.case(case_no)["workflow"] == "queued"      # on main: for good
    _reconcile(stack, monkeypatch)
    _accept_and_approve(stack, case_no)
    _assert_complete(stack, case_no, bus_events)
    assert _unsettled(case_no) == []     # its marker settled with the start queued


def test_a_conclusion_that_runs_out_of_its_queues_receives_is_asked_for_again(
        stack, outage, bus_events, monkeypatch):
    """KMS refuses to sign while the case's last review is approved, until the conclude
    message sits in its dead-letter queue: the reconciliation asks for the conclusion
    again, and the case concludes with its license — nobody redrives anything."""
    sqs = boto3.client("sqs", region_name=REGION)
    dead = next(u for u in stack.env["OW_DEAD_LETTER_QUEUE_URLS"].split(",")
                if "onclude" in u)

    def dead_lettered() -> int:
        return int(sqs.get_queue_attributes(QueueUrl=dead, AttributeNames=[
            "ApproximateNumberOfMessages"])["Attributes"]["ApproximateNumberOfMessages"])

    case_no = stack.call("POST", "/cases", "company", application(FOOD)).data["caseNo"]
    accept = stack.open_task(case_no, "ZWFW", "clerk", timeout=30)
    assert stack.decide(accept["taskId"], "clerk", "accept", "受理").status_code == 200
    review = stack.open_task(case_no, "SCJG", "scjg", timeout=30)
    outage.start("kms", "Sign")
    assert stack.decide(review["taskId"], "scjg", "approve", "同意").status_code == 200
    assert stack.pump.run_until(lambda: dead_lettered() == 1, timeout=120)
    outage.end()
    stack.pump.run_until(lambda: False, timeout=1.0)
    assert stack.case(case_no)["status"] == 8                # on main: for good
    _reconcile(stack, monkeypatch)
    _assert_complete(stack, case_no, bus_events)
