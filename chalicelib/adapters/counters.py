"""The statistics table: monthly counters (month, dimension) added to atomically, once
per event.

Counters are attributes named at run time (the working-days histogram's buckets among
them), which a model cannot declare: this adapter speaks DynamoDB's own expressions
through the process's one client (adapters/models.connection)."""
from botocore.exceptions import ClientError

from . import models

MARKER = "EVENT#"


def _client():
    return models.connection().client


def add_once(table: str, event_id: str, updates: dict[tuple[str, str], dict[str, int]],
             expires_at: int) -> bool:
    """In one transaction: mark `event_id` counted and ADD each counter of each (month,
    dimension). False if the event was counted before (nothing changes)."""
    items = [{"Put": {"TableName": table,
                      "Item": {"month": {"S": MARKER + event_id}, "dimension": {"S": "-"},
                               "expiresAt": {"N": str(expires_at)}},
                      "ConditionExpression": "attribute_not_exists(#m)",
                      "ExpressionAttributeNames": {"#m": "month"}}}]
    for (month, dimension), counts in updates.items():
        names = {f"#c{i}": name for i, name in enumerate(counts)}
        values = {f":v{i}": {"N": str(value)} for i, value in enumerate(counts.values())}
        items.append({"Update": {
            "TableName": table, "Key": {"month": {"S": month}, "dimension": {"S": dimension}},
            "UpdateExpression": "ADD " + ", ".join(f"#c{i} :v{i}" for i in range(len(counts))),
            "ExpressionAttributeNames": names, "ExpressionAttributeValues": values}})
    try:
        _client().transact_write_items(TransactItems=items)
    except ClientError as error:
        reasons = error.response.get("CancellationReasons") or []
        if reasons and reasons[0].get("Code") == "ConditionalCheckFailed":
            return False
        raise
    return True


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
