"""The catalogue's items in memory (services/catalogue_items.py): records by (code, sort
key); which items had their search entries rebuilt, in order."""
import copy
from collections.abc import Sequence

from chalicelib.adapters.models import ItemCurrentRecord
from chalicelib.domain.changes import Change, ConditionFailed, Create, applied, check


class FakeCatalogueItems:
    def __init__(self):
        self.records: dict[tuple[str, str], object] = {}
        self.reindexed: list[str] = []

    def add(self, record):
        self.records[(record.code, record.sk)] = copy.deepcopy(record)
        return record

    def history(self, code: str) -> list:
        return [record for key, record in sorted(self.records.items(), key=lambda kv: kv[0])
                if key[0] == code and key[1].startswith("H#")]

    def current(self, code: str) -> ItemCurrentRecord | None:
        return copy.deepcopy(self.records.get((code, "CURRENT")))

    def commit(self, changes: Sequence[Change | Create]) -> None:
        written = {}
        for change in changes:   # every condition first: all or nothing
            if isinstance(change, Create):
                if change.key in self.records or change.key in written:
                    raise ConditionFailed(change.key, "exists")
                written[change.key] = copy.deepcopy(change.record)
            else:
                current = written.get(change.key, self.records.get(change.key))
                check(current, change)
                written[change.key] = applied(current, change)
        self.records.update(written)

    def reindex(self, code: str) -> None:
        self.reindexed.append(code)
