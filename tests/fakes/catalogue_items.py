"""The catalogue's items in memory (services/catalogue_items.py): records by (code, sort
key); which items had their search entries rebuilt, in order."""
from chalicelib.adapters.models import ItemCurrentRecord

from .records import RecordStore


class FakeCatalogueItems(RecordStore):
    def __init__(self):
        super().__init__()
        self.reindexed: list[str] = []

    def add(self, record):
        return self.keep((record.code, record.sk), record)

    def history(self, code: str) -> list:
        return [record for key, record in sorted(self.records.items(), key=lambda kv: kv[0])
                if key[0] == code and key[1].startswith("H#")]

    def current(self, code: str) -> ItemCurrentRecord | None:
        return self.stored((code, "CURRENT"))

    def reindex(self, code: str) -> None:
        self.reindexed.append(code)
