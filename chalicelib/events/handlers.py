"""Event handlers: queue and stream records to the services, as Lambda delivers them.

Each handler is wired by `consumer` to the source its function has in the registry
(events/registry.py: queue or stream, batch size, concurrency, schedule). The queue and
stream ARNs the decorators get are placeholders Chalice needs at import; `make package`
points each event source at the real resource of the stack (infra/package.py), and the
local event pump delivers to these same functions.
"""
from .. import loading

loading.start()  # the garbage collector waits until they are loaded (chalicelib/loading.py)

import functools
import json
import logging
from decimal import Decimal

from chalice import Blueprint, Rate

from .. import logs, metrics, wiring
from ..adapters import models, registries
from ..services import (
    conclusion,
    materials,
    notices,
    operations,
    overdue,
    settlement,
    starts,
    statistics,
    supervision_record,
    tasks,
)
from . import registry

bp = Blueprint(__name__)
log = logging.getLogger("onewindow")  # the masking filter sits on this logger


def consumer(handler):
    """Register `handler` on the source the registry gives its function, with its
    middleware. Lambda runs a consumer straight from this module (Chalice's handler
    string names it), never through app.py, and Chalice gives an app's middleware only to
    handlers reached through the app (aws/chalice#1566): so each carries its own, the
    composition root configured at its first event and then app.py's middleware. Under
    the app (the local stack, tests) registering the blueprint replaces them with the
    app's, app.py having configured at import."""
    function = registry.by_handler(handler.__name__)
    source = function.source
    if isinstance(source, registry.Queue):
        # Lambda's own scaling unless the registry caps the batches at once.
        concurrency = {"maximum_concurrency": function.concurrency} \
            if function.concurrency else {}
        wrapped = bp.on_sqs_message(queue_arn=source.placeholder,
                                    batch_size=function.batch_size, **concurrency)(handler)
    elif isinstance(source, registry.Stream):
        wrapped = bp.on_dynamodb_record(stream_arn=source.placeholder,
                                        batch_size=function.batch_size,
                                        starting_position=source.starting_position)(handler)
    elif isinstance(source, registry.Schedule):
        wrapped = bp.schedule(Rate(source.minutes, unit=Rate.MINUTES))(handler)
    else:
        raise TypeError(f"{function.name}: no event source to consume")
    wrapped.middleware_handlers = [wiring.configured, *wiring.EVERY_EVENT]
    return wrapped


@functools.cache
def _deserializer():
    # boto3.dynamodb loads boto3 and s3transfer (~15 ms): only stream handlers need it.
    from boto3.dynamodb.types import TypeDeserializer
    return TypeDeserializer()


def _plain(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, set)):
        return [_plain(v) for v in value]
    return value


def image(raw: dict | None) -> dict | None:
    """A stream image (DynamoDB JSON) as plain Python values."""
    if not raw:
        return None
    deserializer = _deserializer()
    return _plain({k: deserializer.deserialize(v) for k, v in raw.items()})


@consumer
def record_task(event):
    for record in event:
        message = json.loads(record.body)
        logs.bind(case_no=message.get("caseNo"))
        created = tasks.record(wiring.stores().case_files, message)
        log.info("task %s for %s %s", message["taskId"], message["dept"],
                 "recorded" if created else "already recorded")


@consumer
def record_material(event):
    """The bucket's word that a material was uploaded (an S3 event notification): check
    it against what was declared (services/materials.py)."""
    from urllib.parse import unquote_plus
    for record in event:
        message = json.loads(record.body)
        for notice in message.get("Records", ()):   # none in S3's s3:TestEvent
            found = notice["s3"]["object"]
            outcome = materials.arrived(unquote_plus(found["key"]), found.get("versionId"))
            log.info("upload %s: %s", found["key"], outcome)


def _requeue_later(case_no: str, work: str) -> None:
    """Work of a queue that failed: should the queue give up on its message (its
    dead-letter queue), the reconciliation asks for it again (services/settlement.py)."""
    try:
        settlement.requeue_later(case_no, work)
    except Exception as also:  # noqa: BLE001 - the queue still has the message
        log.warning("%s of %s not marked for the reconciliation: %r", work, case_no, also)


@consumer
def conclude_case(event):
    """A case that is not ready yet (conclusion.NotYet: it changed meanwhile, or its
    status has not caught up) is an expected retry, not an error: its message is reported
    failed on its own and comes back after the visibility timeout, with a warning. Any
    other failure (KMS down while signing the license, say) fails the batch: an error."""
    retry = []
    for record in event:
        message = json.loads(record.body)
        logs.bind(case_no=message.get("caseNo"))
        try:
            stores = wiring.stores()
            status = conclusion.conclude(stores.case_files, stores.licenses,
                                         message["caseNo"])
        except conclusion.NotYet as not_yet:
            log.warning("case %s not concluded yet, its message comes back: %s",
                        message["caseNo"], not_yet)
            _requeue_later(message["caseNo"], settlement.CONCLUDE)
            retry.append({"itemIdentifier": record.to_dict()["messageId"]})
            continue
        except Exception:
            # Should the queue give up on it, the reconciliation asks for it again.
            _requeue_later(message["caseNo"], settlement.CONCLUDE)
            raise
        log.info("case %s %s", message["caseNo"],
                 f"concluded {status}" if status else "needed no conclusion")
    return {"batchItemFailures": retry}


# What one start may take at most: its registries asked at once (each at most
# registries.MAX_TIMEOUT), its commits and the workflow's start.
START_MARGIN_MS = int(registries.MAX_TIMEOUT * 1000) + 5000


def _time_left_ms(event) -> float:
    context = getattr(event, "context", None)
    remaining = getattr(context, "get_remaining_time_in_millis", None)
    return remaining() if remaining else float("inf")


@consumer
def start_workflow(event):
    """Queued starts (services/starts.py). Each message is tried; if any failed (after
    the client's own backoff) the batch fails and returns to the queue, where the ones
    started meanwhile are no-ops the next time."""
    failed = None
    for record in event:
        message = json.loads(record.body)
        logs.bind(case_no=message.get("caseNo"))
        if _time_left_ms(event) < START_MARGIN_MS:
            # A start may check rules, asking registries (up to their timeout): one that
            # might not finish in time is left for the batch's next delivery.
            failed = TimeoutError("the batch's time ran short")
            _requeue_later(message["caseNo"], settlement.START)
            continue
        try:
            outcome = starts.start_queued(wiring.stores(), message["caseNo"])
        except Exception as error:  # noqa: BLE001 - the others still get their start
            log.warning("workflow of %s not started: %s", message["caseNo"], error)
            failed = error
            _requeue_later(message["caseNo"], settlement.START)
            continue
        log.info("workflow of %s: %s", message["caseNo"], outcome)
    if failed is not None:
        raise failed


@consumer
def record_supervision(event):
    """Every lifecycle event from the bus (LifecycleRule) into the supervision record,
    once: a redelivered event appends nothing."""
    envelopes = [json.loads(record.body) for record in event]
    # The batch in one append (one transaction onto one chain).
    for envelope, appended in zip(envelopes, supervision_record.record_events(envelopes),
                                  strict=True):
        logs.bind(case_no=envelope.get("detail", {}).get("caseNo"))
        log.info("%s %s", envelope.get("detail-type"),
                 "recorded" if appended else "recorded before")


@consumer
def send_notifications(event):
    """Every lifecycle event from the bus (LifecycleRule): the notifications it becomes,
    each once (services/notices.py)."""
    failed = None
    for record in event:
        envelope = json.loads(record.body)
        logs.bind(case_no=envelope.get("detail", {}).get("caseNo"))
        try:
            # The message's id is the same on each of its deliveries: its own claims.
            sent = notices.deliver(envelope, record.to_dict().get("messageId"))
        except Exception as error:  # noqa: BLE001 - the others still get theirs
            log.warning("%s not sent: %s", envelope.get("detail-type"), error)
            failed = error
            continue
        if sent:
            log.info("%s: %d notification(s) sent", envelope.get("detail-type"), sent)
    if failed is not None:
        raise failed  # the batch comes back (then its dead-letter queue): sent ones are no-ops


@consumer
def count_statistics(event):
    """Every lifecycle event from the bus (LifecycleRule): what it adds to the monthly
    counters, once (services/statistics.py)."""
    # The batch in one transaction: the rows its events add to written once each.
    statistics.count_all([json.loads(record.body) for record in event])


class ChangesUnsettled(Exception):
    """Some effects of a stream batch failed: the batch is delivered again."""


@consumer
def case_timeline(event):
    """Every change of the cases table: its timeline and lifecycle events, and what
    follows from it, each effect on its own (services/settlement.py). If any failed, the
    batch fails once every change was tried, and is delivered again; the change's marker
    lets the reconciliation finish it if the stream gives up."""
    unsettled = []
    for record in event:
        old, new = models.decode_image(image(record.old_image)), \
            models.decode_image(image(record.new_image))
        logs.bind(case_no=(new or old or {}).get("pk"))
        outcome = settlement.settle(wiring.stores(), old, new,
                                    record.sequence_number)
        for name, value, unit, dimensions in outcome.metrics:
            metrics.emit(name, value, unit, **dimensions)
        if outcome.failed:
            unsettled.append(f"{(new or old or {}).get('pk')}: {', '.join(outcome.failed)}")
    if unsettled:
        raise ChangesUnsettled("; ".join(unsettled))


@consumer
def overdue_sweep(event):
    """Every fifteen minutes: warn, card and mark what has passed its deadline, ask for a
    replay of the changes not settled (services/settlement.py), and seal the supervision
    record (services/overdue.py)."""
    counts = overdue.run(wiring.stores().supervision)
    metrics.emit("UnsettledChanges", counts.pop("unsettled", 0), "Count")
    metrics.emit("OverdueQueued", counts.pop("queued", 0), "Count")
    metrics.emit("OverdueLeftToQueue", counts.pop("leftToQueue", 0), "Count")
    metrics.emit("SupervisionRecordRefused", counts.pop("refusedToSeal", 0), "Count")
    _overdue_marked(counts)


@consumer
def supervise_due(event):
    """The due cases a sweep queued (services/overdue.py): each looked at, once."""
    for record in event:
        message = json.loads(record.body)
        logs.bind(case_no=message.get("caseNo"))
        _overdue_marked(overdue.supervise_queued(wiring.stores().supervision, message))


def _overdue_marked(counts: dict) -> None:
    """What a look at due cases marked and carded, by kind (the sweep's or a queued
    case's): one metric."""
    for kind, count in counts.items():
        if count:
            metrics.emit("OverdueMarked", count, "Count", kind=kind)


@consumer
def dead_letter_watch(event):
    """Every five minutes: alert operators when any dead-letter queue holds messages."""
    depths = operations.dead_letter_depths()
    for url, count in depths.items():
        metrics.emit("DeadLetterMessages", count, "Count", queue=url.rsplit("/", 1)[-1])
    waiting = operations.report_dead_letters(depths)
    if waiting:
        log.warning("dead-letter queues hold messages: %s", waiting)


loading.done()
