"""The supervision records of a case as the rating and card use cases see them: ratings
(好差评) with their rectifications, cards (电子监察) and rule breaches, all records of the
case in the cases table; the case and its tasks they are about; writes as typed changes
(domain/changes.py).

The DynamoDB implementation is adapters/supervision_store.py; tests/fakes/supervision_store.py
keeps them in memory with the same condition and version semantics. A rating is versioned
(every step of its rectification is one): a `Change` of it carries the version read. A
condition that fails raises `ConditionFailed`, which the use case turns into its 409."""
from collections.abc import Sequence
from typing import Protocol

from ..adapters.models import (
    BreachRecord,
    CardRecord,
    CaseRecord,
    CasesTableRecord,
    RatingRecord,
    TaskRecord,
)
from ..domain.changes import Change, Create
from ..domain.pages import Page


class SupervisionStore(Protocol):
    def case(self, case_no: str, consistent: bool = False
             ) -> tuple[CaseRecord, list[TaskRecord]] | None:
        """The case and its tasks (one read), or None."""

    def rating(self, case_no: str, sk: str, consistent: bool = False) -> RatingRecord | None:
        """One rating of the case (sk `RATING#<scope key>#<rater>`), or None."""

    def ratings(self, case_no: str, prefix: str) -> list[RatingRecord]:
        """The case's ratings whose sort key starts with `prefix` (`RATING#case#`: those
        of the case itself), as they stand now (a consistent read), in key order."""

    def card(self, case_no: str, sk: str, consistent: bool = False) -> CardRecord | None:
        """One card of the case (sk `CARD#<scope key>#<level>`), or None."""

    def cards(self, case_no: str) -> list[CardRecord]:
        """The case's cards as they stand now (a consistent read), in key order."""

    def case_records(self, case_no: str) -> tuple[CaseRecord, list[CasesTableRecord]] | None:
        """The case and every other record of it — tasks, ratings, cards, breaches, its
        timeline — in one read, or None."""

    def department_ratings(self, dept: str, *, level: int | None = None,
                           state: str | None = None, limit: int,
                           start: dict | None = None) -> Page[RatingRecord]:
        """A department's ratings, newest first; `level`, `state` (of the rectification):
        only those. `start`: the last key of the page before."""

    def department_cards(self, dept: str, *, item: str | None = None,
                         state: str | None = None, level: str | None = None,
                         appeal: str | None = None, limit: int,
                         start: dict | None = None) -> Page[CardRecord]:
        """A department's cards, newest first; `item`, `state`, `level`, `appeal` (the
        appeal's state): only those."""

    def department_breaches(self, dept: str, *, kind: str | None = None, limit: int,
                            start: dict | None = None) -> Page[BreachRecord]:
        """A department's rule breaches, newest first; `kind`: only those."""

    def commit(self, changes: Sequence[Change | Create]) -> None:
        """Write the changes all or none, keyed (case number, sort key): ratings and cards
        changed, new ratings, cards and breaches (`Create`: only if the key is new).
        `ConditionFailed` when any condition or version fails; nothing is written then."""
