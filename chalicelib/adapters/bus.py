"""EventBridge: lifecycle events on the project's bus."""
import json

from . import aws

SOURCE = "onewindow"


def put(bus_name: str, detail_type: str, detail: dict) -> None:
    answer = aws.client("events").put_events(Entries=[{
        "Source": SOURCE, "DetailType": detail_type, "EventBusName": bus_name,
        "Detail": json.dumps(detail, ensure_ascii=False)}])
    if answer.get("FailedEntryCount"):
        failed = answer["Entries"][0]
        raise RuntimeError(f"EventBridge refused {detail_type}: "
                           f"{failed.get('ErrorCode')} {failed.get('ErrorMessage')}")
