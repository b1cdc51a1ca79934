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
