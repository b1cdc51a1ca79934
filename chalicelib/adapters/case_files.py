"""Case files in DynamoDB: the `CaseFiles` of chalicelib/services/case_files.py over the
cases table's PynamoDB models.

A typed `Change` becomes one UpdateItem (one change) or one TransactWriteItems (several):
its `set` and `remove` become SET and REMOVE actions on the record's model attributes,
its `expect` conditions a condition expression, joined with the record existing (an
update never creates a record). The case record keeps PynamoDB's VersionAttribute
semantics exactly: a change naming the version read is conditioned on it, and every change
of the case adds one to it (PynamoDB's own `ADD version 1`).
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pynamodb.exceptions import PutError, TransactWriteError, UpdateError
from pynamodb.expressions.condition import Condition as StoredCondition
from pynamodb.models import Model

from ..domain.case_file import IDEMPOTENCY, MARKERS, META, OPEN_APPLICATION, CaseFile, task_key
from ..domain.changes import (
    Absent,
    AbsentOr,
    Change,
    Condition,
    ConditionFailed,
    Create,
    Equals,
    OneOf,
    Present,
)
from .models import (
    CaseRecord,
    CasesTableRecord,
    IdempotencyRecord,
    OpenApplication,
    TaskRecord,
    TaskToken,
    TimelineEvent,
    cancellation_codes,
    condition_failed,
    transact_write,
)

# The record types of a case file, by the prefix of their sort key.
RECORD_TYPES: tuple[tuple[str, type[Model]], ...] = (
    ("TASK#", TaskRecord), ("EV#", TimelineEvent), ("TOKEN#", TaskToken))
# The markers written with a new case, by their sort key (domain/case_file.py).
MARKER_TYPES: dict[str, type[Model]] = {OPEN_APPLICATION: OpenApplication,
                                        IDEMPOTENCY: IdempotencyRecord}
# Why a transaction is cancelled when another writer got there first (each, for us, a
# condition that no longer holds): the condition itself, or a concurrent transaction on
# one of its records.
LOST_RACE = {"ConditionalCheckFailed", "TransactionConflict"}


def model_of(key: tuple[str, str]) -> type[Model]:
    """The model of the record a key names."""
    if key[1] == META:
        return CaseRecord
    if key[1] in MARKER_TYPES:
        return MARKER_TYPES[key[1]]
    for prefix, model in RECORD_TYPES:
        if key[1].startswith(prefix):
            return model
    raise ValueError(f"no record type of a case file has the key {key}")


def condition_of(model: type[Model], condition: Condition) -> StoredCondition:
    """A typed condition as a PynamoDB condition on `model`'s attribute."""
    attribute = model.get_attributes()[condition.attribute]
    if isinstance(condition, Equals):
        return attribute == condition.value
    if isinstance(condition, OneOf):
        return attribute.is_in(*condition.values)
    if isinstance(condition, Absent):
        return attribute.does_not_exist()
    if isinstance(condition, Present):
        return attribute.exists()
    if isinstance(condition, AbsentOr):
        return attribute.does_not_exist() | (attribute == condition.value)
    raise TypeError(f"not a condition: {condition!r}")


def actions_of(model: type[Model], change: Change) -> list:
    """The change's SET, REMOVE and ADD actions on `model` (a value None is stored as
    PynamoDB stores it, as before: an explicit null)."""
    attributes = model.get_attributes()
    return [*(attributes[name].set(value) for name, value in change.set.items()),
            *(attributes[name].remove() for name in sorted(change.remove)),
            *(attributes[name].add(set(elements)) for name, elements
              in sorted(change.add.items()))]


def _update(change: Change) -> tuple[Model, dict[str, Any]]:
    """The record to update (keys only, its version as the change read it) and the
    arguments of its update."""
    model = model_of(change.key)
    record = model(*change.key)
    condition = model._hash_key_attribute().exists()
    for expected in change.expect:
        condition &= condition_of(model, expected)
    versioned = model._version_attribute_name is not None
    if change.version is not None and not versioned:
        raise ValueError(f"{model.__name__} has no version to check")
    if versioned:
        # PynamoDB conditions the write on the version the instance holds and adds one to
        # it; with no version named, any value stands in and only the addition is kept.
        record.version = change.version if change.version is not None else 0
    return record, {"actions": actions_of(model, change), "condition": condition,
                    "add_version_condition": change.version is not None}


def _absent(record: Model):
    return type(record)._hash_key_attribute().does_not_exist()


class DynamoCaseFiles:
    """`CaseFiles` in the cases table (the models bound by wiring.configure)."""

    def get(self, case_no: str, *, consistent: bool = False) -> CaseRecord | None:
        try:
            return CaseRecord.get(case_no, META, consistent_read=consistent)
        except CaseRecord.DoesNotExist:
            return None

    def load(self, case_no: str, *, consistent: bool = False) -> CaseFile | None:
        case, events, tasks = None, [], []
        for record in CasesTableRecord.query(case_no, consistent_read=consistent):
            if isinstance(record, CaseRecord):
                case = record
            elif isinstance(record, TimelineEvent):
                events.append(record)
            elif isinstance(record, TaskRecord):
                tasks.append(record)
        return None if case is None else CaseFile(case, events, tasks)

    def get_task(self, task_id: str, *, consistent: bool = False) -> TaskRecord | None:
        try:
            return TaskRecord.get(*task_key(task_id), consistent_read=consistent)
        except TaskRecord.DoesNotExist:
            return None

    def get_marker(self, key: tuple[str, str], *, consistent: bool = False) -> Any | None:
        if key[1] not in MARKERS:
            raise ValueError(f"{key} is not a marker's key")
        model = MARKER_TYPES[key[1]]
        try:
            return model.get(*key, consistent_read=consistent)
        except model.DoesNotExist:
            return None

    def create(self, create: Create) -> None:
        try:
            create.record.save(condition=_absent(create.record))
        except PutError as error:
            if condition_failed(error):
                raise ConditionFailed(create.key, "exists already") from None
            raise

    def commit(self, changes: Sequence[Change | Create]) -> None:
        if not changes:
            return
        if len(changes) > 1:
            self._transact(changes)
        elif isinstance(changes[0], Create):
            self.create(changes[0])
        else:
            self._update_one(changes[0])

    @staticmethod
    def _update_one(change: Change) -> None:
        record, arguments = _update(change)
        try:
            record.update(**arguments)
        except UpdateError as error:
            if condition_failed(error):
                raise ConditionFailed(change.key, "a condition") from None
            raise

    @staticmethod
    def _transact(changes: Sequence[Change | Create]) -> None:
        try:
            with transact_write() as transaction:
                for change in changes:
                    if isinstance(change, Create):
                        transaction.save(change.record, condition=_absent(change.record))
                    else:
                        record, arguments = _update(change)
                        transaction.update(record, **arguments)
        except TransactWriteError as error:
            if error.cause_response_code != "TransactionCanceledException":
                raise
            codes = cancellation_codes(error)
            lost = [change.key for change, code in zip(changes, codes, strict=False)
                    if code in LOST_RACE]
            if not lost and any(codes):
                raise
            raise ConditionFailed(lost[0] if lost else changes[0].key,
                                  "a condition") from None
