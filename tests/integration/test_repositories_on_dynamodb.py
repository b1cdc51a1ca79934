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
