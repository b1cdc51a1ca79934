"""Operating the system: what an operator must hear about without looking."""
from .. import config
from ..adapters import aws, notifier


def dead_letter_depths() -> dict[str, int]:
    """The messages waiting in every dead-letter queue, by queue URL."""
    sqs = aws.client("sqs")
    depths = {}
    for url in config.get().dead_letter_queue_urls:
        attributes = sqs.get_queue_attributes(
            QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"])["Attributes"]
        depths[url] = int(attributes["ApproximateNumberOfMessages"])
    return depths


def report_dead_letters(depths: dict[str, int] | None = None) -> dict[str, int]:
    """If any dead-letter queue holds messages, alert through the notifications topic
    (type `ops.dead_letters`). Returns the non-empty queues."""
    cfg = config.get()
    depths = dead_letter_depths() if depths is None else depths
    waiting = {url: count for url, count in depths.items() if count}
    if waiting:
        notifier.publish(cfg.notifications_topic_arn,
                         {"type": "ops.dead_letters", "queues": waiting})
    return waiting


def redrive() -> dict[str, int]:
    """Move every message of each dead-letter queue back to the queue it came from (the
    queue whose redrive policy names it); returns the counts moved, by dead-letter queue.
    The stream's on-failure queue holds records of stream batches, not messages of a
    queue: it has no source to return to (docs/runbook.md says what to do with them)."""
    sqs = aws.client("sqs")
    moved = {}
    for url in config.get().dead_letter_queue_urls:
        sources = sqs.list_dead_letter_source_queues(QueueUrl=url).get("queueUrls", [])
        if len(sources) != 1:
            continue
        count = 0
        while True:
            messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10,
                                           MessageAttributeNames=["All"]).get("Messages", [])
            if not messages:
                break
            for message in messages:
                sqs.send_message(QueueUrl=sources[0], MessageBody=message["Body"])
                sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
                count += 1
        if count:
            moved[url] = count
    return moved
