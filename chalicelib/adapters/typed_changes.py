"""Typed changes (domain/changes.py) as PynamoDB writes: how every DynamoDB repository (the
case files, the license library, the supervision store, the catalogue's items) writes what
a use case decided. The in-memory fakes (tests/fakes/records.py) apply the same changes
with `domain.changes.check`/`applied`; both must refuse the same ones.

One change is one UpdateItem (or a conditional PutItem for a `Create`); several, one
TransactWriteItems, all or none. A `Change`'s `set`, `remove` and `add` become SET, REMOVE
and ADD actions on the record's model attributes, its `expect` a condition expression
joined with the record existing (an update never creates a record). A versioned record
keeps PynamoDB's VersionAttribute semantics: a change naming the version read is
conditioned on it, and every change adds one to it (PynamoDB's own `ADD version 1`);
whether it may be changed without naming the version is the repository's to say.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from pynamodb.exceptions import PutError, TransactWriteError, UpdateError
from pynamodb.expressions.condition import Condition as StoredCondition
from pynamodb.models import Model

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
from .models import cancellation_codes, condition_failed, transact_write

# The model of the record a key names, as each repository knows its records.
ModelOf = Callable[[tuple[str, str]], type[Model]]

# Why a transaction is cancelled when another writer got there first (each, for us, a
# condition that no longer holds): the condition itself, or a concurrent transaction on
# one of its records. Any other reason (a validation error, throttling) is a fault and
# is raised as it is.
LOST_RACE = {"ConditionalCheckFailed", "TransactionConflict"}


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


def actions_of(model: type[Model], change: Change) -> list[Any]:
    """The change's SET, REMOVE and ADD actions on `model` (a value None is stored as
    PynamoDB stores it: an explicit null)."""
    attributes = model.get_attributes()
    return [*(attributes[name].set(value) for name, value in change.set.items()),
            *(attributes[name].remove() for name in sorted(change.remove)),
            *(attributes[name].add(set(elements)) for name, elements
              in sorted(change.add.items()))]


def update_of(model: type[Model], change: Change, *, unnamed_version_bumps: bool = False
              ) -> tuple[Model, dict[str, Any]]:
    """The record to update (keys only, its version as the change read it) and the
    arguments of its update.

    A versioned record changed without naming its version is refused (ValueError) unless
    `unnamed_version_bumps`: then the write is not conditioned on the version but still
    adds one to it (the case record, which many writers change without reading it)."""
    hash_key, range_key = change.key
    record = model(hash_key, range_key) if model._range_key_attribute() else model(hash_key)
    condition = model._hash_key_attribute().exists()
    for expected in change.expect:
        condition &= condition_of(model, expected)
    version = model._version_attribute_name
    if version is None and change.version is not None:
        raise ValueError(f"{model.__name__} has no version to check")
    if version is not None:
        if change.version is None and not unnamed_version_bumps:
            raise ValueError(f"{model.__name__} is versioned: change it with its version")
        # PynamoDB conditions the write on the version the instance holds and adds one to
        # it; with no version named, any value stands in and only the addition is kept.
        setattr(record, version, change.version if change.version is not None else 0)
    return record, {"actions": actions_of(model, change), "condition": condition,
                    "add_version_condition": change.version is not None}


def _absent(record: Model) -> StoredCondition:
    return type(record)._hash_key_attribute().does_not_exist()


def write(changes: Sequence[Change | Create], model_of: ModelOf, *,
          unnamed_version_bumps: bool = False) -> None:
    """Write `changes` all or none, raising `ConditionFailed` when a condition (or a
    version, or a new record's key being free) does not hold, or another transaction
    on the same records got there first; any other failure is raised as it is."""
    if not changes:
        return
    if len(changes) > 1:
        _transact(changes, model_of, unnamed_version_bumps)
    elif isinstance(changes[0], Create):
        _create(changes[0])
    else:
        _update_one(changes[0], model_of, unnamed_version_bumps)


def _create(create: Create) -> None:
    try:
        create.record.save(condition=_absent(create.record))
    except PutError as error:
        if condition_failed(error):
            raise ConditionFailed(create.key, "exists already") from None
        raise


def _update_one(change: Change, model_of: ModelOf, unnamed_version_bumps: bool) -> None:
    record, arguments = update_of(model_of(change.key), change,
                                  unnamed_version_bumps=unnamed_version_bumps)
    try:
        record.update(**arguments)
    except UpdateError as error:
        if condition_failed(error):
            raise ConditionFailed(change.key, "a condition") from None
        raise


def _transact(changes: Sequence[Change | Create], model_of: ModelOf,
              unnamed_version_bumps: bool) -> None:
    try:
        with transact_write() as transaction:
            for change in changes:
                if isinstance(change, Create):
                    transaction.save(change.record, condition=_absent(change.record))
                else:
                    record, arguments = update_of(
                        model_of(change.key), change,
                        unnamed_version_bumps=unnamed_version_bumps)
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
