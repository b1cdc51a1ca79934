"""The license library on DynamoDB (services/license_library.py says what it does): the
licenses table, and the case a license came from in the cases table."""
from collections.abc import Sequence

from ..domain.changes import Change, Create
from ..domain.pages import Page
from . import typed_changes
from .models import CaseRecord, CasesTableRecord, LicenseRecord, TaskRecord, get_or_none


class DynamoLicenseLibrary:
    def get(self, license_id: str, consistent: bool = False) -> LicenseRecord | None:
        return get_or_none(LicenseRecord, license_id, consistent=consistent)

    def held_by(self, holder_key: str, *, limit: int,
                start: dict | None = None) -> Page[LicenseRecord]:
        found = LicenseRecord.holder.query(holder_key, scan_index_forward=False, limit=limit,
                                           last_evaluated_key=start)
        records = list(found)
        return Page(records, found.last_evaluated_key)

    def _case_records(self, case_no: str) -> list[CasesTableRecord]:
        # One Query of the case's partition, as services/case_access.py reads a case.
        return list(CasesTableRecord.query(case_no))

    def case_departments(self, case_no: str) -> set[str]:
        return {record.dept for record in self._case_records(case_no)
                if isinstance(record, TaskRecord)}

    def case_item(self, case_no: str) -> str | None:
        return next((record.itemCode for record in self._case_records(case_no)
                     if isinstance(record, CaseRecord)), None)

    def commit(self, changes: Sequence[Change | Create]) -> None:
        typed_changes.write(changes, lambda key: LicenseRecord)
