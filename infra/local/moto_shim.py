"""Make moto keep AWS's promises under concurrency and load (local stack and tests).

Part 1, DynamoDB.
moto 5.2.5 (`moto/dynamodb/models/__init__.py`, `transact_write_items`) runs a
transaction by deep-copying every table it touches, applying the operations one by one
and, when one fails, putting the copies back. With concurrent requests that

- drops every write other threads made while the transaction ran (a case answered 201
  disappeared),
- replaces the table's stream shard with the copy, so a stream reader never sees another
  record,
- raises `RuntimeError: dictionary changed size during iteration` when another request
  changes the table during the copy (a 500), and
- costs O(table size) per transaction (~220 ms with 300 cases).

This shim, installed into moto before it serves anything, changes two things and no more:

1. Every DynamoDB and DynamoDB Streams request runs under one lock, end to end
   (including serialising the answer, since moto updates items in place). A single
   local node serialising its requests gives the isolation DynamoDB promises.
2. `transact_write_items` evaluates every condition first and applies nothing unless all
   hold (cancellation reasons per operation, as AWS reports them). If an operation then
   fails while being applied (an item over 400 KB, a type error in an update), the
   operations already applied are undone item by item and their stream records removed.
   Nothing is copied but the items touched.

Part 2, the Step Functions executor. For every Task state it runs, moto's executor
(`moto/stepfunctions/parser/asl/utils/boto_client.py`) builds a new boto3 client: ~30 ms
of CPU and megabytes each, so a burst of applications spent most of its time and memory
building clients. The shim hands the executor one client per region, service and
endpoint (boto3 clients are thread-safe; the executor's credentials are fixed dummies).

It also parses the whole ASL definition with ANTLR and builds its evaluation components
for every execution it starts (`moto/stepfunctions/parser/asl/parse/asl_parser.py`),
~45 ms each. Components keep no state of an execution (that lives in each execution's
Environment; checked over moto's source: the one attribute set during evaluation is a
component's lazily drawn `heap_key`, which the shim draws under a lock), so the shim
builds the program of each definition once and lets every execution run it.

Starting executions: moto checks for an execution of the same name and appends the new
one without a lock, so two StartExecution calls racing with one name both start one.
AWS makes a start idempotent by name (a case's workflow is named by its case number, and
a retried application re-starts it safely); the shim starts one execution at a time.

Stopping executions: StopExecution marks the execution's program stopped but leaves a
task waiting on a callback token waiting for ever (its wait has no timeout), so the
execution never ends and stays RUNNING. AWS aborts it at once; the shim wakes every
callback the stopped execution waits on, and it ends ABORTED.

Part 3, SQS. Every SendMessage computes all of the queue's attributes
(`moto/sqs/models.py`, `send_message` reads `queue.attributes` for one flag), and with
them three approximate message counts, each a pass over every message: O(queue length)
per message sent, half of moto's CPU in a burst. While a message is sent, the shim
answers that one flag alone. ReceiveMessage does the same three times for every message
it returns (to read the retention period): the shim reads the period itself.

Part 4, the server. To route each request moto lists its own package directory
(`moto/backends.py`, `list_of_moto_modules`, a listdir and a stat per module), and to
find the handler's method it lists the handler class's functions with
`inspect.getmembers` (`moto/core/responses.py`, `call_action`); the shim does each once
(per class: the shim's own patches, made before anything is served, replace methods but
add none).

Part 5, S3: a conditional put (`If-None-Match: *`) runs one at a time, so a key is created
once however many try at once, as AWS promises. A browser's POST of a presigned form is
answered with the bucket's CORS headers for its origin, as S3 answers it (moto adds them
to other answers, not to that one), so the portal can read the answer of an upload.

Part 6, DynamoDB's answers. moto turns the answer of every item operation (GetItem,
Query, UpdateItem, TransactWriteItems…) into JSON by walking the operation's output shape
and, for every value, trying the attribute names each of its alias providers proposes
(`moto/core/serialize.py`): a seventh of the CPU of a moto-backed test, for answers that
are already in the wire's shape (moto builds them as `{"S": …}` / `{"N": "…"}` values,
`dynamo_to_dict`); the same for the stream's records, which the pump reads all the time.
The shim writes such an answer as it is — the members the output shape names, with no
null among them, as AWS leaves an absent member out, a record's time in epoch seconds as
the JSON protocol has it — and hands any answer holding something else JSON cannot write
as it is (the bytes of a binary attribute) to moto's serializer as before.

Part 7, JSONPath. moto parses a JSONPath anew wherever it meets one — EventBridge for
each input path of each target's input transformer, for every event put
(`moto/events/utils.py`), and the Step Functions interpreter for every path of every
state it runs — and jsonpath_ng builds a whole parser (ply's tables) for each parse: a
fifth of a moto-backed test's CPU went to it. The shim parses each path once; a parsed
path keeps nothing of what it is matched against.

Part 8, Query. moto answers every Query by listing every item of the table, sorted by key
(`Table.all_items`), and keeping those that match: a query of one case's few items cost
a sort of the whole table, so the stack slowed down as its tables filled (a burst of
2,000 applications spent most of moto's time there). The shim gives a Query on the table
the items of its partition alone, and one on an index every item unsorted (moto sorts
what matches by the index's keys itself). A Scan still pages through the table in key
order.

Part 9, KMS SM2 keys. A region may sign with 国密 SM2 (KMS key spec `SM2`, signing
algorithm `SM2DSA`, in the aws-cn partition). moto accepts the key spec but makes an RSA
key for it (`moto/kms/utils.py`, `generate_private_key`), which then refuses SM2DSA. The
shim makes a real SM2 key (domain/sm2.py): Sign answers SM2DSA over SM3 with the default
distinguishing ID, as DER; GetPublicKey its SubjectPublicKeyInfo (id-ecPublicKey,
sm2p256v1), as KMS does.

It is tied to moto's internals and so to one moto version: `install` refuses any other.
"""
import copy
import functools
import json
import threading
from datetime import datetime

PINNED_MOTO = "5.2.5"
LOCK = threading.RLock()
_installed = False


def _serialised(method, lock=LOCK):
    @functools.wraps(method)
    def serialised(*args, **kwargs):
        with lock:
            return method(*args, **kwargs)
    return serialised


def install() -> None:
    """Patch moto as the module docstring says (idempotent). Raises if moto is not the
    pinned version."""
    global _installed
    if _installed:
        return
    import moto
    if moto.__version__ != PINNED_MOTO:
        raise RuntimeError(
            f"infra/local/moto_shim.py is written against moto {PINNED_MOTO}, "
            f"found {moto.__version__}: re-check each part against the new moto source "
            "and update the shim and its pin together")
    from moto.dynamodb.models import DynamoDBBackend
    from moto.dynamodb.responses import DynamoHandler
    from moto.dynamodbstreams.responses import DynamoDBStreamsHandler

    DynamoHandler.call_action = _serialised(DynamoHandler.call_action)
    DynamoDBStreamsHandler.call_action = _serialised(DynamoDBStreamsHandler.call_action)
    DynamoDBBackend.transact_write_items = transact_write_items
    from moto.dynamodb.models.table import Table
    Table.query = _one_partition(Table.query)
    Table.all_items = _items_queried(Table.all_items)
    from moto.core.responses import ActionResult
    ActionResult.execute_result = _as_it_is(ActionResult.execute_result)

    from moto.stepfunctions.parser.asl.utils import boto_client
    boto_client.boto3 = _CachedClients(boto_client.boto3)
    from moto.stepfunctions.parser.asl.parse.asl_parser import AmazonStateLanguageParser
    AmazonStateLanguageParser.parse = staticmethod(
        _parse_once(AmazonStateLanguageParser.parse))
    from moto.stepfunctions.parser.asl.component.eval_component import EvalComponent
    EvalComponent.heap_key = _heap_key_once()
    from moto.stepfunctions.parser.models import StepFunctionsParserBackend
    StepFunctionsParserBackend.start_execution = _serialised(
        StepFunctionsParserBackend.start_execution, threading.Lock())
    from moto.stepfunctions.parser.asl.eval.environment import Environment
    Environment.set_stop = _waking_callbacks(Environment.set_stop)
    Environment.program_state = _stopped_stays_stopped(Environment.program_state)

    from moto.sqs.models import Queue, SQSBackend
    Queue.attributes = property(_attributes_unless_sending(Queue.attributes.fget))
    SQSBackend.send_message = _sending(SQSBackend.send_message)
    SQSBackend.is_message_valid_based_on_retention_period = _within_retention

    # moto checks for the key, then puts, unlocked: two at once could both put (the
    # supervision record's seals rely on a number being created once).
    from moto.s3.responses import S3Response
    S3Response.put_object = _serialised(S3Response.put_object, threading.Lock())
    S3Response._bucket_response_post = _with_cors(S3Response._bucket_response_post)

    import jsonpath_ng
    import jsonpath_ng.ext
    from moto.stepfunctions.parser.asl.component.common.path import result_path
    from moto.stepfunctions.parser.asl.utils import json_path
    jsonpath_ng.ext.parse = json_path.parse = _parsed_once(jsonpath_ng.ext.parse)
    jsonpath_ng.parse = result_path.parse = _parsed_once(jsonpath_ng.parse)

    from moto.core import responses as core_responses
    core_responses.method_names_from_class = functools.lru_cache(maxsize=None)(
        core_responses.method_names_from_class)

    from moto import backends
    modules = tuple(backends.list_of_moto_modules())
    backends.list_of_moto_modules = lambda: modules

    from moto.kms import models as kms_models
    kms_models.generate_private_key = _with_sm2(kms_models.generate_private_key)
    _installed = True


def _with_sm2(generate):
    """moto's private key for a key spec, or for `SM2` a real SM2 key (part 9)."""
    from moto.kms.utils import AbstractPrivateKey, validate_signing_algorithm

    from chalicelib.domain import sm2

    class Sm2PrivateKey(AbstractPrivateKey):
        def __init__(self) -> None:
            self.private_hex = sm2.new_private_key()
            self.point = sm2.public_point(self.private_hex)

        def sign(self, message: bytes, signing_algorithm: str) -> bytes:
            validate_signing_algorithm(signing_algorithm, ["SM2DSA"])
            return sm2.sign(self.private_hex, message)

        def verify(self, message: bytes, signature: bytes, signing_algorithm: str) -> bool:
            validate_signing_algorithm(signing_algorithm, ["SM2DSA"])
            return sm2.verify(self.point[:32], self.point[32:], message, signature)

        def public_key(self) -> bytes:
            return sm2.spki(self.point[:32], self.point[32:])

    @functools.wraps(generate)
    def generated(key_spec: str):
        return Sm2PrivateKey() if key_spec == "SM2" else generate(key_spec)
    return generated


# The partition a Query on this thread reads: (its hash key,) on the table, () on an
# index (every item), absent outside a Query.
_QUERYING = threading.local()


def _one_partition(query):
    @functools.wraps(query)
    def one_partition(self, hash_key, *args, **kwargs):
        # moto's DynamoDBBackend.query passes index_name seventh after the hash key.
        index_name = args[6] if len(args) > 6 else kwargs.get("index_name")
        _QUERYING.partition = () if index_name else (hash_key,)
        try:
            return query(self, hash_key, *args, **kwargs)
        finally:
            del _QUERYING.partition
    return one_partition


def _items_queried(all_items):
    @functools.wraps(all_items)
    def items(self):
        partition = getattr(_QUERYING, "partition", None)
        if partition is None:
            return all_items(self)
        if partition:
            found = self.items.get(partition[0])
            if found is None:
                return []
            return list(found.values()) if self.range_key_attr else [found]
        if self.range_key_attr:
            return [item for items in self.items.values() for item in items.values()]
        return list(self.items.values())
    return items


def _parsed_once(parse):
    cached = functools.lru_cache(maxsize=1024)(parse)

    @functools.wraps(parse)
    def parsed(path, *args, **kwargs):
        if args or kwargs or not isinstance(path, str):
            return parse(path, *args, **kwargs)
        return cached(path)
    return parsed


# The operations whose answers moto builds in the wire's shape: DynamoDB's item operations
# and the stream's records.
AS_IT_IS = {
    "dynamodb": frozenset({"GetItem", "PutItem", "UpdateItem", "DeleteItem", "Query", "Scan",
                           "BatchGetItem", "BatchWriteItem", "TransactGetItems",
                           "TransactWriteItems"}),
    "dynamodbstreams": frozenset({"GetRecords"})}


def _without_nulls(value):
    if isinstance(value, dict):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_nulls(v) for v in value]
    return value


def _as_it_is(execute_result):
    from moto.core.serialize import TimestampSerializer

    def timestamp(value):
        # A stream record's creation time, as the JSON protocol writes it (epoch seconds).
        if isinstance(value, datetime):
            return TimestampSerializer._timestamp_unixtimestamp(value)
        raise TypeError(f"{type(value).__name__} is not written as it is")

    @functools.wraps(execute_result)
    def execute(self, context):
        operation = context.operation_model
        shape = operation.output_shape
        if operation.name not in AS_IT_IS.get(context.service_model.service_name, ()) \
                or shape is None or not isinstance(self.result, dict):
            return execute_result(self, context)
        answer = {key: value for key, value in self.result.items() if key in shape.members}
        try:
            body = json.dumps(_without_nulls(answer), default=timestamp)
        except (TypeError, ValueError):   # bytes of a binary value: moto's serializer's
            return execute_result(self, context)
        version = context.service_model.metadata.get("jsonVersion", "1.0")
        return 200, {"Content-Type": f"application/x-amz-json-{version}"}, body
    return execute


def _with_cors(post):
    """A form POST's answer with the CORS headers the bucket's rule gives its Origin (none
    for an origin the rule does not name)."""
    @functools.wraps(post)
    def posted(self, request, bucket_name):
        status, headers, body = post(self, request, bucket_name)
        return status, {**self._get_cors_headers_other(), **headers}, body
    return posted


def _waking_callbacks(set_stop):
    @functools.wraps(set_stop)
    def stopping(self, stop_date, cause, error):
        set_stop(self, stop_date=stop_date, cause=cause, error=error)
        self._stopped_state = self._program_state
        for endpoint in list(self.callback_pool_manager._pool.values()):
            endpoint.interrupt_all()
    return stopping


def _stopped_stays_stopped(program_state):
    # A woken callback ends its task with an error; the execution was stopped before
    # that, and reports ABORTED as AWS does.
    @functools.wraps(program_state)
    def state(self):
        return getattr(self, "_stopped_state", None) or program_state(self)
    return state


_send = threading.local()


def _sending(send_message):
    @functools.wraps(send_message)
    def sending(*args, **kwargs):
        _send.active = True
        try:
            return send_message(*args, **kwargs)
        finally:
            _send.active = False
    return sending


def _attributes_unless_sending(attributes):
    @functools.wraps(attributes)
    def queue_attributes(queue):
        if getattr(_send, "active", False):
            # All send_message reads of them (FIFO queues only).
            if queue.fifo_queue:
                return {"ContentBasedDeduplication":
                        str(bool(queue.content_based_deduplication)).lower()}
            return {}
        return attributes(queue)
    return queue_attributes


def _within_retention(backend, queue_name: str, message) -> bool:
    """moto's retention check without computing every attribute of the queue."""
    from moto.core.utils import unix_time
    period = int(backend.get_queue(queue_name).message_retention_period)
    return period + message.sent_timestamp / 1000 > unix_time()


def _parse_once(parse):
    """moto's parse, once per definition."""
    parsed: dict[str, tuple] = {}
    lock = threading.Lock()

    def parse_cached(definition: str):
        with lock:
            if definition not in parsed:
                parsed[definition] = parse(definition)
            return parsed[definition]
    return parse_cached


def _heap_key_once():
    """EvalComponent.heap_key, drawn once even when executions race to draw it."""
    from moto.stepfunctions.parser.utils import long_uid
    lock = threading.Lock()

    def heap_key(component) -> str:
        key = component.__dict__.get("_EvalComponent__heap_key")
        if key is None:
            with lock:
                key = component.__dict__.get("_EvalComponent__heap_key")
                if key is None:
                    key = component._EvalComponent__heap_key = long_uid()
        return key
    return property(heap_key)


class _CachedClients:
    """Stands in for the `boto3` module inside moto's executor: `client` is cached."""

    def __init__(self, boto3_module):
        self._boto3 = boto3_module
        self._clients: dict = {}
        self._lock = threading.Lock()

    def client(self, **kwargs):
        key = (kwargs.get("region_name"), kwargs.get("service_name"),
               kwargs.get("endpoint_url"))
        with self._lock:
            if key not in self._clients:
                self._clients[key] = self._boto3.client(**kwargs)
            return self._clients[key]

    def __getattr__(self, name):
        return getattr(self._boto3, name)


def _plan(backend, transact_items: list[dict]) -> list[tuple]:
    """Check the request's shape as moto (and AWS) do; (op type, op, table, key) each."""
    from moto.dynamodb.exceptions import (
        MultipleTransactionsException,
        TooManyTransactionsException,
        TransactWriteSingleOpException,
    )
    if len(transact_items) > 100:
        raise TooManyTransactionsException()
    seen, plan = set(), []
    for item in transact_items:
        if len(item) > 1:
            raise TransactWriteSingleOpException
        op_type, op = next(iter(item.items()))
        if op_type not in {"ConditionCheck", "Put", "Delete", "Update"}:
            raise ValueError("Unsupported transaction operation")
        table = backend.get_table(op["TableName"])
        if op_type == "Put":
            attrs = op["Item"]
            key = {table.hash_key_attr: attrs[table.hash_key_attr]}
            if table.range_key_attr is not None:
                key[table.range_key_attr] = attrs[table.range_key_attr]
        else:
            key = op["Key"]
        identity = (table.name, str(dict(sorted(key.items()))))
        if identity in seen:
            raise MultipleTransactionsException()
        seen.add(identity)
        plan.append((op_type, op, table, key))
    return plan


def _condition_reasons(backend, plan: list[tuple]) -> list[tuple]:
    """(code, message, old item) per operation; code None where the condition holds."""
    from moto.dynamodb.comparisons import get_filter_expression
    reasons = []
    for _, op, table, key in plan:
        expression = op.get("ConditionExpression")
        current = backend.get_item(table.name, key)
        if expression is not None and not get_filter_expression(
                expression, op.get("ExpressionAttributeNames"),
                op.get("ExpressionAttributeValues")).expr(current):
            old = None
            if op.get("ReturnValuesOnConditionCheckFailure") == "ALL_OLD" and current:
                old = current.to_json()["Attributes"]
            reasons.append(("ConditionalCheckFailed", "The conditional request failed", old))
        else:
            reasons.append((None, None, None))
    return reasons


def _apply(backend, op_type: str, op: dict, table, key: dict) -> None:
    names, values = op.get("ExpressionAttributeNames"), op.get("ExpressionAttributeValues")
    condition = op.get("ConditionExpression")
    if op_type == "Put":
        backend.put_item(table.name, op["Item"], condition_expression=condition,
                         expression_attribute_names=names,
                         expression_attribute_values=values)
    elif op_type == "Delete":
        backend.delete_item(table.name, key, condition_expression=condition,
                            expression_attribute_names=names,
                            expression_attribute_values=values)
    elif op_type == "Update":
        backend.update_item(table.name, key, update_expression=op["UpdateExpression"],
                            condition_expression=condition,
                            expression_attribute_names=names,
                            expression_attribute_values=values)


def _undo(applied: list[tuple], stream_lengths: dict) -> None:
    """Put each touched item back as it was, newest first, and drop the stream records
    the undone operations wrote (no other request ran meanwhile: we hold the lock)."""
    for table, hash_value, range_value, before in reversed(applied):
        if range_value is not None:
            if before is None:
                table.items[hash_value].pop(range_value, None)
            else:
                table.items[hash_value][range_value] = before
        elif before is None:
            table.items.pop(hash_value, None)
        else:
            table.items[hash_value] = before
    for table, length in stream_lengths.items():
        del table.stream_shard.items[length:]


def transact_write_items(self, transact_items: list[dict]) -> None:
    """All or nothing, isolated, O(items touched); replaces moto's table-copying one."""
    from moto.dynamodb.exceptions import MockValidationException, TransactionCanceledException
    with LOCK:
        plan = _plan(self, transact_items)
        reasons = _condition_reasons(self, plan)
        if any(code is not None for code, _, _ in reasons):
            raise TransactionCanceledException(reasons)
        stream_lengths = {table: len(table.stream_shard.items)
                          for _, _, table, _ in plan if table.stream_shard is not None}
        applied = []
        for index, (op_type, op, table, key) in enumerate(plan):
            if op_type == "ConditionCheck":
                continue
            hash_value, range_value = self.get_keys_value(table, key)
            before = table.get_item(hash_value, range_value)
            applied.append((table, hash_value, range_value, copy.deepcopy(before)))
            try:
                _apply(self, op_type, op, table, key)
            except MockValidationException:
                _undo(applied, stream_lengths)
                raise
            except Exception as error:  # what AWS reports as this operation's reason
                _undo(applied, stream_lengths)
                reasons = [(None, None, None)] * len(plan)
                reasons[index] = ("ValidationError", str(getattr(error, "message", error)),
                                  None)
                raise TransactionCanceledException(reasons) from None
