"""Typed changes (domain/changes.py) as PynamoDB actions and conditions: how the DynamoDB
repositories write what a use case decided. The in-memory fakes apply the same changes
with `domain.changes.check`/`applied`; both must refuse the same ones."""
from collections.abc import Sequence

from pynamodb.exceptions import PutError, TransactWriteError, UpdateError
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
from .models import all_of, condition_failed, transact_write


def condition_of(model: type[Model], condition: Condition):
    attribute = getattr(model, condition.attribute)
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
    return [*(getattr(model, name).set(value) for name, value in change.set.items()),
            *(getattr(model, name).remove() for name in sorted(change.remove))]


def _target(model: type[Model], change: Change) -> Model:
    """The record to update, keyed; a versioned one carries the version the use case read,
    so PynamoDB checks and bumps it (a versioned record is only changed with one)."""
    hash_key, range_key = change.key
    record = model(hash_key, range_key) if model._range_key_attribute() else model(hash_key)
    if model._version_attribute_name is not None:
        if change.version is None:
            raise ValueError(f"{model.__name__} is versioned: change it with its version")
        setattr(record, model._version_attribute_name, change.version)
    return record


def _create_condition(record: Model):
    return type(record)._hash_key_attribute().does_not_exist()


def write(changes: Sequence[Change | Create], model_of) -> None:
    """Write `changes` all or none; `model_of(change)`: the model class a `Change` updates.
    One write alone is a conditional put or update; several, one transaction. Any
    cancelled transaction raises `ConditionFailed` (as the use cases answered 409 for it
    before this seam: a condition, or another transaction on the same records)."""
    if len(changes) == 1:
        _write_one(changes[0], model_of)
        return
    try:
        with transact_write() as transaction:
            for change in changes:
                if isinstance(change, Create):
                    transaction.save(change.record, condition=_create_condition(change.record))
                else:
                    model = model_of(change)
                    transaction.update(_target(model, change), actions_of(model, change),
                                       condition=all_of(*(condition_of(model, c)
                                                          for c in change.expect)))
    except TransactWriteError:
        raise ConditionFailed(changes[0].key, "transaction cancelled") from None


def _write_one(change: Change | Create, model_of) -> None:
    try:
        if isinstance(change, Create):
            change.record.save(condition=_create_condition(change.record))
        else:
            model = model_of(change)
            _target(model, change).update(
                actions=actions_of(model, change),
                condition=all_of(*(condition_of(model, c) for c in change.expect)))
    except (PutError, UpdateError) as error:
        if condition_failed(error):
            raise ConditionFailed(change.key, "condition") from None
        raise
