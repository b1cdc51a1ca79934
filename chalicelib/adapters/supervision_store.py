"""The supervision records of a case on DynamoDB (services/supervision_store.py says what
it does): ratings, cards and breaches are records of the case in the cases table."""
from collections.abc import Sequence

from pynamodb.models import Model

from ..domain.changes import Change, Create
from . import typed_changes
from .case_files import DynamoCaseFiles
from .models import CardRecord, CaseRecord, RatingRecord, TaskRecord, get_or_none

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

    def card(self, case_no: str, sk: str, consistent: bool = False) -> CardRecord | None:
        return get_or_none(CardRecord, case_no, sk, consistent=consistent)

    def cards(self, case_no: str) -> list[CardRecord]:
        return list(CardRecord.query(case_no, CardRecord.sk.startswith("CARD#"),
                                     consistent_read=True))

    def commit(self, changes: Sequence[Change | Create]) -> None:
        typed_changes.write(changes, _model_of)
