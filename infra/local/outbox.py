"""What the local stack would send: a queue subscribed to the notifications topic (as an SMS
gateway or the mini-program's message sender would be), drained into the stack's outbox
file (infra/local/paths.py) — one JSON object a line — and echoed on the console, so a
person sees every notification.

    tail -f build/local-outbox.jsonl
"""
import json
import threading
from pathlib import Path

import boto3

from infra.local import paths
from infra.local.console import say

QUEUE = "onewindow-local-outbox"


class Outbox:
    def __init__(self, topic_arn: str, region: str, endpoint_url: str | None = None,
                 path: Path | None = None):
        self.sqs = boto3.client("sqs", region_name=region, endpoint_url=endpoint_url)
        self.url = self.sqs.create_queue(QueueName=QUEUE)["QueueUrl"]
        arn = self.sqs.get_queue_attributes(QueueUrl=self.url, AttributeNames=["QueueArn"])[
            "Attributes"]["QueueArn"]
        boto3.client("sns", region_name=region, endpoint_url=endpoint_url).subscribe(
            TopicArn=topic_arn, Protocol="sqs", Endpoint=arn,
            Attributes={"RawMessageDelivery": "true"})
        self.path = path = path or paths.outbox_file()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("", "utf-8")  # a fresh stack, a fresh outbox

    def drain_once(self, wait: int = 1) -> int:
        got = self.sqs.receive_message(QueueUrl=self.url, MaxNumberOfMessages=10,
                                       WaitTimeSeconds=wait,
                                       MessageAttributeNames=["All"]).get("Messages", [])
        with self.path.open("a", encoding="utf-8") as out:
            for message in got:
                body = json.loads(message["Body"])
                out.write(json.dumps(body, ensure_ascii=False) + "\n")
                if body.get("text"):
                    say(f"notify {body.get('recipient')} {body.get('channels')}: "
                        f"{body['text']}")
        for message in got:
            self.sqs.delete_message(QueueUrl=self.url, ReceiptHandle=message["ReceiptHandle"])
        return len(got)

    def thread(self, stop: threading.Event) -> threading.Thread:
        def run():
            while not stop.is_set():
                try:
                    self.drain_once()
                except Exception:  # noqa: BLE001 - moto stopping, or a hiccup: go on
                    stop.wait(1.0)
        return threading.Thread(target=run, name="outbox", daemon=True)
