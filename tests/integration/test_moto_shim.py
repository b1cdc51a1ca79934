"""The local stack's DynamoDB keeps DynamoDB's promises under concurrency
(infra/local/moto_shim.py on moto, driven through boto3 as the app drives it)."""
import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from infra.local import moto_shim

REGION = "cn-north-1"
STREAMS_ENDPOINT = f"https://streams.dynamodb.{REGION}.amazonaws.com.cn"


@pytest.fixture
def table():
    moto_shim.install()
    with mock_aws():
        client = boto3.client("dynamodb", region_name=REGION)
        client.create_table(
            TableName="t", BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                  {"AttributeName": "sk", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                       {"AttributeName": "sk", "KeyType": "RANGE"}],
            StreamSpecification={"StreamEnabled": True,
                                 "StreamViewType": "NEW_AND_OLD_IMAGES"})
        yield client
        client.delete_table(TableName="t")  # the session's stack may share the backend


def _put(pk: str, condition: str | None = None, **attributes) -> dict:
    item = {"pk": {"S": pk}, "sk": {"S": "META"},
            **{k: {"S": v} for k, v in attributes.items()}}
    put = {"TableName": "t", "Item": item}
    if condition:
        put["ConditionExpression"] = condition
    return {"Put": put}


def _stream_records(client) -> list[dict]:
    arn = client.describe_table(TableName="t")["Table"]["LatestStreamArn"]
    streams = boto3.client("dynamodbstreams", region_name=REGION,
                           endpoint_url=STREAMS_ENDPOINT)
    records = []
    for shard in streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]:
        iterator = streams.get_shard_iterator(StreamArn=arn, ShardId=shard["ShardId"],
                                              ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        while iterator:
            answer = streams.get_records(ShardIterator=iterator, Limit=1000)
            records.extend(answer["Records"])
            if not answer["Records"]:
                break
            iterator = answer["NextShardIterator"]
    return records


def _keys(client) -> set[str]:
    return {i["pk"]["S"] for i in client.scan(TableName="t")["Items"]}


def test_a_cancelled_transaction_writes_nothing_and_reports_reasons_per_operation(table):
    table.put_item(TableName="t", Item={"pk": {"S": "taken"}, "sk": {"S": "META"},
                                        "v": {"S": "1"}})
    with pytest.raises(ClientError) as raised:
        table.transact_write_items(TransactItems=[
            _put("new"),
            {**_put("taken", "attribute_not_exists(pk)"),
             "Put": {**_put("taken", "attribute_not_exists(pk)")["Put"],
                     "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}}])
    error = raised.value.response
    assert error["Error"]["Code"] == "TransactionCanceledException"
    reasons = error["CancellationReasons"]
    assert reasons[0] == {"Code": "None"}
    assert reasons[1]["Code"] == "ConditionalCheckFailed"
    assert reasons[1]["Message"] == "The conditional request failed"
    assert reasons[1]["Item"]["v"] == {"S": "1"}
    assert _keys(table) == {"taken"}
    assert len(_stream_records(table)) == 1


def test_an_operation_failing_while_applied_undoes_those_before_it(table):
    table.put_item(TableName="t", Item={"pk": {"S": "counter"}, "sk": {"S": "META"},
                                        "n": {"S": "not a number"}})
    with pytest.raises(ClientError) as raised:
        table.transact_write_items(TransactItems=[
            _put("first"),
            {"Update": {"TableName": "t", "Key": {"pk": {"S": "counter"}, "sk": {"S": "META"}},
                        "UpdateExpression": "ADD n :one",
                        "ExpressionAttributeValues": {":one": {"N": "1"}}}}])
    assert raised.value.response["Error"]["Code"] in ("TransactionCanceledException",
                                                      "ValidationException")
    assert _keys(table) == {"counter"}
    assert [r["eventName"] for r in _stream_records(table)] == ["INSERT"]
    # The table keeps working and streaming afterwards.
    table.transact_write_items(TransactItems=[_put("after")])
    assert _keys(table) == {"counter", "after"}
    assert len(_stream_records(table)) == 2


def test_racing_transactions_lose_no_acknowledged_write_and_the_stream_keeps_flowing(table):
    """Each transaction writes its own record and claims one shared slot; exactly one
    claim per slot wins. Every transaction answered OK must have left its record."""
    shard_before = _shard_object(table)
    acknowledged, cancelled, errors = [], [], []
    lock = threading.Lock()

    def attempt(n: int):
        try:
            table.transact_write_items(TransactItems=[
                _put(f"case-{n}", "attribute_not_exists(pk)"),
                _put(f"slot-{n % 10}", "attribute_not_exists(pk)", owner=str(n))])
            with lock:
                acknowledged.append(n)
        except ClientError as error:
            code = error.response["Error"]["Code"]
            with lock:
                (cancelled if code == "TransactionCanceledException" else errors).append(code)
        except Exception as error:  # a 500 from inside the mock
            with lock:
                errors.append(repr(error))
        # Plain writes race the transactions too.
        table.put_item(TableName="t", Item={"pk": {"S": f"plain-{n}"}, "sk": {"S": "META"}})

    with ThreadPoolExecutor(max_workers=16) as pool:
        list(pool.map(attempt, range(200)))

    assert errors == []
    assert len(acknowledged) == 10 and len(cancelled) == 190
    keys = _keys(table)
    assert {f"case-{n}" for n in acknowledged} <= keys
    assert {f"plain-{n}" for n in range(200)} <= keys
    assert not {f"case-{n}" for n in range(200) if n not in acknowledged} & keys
    owners = {i["pk"]["S"]: i["owner"]["S"] for i in table.scan(TableName="t")["Items"]
              if i["pk"]["S"].startswith("slot-")}
    assert sorted(int(o) for o in owners.values()) == sorted(acknowledged)
    # The shard is the same one a reader started on, and holds exactly the committed writes.
    assert _shard_object(table) is shard_before
    assert len(_stream_records(table)) == 200 + 2 * len(acknowledged)


def _shard_object(client):
    from moto.dynamodb.models import dynamodb_backends
    return dynamodb_backends["123456789012"][REGION].get_table("t").stream_shard


def test_install_refuses_another_moto_version(monkeypatch):
    import moto
    monkeypatch.setattr(moto_shim, "_installed", False)
    monkeypatch.setattr(moto, "__version__", "9.9.9")
    with pytest.raises(RuntimeError, match="5.2.5"):
        moto_shim.install()


def test_sqs_keeps_retention_and_fifo_deduplication_with_the_shortcuts():
    """The shim reads two queue attributes directly instead of computing all of them:
    what they decide must not change."""
    from moto.sqs.models import sqs_backends
    moto_shim.install()
    with mock_aws():
        sqs = boto3.client("sqs", region_name=REGION)
        url = sqs.create_queue(QueueName="short", Attributes={
            "MessageRetentionPeriod": "60"})["QueueUrl"]
        sqs.send_message(QueueUrl=url, MessageBody="fresh")
        assert [m["Body"] for m in sqs.receive_message(
            QueueUrl=url, VisibilityTimeout=0).get("Messages", [])] == ["fresh"]
        queue = sqs_backends["123456789012"][REGION].get_queue("short")
        queue._messages[0].sent_timestamp -= 120_000  # sent two minutes ago: expired
        assert sqs.receive_message(QueueUrl=url).get("Messages", []) == []

        fifo = sqs.create_queue(QueueName="dedup.fifo", Attributes={
            "FifoQueue": "true", "ContentBasedDeduplication": "true"})["QueueUrl"]
        for _ in range(2):
            sqs.send_message(QueueUrl=fifo, MessageBody="same", MessageGroupId="g")
        assert sqs.get_queue_attributes(QueueUrl=fifo, AttributeNames=[
            "ApproximateNumberOfMessages"])["Attributes"]["ApproximateNumberOfMessages"] == "1"
        sqs.delete_queue(QueueUrl=url)
        sqs.delete_queue(QueueUrl=fifo)


def test_racing_starts_with_one_name_make_one_execution_as_in_aws(monkeypatch):
    """AWS makes StartExecution idempotent by name and input; moto checked and appended
    without a lock, so a retried application racing its original started two workflows
    (seen in a full run: three executions of one case)."""
    import copy as real_copy

    from moto.stepfunctions.parser import models as parser_models
    moto_shim.install()

    class SlowCopy:
        # Between its check for the name and adding the execution, moto copies the state
        # machine: a few ms for a real one on a loaded machine, made 50 ms here so that
        # the starts below all fall into the window.
        @staticmethod
        def deepcopy(value, memo=None):
            time.sleep(0.05)
            return real_copy.deepcopy(value, memo)

    monkeypatch.setattr(parser_models, "copy", SlowCopy)
    with mock_aws(config={"stepfunctions": {"execute_state_machine": True}}):
        sfn = boto3.client("stepfunctions", region_name=REGION)
        states = {"Hold": {"Type": "Wait", "Seconds": 2, "End": True}}
        arn = sfn.create_state_machine(
            name="one-name", roleArn="arn:aws-cn:iam::123456789012:role/r",
            definition=json.dumps({"StartAt": "Hold", "States": states}))["stateMachineArn"]
        barrier = threading.Barrier(16)

        def start(_):
            barrier.wait()
            try:
                return sfn.start_execution(
                    stateMachineArn=arn, name="4403002026112500000019",
                    input='{"caseNo": "4403002026112500000019"}')["executionArn"]
            except sfn.exceptions.ExecutionAlreadyExists:
                return "already exists"   # AWS's answer once that execution has ended
        with ThreadPoolExecutor(16) as pool:
            answers = list(pool.map(start, range(16)))
        assert len(set(answers) - {"already exists"}) == 1
        assert len(sfn.list_executions(stateMachineArn=arn)["executions"]) == 1
        sfn.delete_state_machine(stateMachineArn=arn)


def test_item_answers_written_as_they_are_equal_motos_own_serialization(table, monkeypatch):
    """Every item operation's answer, with every type of value (a binary one, a NULL, nested
    maps and lists, sets, an empty list), a missing item, consumed capacity, and the
    stream's records of it all: the shim's JSON is moto's serializer's, as botocore reads
    it."""
    from moto.core.responses import ActionResult
    shimmed = ActionResult.execute_result
    compared = []

    def both(self, context):
        ours, motos = shimmed(self, context), shimmed.__wrapped__(self, context)
        assert (ours[0], ours[1]["Content-Type"], json.loads(ours[2])) == \
            (motos[0], motos[1]["Content-Type"], json.loads(motos[2])), \
            context.operation_model.name
        compared.append(context.operation_model.name)
        return ours

    monkeypatch.setattr(ActionResult, "execute_result", both)
    key = {"pk": {"S": "a"}, "sk": {"S": "1"}}
    item = {**key, "n": {"N": "1.5"}, "ns": {"NS": ["1", "2"]}, "b": {"B": b"\x00\x01"},
            "l": {"L": [{"S": "x"}, {"NULL": True}, {"BOOL": False}]},
            "m": {"M": {"ss": {"SS": ["a", "b"]}, "empty": {"L": []}}}}
    table.put_item(TableName="t", Item=item)
    assert table.put_item(TableName="t", Item={**item, "b": {"S": "text"}},
                          ReturnValues="ALL_OLD")["Attributes"] == item
    assert table.get_item(TableName="t", Key=key, ReturnConsumedCapacity="TOTAL")[
        "Item"]["m"] == item["m"]
    assert "Item" not in table.get_item(TableName="t", Key={**key, "sk": {"S": "2"}})
    page = table.query(TableName="t", KeyConditionExpression="pk = :p", Limit=1,
                       ExpressionAttributeValues={":p": {"S": "a"}},
                       ReturnConsumedCapacity="INDEXES")
    assert page["Count"] == 1 and page["Items"][0]["ns"] == item["ns"]
    assert table.scan(TableName="t")["Items"][0]["l"] == item["l"]
    assert table.update_item(TableName="t", Key=key, UpdateExpression="SET n = n + :one",
                             ExpressionAttributeValues={":one": {"N": "1"}},
                             ReturnValues="UPDATED_NEW")["Attributes"] == {"n": {"N": "2.5"}}
    assert table.transact_get_items(TransactItems=[{"Get": {"TableName": "t", "Key": key}}])[
        "Responses"][0]["Item"]["b"] == {"S": "text"}
    assert table.batch_get_item(RequestItems={"t": {"Keys": [key]}})["Responses"]["t"]
    assert table.delete_item(TableName="t", Key=key, ReturnValues="ALL_OLD")["Attributes"]
    streams = boto3.client("dynamodbstreams", region_name=REGION,
                           endpoint_url=STREAMS_ENDPOINT)
    arn = table.describe_table(TableName="t")["Table"]["LatestStreamArn"]
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]
    iterator = streams.get_shard_iterator(StreamArn=arn, ShardId=shard["ShardId"],
                                          ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    records = streams.get_records(ShardIterator=iterator)["Records"]
    assert [r["eventName"] for r in records][:2] == ["INSERT", "MODIFY"]
    # The records after the binary value's last appearance: written as they are.
    iterator = streams.get_shard_iterator(
        StreamArn=arn, ShardId=shard["ShardId"], ShardIteratorType="AFTER_SEQUENCE_NUMBER",
        SequenceNumber=records[1]["dynamodb"]["SequenceNumber"])["ShardIterator"]
    later = streams.get_records(ShardIterator=iterator)["Records"]
    assert [r["eventName"] for r in later] == ["MODIFY", "REMOVE"]
    assert later[0]["dynamodb"]["ApproximateCreationDateTime"].year >= 2025
    assert {"PutItem", "GetItem", "Query", "Scan", "UpdateItem", "TransactGetItems",
            "BatchGetItem", "DeleteItem", "GetRecords"} <= set(compared)


def test_the_bench_can_take_back_the_answer_parts_and_only_those():
    """bench/moto_unshimmed.py (the moto bench's other side): moto's own serializer and
    JSONPath parsing again, the rest of the shim still in place."""
    import subprocess
    import sys
    check = (
        "from bench import moto_unshimmed; moto_unshimmed.pytest_configure(None)\n"
        "import jsonpath_ng, jsonpath_ng.ext\n"
        "from moto.core.responses import ActionResult\n"
        "from moto.dynamodb.responses import DynamoHandler\n"
        "from moto.stepfunctions.parser.asl.utils import json_path\n"
        "assert not hasattr(ActionResult.execute_result, '__wrapped__')\n"
        "assert not hasattr(jsonpath_ng.ext.parse, '__wrapped__')\n"
        "assert json_path.parse is jsonpath_ng.ext.parse\n"
        "assert not hasattr(jsonpath_ng.parse, '__wrapped__')\n"
        "assert DynamoHandler.call_action.__wrapped__\n")
    done = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_queries_read_one_partition_and_answer_as_moto_does(table, monkeypatch):
    """Part 8: a Query on the table reads its partition alone, one on an index every item
    unsorted; page by page, forwards and backwards, with key conditions and filters, the
    answers are moto's own."""
    from moto.dynamodb.models.table import Table
    table.update_table(
        TableName="t", AttributeDefinitions=[{"AttributeName": "g", "AttributeType": "S"},
                                             {"AttributeName": "d", "AttributeType": "S"}],
        GlobalSecondaryIndexUpdates=[{"Create": {
            "IndexName": "byG", "Projection": {"ProjectionType": "KEYS_ONLY"},
            "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"},
                          {"AttributeName": "d", "KeyType": "RANGE"}]}}])
    for n in range(40):
        item = {"pk": {"S": f"case{n % 7}"}, "sk": {"S": f"{n:03d}"},
                "n": {"N": str(n)}}
        if n % 3:   # a sparse index: only some items carry its keys
            item |= {"g": {"S": f"dept{n % 2}"}, "d": {"S": f"2026-12-{n % 28 + 1:02d}"}}
        table.put_item(TableName="t", Item=item)
    queries = [
        {"KeyConditionExpression": "pk = :p", "ExpressionAttributeValues": {
            ":p": {"S": "case3"}}},
        {"KeyConditionExpression": "pk = :p AND sk > :s", "ScanIndexForward": False,
         "ExpressionAttributeValues": {":p": {"S": "case1"}, ":s": {"S": "005"}}},
        {"KeyConditionExpression": "pk = :p", "FilterExpression": "n > :n",
         "ExpressionAttributeValues": {":p": {"S": "case2"}, ":n": {"N": "10"}}},
        {"KeyConditionExpression": "pk = :p", "ExpressionAttributeValues": {
            ":p": {"S": "nobody"}}},
        {"IndexName": "byG", "KeyConditionExpression": "g = :g",
         "ExpressionAttributeValues": {":g": {"S": "dept1"}}},
        {"IndexName": "byG", "KeyConditionExpression": "g = :g AND d <= :d",
         "ScanIndexForward": False,
         "ExpressionAttributeValues": {":g": {"S": "dept0"}, ":d": {"S": "2026-12-20"}}},
    ]

    def pages(query: dict) -> list:
        answers, start = [], None
        while True:
            answer = table.query(TableName="t", Limit=2, **query,
                                 **({"ExclusiveStartKey": start} if start else {}))
            answers.append((answer["Items"], answer["Count"], answer["ScannedCount"]))
            start = answer.get("LastEvaluatedKey")
            if not start:
                return answers

    read = []   # how many items each page's query looked at
    all_items = Table.all_items
    monkeypatch.setattr(Table, "all_items",
                        lambda self: read.append(len(items := all_items(self))) or items)
    shimmed = [pages(query) for query in queries]
    # Three pages each of case3, case1 and case2 (6 items a partition), one of nobody's
    # (none), then 7 and 5 pages of the index, each looking at all 40 items.
    assert [len(answers) for answers in shimmed] == [3, 3, 3, 1, 7, 5]
    assert read == [6] * 9 + [0] + [40] * 12
    monkeypatch.setattr(Table, "query", Table.query.__wrapped__)
    monkeypatch.setattr(Table, "all_items", all_items.__wrapped__)
    assert shimmed == [pages(query) for query in queries]
