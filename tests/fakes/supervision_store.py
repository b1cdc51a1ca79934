"""The supervision records of cases in memory (services/supervision_store.py): ratings,
cards and breaches by (case number, sort key), and the cases and tasks they are about."""
import copy

from chalicelib.adapters.models import CardRecord, CaseRecord, RatingRecord, TaskRecord

from .records import RecordStore


class FakeSupervisionStore(RecordStore):
    def __init__(self):
        super().__init__()
        self.cases: dict[str, tuple[CaseRecord, list[TaskRecord]]] = {}

    # -- arranging ----------------------------------------------------------------------
    def add_case(self, case: CaseRecord, tasks: list[TaskRecord]) -> None:
        self.cases[case.pk] = (copy.deepcopy(case), copy.deepcopy(tasks))

    def add(self, record):
        """A record as stored (a versioned one as its first write leaves it)."""
        return self.keep((record.pk, record.sk), record)

    # -- the interface ------------------------------------------------------------------
    def case(self, case_no: str, consistent: bool = False
             ) -> tuple[CaseRecord, list[TaskRecord]] | None:
        return copy.deepcopy(self.cases.get(case_no))

    def rating(self, case_no: str, sk: str, consistent: bool = False) -> RatingRecord | None:
        found = self.records.get((case_no, sk))
        return copy.deepcopy(found) if isinstance(found, RatingRecord) else None

    def card(self, case_no: str, sk: str, consistent: bool = False) -> CardRecord | None:
        found = self.records.get((case_no, sk))
        return copy.deepcopy(found) if isinstance(found, CardRecord) else None

    def cards(self, case_no: str) -> list[CardRecord]:
        return [copy.deepcopy(record) for key, record in sorted(self.records.items())
                if key[0] == case_no and isinstance(record, CardRecord)]
