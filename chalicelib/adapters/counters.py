"""The statistics table: monthly counters (month, dimension) added to atomically, once
per event, and beside them the cases behind the figures (`CASES#…` partitions).

Counters are attributes named at run time (the working-days histogram's buckets among
them), which a model cannot declare: this adapter speaks DynamoDB's own expressions
through the process's one client (adapters/models.connection)."""
import random
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from botocore.exceptions import ClientError

from . import models

MARKER = "EVENT#"


def _client():
    return models.connection().client


def _typed(value) -> dict:
    if isinstance(value, bool):
        return {"BOOL": value}
    if isinstance(value, (int, float)):
        return {"N": str(value)}
    return {"S": str(value)}


# Items one transaction takes at most (DynamoDB's limit).
TRANSACTION_ITEMS = 100
# Tries again after a transaction conflict before the batch fails (and its queue delivers
# it again).
CONFLICT_RETRIES = 4


@dataclass(frozen=True)
class Counted:
    """What one event adds: each counter of each (month, dimension), and the entries to
    put (their keys, then their fields: a case behind a figure)."""
    event_id: str
    updates: dict[tuple[str, str], dict[str, int]]
    entries: dict[tuple[str, str], dict] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return 1 + len(self.updates) + len(self.entries)


def add_once(table: str, event_id: str, updates: dict[tuple[str, str], dict[str, int]],
             expires_at: int, entries: dict[tuple[str, str], dict] | None = None) -> bool:
    """`add_all` of one event: False if it was counted before (nothing changes)."""
    return not add_all(table, [Counted(event_id, updates, entries or {})], expires_at)


def add_all(table: str, events: list[Counted], expires_at: int) -> set[str]:
    """Count every event once, as few transactions as DynamoDB's limit allows: each marks
    its events counted and ADDs their counters summed per (month, dimension) — a batch of
    ten events of one month writes its `all` row once, not ten times. The ids of the
    events counted before (they add nothing)."""
    before: set[str] = set()
    pending = list({event.event_id: event for event in events}.values())
    conflicts = 0
    while pending:
        chunk, size = [], 0
        for event in pending:
            if chunk and size + event.size > TRANSACTION_ITEMS:
                break
            chunk.append(event)
            size += event.size
        try:
            _client().transact_write_items(TransactItems=_transaction(table, chunk,
                                                                      expires_at))
        except ClientError as error:
            reasons = error.response.get("CancellationReasons") or []
            counted = {event.event_id for event, reason in zip(chunk, reasons, strict=False)
                       if reason.get("Code") == "ConditionalCheckFailed"}
            if counted:
                before |= counted   # the others again, without them
                pending = [event for event in pending if event.event_id not in counted]
                continue
            conflicts += 1
            if conflicts > CONFLICT_RETRIES or not any(
                    reason.get("Code") == "TransactionConflict" for reason in reasons):
                raise
            # Another batch's transaction holds a row (the month's `all` row, mostly):
            # after a short, random wait, again.
            time.sleep(random.uniform(0, 0.02 * 2 ** conflicts))
            continue
        pending = pending[len(chunk):]
    return before


def _transaction(table: str, events: list[Counted], expires_at: int) -> list[dict]:
    """The events' markers first (a cancelled transaction's reasons name them in this
    order), then their counters summed, then their entries."""
    items = [{"Put": {"TableName": table,
                      "Item": {"month": {"S": MARKER + event.event_id},
                               "dimension": {"S": "-"},
                               "expiresAt": {"N": str(expires_at)}},
                      "ConditionExpression": "attribute_not_exists(#m)",
                      "ExpressionAttributeNames": {"#m": "month"}}} for event in events]
    summed: dict[tuple[str, str], Counter] = defaultdict(Counter)
    entries: dict[tuple[str, str], dict] = {}
    for event in events:
        for key, counts in event.updates.items():
            summed[key].update(counts)
        entries.update(event.entries)   # one item is written once in a transaction
    for (month, dimension), counts in summed.items():
        names = {f"#c{i}": name for i, name in enumerate(counts)}
        values = {f":v{i}": {"N": str(value)} for i, value in enumerate(counts.values())}
        items.append({"Update": {
            "TableName": table, "Key": {"month": {"S": month}, "dimension": {"S": dimension}},
            "UpdateExpression": "ADD " + ", ".join(f"#c{i} :v{i}" for i in range(len(counts))),
            "ExpressionAttributeNames": names, "ExpressionAttributeValues": values}})
    for (partition, sort), fields in entries.items():
        item = {"month": {"S": partition}, "dimension": {"S": sort}}
        item.update({name: _typed(value) for name, value in fields.items()
                     if value is not None})
        items.append({"Put": {"TableName": table, "Item": item}})
    return items


def _plain(item: dict) -> dict:
    return {name: int(value["N"]) if "N" in value else value.get("S")
            for name, value in item.items()}


def get_many(table: str, keys: list[tuple[str, str]]) -> dict[tuple[str, str], dict]:
    """The counters of each (month, dimension) that has any; one call per 100 keys."""
    found: dict[tuple[str, str], dict] = {}
    for start in range(0, len(keys), 100):
        wanted = {table: {"Keys": [{"month": {"S": month}, "dimension": {"S": dimension}}
                                   for month, dimension in keys[start:start + 100]]}}
        while wanted:
            answer = _client().batch_get_item(RequestItems=wanted)
            for item in answer["Responses"].get(table, []):
                row = _plain(item)
                found[(row.pop("month"), row.pop("dimension"))] = row
            wanted = answer.get("UnprocessedKeys") or {}
    return found


def month(table: str, month_key: str) -> list[dict]:
    """Every dimension's counters of one month, by dimension."""
    rows, start = [], None
    while True:
        kwargs = {"ExclusiveStartKey": start} if start else {}
        answer = _client().query(TableName=table, KeyConditionExpression="#m = :m",
                                 ExpressionAttributeNames={"#m": "month"},
                                 ExpressionAttributeValues={":m": {"S": month_key}}, **kwargs)
        rows += [_plain(item) for item in answer["Items"]]
        start = answer.get("LastEvaluatedKey")
        if not start:
            return rows


def _value(value: dict):
    if "BOOL" in value:
        return value["BOOL"]
    if "N" in value:
        number = value["N"]
        return float(number) if "." in number else int(number)
    return value.get("S")


def entries(table: str, partition: str, prefix: str, limit: int,
            start: dict | None = None) -> tuple[list[dict], dict | None]:
    """One page of the entries of `partition` whose sort key starts with `prefix`, in
    order, and the key to go on from (None: the last page)."""
    kwargs = {"ExclusiveStartKey": start} if start else {}
    answer = _client().query(
        TableName=table, KeyConditionExpression="#m = :m AND begins_with(#d, :p)",
        ExpressionAttributeNames={"#m": "month", "#d": "dimension"},
        ExpressionAttributeValues={":m": {"S": partition}, ":p": {"S": prefix}},
        Limit=limit, **kwargs)
    return ([{name: _value(value) for name, value in item.items()}
             for item in answer["Items"]], answer.get("LastEvaluatedKey"))


def dimensions(table: str, month_key: str, prefix: str, after: str | None,
               limit: int) -> list[dict]:
    """Up to `limit` dimensions of one month whose names start with `prefix` (`dept#`,
    `item#`), in order, from the one after `after` (a name without the prefix) on: one
    Query (the month is the partition key; no Scan)."""
    low = prefix + (after or "")
    # The prefix's `#` raised by one: an upper bound no dimension of another kind reaches.
    high = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    rows, start = [], None
    while len(rows) < limit:
        kwargs = {"ExclusiveStartKey": start} if start else {}
        answer = _client().query(
            TableName=table, KeyConditionExpression="#m = :m AND #d BETWEEN :lo AND :hi",
            ExpressionAttributeNames={"#m": "month", "#d": "dimension"},
            ExpressionAttributeValues={":m": {"S": month_key}, ":lo": {"S": low},
                                       ":hi": {"S": high}},
            Limit=limit + 1, **kwargs)
        rows += [row for row in map(_plain, answer["Items"])
                 if after is None or row["dimension"] != low]
        start = answer.get("LastEvaluatedKey")
        if not start:
            break
    return rows[:limit]
