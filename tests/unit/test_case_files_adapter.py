"""The DynamoDB case files' typed changes as UpdateItem requests (adapters/typed_changes.py
builds them, never sent: no AWS): conditions, the record existing, and the case's version
as PynamoDB's VersionAttribute has always written it."""
import pytest

from chalicelib.adapters.case_files import model_of
from chalicelib.adapters.models import (
    CaseRecord,
    IdempotencyRecord,
    OpenApplication,
    TaskRecord,
    TaskToken,
)
from chalicelib.adapters.typed_changes import update_of
from chalicelib.domain.changes import Absent, AbsentOr, Change, Equals, OneOf, Present


def _update(change: Change):
    """As the case files write it: every change of the case bumps its version."""
    return update_of(model_of(change.key), change, unnamed_version_bumps=True)


def _request(change: Change) -> tuple[str, str, dict]:
    """The condition and update expressions with their names and values filled in."""
    record, arguments = _update(change)
    kwargs = record.get_update_kwargs_from_instance(**arguments)

    def filled(text: str) -> str:
        for name, attribute in kwargs["ExpressionAttributeNames"].items():
            text = text.replace(name, attribute)
        for name, value in kwargs.get("ExpressionAttributeValues", {}).items():
            text = text.replace(name, str(next(iter(value.values()))))
        return text
    return filled(kwargs["ConditionExpression"]), filled(kwargs["UpdateExpression"]), kwargs


def test_a_change_of_the_case_named_at_its_version_is_conditioned_on_it_and_bumps_it():
    condition, update, _ = _request(Change(
        ("C1", "META"), set={"status": 3, "opinion": None}, remove=frozenset({"actorName"}),
        expect=(Equals("status", 1),), version=4))
    assert condition == "((attribute_exists (pk) AND status = 1) AND version = 4)"
    assert update == "SET status = 3, opinion = True REMOVE actorName ADD version 1"


def test_a_change_of_the_case_naming_no_version_still_bumps_it():
    condition, update, _ = _request(Change(("C1", "META"), set={"cardLevel": "red"}))
    assert condition == "attribute_exists (pk)"
    assert update == "SET cardLevel = red ADD version 1"


def test_each_condition_of_a_task_change_becomes_its_expression():
    condition, update, kwargs = _request(Change(
        ("C1", "TASK#C1-A1"), set={"state": "decided"},
        expect=(AbsentOr("claimedBy", "u1"), OneOf("state", ("open", "special")),
                Absent("decision"), Present("inboxDept"))))
    assert condition == ("((((attribute_exists (pk) AND (attribute_not_exists (claimedBy) OR "
                         "claimedBy = u1)) AND state IN (open, special)) AND "
                         "attribute_not_exists (decision)) AND attribute_exists (inboxDept))")
    assert update == "SET state = decided"
    assert kwargs["Key"] == {"pk": {"S": "C1"}, "sk": {"S": "TASK#C1-A1"}}


def test_a_marker_moves_on_only_from_the_case_it_was_read_naming():
    condition, update, kwargs = _request(Change(
        ("OPEN#h1", "OPEN"), set={"caseNo": "C2"}, expect=(Equals("caseNo", "C1"),)))
    assert condition == "(attribute_exists (pk) AND caseNo = C1)"
    assert update == "SET caseNo = C2"
    assert kwargs["Key"] == {"pk": {"S": "OPEN#h1"}, "sk": {"S": "OPEN"}}


def test_only_records_of_a_case_file_with_a_version_are_changed_so():
    assert (model_of(("C1", "META")), model_of(("C1", "TASK#C1-A1")),
            model_of(("C1", "TOKEN#C1-A1"))) == (CaseRecord, TaskRecord, TaskToken)
    assert (model_of(("OPEN#h", "OPEN")), model_of(("IDEMP#u#k", "IDEMP"))) == (
        OpenApplication, IdempotencyRecord)
    with pytest.raises(ValueError):
        model_of(("C1", "CARD#x"))
    with pytest.raises(ValueError):
        _update(Change(("C1", "TASK#C1-A1"), set={"state": "x"}, version=2))


def test_an_addition_to_a_set_is_dynamodbs_add_on_the_record_existing():
    condition, update, kwargs = _request(Change(("C1", "TOKEN#C1-A1"),
                                                add={"tokens": frozenset({"t2"})}))
    assert condition == "attribute_exists (pk)"
    assert update == "ADD tokens ['t2']"  # the filler shows the set's elements as stored
    assert kwargs["ExpressionAttributeValues"][":0"] == {"SS": ["t2"]}
