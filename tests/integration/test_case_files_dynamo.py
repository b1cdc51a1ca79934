"""The DynamoDB case files (adapters/case_files.py) and the in-memory fake
(tests/fakes/case_files.py) keep the same promises: the one scenario runs on both, on
moto and in memory, and must end the same way."""
import pytest

from chalicelib import wiring
from chalicelib.adapters.models import (
    CaseRecord,
    IdempotencyRecord,
    OpenApplication,
    TaskRecord,
)
from chalicelib.domain.case_file import idempotency_key, open_application_key
from chalicelib.domain.changes import (
    AbsentOr,
    Change,
    ConditionFailed,
    Create,
    Equals,
    OneOf,
)
from tests.fakes.case_files import FakeCaseFiles

CASE_NO = "440300202611240000001X"
CASE = (CASE_NO, "META")


def _case(case_no: str = CASE_NO) -> CaseRecord:
    return CaseRecord(case_no, "META", status=1, itemCode="I", itemVersion="1", itemName="n",
                      applicant={"type": "natural", "name": "n", "idType": "111",
                                 "idNumber": "1101**"},
                      form={}, materials=[], appliedVia="api", createdAt="t",
                      promisedBy="d", updatedAt="t", actor="a", actorRole="applicant",
                      channel="api")


def _task(n: int) -> TaskRecord:
    task_id = f"{CASE_NO}-A{n}"
    return TaskRecord(CASE_NO, f"TASK#{task_id}", taskId=task_id, taskKind="acceptance",
                      caseNo=CASE_NO, itemCode="I", dept="ZWFW", deadline="d", state="open",
                      createdAt="t")


@pytest.fixture(params=["dynamodb", "fake"])
def case_files(request):
    if request.param == "fake":
        return FakeCaseFiles()
    request.getfixturevalue("stack")  # moto, the tables, reset
    return wiring.stores().case_files


def _task_key(n: int) -> tuple[str, str]:
    return CASE_NO, f"TASK#{CASE_NO}-A{n}"


def test_the_same_changes_end_the_same_way(case_files):
    case_files.create(Create(CASE, _case()))
    case_files.commit([Create(_task_key(2), _task(2)), Create(_task_key(1), _task(1))])
    with pytest.raises(ConditionFailed):
        case_files.create(Create(CASE, _case()))
    assert case_files.get(CASE_NO).version == 1
    found = case_files.load(CASE_NO)
    assert [t.taskId for t in found.tasks] == [f"{CASE_NO}-A1", f"{CASE_NO}-A2"]

    # One change at the version read: made, and the version moves on.
    case_files.commit([Change(CASE, set={"status": 3, "opinion": None},
                              remove=frozenset({"actor"}), version=1)])
    case = case_files.get(CASE_NO, consistent=True)
    assert (case.status, case.opinion, case.actor, case.version) == (3, None, None, 2)
    # At a stale version: refused, nothing written.
    with pytest.raises(ConditionFailed):
        case_files.commit([Change(CASE, set={"status": 8}, version=1)])
    # Naming no version: made, and the version moves on all the same.
    case_files.commit([Change(CASE, set={"cardLevel": "warning"})])
    assert case_files.get(CASE_NO, consistent=True).version == 3

    # A transaction one of whose conditions fails writes nothing.
    claim = Change(_task_key(1), set={"claimedBy": "u1"},
                   expect=(AbsentOr("claimedBy", "u1"), OneOf("state", ("open",))))
    with pytest.raises(ConditionFailed):
        case_files.commit([claim, Change(CASE, set={"status": 8}, version=3),
                           Change(_task_key(2), set={"state": "x"},
                                  expect=(Equals("state", "decided"),))])
    assert case_files.get_task(f"{CASE_NO}-A1", consistent=True).claimedBy is None
    assert case_files.get(CASE_NO, consistent=True).status == 3
    # The same without it: all of it written.
    case_files.commit([claim, Change(CASE, set={"status": 8}, version=3)])
    assert case_files.get_task(f"{CASE_NO}-A1", consistent=True).claimedBy == "u1"
    assert case_files.get(CASE_NO, consistent=True).version == 4
    # Claimed by another: refused.
    with pytest.raises(ConditionFailed):
        case_files.commit([Change(_task_key(1), set={"claimedBy": "u2"},
                                  expect=(AbsentOr("claimedBy", "u2"),))])
    # A change never creates a record.
    with pytest.raises(ConditionFailed):
        case_files.commit([Change(_task_key(9), set={"state": "open"})])
    assert case_files.get_task(f"{CASE_NO}-A9", consistent=True) is None
    assert case_files.load("440300202611240000009X") is None


def test_a_new_case_and_its_markers_are_one_commit(case_files):
    opened, used = open_application_key("h1"), idempotency_key("u-1", "k1")
    marker = Create(opened, OpenApplication(*opened, caseNo=CASE_NO))
    first_use = Create(used, IdempotencyRecord(*used, caseNo=CASE_NO, requestHash="x",
                                               createdAt="t"))
    case_files.commit([Create(CASE, _case()), marker, first_use])
    assert case_files.get_marker(opened, consistent=True).caseNo == CASE_NO
    assert case_files.get_marker(used, consistent=True).requestHash == "x"
    assert case_files.get_marker(idempotency_key("u-1", "k2")) is None
    # Another case claiming a marker already written: refused, its case not written.
    other = "440300202611240000002X"
    with pytest.raises(ConditionFailed):
        case_files.commit([Create((other, "META"), _case(other)), marker])
    assert case_files.get(other, consistent=True) is None
    # Moved on from the case it was read naming, with the other case: both written.
    case_files.commit([Create((other, "META"), _case(other)),
                       Change(opened, set={"caseNo": other},
                              expect=(Equals("caseNo", CASE_NO),))])
    assert case_files.get_marker(opened, consistent=True).caseNo == other
    with pytest.raises(ConditionFailed):  # read naming a case it no longer names
        case_files.commit([Change(opened, set={"caseNo": "x"},
                                  expect=(Equals("caseNo", CASE_NO),))])
