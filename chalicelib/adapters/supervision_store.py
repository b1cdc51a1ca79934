"""The supervision records of a case on DynamoDB (services/supervision_store.py says what
it does): ratings, cards and breaches are records of the case in the cases table."""
from collections.abc import Sequence

from pynamodb.models import Model

from ..domain.changes import Change, Create
from . import typed_changes
from .models import CardRecord, CaseRecord, CasesTableRecord, RatingRecord, TaskRecord

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
        case, tasks = None, []
        for record in CasesTableRecord.query(case_no, consistent_read=consistent):
            if isinstance(record, CaseRecord):
                case = record
            elif isinstance(record, TaskRecord):
                tasks.append(record)
        return None if case is None else (case, tasks)

    def rating(self, case_no: str, sk: str, consistent: bool = False) -> RatingRecord | None:
        try:
            return RatingRecord.get(case_no, sk, consistent_read=consistent)
        except RatingRecord.DoesNotExist:
            return None

    def card(self, case_no: str, sk: str, consistent: bool = False) -> CardRecord | None:
        try:
            return CardRecord.get(case_no, sk, consistent_read=consistent)
        except CardRecord.DoesNotExist:
            return None

    def cards(self, case_no: str) -> list[CardRecord]:
        return list(CardRecord.query(case_no, CardRecord.sk.startswith("CARD#"),
                                     consistent_read=True))

    def commit(self, changes: Sequence[Change | Create]) -> None:
        typed_changes.write(changes, _model_of)
