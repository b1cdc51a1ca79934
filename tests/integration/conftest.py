import dataclasses
import json
import logging

import boto3
import pytest
from moto import mock_aws

from chalicelib import config
from chalicelib.adapters import bus, notifier
from chalicelib.contract import events, notifications
from infra.local.oidc import AUDIENCE

from .harness import REGION, reset, start_stack


@pytest.fixture(scope="session")
def session_stack():
    """One stack for the whole session: building it (CloudFormation, catalogue) is the
    slow part; each test gets it reset to the state just after building."""
    with mock_aws(config={"stepfunctions": {"execute_state_machine": True}}), \
            pytest.MonkeyPatch.context() as patched:
        patched.setattr(bus, "put", _checked(
            bus.put, lambda _, kind, detail: events.violations(kind, detail)))
        patched.setattr(notifier, "publish", _checked(
            notifier.publish, lambda _, message: notifications.violations(message)))
        yield start_stack()


# What was published (the adapter's call returned) off its contract (chalicelib/contract/
# events.py, notifications.py): (what, violations).
BROKEN_EVENTS = []


def _checked(publish, check):
    def checked(*args, **kwargs):
        answer = publish(*args, **kwargs)
        found = check(*args)
        if found:
            BROKEN_EVENTS.append((args[1:], found))
        return answer
    return checked


@pytest.fixture
def stack(session_stack):
    """The session's stack, reset; the test fails if it published an event or a
    notification off the contract."""
    reset(session_stack)
    BROKEN_EVENTS.clear()
    yield session_stack
    broken, _ = list(BROKEN_EVENTS), BROKEN_EVENTS.clear()
    assert not broken, "published off the contract (docs/events.md):\n" + "\n".join(
        f"{json.dumps(what, ensure_ascii=False)}: {'; '.join(found)}" for what, found in broken)


@pytest.fixture
def delivered(stack, monkeypatch):
    """Every (source, event) the pump handed to a handler and it took, in order."""
    import copy
    seen = []
    original = stack.pump.invoke

    def recording(source, event):
        ok = original(source, event)
        if ok:
            seen.append((source, copy.deepcopy(event)))
        return ok

    monkeypatch.setattr(stack.pump, "invoke", recording)
    return seen


@pytest.fixture
def bus_events(stack):
    """Every event on the project's bus, through a rule to a queue (as a subscriber
    would get them)."""
    events, sqs = boto3.client("events", region_name=REGION), boto3.client(
        "sqs", region_name=REGION)
    url = sqs.create_queue(QueueName="bus-subscriber")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])[
        "Attributes"]["QueueArn"]
    bus = stack.env["OW_EVENT_BUS_NAME"]
    events.put_rule(Name="all-cases", EventBusName=bus,
                    EventPattern=json.dumps({"source": ["onewindow"]}))
    events.put_targets(Rule="all-cases", EventBusName=bus, Targets=[{"Id": "q", "Arn": arn}])
    seen = []

    def drain():
        while True:
            got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get(
                "Messages", [])
            if not got:
                return seen
            for message in got:
                seen.append(json.loads(message["Body"]))
                sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])

    yield drain
    events.remove_targets(Rule="all-cases", EventBusName=bus, Ids=["q"])
    events.delete_rule(Name="all-cases", EventBusName=bus)


class _Lines(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.lines = []

    def emit(self, record):
        self.lines.append(record.getMessage())


@pytest.fixture
def log_lines():
    """log_lines(name): the messages logged under `name` during the test."""
    attached = []

    def lines(name: str = "onewindow") -> list[str]:
        handler = _Lines()
        logging.getLogger(name).addHandler(handler)
        attached.append((name, handler))
        return handler.lines

    yield lines
    for name, handler in attached:
        logging.getLogger(name).removeHandler(handler)


@pytest.fixture
def cfg(issuer):
    """The API's configuration verifying against the module's own `issuer` (a fixture of
    the test module), its keys read afresh on every token."""
    return dataclasses.replace(config.load(), oidc_issuer=issuer.url, oidc_audience=AUDIENCE,
                               oidc_jwks_url=f"{issuer.url}/.well-known/jwks.json",
                               oidc_jwks_refresh_seconds=0.0, oidc_claims=None)
