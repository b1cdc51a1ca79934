"""DynamoDB capacity units of each call, from the real items before and after it.

On-demand DynamoDB bills a write by the size of the item (the larger of before and
after, in 1 KB steps), twice inside a transaction, plus a write for every global
secondary index entry the change puts, changes or removes (the projected item's size,
in 1 KB steps); a read by the size read in 4 KB steps, half for an eventually consistent
read. The bench runs on moto in this process, so the items before and after each write
are read straight from moto's tables (`Meter`), and sizes follow DynamoDB's rules
(`item_size`).

One correction: moto's task tokens are 36 characters; a real Step Functions token is
far longer (the API allows 2,048). Items holding a token are sized with TOKEN_BYTES.
"""
import math
import threading
from collections import Counter
from decimal import Decimal

TOKEN_BYTES = 1024  # assumed size of a real task token (attributes `token`, `tokens`)
WRITES = ("PutItem", "UpdateItem", "DeleteItem")


def value_size(value: dict) -> int:
    """The size DynamoDB counts for one attribute value (DynamoDB JSON)."""
    kind, inner = next(iter(value.items()))
    if kind == "S":
        return len(inner.encode("utf-8"))
    if kind == "N":
        digits = Decimal(inner).normalize().as_tuple().digits
        return math.ceil(len(digits) / 2) + 1
    if kind == "B":
        return len(inner)
    if kind in ("BOOL", "NULL"):
        return 1
    if kind in ("SS", "NS", "BS"):
        return sum(value_size({kind[0]: v}) for v in inner)
    if kind == "L":
        return 3 + sum(1 + value_size(v) for v in inner)
    if kind == "M":
        return 3 + sum(1 + len(k.encode("utf-8")) + value_size(v) for k, v in inner.items())
    raise ValueError(f"unknown attribute type {kind}")


def item_size(item: dict | None) -> int:
    """An item's size: every attribute's name and value (tokens at TOKEN_BYTES)."""
    if not item:
        return 0
    size = 0
    for name, value in item.items():
        size += len(name.encode("utf-8"))
        if name == "token" and "S" in value:
            size += TOKEN_BYTES
        elif name == "tokens" and "SS" in value:
            size += TOKEN_BYTES * len(value["SS"])
        else:
            size += value_size(value)
    return size


def _kb(size: int) -> int:
    return max(1, math.ceil(size / 1024))


def _index_entry(item: dict | None, index_keys: list[str], projected: list | None,
                 keys: list[str]) -> dict | None:
    """What a global index holds of an item (None: the item is not in it)."""
    if not item or any(k not in item for k in index_keys):
        return None
    if projected is None:
        return item
    return {k: v for k, v in item.items() if k in (*index_keys, *keys, *projected)}


def write_units(old: dict | None, new: dict | None, indexes: list[tuple[list[str], list | None]],
                keys: list[str], transactional: bool = False) -> int:
    """Write units of one write: the item (twice in a transaction) and each index entry.

    `indexes`: (key attributes, projected attributes or None for ALL) per global index;
    `keys`: the table's key attributes (always projected)."""
    units = _kb(max(item_size(old), item_size(new))) * (2 if transactional else 1)
    for index_keys, projected in indexes:
        before = _index_entry(old, index_keys, projected, keys)
        after = _index_entry(new, index_keys, projected, keys)
        if before == after:
            continue
        if before and after and all(before[k] == after[k] for k in index_keys):
            units += _kb(item_size(after))
            continue
        units += (_kb(item_size(before)) if before else 0) + \
            (_kb(item_size(after)) if after else 0)
    return units


def read_units(sizes: list[int], consistent: bool) -> float:
    """Read units of one GetItem or Query page: 4 KB steps of what it read."""
    units = max(1, math.ceil(sum(sizes) / 4096))
    return units if consistent else units / 2


class Meter:
    """Counts write and read units of every DynamoDB call made while `active`, with
    botocore event hooks, reading moto's tables for the items before and after."""

    def __init__(self):
        self.active = False
        self.write_units = 0
        self.read_units = 0.0
        # Write units by table (its name): what each write path takes of an application.
        self.write_units_by_table: Counter = Counter()
        self._pending = threading.local()
        self._lock = threading.Lock()

    def install(self, register) -> None:
        """`register(event, handler)`: botocore's, for every session."""
        register("before-parameter-build.dynamodb", self._before)
        register("after-call.dynamodb", self._after)

    def reset(self) -> None:
        self.write_units, self.read_units = 0, 0.0
        self.write_units_by_table = Counter()

    # -- moto's tables --------------------------------------------------------------------

    @staticmethod
    def _table(name: str):
        from moto.dynamodb.models import dynamodb_backends
        for account in dynamodb_backends.values():
            for backend in account.values():
                if name in backend.tables:
                    return backend.tables[name]
        raise KeyError(name)

    def _current(self, table_name: str, key: dict) -> dict | None:
        from moto.dynamodb.models.dynamo_type import DynamoType
        table = self._table(table_name)
        item = table.get_item(DynamoType(key[table.hash_key_attr]),
                              DynamoType(key[table.range_key_attr])
                              if table.range_key_attr else None)
        return item.to_json()["Attributes"] if item else None

    def _shape(self, table_name: str):
        table = self._table(table_name)
        keys = [k for k in (table.hash_key_attr, table.range_key_attr) if k]
        indexes = []
        for index in table.global_indexes:
            projection = index.projection or {}
            kind = projection.get("ProjectionType", "ALL")
            indexes.append(([k["AttributeName"] for k in index.schema],
                            None if kind == "ALL" else projection.get("NonKeyAttributes", [])))
        return keys, indexes

    # -- the hooks ------------------------------------------------------------------------

    def _writes_of(self, operation: str, params: dict) -> list[tuple[str, dict, bool]]:
        if operation in WRITES:
            if operation == "PutItem":
                keys, _ = self._shape(params["TableName"])
                key = {k: params["Item"][k] for k in keys}
            else:
                key = params["Key"]
            return [(params["TableName"], key, False)]
        if operation == "TransactWriteItems":
            found = []
            for action in params["TransactItems"]:
                kind, body = next(iter(action.items()))
                if kind == "Put":
                    keys, _ = self._shape(body["TableName"])
                    key = {k: body["Item"][k] for k in keys}
                else:
                    key = body["Key"]
                found.append((body["TableName"], key, True))
            return found
        return []

    def _before(self, params, model, **_):
        if not self.active:
            return
        writes = self._writes_of(model.name, params)
        self._pending.writes = [(table, key, tx, self._current(table, key))
                                for table, key, tx in writes]
        self._pending.params = params

    def _after(self, model, parsed, **_):
        if not self.active:
            return
        params = getattr(self._pending, "params", None) or {}
        units, reads, by_table = 0, 0.0, Counter()
        for table, key, transactional, old in getattr(self._pending, "writes", []):
            new = self._current(table, key)
            keys, indexes = self._shape(table)
            by_table[table] += write_units(old, new, indexes, keys, transactional)
        units = sum(by_table.values())
        if model.name == "GetItem" and "Item" in parsed:
            reads = read_units([item_size(_raw(parsed["Item"]))],
                               bool(params.get("ConsistentRead")))
        elif model.name == "GetItem":
            reads = read_units([0], bool(params.get("ConsistentRead")))
        elif model.name in ("Query", "Scan"):
            reads = read_units([item_size(_raw(i)) for i in parsed.get("Items", [])],
                               bool(params.get("ConsistentRead")))
        self._pending.writes, self._pending.params = [], None
        with self._lock:
            self.write_units += units
            self.read_units += reads
            self.write_units_by_table.update(by_table)


def _raw(item: dict) -> dict:
    """A parsed item back in DynamoDB JSON (botocore leaves low-level clients' items in
    that form; this only normalises binary values)."""
    return {k: ({"B": v["B"]} if "B" in v else v) for k, v in item.items()}
