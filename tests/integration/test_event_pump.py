"""The event pump never stops silently: shard changes, dead iterators, failing handlers."""
import itertools
import json
import threading
import time

import boto3
import pytest

from chalicelib.services import tasks, timeline
from infra.local import pump as pump_module

from .harness import FOOD, REGION, another


def _moto_table(stack):
    from moto.dynamodb.models import dynamodb_backends
    return dynamodb_backends["123456789012"][REGION].get_table(stack.env["OW_CASES_TABLE"])


def _kill_iterators():
    """Every shard iterator handed out so far stops working (as after 15 minutes)."""
    from moto.dynamodbstreams.models import dynamodbstreams_backends
    dynamodbstreams_backends["123456789012"][REGION].shard_iterators.clear()


class _StreamLog:
    """The sequence numbers of the stream records delivered so far, in delivery order."""

    def __init__(self, delivered):
        self.delivered = delivered

    def __iter__(self):
        return iter([r["dynamodb"]["SequenceNumber"] for _, event in self.delivered
                     for r in event.get("Records", []) if r.get("eventSource") == "aws:dynamodb"])

    def __len__(self):
        return len(list(iter(self)))


@pytest.fixture
def stream_log(delivered):
    return _StreamLog(delivered)


@pytest.fixture
def pump_log(log_lines):
    return log_lines("onewindow.local.pump")


_DISTINCT = itertools.count()   # each case a distinct application


def _apply(stack) -> str:
    return stack.call("POST", "/cases", "company",
                      another(FOOD, next(_DISTINCT))).data["caseNo"]


def _statuses(stack, case_no):
    return [e["status"] for e in stack.case(case_no)["timeline"] if e["action"] == "status"]


def test_delivery_resumes_on_a_new_shard_after_the_old_one_is_replaced(stack, stream_log,
                                                                       pump_log):
    from moto.dynamodb.models.table import StreamShard
    first = _apply(stack)
    assert stack.pump.run_until(lambda: _statuses(stack, first) == [1])
    table = _moto_table(stack)
    old = table.stream_shard
    # The shard is closed and replaced by a new one (as AWS rolls shards over); every
    # iterator the pump held dies with it.
    new = StreamShard(old.account_id, table)
    new.id = "shardId-00000002000000000000-replaced"
    new.starting_sequence_number = old.starting_sequence_number + len(old.items) + 1000
    table.stream_shard = new
    _kill_iterators()

    second = _apply(stack)
    assert stack.pump.run_until(lambda: _statuses(stack, second) == [1], timeout=15), \
        "no delivery after the shard was replaced"
    assert new.id in stack.pump.stream().shards
    assert len(stream_log) == len(set(stream_log))
    assert any("gone" in line or "failed" in line for line in pump_log)


def test_dead_iterators_resume_after_the_last_delivered_record_exactly_once(stack,
                                                                          stream_log):
    cases = [_apply(stack) for _ in range(3)]
    assert stack.pump.run_until(lambda: all(_statuses(stack, c) == [1] for c in cases))
    delivered_before = list(stream_log)
    _kill_iterators()
    more = [_apply(stack) for _ in range(3)]
    assert stack.pump.run_until(lambda: all(_statuses(stack, c) == [1] for c in more))
    # No record twice, none skipped: the sequence numbers delivered are consecutive (in
    # the order of the shard within a case; cases' lanes deliver side by side).
    numbers = [int(n) for n in stream_log]
    assert len(numbers) == len(set(numbers))
    assert sorted(numbers) == list(range(min(numbers), min(numbers) + len(numbers)))
    assert len(stream_log) > len(delivered_before)


def test_a_failing_stream_batch_is_retried_with_backoff_then_set_aside(stack, monkeypatch,
                                                                      pump_log):
    monkeypatch.setattr(pump_module, "MAX_STREAM_RETRIES", 3)
    stack.pump.pump_once()
    for shard in stack.pump.stream().shards.values():
        shard.backoff.base = 0.01
    calls = []

    def broken(old, new):
        calls.append(new)
        raise RuntimeError("handler bug")

    monkeypatch.setattr(timeline, "record_change", broken)
    case_no = _apply(stack)
    stack.pump.run_until(lambda: False, timeout=2)
    # The batch (the case's first changes) was tried once and retried three times, then
    # recorded on the on-failure queue.
    assert calls.count(calls[0]) == 4
    # (Its records' lanes deliver side by side: the case, its number's counter or its
    # open-application marker may come first.)
    assert calls[0]["pk"] in (case_no, f"SEQ#440300#{case_no[6:14]}") or \
        calls[0]["pk"].startswith("OPEN#APP#")
    failure_queue = stack.env["OW_STREAM_FAILURE_QUEUE_URL"]
    sqs = boto3.client("sqs", region_name=REGION)
    parked = [json.loads(m["Body"]) for m in sqs.receive_message(
        QueueUrl=failure_queue, MaxNumberOfMessages=10).get("Messages", [])]
    assert len(parked) == 1
    assert parked[0]["requestContext"]["condition"] == "RetryAttemptsExhausted"
    assert parked[0]["DDBStreamBatchInfo"]["streamArn"] == stack.env["OW_CASES_STREAM_ARN"]
    assert any("retrying in" in line for line in pump_log)
    assert any("on-failure queue" in line for line in pump_log)

    # The stream moved on: once the handler is fixed, new changes flow again.
    monkeypatch.undo()
    later = _apply(stack)
    assert stack.pump.run_until(lambda: _statuses(stack, later) == [1])


def test_a_failing_queue_message_is_retried_until_it_succeeds_once(stack, monkeypatch):
    original = tasks.record
    failures = []

    def flaky(case_files, message):
        if len(failures) < 2:
            failures.append(message["taskId"])
            raise RuntimeError("transient")
        return original(case_files, message)

    monkeypatch.setattr(tasks, "record", flaky)
    case_no = _apply(stack)
    task = stack.open_task(case_no, "ZWFW", "clerk", timeout=20)
    assert failures == [task["taskId"]] * 2
    assert [t["taskId"] for t in stack.case(case_no)["tasks"]] == [task["taskId"]]


def test_a_queues_receive_waits_for_its_message_and_takes_it_as_it_is_sent(stack, monkeypatch):
    """The local stack's queue threads long-poll (pump.LONG_POLL_SECONDS): a receive that
    began on an empty queue returns the message sent while it waited."""
    source = next(s for s in stack.pump.sources if isinstance(s, pump_module.QueueSource)
                  and s.source.name == "count_statistics")
    taken = []
    monkeypatch.setattr(stack.pump, "invoke",
                        lambda handler, event: taken.extend(event["Records"]) or True)
    delivered = []
    receiving = threading.Thread(target=lambda: delivered.append(source.pump_once(wait=20)))
    receiving.start()
    time.sleep(0.5)  # the receive is waiting on the empty queue by now (or starts later)
    boto3.client("sqs", region_name=REGION).send_message(QueueUrl=source.url,
                                                         MessageBody='{"late": true}')
    receiving.join(timeout=30)
    assert delivered == [1] and [json.loads(r["body"]) for r in taken] == [{"late": True}]


def test_an_idle_stream_is_read_at_once_after_a_request_and_halt_ends_every_thread(stack):
    """The pump's threads with an idle wait far longer than the test: the case applied for
    reaches its timeline only because the answered request nudged the idle stream; halt
    ends every thread (a queue's within its long poll)."""
    stream = stack.pump.stream()
    reads = []
    read = stream.pump_once
    stream.pump_once = lambda: reads.append(1) or read()
    stop = threading.Event()
    threads = stack.pump.threads(stop, interval=600.0)
    try:
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 30
        while not reads and time.monotonic() < deadline:
            time.sleep(0.05)
        assert reads, "the stream's thread never read it"
        case_no = _apply(stack)   # the harness nudges the pump after each request
        deadline = time.monotonic() + 30
        while 1 not in _statuses(stack, case_no) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert 1 in _statuses(stack, case_no)
    finally:
        stack.pump.halt(stop)
        for thread in threads:
            thread.join(timeout=30)
        del stream.pump_once
    assert [t.name for t in threads if t.is_alive()] == []


def test_a_slow_batch_holds_up_only_itself_and_a_function_runs_its_concurrency_at_most(
        stack, monkeypatch):
    """The local stack's queue threads (`feed`) keep a function's batches going as Lambda's
    pollers do: while one batch hangs, the queue's other messages are delivered beside it,
    never more batches at once than the mapping's maximum concurrency, each deleted once
    its batch is done; a stop waits for the hanging one (`finish`)."""
    source = next(s for s in stack.pump.sources if isinstance(s, pump_module.QueueSource)
                  and s.source.name == "start_workflow")
    assert source.slots == 5   # the registry's maximum concurrency for starts
    lock, release = threading.Lock(), threading.Event()
    running, most, taken = [0], [0], []

    def invoke(handler, event):
        # (A start an earlier test's application left on the queue is taken as well.)
        numbers = [json.loads(r["body"]).get("n") for r in event["Records"]]
        numbers = [n for n in numbers if n is not None]
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        if 0 in numbers:
            release.wait(60)
        with lock:
            running[0] -= 1
            taken.extend(numbers)
        return True

    monkeypatch.setattr(stack.pump, "invoke", invoke)
    sqs = boto3.client("sqs", region_name=REGION)
    sqs.send_message(QueueUrl=source.url, MessageBody=json.dumps({"n": 0}))
    while not source.feed(wait=1):
        pass
    for start in range(1, 61, 10):
        sqs.send_message_batch(QueueUrl=source.url, Entries=[
            {"Id": str(n), "MessageBody": json.dumps({"n": n})} for n in range(start, start + 10)])
    deadline = time.monotonic() + 60
    while len(taken) < 60 and time.monotonic() < deadline:
        source.feed(wait=1)
    assert sorted(taken) == list(range(1, 61)), "the others waited for the hanging batch"
    assert 1 < most[0] <= source.slots
    assert not source.finish(0.1)   # the hanging batch is still running
    release.set()
    assert source.finish(30)
    assert sorted(taken) == list(range(61))
    counts = sqs.get_queue_attributes(QueueUrl=source.url, AttributeNames=[
        "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])["Attributes"]
    assert counts == {"ApproximateNumberOfMessages": "0",
                      "ApproximateNumberOfMessagesNotVisible": "0"}


def test_a_batch_failing_outside_its_handler_is_logged_and_gives_its_slot_back(
        stack, monkeypatch, pump_log):
    """Deleting a delivered batch fails (moto gone for a moment): never silently — the
    pump says so, the slot is free again, and the message comes back to be delivered."""
    source = next(s for s in stack.pump.sources if isinstance(s, pump_module.QueueSource)
                  and s.source.name == "start_workflow")
    monkeypatch.setattr(stack.pump, "invoke", lambda handler, event: True)
    sqs = boto3.client("sqs", region_name=REGION)
    sqs.send_message(QueueUrl=source.url, MessageBody=json.dumps({"n": "lost delete"}))

    def down(**kwargs):
        raise ConnectionError("moto is down")

    monkeypatch.setattr(stack.pump.sqs, "delete_message_batch", down)
    deadline = time.monotonic() + 30
    while not source.feed(wait=1) and time.monotonic() < deadline:
        pass
    assert source.finish(30)
    assert any("failed outside its handler" in line and "moto is down" in line
               for line in pump_log)
    # Every slot is free again: the function can run its full concurrency.
    assert all(source._free.acquire(timeout=1) for _ in range(source.slots))
    for _ in range(source.slots):
        source._free.release()
