"""The local event pump: what Lambda's event source mappings and EventBridge schedules do
in AWS, for the local stack and the tests.

It delivers SQS messages, DynamoDB stream records and scheduled events to the app's own
handlers, a batch at a time, deleting a message or advancing a stream only after its
handler succeeded. It never stops silently:

- a failed delivery is retried with exponential backoff and jitter; a queue message is
  hidden for the backoff delay (SQS moves one that keeps failing to its dead-letter
  queue), a stream batch is retried up to `MAX_STREAM_RETRIES` times and then, as the
  deployed mapping does (infra/package.py), recorded on the on-failure queue and skipped;
- the stream's shards are re-described every few seconds and whenever reading fails: a
  new shard is read from its start, a known shard resumes after the last sequence number
  delivered, so an expired iterator, a closed shard or a replaced one never stalls it;
- failures and lag (age of the newest record or message delivered) are logged.
"""
import functools
import importlib
import json
import logging
import random
import re
import threading
import time
import uuid
import zlib
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_for
from datetime import UTC, datetime

import boto3
from botocore.exceptions import ClientError

from chalicelib.events import registry

log = logging.getLogger("onewindow.local.pump")

MAX_STREAM_RETRIES = 10      # the deployed stream mapping's MaximumRetryAttempts
# How long an idle queue's receive waits for a message (SQS long polling, as Lambda's
# pollers do): a message is delivered as soon as it is sent, and an idle queue costs one
# request a second instead of a poll every half second.
LONG_POLL_SECONDS = 1
# How long an idle stream (which has no long polling) is left at most before it is read
# again; it is read at once after any request the API answered or batch the pump
# delivered (EventPump.nudge), which is what writes to the tables.
IDLE_STREAM_SECONDS = 2.0
# Batches of a queue's function at once where its mapping sets no maximum (Lambda scales
# a queue's pollers up as it backs up; locally, ten).
LAMBDA_SCALING_BATCHES = 10
LAG_WARNING_SECONDS = 10.0
LAG_LOG_EVERY_SECONDS = 30.0


class LambdaContext:
    """What a handler may read of a Lambda context."""

    def __init__(self, name: str):
        self.function_name = name
        self.aws_request_id = str(uuid.uuid4())
        self.memory_limit_in_mb = 512
        self._deadline = time.monotonic() + 60

    def get_remaining_time_in_millis(self) -> int:
        return int((self._deadline - time.monotonic()) * 1000)


class Backoff:
    """Exponential backoff with jitter: half the delay fixed, half random."""

    def __init__(self, base: float = 0.1, cap: float = 10.0):
        self.base, self.cap = base, cap
        self.failures = 0
        self.not_before = 0.0

    def failed(self) -> float:
        self.failures += 1
        delay = min(self.cap, self.base * 2 ** (self.failures - 1))
        delay = delay / 2 + random.uniform(0, delay / 2)
        self.not_before = time.monotonic() + delay
        return delay

    def succeeded(self) -> None:
        self.failures, self.not_before = 0, 0.0

    def ready(self) -> bool:
        return time.monotonic() >= self.not_before


_RATE_UNITS = {"minute": 60, "minutes": 60, "hour": 3600, "hours": 3600, "day": 86400,
               "days": 86400}


def rate_seconds(expression) -> int:
    """Seconds between runs of a `rate(N unit)` schedule (Chalice Rate or its string)."""
    text = expression.to_string() if hasattr(expression, "to_string") else str(expression)
    match = re.fullmatch(r"rate\((\d+) (\w+)\)", text.strip())
    if not match or match.group(2) not in _RATE_UNITS:
        raise ValueError(f"the local pump runs rate() schedules only, not {text!r}")
    return int(match.group(1)) * _RATE_UNITS[match.group(2)]


def _handler(handler_string: str):
    module, _, name = handler_string.rpartition(".")
    return getattr(importlib.import_module(module), name)


class _Lag:
    """The age of what was last delivered, logged when it grows large."""

    def __init__(self, name: str):
        self.name = name
        self.seconds = 0.0
        self._logged = 0.0

    def observe(self, created: float) -> None:
        self.seconds = max(0.0, time.time() - created)
        if self.seconds > LAG_WARNING_SECONDS and \
                time.monotonic() - self._logged > LAG_LOG_EVERY_SECONDS:
            self._logged = time.monotonic()
            log.warning("%s is %.1f s behind", self.name, self.seconds)


class QueueSource:
    """A queue's mapping: its function's batches run at once, up to the mapping's maximum
    concurrency (LAMBDA_SCALING_BATCHES where it sets none), on workers of its own — as
    Lambda runs a function's invocations beside every other function's."""

    def __init__(self, pump: "EventPump", url: str, source):
        self.pump, self.url, self.source = pump, url, source
        self.name = f"queue {url.rsplit('/', 1)[-1]} -> {source.name}"
        self.backoff = Backoff()
        self.lag = _Lag(self.name)
        self.size = max(1, source.batch_size)
        self.slots = getattr(source, "maximum_concurrency", None) or LAMBDA_SCALING_BATCHES
        self.workers = ThreadPoolExecutor(max_workers=self.slots,
                                          thread_name_prefix=f"pump {source.name}")
        # A slot for each batch that may run; `feed` takes them, a batch's end gives
        # its own back.
        self._free = threading.BoundedSemaphore(self.slots)
        self._running: set[Future] = set()
        self._running_lock = threading.Lock()

    @functools.cached_property
    def arn(self) -> str:
        return self.pump.sqs.get_queue_attributes(
            QueueUrl=self.url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]

    def _record(self, message: dict) -> dict:
        return {"messageId": message["MessageId"], "receiptHandle": message["ReceiptHandle"],
                "body": message["Body"], "attributes": message.get("Attributes", {}),
                "messageAttributes": message.get("MessageAttributes", {}),
                "md5OfBody": message.get("MD5OfBody", ""), "eventSource": "aws:sqs",
                "eventSourceARN": self.arn, "awsRegion": self.pump.region}

    def _receive(self, wanted: int, wait: int = 0) -> list[dict]:
        """Up to `wanted` messages; the first receive waits up to `wait` seconds for one."""
        messages: list[dict] = []
        while len(messages) < wanted:
            got = self.pump.sqs.receive_message(
                QueueUrl=self.url, MaxNumberOfMessages=min(10, wanted - len(messages)),
                WaitTimeSeconds=0 if messages else wait,
                AttributeNames=["All"], MessageAttributeNames=["All"]).get("Messages", [])
            messages.extend(got)
            if not got:
                break
        return messages

    def _batches(self, messages: list[dict]) -> list[list[dict]]:
        return [messages[start:start + self.size]
                for start in range(0, len(messages), self.size)]

    def pump_once(self, wait: int = 0) -> int:
        """Deliver what is waiting (waiting up to `wait` seconds for a first message): as
        many batches as the function runs at once, each to its end; the count done."""
        batches = self._batches(self._receive(self.size * self.slots, wait))
        return sum(self.workers.map(self._deliver, batches))

    def feed(self, wait: int = 0) -> int:
        """Keep the function busy, as Lambda's pollers do: receive for the slots free now
        (waiting up to `wait` seconds for a first message), start each batch, and return
        without waiting for them; a slot comes back as its batch ends, so one slow batch
        holds up nothing but itself. The count of messages started."""
        if not self._free.acquire(timeout=max(wait, 0.1)):
            return 0   # every slot busy for a whole long poll: the loop looks at its stop
        free = 1
        while free < self.slots and self._free.acquire(blocking=False):
            free += 1
        try:
            batches = self._batches(self._receive(self.size * free, wait))
        except Exception:
            for _ in range(free):
                self._free.release()
            raise
        for _ in range(free - len(batches)):
            self._free.release()
        for batch in batches:
            future = self.workers.submit(self._deliver, batch)
            with self._running_lock:
                self._running.add(future)
            future.add_done_callback(self._ended)
        return sum(len(batch) for batch in batches)

    def _ended(self, future: Future) -> None:
        with self._running_lock:
            self._running.discard(future)
        self._free.release()
        if future.cancelled():
            return
        if future.exception() is not None:
            # Not the handler (invoke logs and retries that): receiving or deleting
            # failed; the messages come back after their visibility timeout.
            log.error("%s: a batch failed outside its handler: %r", self.name,
                      future.exception())
        elif future.result():
            self.pump.nudge()   # what it delivered may have written to a stream

    def finish(self, timeout: float) -> bool:
        """Wait up to `timeout` seconds for the batches started to end; True if they did."""
        with self._running_lock:
            running = set(self._running)
        return not wait_for(running, timeout=timeout).not_done

    def _deliver(self, batch: list[dict]) -> int:
        """One invocation of the function with `batch`; its messages deleted once done,
        the ones it failed (all of them, or those it reported) back after the backoff.
        The count done."""
        outcome = self.pump.invoke(self.source, {"Records": [self._record(m) for m in batch]})
        if not outcome:      # the function failed: the whole batch again
            self._retry_later(batch)
            return 0
        if isinstance(outcome, frozenset):
            # Reported failed on their own: back after the backoff, the rest done; not a
            # failure of the function.
            log.warning("%s: %d message(s) to be delivered again", self.name, len(outcome))
            self._retry_later([m for m in batch if m["MessageId"] in outcome])
            batch = [m for m in batch if m["MessageId"] not in outcome]
        if not batch:
            return 0
        self.backoff.succeeded()
        sent = batch[-1].get("Attributes", {}).get("SentTimestamp")
        if sent:
            self.lag.observe(int(sent) / 1000)
        self.pump.sqs.delete_message_batch(QueueUrl=self.url, Entries=[
            {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(batch)])
        return len(batch)

    def _retry_later(self, messages: list[dict]) -> None:
        """Hidden for the backoff delay, then retried; SQS counts the receives and moves
        a message that keeps failing to the dead-letter queue."""
        delay = max(1, round(self.backoff.failed()))
        self.pump.sqs.change_message_visibility_batch(QueueUrl=self.url, Entries=[
            {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"],
             "VisibilityTimeout": delay} for i, m in enumerate(messages)])


def _epoch(moment: datetime) -> float:
    """Seconds since the epoch (boto3 parses stream times naive or aware; UTC either way)."""
    return moment.replace(tzinfo=moment.tzinfo or UTC).timestamp()


class _Shard:
    def __init__(self, shard_id: str, parent: str | None):
        self.id, self.parent = shard_id, parent
        self.iterator: str | None = None
        self.last_sequence: str | None = None
        self.closed = False
        self.attempts = 0
        self.backoff = Backoff()


class StreamSource:
    """A table's stream delivered as its mapping would: a shard's records read in order,
    split into `parallelization` lanes by item key (a case's records all in one, in
    order), the lanes' batches delivered at once (ParallelizationFactor)."""

    def __init__(self, pump: "EventPump", arn: str, source,
                 on_failure_queue_url: str | None = None, refresh_seconds: float = 5.0,
                 parallelization: int = 1):
        self.pump, self.arn, self.source = pump, arn, source
        self.parallelization = parallelization
        self.lanes = ThreadPoolExecutor(max_workers=parallelization,
                                        thread_name_prefix="stream lane")
        self.on_failure_queue_url = on_failure_queue_url
        self.refresh_seconds = refresh_seconds
        self.name = f"stream {arn.split('/')[1]} -> {source.name}"
        self.shards: dict[str, _Shard] = {}
        self._refreshed = float("-inf")
        self.lag = _Lag(self.name)
        self.hash_key: str | None = None   # the table's partition key (DescribeStream)

    # -- shards ----------------------------------------------------------------------
    def _describe(self) -> list[dict]:
        shards, start = [], None
        while True:
            kwargs = {"StreamArn": self.arn}
            if start:
                kwargs["ExclusiveStartShardId"] = start
            description = self.pump.streams.describe_stream(**kwargs)["StreamDescription"]
            self.hash_key = next((k["AttributeName"] for k in description.get("KeySchema", [])
                                  if k["KeyType"] == "HASH"), self.hash_key)
            shards.extend(description.get("Shards", []))
            start = description.get("LastEvaluatedShardId")
            if not start:
                return shards

    def _iterator(self, shard: _Shard) -> str:
        kwargs = {"StreamArn": self.arn, "ShardId": shard.id}
        if shard.last_sequence:
            kwargs.update(ShardIteratorType="AFTER_SEQUENCE_NUMBER",
                          SequenceNumber=shard.last_sequence)
        else:
            kwargs["ShardIteratorType"] = "TRIM_HORIZON"
        return self.pump.streams.get_shard_iterator(**kwargs)["ShardIterator"]

    def refresh(self) -> None:
        """Re-describe the stream: new shards from their start, known ones resume after
        the last record delivered (a fresh iterator also replaces an expired one)."""
        described = self._describe()
        ids = {s["ShardId"] for s in described}
        for gone in [i for i in self.shards if i not in ids]:
            log.warning("%s: shard %s is gone; reading the stream's current shards",
                        self.name, gone)
            del self.shards[gone]
        for entry in described:
            shard = self.shards.get(entry["ShardId"])
            if shard is None:
                shard = self.shards[entry["ShardId"]] = _Shard(entry["ShardId"],
                                                              entry.get("ParentShardId"))
            if not shard.closed:
                shard.iterator = self._iterator(shard)
        self._refreshed = time.monotonic()

    # -- delivery --------------------------------------------------------------------
    def _event_record(self, record: dict) -> dict:
        change = dict(record["dynamodb"])
        created = change.get("ApproximateCreationDateTime")
        if isinstance(created, datetime):
            change["ApproximateCreationDateTime"] = _epoch(created)
        return {"eventID": record["eventID"], "eventName": record["eventName"],
                "eventVersion": record.get("eventVersion", "1.1"),
                "eventSource": "aws:dynamodb", "awsRegion": self.pump.region,
                "dynamodb": change, "eventSourceARN": self.arn}

    def _give_up(self, shard: _Shard, records: list[dict]) -> None:
        """What the deployed mapping does once retries are exhausted: record the batch on
        the on-failure destination and go on."""
        first, last = records[0]["dynamodb"], records[-1]["dynamodb"]
        log.error("%s: batch %s..%s failed %d times; recorded on the on-failure queue and "
                  "skipped", self.name, first["SequenceNumber"], last["SequenceNumber"],
                  shard.attempts)
        if self.on_failure_queue_url:
            self.pump.sqs.send_message(QueueUrl=self.on_failure_queue_url, MessageBody=json.dumps({
                "requestContext": {"requestId": str(uuid.uuid4()),
                                   "condition": "RetryAttemptsExhausted",
                                   "approximateInvokeCount": shard.attempts},
                "responseContext": {"functionError": "Unhandled"},
                "version": "1.0", "timestamp": datetime.now(UTC).isoformat(),
                "DDBStreamBatchInfo": {
                    "shardId": shard.id, "streamArn": self.arn, "batchSize": len(records),
                    "startSequenceNumber": first["SequenceNumber"],
                    "endSequenceNumber": last["SequenceNumber"]}}))

    def _pump_shard(self, shard: _Shard) -> int:
        # An expired or trimmed iterator, a vanished shard, a 5xx: re-describe and
        # resume after the last record delivered.
        try:
            answer = self.pump.streams.get_records(
                ShardIterator=shard.iterator,
                Limit=min(1000, self.source.batch_size * self.parallelization))
        except Exception as error:  # in-process moto raises its own errors unwrapped
            code = error.response["Error"]["Code"] if isinstance(error, ClientError) \
                else repr(error)
            log.warning("%s: reading shard %s failed (%s); resuming after %s", self.name,
                        shard.id, code, shard.last_sequence or "its start")
            shard.iterator = None
            self._refreshed = float("-inf")
            return 0
        records = answer.get("Records", [])
        if records:
            if not self._deliver(records):
                shard.attempts += 1
                if shard.attempts <= MAX_STREAM_RETRIES:
                    delay = shard.backoff.failed()
                    log.warning("%s: batch failed (attempt %d); retrying in %.1f s",
                                self.name, shard.attempts, delay)
                    return 0  # the same iterator: the batch is retried
                self._give_up(shard, records)
            shard.attempts = 0
            shard.backoff.succeeded()
            shard.last_sequence = records[-1]["dynamodb"]["SequenceNumber"]
            created = records[-1]["dynamodb"].get("ApproximateCreationDateTime")
            if isinstance(created, datetime):
                self.lag.observe(_epoch(created))
        shard.iterator = answer.get("NextShardIterator")
        if shard.iterator is None:
            shard.closed = True  # drained; its children are read from their start
            self._refreshed = float("-inf")
        return len(records)

    def _lanes(self, records: list[dict]) -> list[list[dict]]:
        """The records split by partition key into at most `parallelization` lanes, each
        in the shard's order."""
        lanes: dict[int, list[dict]] = {}
        for record in records:
            keys = record["dynamodb"].get("Keys", {})
            key = json.dumps(keys.get(self.hash_key, keys), sort_keys=True, default=str)
            lane = zlib.crc32(key.encode("utf-8")) % self.parallelization
            lanes.setdefault(lane, []).append(record)
        return list(lanes.values())

    def _deliver(self, records: list[dict]) -> bool:
        """Every lane's batches (in order within it), the lanes at once; False if any
        failed (the whole read is retried, as a failed batch is: the handlers take a
        record twice as once)."""
        size = max(1, self.source.batch_size)

        def lane(found: list[dict]) -> bool:
            return all(self.pump.invoke(self.source, {"Records": [
                self._event_record(r) for r in found[start:start + size]]})
                for start in range(0, len(found), size))
        return all(list(self.lanes.map(lane, self._lanes(records))))

    def pump_once(self) -> int:
        if time.monotonic() - self._refreshed > self.refresh_seconds:
            self.refresh()
        delivered = 0
        for shard in list(self.shards.values()):
            parent = self.shards.get(shard.parent) if shard.parent else None
            if shard.closed or shard.iterator is None or not shard.backoff.ready() or \
                    (parent is not None and not parent.closed):
                continue
            delivered += self._pump_shard(shard)
        return delivered


class EventPump:
    """All of the app's event sources, each pumped as its mapping would be."""

    def __init__(self, app, env: dict, region: str, endpoint_url: str | None = None,
                 streams_endpoint_url: str | None = None, refresh_seconds: float = 5.0):
        self.region = region
        self.sqs = boto3.client("sqs", region_name=region, endpoint_url=endpoint_url)
        self.streams = boto3.client("dynamodbstreams", region_name=region,
                                    endpoint_url=streams_endpoint_url or endpoint_url)
        self.sources: list = []
        for source in app.event_sources:
            # Each handler's queue or stream, as the registry names it (the decorators
            # carry placeholders); the local stack's environment has its URL or ARN.
            consumes = registry.by_handler(source.name).source
            if isinstance(consumes, registry.Queue):
                self.sources.append(QueueSource(self, env[consumes.env], source))
            elif isinstance(consumes, registry.Stream):
                self.sources.append(StreamSource(
                    self, env[consumes.env], source,
                    env.get("OW_STREAM_FAILURE_QUEUE_URL"), refresh_seconds,
                    consumes.parallelization))
        self.schedules = []  # [source, seconds between runs, next due (monotonic)]
        for source in app.event_sources:
            expression = getattr(source, "schedule_expression", None)
            if expression is not None:
                seconds = rate_seconds(expression)
                self.schedules.append([source, seconds, time.monotonic() + seconds])
        self._counts = threading.Lock()
        self.failures = 0
        # Counted nudges: an idle stream's thread wakes on the next one (see nudge).
        self._nudged = threading.Condition()
        self._nudges = 0

    def close(self, grace: float = 0.0) -> bool:
        """Let the workers go (after the pump's own threads have stopped), waiting up to
        `grace` seconds in all for the batches they run to end (the local stack, before
        it stops moto); True if every one ended."""
        deadline = time.monotonic() + grace
        ended = True
        for source in self.sources:
            if isinstance(source, QueueSource):
                ended = source.finish(max(0.0, deadline - time.monotonic())) and ended
                source.workers.shutdown(wait=False, cancel_futures=True)
            else:
                # The stream's own thread has ended by now (it waits for its lanes).
                source.lanes.shutdown(wait=False, cancel_futures=True)
        return ended

    def stream(self) -> StreamSource:
        return next(s for s in self.sources if isinstance(s, StreamSource))

    def invoke(self, source, event: dict) -> bool | frozenset[str]:
        """Run the source's handler on `event`: True when it took it, False when it failed
        (the whole batch is retried), or the ids of the messages it reported failed on
        their own — a partial batch response, honoured only where the mapping reports
        item failures, as in AWS; the function did not fail, so it is truthy."""
        try:
            answer = _handler(source.handler_string)(event, LambdaContext(source.name))
        except Exception:  # a failed handler is retried, as Lambda would
            with self._counts:
                self.failures += 1
            log.exception("handler %s failed; the batch will be retried", source.name)
            return False
        if registry.by_handler(source.name).reports_item_failures and \
                isinstance(answer, dict) and answer.get("batchItemFailures"):
            return frozenset(item["itemIdentifier"] for item in answer["batchItemFailures"])
        return True

    def _scheduled_event(self, source) -> dict:
        now = datetime.now(UTC)
        return {"version": "0", "id": str(uuid.uuid4()), "detail-type": "Scheduled Event",
                "source": "aws.events", "account": "123456789012",
                "time": now.strftime("%Y-%m-%dT%H:%M:%SZ"), "region": self.region,
                "resources": [f"arn:aws:events:{self.region}:123456789012:rule/"
                              f"{source.name}"], "detail": {}}

    def fire_schedules(self, due_only: bool = False) -> int:
        """Deliver one scheduled event to every scheduled handler (or to those due)."""
        fired = 0
        for entry in self.schedules:
            source, seconds, due = entry
            if due_only and time.monotonic() < due:
                continue
            if self.invoke(source, self._scheduled_event(source)):
                entry[2] = time.monotonic() + seconds
                fired += 1
        return fired

    def pump_once(self) -> int:
        """Deliver what is waiting now, once around every source; the count delivered."""
        count = sum(source.pump_once() for source in self.sources)
        return count + self.fire_schedules(due_only=True)

    def run_until(self, condition, timeout: float = 15.0, interval: float = 0.05) -> bool:
        """Pump until `condition()` holds (True) or the timeout passes (False)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.pump_once()
            if condition():
                return True
            time.sleep(interval)
        return False

    # -- the local stack: one thread per source, as separate mappings run ------------
    def nudge(self) -> None:
        """Something may have been written (a request answered, a batch delivered): idle
        streams are read now, not after their idle wait."""
        with self._nudged:
            self._nudges += 1
            self._nudged.notify_all()

    def halt(self, stop: threading.Event) -> None:
        """End the threads (`threads(stop)`): each ends within a long poll."""
        stop.set()
        self.nudge()

    def _rest(self, seen: int, seconds: float, stop: threading.Event) -> int:
        """Wait up to `seconds` for a nudge after the `seen`-th (or the stop); the count."""
        with self._nudged:
            self._nudged.wait_for(lambda: self._nudges != seen or stop.is_set(), seconds)
            return self._nudges

    def _loop(self, pump, stop: threading.Event, interval: float, name: str,
              long_polls: bool) -> None:
        """Pump one source until `stop`: at once again after a delivery; a queue's next
        receive waits for its messages itself (long polling); an idle stream waits for a
        nudge, or ever longer up to IDLE_STREAM_SECONDS."""
        idle, seen = interval, self._nudges
        while not stop.is_set():
            try:
                delivered = pump()
            except Exception:
                if stop.is_set():
                    return
                log.exception("event pump: %s failed; retrying", name)
                # A full second, nudged or not: a failing source is not retried at the
                # pace of the requests the stack answers.
                stop.wait(1.0)
                continue
            if delivered:
                idle = interval
                self.nudge()  # what it delivered may have written to a stream
            elif not long_polls:
                nudges = self._rest(seen, idle, stop)
                idle = interval if nudges != seen else min(idle * 2, IDLE_STREAM_SECONDS)
                seen = nudges

    def threads(self, stop: threading.Event, interval: float = 0.05) -> list[threading.Thread]:
        """A thread per source and one for the schedules, until `halt(stop)`."""
        loops = [(functools.partial(source.feed, wait=LONG_POLL_SECONDS), source.name,
                  True) if isinstance(source, QueueSource)
                 else (source.pump_once, source.name, False) for source in self.sources]
        loops.append((lambda: self.fire_schedules(due_only=True), "schedules", False))
        return [threading.Thread(target=self._loop,
                                 args=(pump, stop, interval, name, long_polls),
                                 name=f"pump: {name}", daemon=True)
                for pump, name, long_polls in loops]
