"""Event handlers: queue and stream records to the services, as Lambda delivers them.

The queue and stream ARNs in the decorators are placeholders Chalice needs at
import; `make package` points each event source at the real resource of the stack
(infra/package.py), and the local event pump delivers to these same functions.
"""
import functools
import json
import logging
from decimal import Decimal

from chalice import Blueprint, Rate

from .. import logs, metrics, wiring
from ..adapters import models
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

bp = Blueprint(__name__)
log = logging.getLogger("onewindow")  # the masking filter sits on this logger

TASKS_QUEUE = "arn:aws:sqs:cn-north-1:000000000000:onewindow-tasks"
CONCLUDE_QUEUE = "arn:aws:sqs:cn-north-1:000000000000:onewindow-conclude"
STARTS_QUEUE = "arn:aws:sqs:cn-north-1:000000000000:onewindow-starts"
SUPERVISION_QUEUE = "arn:aws:sqs:cn-north-1:000000000000:onewindow-supervision"
NOTIFICATIONS_QUEUE = "arn:aws:sqs:cn-north-1:000000000000:onewindow-notifications"
STATISTICS_QUEUE = "arn:aws:sqs:cn-north-1:000000000000:onewindow-statistics"
MATERIALS_QUEUE = "arn:aws:sqs:cn-north-1:000000000000:onewindow-materials"
CASES_STREAM = "arn:aws:dynamodb:cn-north-1:000000000000:table/onewindow-cases/stream/x"
# Each placeholder -> the infra/template.json resource it stands for.
SOURCE_RESOURCES = {TASKS_QUEUE: "TasksQueue", CONCLUDE_QUEUE: "ConcludeQueue",
                    STARTS_QUEUE: "StartsQueue", SUPERVISION_QUEUE: "SupervisionQueue",
                    NOTIFICATIONS_QUEUE: "NotificationsQueue",
                    STATISTICS_QUEUE: "StatisticsQueue",
                    MATERIALS_QUEUE: "MaterialsQueue",
                    CASES_STREAM: "CasesTable"}
# Queues whose handler answers Lambda's partial batch response (`batchItemFailures`):
# their mapping is packaged with ReportBatchItemFailures (infra/package.py) and the local
# pump honours it, so an expected retry is no function error.
REPORTS_ITEM_FAILURES = (CONCLUDE_QUEUE,)


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


@bp.on_sqs_message(queue_arn=TASKS_QUEUE, batch_size=1)
def record_task(event):
    for record in event:
        message = json.loads(record.body)
        logs.bind(case_no=message.get("caseNo"))
        created = tasks.record(message)
        log.info("task %s for %s %s", message["taskId"], message["dept"],
                 "recorded" if created else "already recorded")


@bp.on_sqs_message(queue_arn=MATERIALS_QUEUE, batch_size=5)
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


@bp.on_sqs_message(queue_arn=CONCLUDE_QUEUE, batch_size=1)
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
            status = conclusion.conclude(wiring.stores().case_files, message["caseNo"])
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


# At most 5 batches at once: 50 starts in flight stay well inside StartExecution's
# refill rate (150 per second outside the largest regions) together with the API's
# other calls, and botocore's adaptive retries slow down further when throttled.
@bp.on_sqs_message(queue_arn=STARTS_QUEUE, batch_size=10, maximum_concurrency=5)
def start_workflow(event):
    """Queued starts (services/starts.py). Each message is tried; if any failed (after
    the client's own backoff) the batch fails and returns to the queue, where the ones
    started meanwhile are no-ops the next time."""
    failed = None
    for record in event:
        message = json.loads(record.body)
        logs.bind(case_no=message.get("caseNo"))
        try:
            outcome = starts.start_queued(message["caseNo"])
        except Exception as error:  # noqa: BLE001 - the others still get their start
            log.warning("workflow of %s not started: %s", message["caseNo"], error)
            failed = error
            _requeue_later(message["caseNo"], settlement.START)
            continue
        log.info("workflow of %s: %s", message["caseNo"], outcome)
    if failed is not None:
        raise failed


# Appends to one chain a day take turns (services/supervision_record.py): two batches at
# once keep the record's partition from contending with itself.
@bp.on_sqs_message(queue_arn=SUPERVISION_QUEUE, batch_size=10, maximum_concurrency=2)
def record_supervision(event):
    """Every lifecycle event from the bus (LifecycleRule) into the supervision record,
    once: a redelivered event appends nothing."""
    for record in event:
        envelope = json.loads(record.body)
        logs.bind(case_no=envelope.get("detail", {}).get("caseNo"))
        appended = supervision_record.record_event(envelope)
        log.info("%s %s", envelope.get("detail-type"),
                 "recorded" if appended else "recorded before")


@bp.on_sqs_message(queue_arn=NOTIFICATIONS_QUEUE, batch_size=10)
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


@bp.on_sqs_message(queue_arn=STATISTICS_QUEUE, batch_size=10)
def count_statistics(event):
    """Every lifecycle event from the bus (LifecycleRule): what it adds to the monthly
    counters, once (services/statistics.py)."""
    for record in event:
        envelope = json.loads(record.body)
        logs.bind(case_no=envelope.get("detail", {}).get("caseNo"))
        statistics.count(envelope)


class ChangesUnsettled(Exception):
    """Some effects of a stream batch failed: the batch is delivered again."""


@bp.on_dynamodb_record(stream_arn=CASES_STREAM, batch_size=100, starting_position="TRIM_HORIZON")
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
        outcome = settlement.settle(old, new, record.sequence_number)
        for name, value, unit, dimensions in outcome.metrics:
            metrics.emit(name, value, unit, **dimensions)
        if outcome.failed:
            unsettled.append(f"{(new or old or {}).get('pk')}: {', '.join(outcome.failed)}")
    if unsettled:
        raise ChangesUnsettled("; ".join(unsettled))


@bp.schedule(Rate(15, unit=Rate.MINUTES))
def overdue_sweep(event):
    """Every fifteen minutes: warn, card and mark what has passed its deadline, ask for a
    replay of the changes not settled (services/settlement.py), and seal the supervision
    record (services/overdue.py)."""
    counts = overdue.run()
    metrics.emit("UnsettledChanges", counts.pop("unsettled", 0), "Count")
    metrics.emit("SupervisionRecordRefused", counts.pop("refusedToSeal", 0), "Count")
    for kind, count in counts.items():
        if count:
            metrics.emit("OverdueMarked", count, "Count", kind=kind)


@bp.schedule(Rate(5, unit=Rate.MINUTES))
def dead_letter_watch(event):
    """Every five minutes: alert operators when any dead-letter queue holds messages."""
    depths = operations.dead_letter_depths()
    for url, count in depths.items():
        metrics.emit("DeadLetterMessages", count, "Count", queue=url.rsplit("/", 1)[-1])
    waiting = operations.report_dead_letters(depths)
    if waiting:
        log.warning("dead-letter queues hold messages: %s", waiting)
