"""The license library on DynamoDB (services/license_library.py says what it does): the
licenses table, and the case a license came from in the cases table."""
from collections.abc import Sequence

from ..domain.changes import Change, Create
from ..domain.pages import Page
from . import typed_changes
from .case_files import case_partition
from .models import LicenseRecord, TaskRecord, get_or_none


class DynamoLicenseLibrary:
    def get(self, license_id: str, consistent: bool = False) -> LicenseRecord | None:
        return get_or_none(LicenseRecord, license_id, consistent=consistent)

    def held_by(self, holder_key: str, *, limit: int,
                start: dict | None = None) -> Page[LicenseRecord]:
        found = LicenseRecord.holder.query(holder_key, scan_index_forward=False, limit=limit,
                                           last_evaluated_key=start)
        records = list(found)
        return Page(records, found.last_evaluated_key)

    def case_departments(self, case_no: str) -> set[str]:
        _, others = case_partition(case_no)
        return {record.dept for record in others if isinstance(record, TaskRecord)}

    def case_item(self, case_no: str) -> str | None:
        case, _ = case_partition(case_no)
        return None if case is None else case.itemCode

    def commit(self, changes: Sequence[Change | Create]) -> None:
        typed_changes.write(changes, lambda key: LicenseRecord)
