"""Reading one record by its key on any table: a record that is not there is an answer
(None), not a fault."""
from typing import Any, TypeVar

from pynamodb.models import Model

M = TypeVar("M", bound=Model)


def get_or_none(model: type[M], hash_key: Any, range_key: Any = None, *,
                consistent: bool = False) -> M | None:
    """The record of `model` with this key, or None."""
    try:
        return model.get(hash_key, range_key, consistent_read=consistent)
    except model.DoesNotExist:
        return None
