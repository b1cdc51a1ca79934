"""The supervision records of cases in memory (services/supervision_store.py): ratings,
cards and breaches by (case number, sort key), and the cases and tasks they are about."""
import copy
from collections.abc import Sequence

from chalicelib.adapters.models import CardRecord, CaseRecord, RatingRecord, TaskRecord
from chalicelib.domain.changes import Change, ConditionFailed, Create, applied, check


class FakeSupervisionStore:
    def __init__(self):
        self.records: dict[tuple[str, str], object] = {}
        self.cases: dict[str, tuple[CaseRecord, list[TaskRecord]]] = {}

    # -- arranging ----------------------------------------------------------------------
    def add_case(self, case: CaseRecord, tasks: list[TaskRecord]) -> None:
        self.cases[case.pk] = (copy.deepcopy(case), copy.deepcopy(tasks))

    def add(self, record):
        """A record as stored (a versioned one as its first write leaves it)."""
        self.records[(record.pk, record.sk)] = self._stored(record)
        return record

    @staticmethod
    def _stored(record):
        stored = copy.deepcopy(record)
        name = type(record)._version_attribute_name
        if name is not None and getattr(stored, name) is None:
            setattr(stored, name, 1)   # as PynamoDB's conditional put leaves it
        return stored

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

    def commit(self, changes: Sequence[Change | Create]) -> None:
        written = {}
        for change in changes:   # every condition first: all or nothing
            if isinstance(change, Create):
                if change.key in self.records or change.key in written:
                    raise ConditionFailed(change.key, "exists")
                written[change.key] = self._stored(change.record)
            else:
                current = written.get(change.key, self.records.get(change.key))
                if current is not None and change.version is None and \
                        type(current)._version_attribute_name is not None:
                    raise ValueError(f"{change.key} is versioned: change it with its version")
                check(current, change)
                written[change.key] = applied(current, change)
        self.records.update(written)
