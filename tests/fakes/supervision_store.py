"""The supervision records of cases in memory (services/supervision_store.py): ratings,
cards and breaches by (case number, sort key), and the cases and tasks they are about.

A department's listing pages as the cards index does — newest first by `cardAt`, the next
page after the last key of the one before — but filters before it counts `limit` (DynamoDB
counts the records it read: its pages may hold fewer)."""
import copy

from chalicelib.adapters.models import (
    BreachRecord,
    CardRecord,
    CaseRecord,
    RatingRecord,
    TaskRecord,
)
from chalicelib.domain.pages import Page

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

    def ratings(self, case_no: str, prefix: str) -> list[RatingRecord]:
        return [copy.deepcopy(record) for key, record in sorted(self.records.items())
                if key[0] == case_no and key[1].startswith(prefix)
                and isinstance(record, RatingRecord)]

    def card(self, case_no: str, sk: str, consistent: bool = False) -> CardRecord | None:
        found = self.records.get((case_no, sk))
        return copy.deepcopy(found) if isinstance(found, CardRecord) else None

    def cards(self, case_no: str) -> list[CardRecord]:
        return [copy.deepcopy(record) for key, record in sorted(self.records.items())
                if key[0] == case_no and isinstance(record, CardRecord)]

    def case_records(self, case_no: str) -> tuple[CaseRecord, list] | None:
        if case_no not in self.cases:
            return None
        case, tasks = copy.deepcopy(self.cases[case_no])
        return case, tasks + [copy.deepcopy(record) for key, record
                              in sorted(self.records.items()) if key[0] == case_no]

    def department_ratings(self, dept: str, *, level: int | None = None,
                           state: str | None = None, limit: int,
                           start: dict | None = None) -> Page[RatingRecord]:
        return self._page(RatingRecord, dept, {"level": level, "rectState": state}, limit,
                          start)

    def department_cards(self, dept: str, *, item: str | None = None,
                         state: str | None = None, level: str | None = None,
                         appeal: str | None = None, limit: int,
                         start: dict | None = None) -> Page[CardRecord]:
        return self._page(CardRecord, dept, {"itemCode": item, "state": state,
                                             "level": level, "appealState": appeal},
                          limit, start)

    def department_breaches(self, dept: str, *, kind: str | None = None, limit: int,
                            start: dict | None = None) -> Page[BreachRecord]:
        return self._page(BreachRecord, dept, {"kind": kind}, limit, start)

    def _page(self, model, dept: str, only: dict, limit: int, start: dict | None) -> Page:
        found = sorted((record for record in self.records.values()
                        if isinstance(record, model) and record.cardDept == dept
                        and all(getattr(record, name) == value
                                for name, value in only.items() if value is not None)),
                       key=lambda record: (record.cardAt, record.pk, record.sk), reverse=True)
        if start is not None:
            after = (start["cardAt"], start["pk"], start["sk"])
            found = [record for record in found
                     if (record.cardAt, record.pk, record.sk) < after]
        page = [copy.deepcopy(record) for record in found[:limit]]
        last = page[-1] if len(found) > limit else None
        return Page(page, None if last is None else {
            "pk": last.pk, "sk": last.sk, "cardDept": last.cardDept, "cardAt": last.cardAt})
