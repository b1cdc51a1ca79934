"""Conditional writes on any table's records: a condition that does not hold is an
answer (another writer got there first), not a fault."""
from pynamodb.exceptions import PutError, UpdateError
from pynamodb.models import Model


def cancellation_codes(error) -> list[str | None]:
    """Why each write of a cancelled transaction failed (None: it did not), in order."""
    return [reason.code if reason else None for reason in error.cancellation_reasons or []]


def condition_failed(error) -> bool:
    """Whether a PynamoDB write error is its condition not holding (not a fault)."""
    return error.cause_response_code == "ConditionalCheckFailedException"


def update_if(record: Model, actions: list, condition=None) -> bool:
    """Update a record only if `condition` holds; False if it did not (another writer got
    there first: not a fault)."""
    try:
        record.update(actions=actions, condition=condition)
    except UpdateError as exc:
        if condition_failed(exc):
            return False
        raise
    return True


def all_of(*conditions):
    """The conditions given (None: left out) joined with AND; None when there are none."""
    joined = None
    for condition in conditions:
        if condition is not None:
            joined = condition if joined is None else joined & condition
    return joined


def put_if_absent(record: Model) -> bool:
    """Save a record only if its key is new; False if it was already there.

    The one way writes are made idempotent against redelivery: the record's key is derived
    from what it records, so a second delivery finds it and changes nothing."""
    hash_key = type(record)._hash_key_attribute()
    try:
        record.save(condition=hash_key.does_not_exist())
    except PutError as exc:
        if condition_failed(exc):
            return False
        raise
    return True
