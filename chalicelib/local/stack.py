"""Create the stack's resources from infra/template.json, and pump events to handlers.

Used by the local embedded stack (`make run`) and by the tests, against moto; the same
template is what a deployment creates.
"""
import functools
import importlib
import json
import logging
import re
import time
import uuid
from datetime import datetime, timezone

import boto3

from infra import template as infra_template

from ..events.handlers import SOURCE_RESOURCES

log = logging.getLogger("onewindow.local")
STACK_NAME = "onewindow"


def create_resources(region: str, endpoint_url: str | None = None,
                     stack_name: str = STACK_NAME) -> dict:
    """Create the stack; return the environment the app reads (chalicelib/config.py)."""
    cfn = boto3.client("cloudformation", region_name=region, endpoint_url=endpoint_url)
    template = infra_template.render()
    cfn.create_stack(StackName=stack_name, TemplateBody=json.dumps(template),
                     Capabilities=["CAPABILITY_IAM"])
    stack = cfn.describe_stacks(StackName=stack_name)["Stacks"][0]
    if stack["StackStatus"] != "CREATE_COMPLETE":
        raise RuntimeError(f"stack {stack_name}: {stack['StackStatus']} "
                           f"{stack.get('StackStatusReason', '')}")
    outputs = {o["OutputKey"]: o["OutputValue"] for o in stack["Outputs"]}
    outputs["LicenseSigningKeyId"] = _signing_key(template, outputs, region, endpoint_url)
    _state_machines(template, cfn, stack_name, region, endpoint_url)
    env = {var: outputs[key] for key, var in infra_template.OUTPUT_ENV.items()}
    # moto's Fn::Join output keeps the list; a deployment's is the joined string.
    if isinstance(env["OW_DEAD_LETTER_QUEUE_URLS"], list):
        env["OW_DEAD_LETTER_QUEUE_URLS"] = ",".join(env["OW_DEAD_LETTER_QUEUE_URLS"])
    env["OW_CASES_STREAM_ARN"] = outputs["CasesTableStreamArn"]
    return env


def _signing_key(template: dict, outputs: dict, region: str, endpoint_url: str | None) -> str:
    """moto's CloudFormation ignores KeySpec/KeyUsage and makes a symmetric key; create the
    key the template defines, with the template's own properties, and point the alias at it.
    Against real CloudFormation the created key already matches and is kept."""
    kms = boto3.client("kms", region_name=region, endpoint_url=endpoint_url)
    wanted = template["Resources"]["LicenseSigningKey"]["Properties"]
    key_id = outputs["LicenseSigningKeyId"]
    meta = kms.describe_key(KeyId=key_id)["KeyMetadata"]
    if meta.get("KeySpec") == wanted["KeySpec"] and meta["KeyUsage"] == wanted["KeyUsage"]:
        return key_id
    key_id = kms.create_key(KeySpec=wanted["KeySpec"], KeyUsage=wanted["KeyUsage"],
                            Description=wanted["Description"])["KeyMetadata"]["KeyId"]
    alias = template["Resources"]["LicenseSigningKeyAlias"]["Properties"]["AliasName"]
    try:
        kms.update_alias(AliasName=alias, TargetKeyId=key_id)
    except kms.exceptions.NotFoundException:
        kms.create_alias(AliasName=alias, TargetKeyId=key_id)
    return key_id


def _state_machines(template: dict, cfn, stack_name: str, region: str,
                    endpoint_url: str | None) -> None:
    """moto's CloudFormation creates state machines in a backend its executor does not
    read (with execute_state_machine on, the API sees none of them). Create each machine
    the template defines, from the template's own definition with its Fn::Sub names
    resolved to the stack's physical resources. Against AWS every machine exists and
    nothing is done."""
    sfn = boto3.client("stepfunctions", region_name=region, endpoint_url=endpoint_url)
    iam = boto3.client("iam", region_name=region, endpoint_url=endpoint_url)
    resources = cfn.describe_stack_resources(StackName=stack_name)["StackResources"]
    physical = {r["LogicalResourceId"]: r["PhysicalResourceId"] for r in resources}
    for logical, resource in template["Resources"].items():
        if resource["Type"] != "AWS::StepFunctions::StateMachine":
            continue
        try:
            sfn.describe_state_machine(stateMachineArn=physical[logical])
            continue
        except sfn.exceptions.StateMachineDoesNotExist:
            pass
        props = resource["Properties"]
        body, variables = props["DefinitionString"]["Fn::Sub"]
        values = {name: physical[ref["Ref"]] for name, ref in variables.items()}
        definition = re.sub(r"\$\{(\w+)\}", lambda m: values[m.group(1)], body)
        role_name = physical[props["RoleArn"]["Fn::GetAtt"][0]]
        sfn.create_state_machine(
            name=physical[logical].rsplit(":", 1)[1], definition=definition,
            roleArn=iam.get_role(RoleName=role_name)["Role"]["Arn"],
            type=props.get("StateMachineType", "STANDARD"))


class LambdaContext:
    """What a handler may read of a Lambda context."""

    def __init__(self, name: str):
        self.function_name = name
        self.aws_request_id = str(uuid.uuid4())
        self.memory_limit_in_mb = 512
        self._deadline = time.monotonic() + 60

    def get_remaining_time_in_millis(self) -> int:
        return int((self._deadline - time.monotonic()) * 1000)


_RATE_UNITS = {"minute": 60, "minutes": 60, "hour": 3600, "hours": 3600, "day": 86400,
               "days": 86400}


def _rate_seconds(expression) -> int:
    """Seconds between runs of a `rate(N unit)` schedule (Chalice Rate or its string)."""
    text = expression.to_string() if hasattr(expression, "to_string") else str(expression)
    match = re.fullmatch(r"rate\((\d+) (\w+)\)", text.strip())
    if not match or match.group(2) not in _RATE_UNITS:
        raise ValueError(f"the local pump runs rate() schedules only, not {text!r}")
    return int(match.group(1)) * _RATE_UNITS[match.group(2)]


def _handler(handler_string: str):
    module, _, name = handler_string.rpartition(".")
    return getattr(importlib.import_module(module), name)


class EventPump:
    """Delivers SQS messages, DynamoDB stream records and scheduled events to the app's
    event handlers, as Lambda's event source mappings and EventBridge schedules do: in order, a batch at a time, deleting a message or
    advancing a stream only after its handler succeeded (a failure is retried, and SQS
    moves a message that keeps failing to its dead-letter queue)."""

    def __init__(self, app, env: dict, region: str, endpoint_url: str | None = None,
                 streams_endpoint_url: str | None = None):
        self.region = region
        self.sqs = boto3.client("sqs", region_name=region, endpoint_url=endpoint_url)
        self.streams = boto3.client("dynamodbstreams", region_name=region,
                                    endpoint_url=streams_endpoint_url or endpoint_url)
        physical = {"TasksQueue": env["OW_TASKS_QUEUE_URL"],
                    "IssueQueue": env["OW_ISSUE_QUEUE_URL"],
                    "CasesTable": env["OW_CASES_STREAM_ARN"]}
        self.queues, self.tables = [], []
        for source in app.event_sources:
            if getattr(source, "queue_arn", None) in SOURCE_RESOURCES:
                url = physical[SOURCE_RESOURCES[source.queue_arn]]
                self.queues.append((url, source))
            elif getattr(source, "stream_arn", None) in SOURCE_RESOURCES:
                arn = physical[SOURCE_RESOURCES[source.stream_arn]]
                self.tables.append((arn, source))
        self.schedules = []  # [source, seconds between runs, next due (monotonic)]
        for source in app.event_sources:
            expression = getattr(source, "schedule_expression", None)
            if expression is not None:
                seconds = _rate_seconds(expression)
                self.schedules.append([source, seconds, time.monotonic() + seconds])
        self._iterators: dict[str, str | None] = {}
        self.delivered = 0
        self.failures = 0

    # -- SQS -----------------------------------------------------------------------
    @functools.lru_cache(maxsize=None)
    def _queue_arn(self, url: str) -> str:
        return self.sqs.get_queue_attributes(
            QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]

    def _pump_queue(self, url: str, source) -> int:
        answer = self.sqs.receive_message(
            QueueUrl=url, MaxNumberOfMessages=min(source.batch_size, 10),
            AttributeNames=["All"], MessageAttributeNames=["All"])
        messages = answer.get("Messages", [])
        if not messages:
            return 0
        arn = self._queue_arn(url)
        event = {"Records": [{
            "messageId": m["MessageId"], "receiptHandle": m["ReceiptHandle"],
            "body": m["Body"], "attributes": m.get("Attributes", {}),
            "messageAttributes": m.get("MessageAttributes", {}),
            "md5OfBody": m.get("MD5OfBody", ""), "eventSource": "aws:sqs",
            "eventSourceARN": arn, "awsRegion": self.region} for m in messages]}
        if not self._invoke(source, event):
            return 0
        self.sqs.delete_message_batch(QueueUrl=url, Entries=[
            {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]}
            for i, m in enumerate(messages)])
        return len(messages)

    # -- DynamoDB streams ------------------------------------------------------------
    def _shard_iterators(self, arn: str) -> list[str]:
        shards = self.streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]
        keys = []
        for shard in shards:
            key = f"{arn}|{shard['ShardId']}"
            if key not in self._iterators:
                self._iterators[key] = self.streams.get_shard_iterator(
                    StreamArn=arn, ShardId=shard["ShardId"],
                    ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
            keys.append(key)
        return keys

    def _pump_stream(self, arn: str, source) -> int:
        delivered = 0
        for key in self._shard_iterators(arn):
            iterator = self._iterators[key]
            if not iterator:
                continue
            answer = self.streams.get_records(ShardIterator=iterator,
                                              Limit=source.batch_size)
            records = answer.get("Records", [])
            if records:
                event = {"Records": [self._stream_record(r, arn) for r in records]}
                if not self._invoke(source, event):
                    continue  # keep the iterator: the batch is retried
                delivered += len(records)
            self._iterators[key] = answer.get("NextShardIterator")
        return delivered

    def _stream_record(self, record: dict, arn: str) -> dict:
        change = dict(record["dynamodb"])
        created = change.get("ApproximateCreationDateTime")
        if isinstance(created, datetime):
            change["ApproximateCreationDateTime"] = created.replace(
                tzinfo=created.tzinfo or timezone.utc).timestamp()
        return {"eventID": record["eventID"], "eventName": record["eventName"],
                "eventVersion": record.get("eventVersion", "1.1"),
                "eventSource": "aws:dynamodb", "awsRegion": self.region,
                "dynamodb": change, "eventSourceARN": arn}

    # -- schedules -------------------------------------------------------------------
    def _scheduled_event(self, source) -> dict:
        now = datetime.now(timezone.utc)
        return {"version": "0", "id": str(uuid.uuid4()), "detail-type": "Scheduled Event",
                "source": "aws.events", "account": "123456789012",
                "time": now.strftime("%Y-%m-%dT%H:%M:%SZ"), "region": self.region,
                "resources": [f"arn:aws:events:{self.region}:123456789012:rule/"
                              f"{source.name}"], "detail": {}}

    def fire_schedules(self, due_only: bool = False) -> int:
        """Deliver one scheduled event to every scheduled handler (or to those due)."""
        fired = 0
        for entry in self.schedules:
            source, seconds, due = entry
            if due_only and time.monotonic() < due:
                continue
            if self._invoke(source, self._scheduled_event(source)):
                entry[2] = time.monotonic() + seconds
                fired += 1
        return fired

    # -- delivery --------------------------------------------------------------------
    def _invoke(self, source, event: dict) -> bool:
        try:
            _handler(source.handler_string)(event, LambdaContext(source.name))
            return True
        except Exception:  # a failed handler is retried, as Lambda would
            self.failures += 1
            log.exception("handler %s failed; the batch will be retried", source.name)
            return False

    def pump_once(self) -> int:
        """Deliver what is waiting now, once around every source; the count delivered."""
        count = 0
        for url, source in self.queues:
            count += self._pump_queue(url, source)
        for arn, source in self.tables:
            count += self._pump_stream(arn, source)
        count += self.fire_schedules(due_only=True)
        self.delivered += count
        return count

    def run_until(self, condition, timeout: float = 15.0, interval: float = 0.05) -> bool:
        """Pump until `condition()` holds (True) or the timeout passes (False)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.pump_once()
            if condition():
                return True
            time.sleep(interval)
        return False

    def run_forever(self, stop, interval: float = 0.1) -> None:
        while not stop.is_set():
            try:
                if not self.pump_once():
                    stop.wait(interval)
            except Exception:  # the endpoint may be going away during shutdown
                if stop.is_set():
                    return
                log.exception("event pump error")
                stop.wait(1.0)
