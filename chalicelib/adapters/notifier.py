"""Notifications: one SNS topic; subscribers (SMS, mini-program, e-mail, ops) filter by type."""
import json

from . import aws


def publish(topic_arn: str, message: dict) -> str:
    answer = aws.client("sns").publish(
        TopicArn=topic_arn, Message=json.dumps(message, ensure_ascii=False),
        MessageAttributes={"type": {"DataType": "String", "StringValue": message["type"]}})
    return answer["MessageId"]
