"""The DynamoDB repositories (adapters/license_library.py, supervision_store.py) refuse
what their fakes refuse: a new record whose key exists, a change whose condition or
version no longer holds — and a refused transaction writes none of its parts. The rules
themselves are tested on the fakes (tests/unit/test_*_rules.py); this is the wiring."""
import pytest

from chalicelib.adapters.license_library import DynamoLicenseLibrary
from chalicelib.adapters.models import LicenseChangeRecord, LicenseRecord, RatingRecord
from chalicelib.adapters.supervision_store import DynamoSupervisionStore
from chalicelib.domain.changes import Change, ConditionFailed, Create, Equals, OneOf
from chalicelib.services.license_library import license_key

CASE_NO = "4403002026112500000019"


def _license(license_id="L-1") -> LicenseRecord:
    return LicenseRecord(license_id, caseNo=CASE_NO, document={"name": "x"},
                         signature={"value": ""}, issuedAt="2026-11-25T02:00:00+00:00")


def _line(sk="LICENSE#2026-11-26#L-1#suspend") -> LicenseChangeRecord:
    return LicenseChangeRecord(CASE_NO, sk, licenseId="L-1", action="suspend",
                               fromState="valid", toState="suspended", by="rev-1",
                               byRole="reviewer", at="2026-11-26")


def test_the_license_library_writes_on_its_conditions_all_or_nothing(stack):
    library = DynamoLicenseLibrary()
    library.commit([Create(license_key("L-1"), _license())])
    with pytest.raises(ConditionFailed):
        library.commit([Create(license_key("L-1"), _license())])
    suspend = Change(license_key("L-1"), set={"state": "suspended"},
                     expect=(Equals("state", "valid"),))
    line = _line()
    library.commit([suspend, Create((line.pk, line.sk), line)])
    assert library.get("L-1", consistent=True).state == "suspended"
    # Read as valid, but suspended meanwhile: refused, and its timeline line not written.
    other = _line("LICENSE#2026-11-27#L-1#suspend")
    with pytest.raises(ConditionFailed):
        library.commit([suspend, Create((other.pk, other.sk), other)])
    assert LicenseChangeRecord.count(CASE_NO, LicenseChangeRecord.sk == other.sk) == 0
    # One change alone is one conditional update.
    with pytest.raises(ConditionFailed):
        library.commit([suspend])
    library.commit([Change(license_key("L-1"), set={"state": "revoked"},
                           remove=frozenset({"stateReason"}),
                           expect=(OneOf("state", ("valid", "suspended")),))])
    assert library.get("L-1").state == "revoked"
    assert library.get("L-2") is None
    assert (library.case_departments(CASE_NO), library.case_item(CASE_NO)) == (set(), None)


def test_a_rating_changes_only_as_the_version_read(stack):
    store = DynamoSupervisionStore()
    rating = RatingRecord(CASE_NO, "RATING#case#applicant", ratingId="r", scope="case",
                          scopeKey="case", caseNo=CASE_NO, itemCode="i", dept="d",
                          rater="applicant", raterSub="s", level=2, channel="web",
                          at="2026-11-26", rectState="open", cardDept="d", cardAt="a")
    store.commit([Create((rating.pk, rating.sk), rating)])
    assert store.rating(CASE_NO, rating.sk, consistent=True).version == 1
    step = Change((rating.pk, rating.sk), set={"rectState": "called_back"},
                  expect=(Equals("rectState", "open"),), version=1)
    store.commit([step])
    stored = store.rating(CASE_NO, rating.sk, consistent=True)
    assert (stored.rectState, stored.version) == ("called_back", 2)
    with pytest.raises(ConditionFailed):     # the same step again: version 1 is gone
        store.commit([Change(step.key, set={"rectState": "rectified"}, version=1)])
    assert store.rating(CASE_NO, rating.sk, consistent=True).rectState == "called_back"
    assert store.case(CASE_NO) is None and store.cards(CASE_NO) == []


def _ratings_of(store, dept: str, **only) -> list[str]:
    return [record.ratingId for record in store.department_ratings(dept, limit=10,
                                                                   **only).records]


@pytest.mark.parametrize("fake", [False, True], ids=["dynamodb", "fake"])
def test_a_departments_ratings_and_a_holders_licenses_page_alike_on_the_fake(stack, fake):
    from tests.fakes.license_library import FakeLicenseLibrary
    from tests.fakes.supervision_store import FakeSupervisionStore
    store = FakeSupervisionStore() if fake else DynamoSupervisionStore()
    library = FakeLicenseLibrary() if fake else DynamoLicenseLibrary()
    for n, (dept, level) in enumerate((("d", 2), ("d", 5), ("e", 2), ("d", 2))):
        store.commit([Create((CASE_NO, f"RATING#r{n}"), RatingRecord(
            CASE_NO, f"RATING#r{n}", ratingId=f"r{n}", scope="case", scopeKey="case",
            caseNo=CASE_NO, itemCode="i", dept=dept, rater="applicant", raterSub="s",
            level=level, channel="web", at=f"2026-11-2{n}", cardDept=dept,
            cardAt=f"2026-11-2{n}#r{n}"))])
    assert _ratings_of(store, "d") == ["r3", "r1", "r0"]          # newest first
    assert _ratings_of(store, "d", level=2) == ["r3", "r0"]
    first = store.department_ratings("d", limit=2)
    assert [r.ratingId for r in first.records] == ["r3", "r1"] and first.last_key
    rest = store.department_ratings("d", limit=2, start=first.last_key)
    assert ([r.ratingId for r in rest.records], rest.last_key) == (["r0"], None)
    for n in range(3):
        record = _license(f"L-{n}")
        record.holderKey, record.issuedAt = "h", f"2026-11-2{n}T02:00:00+00:00"
        library.commit([Create(license_key(record.licenseId), record)])
    first = library.held_by("h", limit=2)
    assert [r.licenseId for r in first.records] == ["L-2", "L-1"] and first.last_key
    rest = library.held_by("h", limit=2, start=first.last_key)
    assert ([r.licenseId for r in rest.records], rest.last_key) == (["L-0"], None)
