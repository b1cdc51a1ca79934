"""Typed changes become the PynamoDB conditions and actions they mean
(adapters/typed_changes.py): the DynamoDB repositories refuse what the fakes refuse. The
expressions are compared as PynamoDB serialises them; nothing is sent anywhere."""
import pytest

from chalicelib.adapters import typed_changes
from chalicelib.adapters.models import LicenseRecord, RatingRecord
from chalicelib.domain.changes import Absent, AbsentOr, Change, Equals, OneOf, Present


def _expression(condition) -> str:
    names, values = {}, {}
    text = condition.serialize(names, values)
    for name, placeholder in names.items():   # PynamoDB maps name -> placeholder
        text = text.replace(placeholder, name)
    for key, value in values.items():
        text = text.replace(key, repr(next(iter(value.values()))))
    return text


@pytest.mark.parametrize("condition, expected", [
    (Equals("state", "valid"), "state = 'valid'"),
    (OneOf("state", ("valid", "suspended")), "state IN ('valid', 'suspended')"),
    (Absent("supersededBy"), "attribute_not_exists (supersededBy)"),
    (Present("supersededBy"), "attribute_exists (supersededBy)"),
    (AbsentOr("dept", "SZ-SCJG"),
     "(attribute_not_exists (dept) OR dept = 'SZ-SCJG')"),
])
def test_each_condition_is_the_expression_it_means(condition, expected):
    assert _expression(typed_changes.condition_of(LicenseRecord, condition)) == expected


def test_a_change_sets_and_removes_its_attributes():
    change = Change(("L1", ""), set={"state": "revoked", "stateReason": "x"},
                    remove=frozenset({"supersededBy"}))
    actions = typed_changes.actions_of(LicenseRecord, change)
    names, values = {}, {}
    assert [action.serialize(names, values) for action in actions] == \
        ["#0 = :0", "#1 = :1", "#2"]
    assert list(names) == ["state", "stateReason", "supersededBy"]


def test_a_versioned_record_is_changed_only_with_the_version_read():
    with pytest.raises(ValueError):
        typed_changes._target(RatingRecord, Change(("C1", "RATING#case#applicant"),
                                                   set={"rectState": "closed"}))
    record = typed_changes._target(RatingRecord, Change(
        ("C1", "RATING#case#applicant"), set={"rectState": "closed"}, version=3))
    assert (record.pk, record.sk, record.version) == ("C1", "RATING#case#applicant", 3)
    assert typed_changes._target(LicenseRecord, Change(("L1", ""))).licenseId == "L1"
