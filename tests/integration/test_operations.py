"""Scheduled work, delivered by the pump as EventBridge would."""
import json

import boto3

from chalicelib.events import registry

from .harness import REGION


def _subscribe(stack) -> str:
    sqs = boto3.client("sqs", region_name=REGION)
    url = sqs.create_queue(QueueName="ops-inbox")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])[
        "Attributes"]["QueueArn"]
    boto3.client("sns", region_name=REGION).subscribe(
        TopicArn=stack.env["OW_NOTIFICATIONS_TOPIC_ARN"], Protocol="sqs", Endpoint=arn,
        Attributes={"RawMessageDelivery": "true"})
    return url


def _received(url: str) -> list[dict]:
    answer = boto3.client("sqs", region_name=REGION).receive_message(
        QueueUrl=url, MaxNumberOfMessages=10)
    return [json.loads(m["Body"]) for m in answer.get("Messages", [])]


def test_dead_letters_raise_an_operator_alert_and_empty_queues_do_not(stack):
    inbox = _subscribe(stack)
    assert stack.pump.fire_schedules() == 2
    assert _received(inbox) == []

    dead = stack.env["OW_DEAD_LETTER_QUEUE_URLS"].split(",")
    assert len(dead) == len(registry.DEAD_LETTER_QUEUES)   # every queue's, the stream's
    boto3.client("sqs", region_name=REGION).send_message(QueueUrl=dead[1], MessageBody="{}")
    assert stack.pump.fire_schedules() == 2
    alerts = _received(inbox)
    assert alerts == [{"type": "ops.dead_letters", "queues": {dead[1]: 1}}]
