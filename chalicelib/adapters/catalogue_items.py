"""The catalogue's items on DynamoDB (services/catalogue_items.py says what it does)."""
from collections.abc import Sequence

from pynamodb.models import Model

from ..domain.changes import Change, Create
from . import typed_changes
from .models import ItemCurrentRecord, ItemVersionRecord, get_or_none

CURRENT = "CURRENT"


def _model_of(key: tuple[str, str]) -> type[Model]:
    _, sk = key
    if sk == CURRENT:
        return ItemCurrentRecord
    if sk.startswith("V#"):
        return ItemVersionRecord
    raise ValueError(f"not an item record to change: {key}")


class DynamoCatalogueItems:
    def __init__(self, reindex):
        # The search entries are derived by the catalogue's loading code
        # (services/catalogue/loading.py), which the adapters cannot import: handed in.
        self._reindex = reindex

    def current(self, code: str) -> ItemCurrentRecord | None:
        return get_or_none(ItemCurrentRecord, code, CURRENT)

    def commit(self, changes: Sequence[Change | Create]) -> None:
        typed_changes.write(changes, _model_of)

    def reindex(self, code: str) -> None:
        self._reindex(code)
