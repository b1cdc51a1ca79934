"""The in-memory record store every fake repository builds on (tests/fakes/records.py)
refuses what the DynamoDB translator (adapters/typed_changes.py) refuses, and writes a
commit all or nothing."""
import pytest

from chalicelib.adapters.models import LicenseRecord, RatingRecord
from chalicelib.domain.changes import Change, ConditionFailed, Create, Equals
from tests.fakes.records import RecordStore

RATING = ("C1", "RATING#case#applicant")
LICENSE = ("L1", "")


def _rating(**values) -> RatingRecord:
    return RatingRecord(*RATING, rectState="open", **values)


def _license() -> LicenseRecord:
    return LicenseRecord("L1", caseNo="C1", document={}, state="valid")


def test_a_new_versioned_record_is_at_version_one_given_or_created():
    store = RecordStore()
    given = store.keep(RATING, _rating())
    assert given.version == store.stored(RATING).version == 1
    store.commit([Create(("C2", RATING[1]), RatingRecord("C2", RATING[1]))])
    assert store.stored(("C2", RATING[1])).version == 1


def test_a_versioned_record_is_changed_only_with_its_version_unless_every_change_bumps_it():
    strict = RecordStore()
    strict.keep(RATING, _rating(version=3))
    with pytest.raises(ValueError):
        strict.commit([Change(RATING, set={"rectState": "closed"})])
    with pytest.raises(ConditionFailed):   # a stale version
        strict.commit([Change(RATING, set={"rectState": "closed"}, version=2)])
    strict.commit([Change(RATING, set={"rectState": "closed"}, version=3)])
    assert (strict.stored(RATING).rectState, strict.stored(RATING).version) == ("closed", 4)

    bumping = RecordStore(unnamed_version_bumps=True)
    bumping.keep(RATING, _rating(version=3))
    bumping.commit([Change(RATING, set={"rectState": "closed"})])
    assert bumping.stored(RATING).version == 4


def test_a_version_named_for_a_record_without_one_is_a_mistake():
    store = RecordStore()
    store.keep(LICENSE, _license())
    with pytest.raises(ValueError):
        store.commit([Change(LICENSE, set={"state": "revoked"}, version=1)])


def test_a_commit_writes_one_record_once_and_all_or_nothing():
    store = RecordStore()
    store.keep(LICENSE, _license())
    with pytest.raises(ValueError):   # DynamoDB refuses two writes of one item at once
        store.commit([Change(LICENSE, set={"state": "suspended"}),
                      Change(LICENSE, set={"stateReason": "x"})])
    with pytest.raises(ConditionFailed):
        store.commit([Change(LICENSE, set={"state": "revoked"}),
                      Create(("L2", ""), LicenseRecord("L2", caseNo="C2", document={},
                                                       state="valid")),
                      Change(("L9", ""), set={"state": "revoked"})])   # no such record
    with pytest.raises(ConditionFailed):
        store.commit([Create(LICENSE, _license())])   # exists already
    assert store.stored(LICENSE).state == "valid"
    assert store.stored(("L2", "")) is None
    assert store.commits == []


def test_another_writer_s_work_lands_between_a_read_and_the_commit():
    store = RecordStore()
    store.keep(LICENSE, _license())
    store.meanwhile.append(lambda: store.commit([Change(LICENSE, set={"state": "suspended"})]))
    with pytest.raises(ConditionFailed):
        store.commit([Change(LICENSE, set={"state": "revoked"},
                             expect=(Equals("state", "valid"),))])
    assert store.stored(LICENSE).state == "suspended"
    assert len(store.commits) == 1
