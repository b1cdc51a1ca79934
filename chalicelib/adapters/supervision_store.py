"""The supervision records of a case on DynamoDB (services/supervision_store.py says what
it does): ratings, cards and breaches are records of the case in the cases table."""
from collections.abc import Sequence

from pynamodb.models import Model

from ..domain.changes import Change, Create
from ..domain.pages import Page
from . import typed_changes
from .case_files import DynamoCaseFiles, case_partition
from .models import (
    BreachRecord,
    CardRecord,
    CaseRecord,
    CasesTableRecord,
    RatingRecord,
    TaskRecord,
    all_of,
    get_or_none,
)

# Which record a change updates, by its sort key's prefix.
_MODELS = {"RATING#": RatingRecord, "CARD#": CardRecord}


def _model_of(key: tuple[str, str]) -> type[Model]:
    _, sk = key
    for prefix, model in _MODELS.items():
        if sk.startswith(prefix):
            return model
    raise ValueError(f"not a supervision record: {key}")


class DynamoSupervisionStore:
    def case(self, case_no: str, consistent: bool = False
             ) -> tuple[CaseRecord, list[TaskRecord]] | None:
        found = DynamoCaseFiles().load(case_no, consistent=consistent)
        return None if found is None else (found.case, found.tasks)

    def rating(self, case_no: str, sk: str, consistent: bool = False) -> RatingRecord | None:
        return get_or_none(RatingRecord, case_no, sk, consistent=consistent)

    def ratings(self, case_no: str, prefix: str) -> list[RatingRecord]:
        return list(RatingRecord.query(case_no, RatingRecord.sk.startswith(prefix),
                                       consistent_read=True))

    def card(self, case_no: str, sk: str, consistent: bool = False) -> CardRecord | None:
        return get_or_none(CardRecord, case_no, sk, consistent=consistent)

    def cards(self, case_no: str) -> list[CardRecord]:
        return list(CardRecord.query(case_no, CardRecord.sk.startswith("CARD#"),
                                     consistent_read=True))

    def case_records(self, case_no: str) -> tuple[CaseRecord, list[CasesTableRecord]] | None:
        case, others = case_partition(case_no)
        return None if case is None else (case, others)

    def department_ratings(self, dept: str, *, level: int | None = None,
                           state: str | None = None, limit: int,
                           start: dict | None = None) -> Page[RatingRecord]:
        return _page(RatingRecord, dept, all_of(
            (RatingRecord.level == level) if level is not None else None,
            (RatingRecord.rectState == state) if state is not None else None), limit, start)

    def department_cards(self, dept: str, *, item: str | None = None,
                         state: str | None = None, level: str | None = None,
                         appeal: str | None = None, limit: int,
                         start: dict | None = None) -> Page[CardRecord]:
        return _page(CardRecord, dept, all_of(
            (CardRecord.itemCode == item) if item else None,
            (CardRecord.state == state) if state else None,
            (CardRecord.level == level) if level else None,
            (CardRecord.appealState == appeal) if appeal else None), limit, start)

    def department_breaches(self, dept: str, *, kind: str | None = None, limit: int,
                            start: dict | None = None) -> Page[BreachRecord]:
        return _page(BreachRecord, dept, (BreachRecord.kind == kind) if kind else None,
                     limit, start)

    def commit(self, changes: Sequence[Change | Create]) -> None:
        typed_changes.write(changes, _model_of)


def _page(model, dept: str, condition, limit: int, start: dict | None) -> Page:
    """One page of a department's records of `model` from the cards index, newest first
    (DynamoDB's Limit counts the records read before the filter: a page may hold fewer)."""
    found = model.by_dept.query(dept, filter_condition=condition, limit=limit,
                                scan_index_forward=False, last_evaluated_key=start)
    records = list(found)
    return Page(records, found.last_evaluated_key)
