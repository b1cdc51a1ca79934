"""The license library in memory (services/license_library.py): license records by
`license_key`, timeline lines by (case, sort key), and the cases licenses came from. A
holder's licenses page as the `holder` index does: newest issued first, the next page
after the last key of the one before."""
import copy

from chalicelib.adapters.models import LicenseRecord
from chalicelib.domain.pages import Page
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

    def held_by(self, holder_key: str, *, limit: int,
                start: dict | None = None) -> Page[LicenseRecord]:
        found = sorted((record for record in self.records.values()
                        if isinstance(record, LicenseRecord) and record.holderKey == holder_key),
                       key=lambda record: (record.issuedAt, record.licenseId), reverse=True)
        if start is not None:
            after = (start["issuedAt"], start["licenseId"])
            found = [record for record in found
                     if (record.issuedAt, record.licenseId) < after]
        page = [copy.deepcopy(record) for record in found[:limit]]
        last = page[-1] if len(found) > limit else None
        return Page(page, None if last is None else {
            "licenseId": last.licenseId, "holderKey": last.holderKey,
            "issuedAt": last.issuedAt})

    def case_departments(self, case_no: str) -> set[str]:
        return set(self.cases.get(case_no, ("", set()))[1])

    def case_item(self, case_no: str) -> str | None:
        return self.cases[case_no][0] if case_no in self.cases else None
