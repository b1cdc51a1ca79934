"""Notifications: one SNS topic; subscribers (SMS, mini-program, e-mail, ops) filter by the
message attributes: `type`, and for a person's notification its `channels` (String.Array)
and `audience`."""
import json

from . import aws


def publish(topic_arn: str, message: dict, channels: list[str] | None = None,
            audience: str | None = None) -> str:
    attributes = {"type": {"DataType": "String", "StringValue": message["type"]}}
    if channels is not None:
        attributes["channels"] = {"DataType": "String.Array",
                                  "StringValue": json.dumps(channels)}
    if audience is not None:
        attributes["audience"] = {"DataType": "String", "StringValue": audience}
    answer = aws.client("sns").publish(
        TopicArn=topic_arn, Message=json.dumps(message, ensure_ascii=False),
        MessageAttributes=attributes)
    return answer["MessageId"]
