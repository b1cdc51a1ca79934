"""The catalogue's items as their status use cases see them (services/catalogue/status.py:
suspend, resume, cancel): an item's current record, typed changes to it, its version and
its history (domain/changes.py), and its search entries made to follow it.

The DynamoDB implementation is adapters/catalogue_items.py; tests/fakes/catalogue_items.py
keeps the records in memory with the same condition semantics. Keys are (item code, sort
key): `CURRENT`, `V#<version>`, `H#<at>#<action>#<version>`."""
from collections.abc import Sequence
from typing import Protocol

from ..adapters.models import ItemCurrentRecord
from ..domain.changes import Change, Create


class CatalogueItems(Protocol):
    def current(self, code: str) -> ItemCurrentRecord | None:
        """The item's current record (the version new cases apply under), or None."""

    def commit(self, changes: Sequence[Change | Create]) -> None:
        """Write the changes all or none: the current record and a version changed, a
        history record new. `ConditionFailed` when a condition fails; nothing written."""

    def reindex(self, code: str) -> None:
        """Make the item's search entries match its current record (idempotent)."""
