"""Transient AWS errors inside the workflow (throttling) are retried with backoff: the case
still completes, and completes once."""
import pytest
from botocore.exceptions import ClientError

from .harness import FOOD, REGION, application


@pytest.fixture
def throttle():
    """The Step Functions executor's own client for a service answers the first calls of
    an operation with ThrottlingException (as AWS does under load)."""
    registered = []

    def first(service: str, operation: str, times: int) -> list:
        refused, client, handler = _throttle_first(service, operation, times)
        registered.append((client, f"before-call.*.{operation}", handler))
        return refused

    yield first
    for client, event, handler in registered:
        client.meta.events.unregister(event, handler)


def _throttle_first(service: str, operation: str, times: int):
    from moto.stepfunctions.parser.asl.utils.boto_client import boto_client_for
    client = boto_client_for(REGION, service)
    refused = []

    def throttle(**_):
        if len(refused) < times:
            refused.append(operation)
            raise ClientError({"Error": {"Code": "ThrottlingException",
                                         "Message": "Rate exceeded"},
                               "ResponseMetadata": {"RequestId": "throttled",
                                                    "HTTPStatusCode": 400}}, operation)

    client.meta.events.register(f"before-call.*.{operation}", throttle)
    return refused, client, throttle


@pytest.mark.parametrize("times", [2, 4])
def test_a_throttled_task_is_retried_and_the_case_completes_once(stack, throttle, times):
    # Every state of the workflow sends to a queue (a callback task or the conclusion).
    operation = "SendMessage"
    refused = throttle("sqs", operation, times)
    case_no = stack.call("POST", "/cases", "company", application(FOOD)).data["caseNo"]
    accept = stack.open_task(case_no, "ZWFW", "clerk", timeout=30)
    stack.decide(accept["taskId"], "clerk", "accept", "受理")
    review = stack.open_task(case_no, "SCJG", "scjg", timeout=30)
    stack.decide(review["taskId"], "scjg", "approve", "同意")
    case = stack.wait_status(case_no, 11, timeout=30)
    assert refused == [operation] * times
    assert stack.pump.run_until(lambda: [e["status"] for e in stack.case(case_no)["timeline"]
                                         if e["action"] == "status"] == [1, 3, 8, 11])
    assert [t["taskId"] for t in case["tasks"]] == [accept["taskId"], review["taskId"]]
    assert case["licenseId"]

