"""A page of a listing as a repository reads it: the records, newest first as the listing
orders them, and the key the next page starts after (DynamoDB's LastEvaluatedKey; None on
the last page). The use case turns that key into an opaque cursor
(services/pagination.py) and a cursor back into `start`."""
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

Record = TypeVar("Record")


@dataclass(frozen=True)
class Page(Generic[Record]):
    records: list[Record]
    last_key: dict[str, Any] | None = None
