"""Operating the system: what an operator must hear about without looking."""
from .. import config
from ..adapters import aws, notifier


def report_dead_letters() -> dict[str, int]:
    """Count the messages in every dead-letter queue; if any, alert through the
    notifications topic (type `ops.dead_letters`). Returns the non-empty queues."""
    cfg = config.get()
    sqs = aws.client("sqs")
    waiting = {}
    for url in cfg.dead_letter_queue_urls:
        attributes = sqs.get_queue_attributes(
            QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"])["Attributes"]
        count = int(attributes["ApproximateNumberOfMessages"])
        if count:
            waiting[url] = count
    if waiting:
        notifier.publish(cfg.notifications_topic_arn,
                         {"type": "ops.dead_letters", "queues": waiting})
    return waiting
