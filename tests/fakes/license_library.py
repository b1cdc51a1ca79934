"""The license library in memory (services/license_library.py): license records by
`license_key`, timeline lines by (case, sort key), and the cases licenses came from."""
from chalicelib.adapters.models import LicenseRecord
from chalicelib.services.license_library import license_key

from .records import RecordStore


class FakeLicenseLibrary(RecordStore):
    def __init__(self):
        super().__init__()
        self.cases: dict[str, tuple[str, set[str]]] = {}   # case -> (item code, departments)

    # -- arranging ----------------------------------------------------------------------
    def add(self, record: LicenseRecord) -> LicenseRecord:
        return self.keep(license_key(record.licenseId), record)

    def add_case(self, case_no: str, item_code: str, departments: set[str]) -> None:
        self.cases[case_no] = (item_code, set(departments))

    def timeline(self, case_no: str) -> list:
        """The case's license lines, in key order."""
        return [record for key, record in sorted(self.records.items(), key=lambda kv: kv[0])
                if key[0] == case_no]

    # -- the interface ------------------------------------------------------------------
    def get(self, license_id: str, consistent: bool = False) -> LicenseRecord | None:
        return self.stored(license_key(license_id))

    def case_departments(self, case_no: str) -> set[str]:
        return set(self.cases.get(case_no, ("", set()))[1])

    def case_item(self, case_no: str) -> str | None:
        return self.cases[case_no][0] if case_no in self.cases else None
