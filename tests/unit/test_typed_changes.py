"""Typed changes become the PynamoDB conditions and actions they mean
(adapters/typed_changes.py): the DynamoDB repositories refuse what the fakes refuse. The
expressions are compared as PynamoDB serialises them; nothing is sent anywhere."""
import pytest
from pynamodb.exceptions import CancellationReason, TransactWriteError, VerboseClientError

from chalicelib.adapters import typed_changes
from chalicelib.adapters.models import LicenseRecord, RatingRecord
from chalicelib.domain.changes import (
    Absent,
    AbsentOr,
    Change,
    ConditionFailed,
    Equals,
    OneOf,
    Present,
)


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
        typed_changes.update_of(RatingRecord, Change(("C1", "RATING#case#applicant"),
                                                     set={"rectState": "closed"}))
    record, arguments = typed_changes.update_of(RatingRecord, Change(
        ("C1", "RATING#case#applicant"), set={"rectState": "closed"}, version=3))
    assert (record.pk, record.sk, record.version) == ("C1", "RATING#case#applicant", 3)
    assert arguments["add_version_condition"] is True
    record, arguments = typed_changes.update_of(LicenseRecord, Change(("L1", "")))
    assert record.licenseId == "L1" and arguments["add_version_condition"] is False


class _Cancelled:
    """A transaction DynamoDB cancels (nothing is sent): `code` is the error's code,
    `reasons` each write's cancellation reason (None: not a reason)."""

    def __init__(self, code: str, reasons: list):
        self.code, self.reasons = code, reasons

    def __enter__(self):
        return self

    def save(self, record, condition=None):
        pass

    def update(self, record, actions, condition=None, add_version_condition=True):
        pass

    def __exit__(self, *exc):
        cause = VerboseClientError({"Error": {"Code": self.code, "Message": "x"}},
                                   "TransactWriteItems",
                                   cancellation_reasons=[CancellationReason(code) if code
                                                         else None for code in self.reasons])
        raise TransactWriteError("cancelled", cause=cause)


TWO = [Change(("L1", ""), set={"state": "revoked"}),
       Change(("L2", ""), set={"state": "valid"}, expect=(Equals("state", "suspended"),))]


@pytest.mark.parametrize("code, reasons", [
    ("TransactionCanceledException", [None, "ConditionalCheckFailed"]),
    ("TransactionCanceledException", [None, "TransactionConflict"]),
])
def test_a_transaction_lost_to_another_writer_is_a_failed_condition_of_its_record(
        monkeypatch, code, reasons):
    monkeypatch.setattr(typed_changes, "transact_write", lambda: _Cancelled(code, reasons))
    with pytest.raises(ConditionFailed) as failed:
        typed_changes.write(TWO, lambda key: LicenseRecord)
    assert failed.value.key == ("L2", "")


@pytest.mark.parametrize("code, reasons", [
    ("TransactionCanceledException", ["ThrottlingError", None]),
    ("TransactionCanceledException", ["ValidationError", None]),
    ("ValidationException", []),
])
def test_a_transaction_failing_for_any_other_reason_is_a_fault(monkeypatch, code, reasons):
    monkeypatch.setattr(typed_changes, "transact_write", lambda: _Cancelled(code, reasons))
    with pytest.raises(TransactWriteError):
        typed_changes.write(TWO, lambda key: LicenseRecord)


def test_nothing_to_write_writes_nothing(monkeypatch):
    monkeypatch.setattr(typed_changes, "transact_write", lambda: pytest.fail("written"))
    typed_changes.write([], lambda key: LicenseRecord)

