"""The in-memory case files keep the promises of the DynamoDB ones
(services/case_files.py): copies in and out, conditions and versions checked, a commit
all or nothing, every change of the case versioned."""
import pytest

from chalicelib.adapters.models import IdempotencyRecord, OpenApplication, TaskToken
from chalicelib.domain.case_file import idempotency_key, open_application_key
from chalicelib.domain.changes import Change, ConditionFailed, Create, Equals
from tests.fakes.case_files import FakeCaseFiles

from .records import ACCEPTANCE, CASE_NO, OTHER_REVIEW, REVIEW, case_record, task_record

CASE = (CASE_NO, "META")


def test_what_a_use_case_reads_is_a_copy_and_a_case_file_is_in_key_order():
    files = FakeCaseFiles(case_record(), task_record(REVIEW), task_record(ACCEPTANCE),
                          task_record(OTHER_REVIEW))
    case = files.get(CASE_NO)
    case.status = 99
    assert files.get(CASE_NO).status == 1
    found = files.load(CASE_NO)
    assert [task.taskId for task in found.tasks] == [ACCEPTANCE, REVIEW, OTHER_REVIEW]
    assert found.events == []
    assert files.load("440300202611240000009X") is None
    assert files.get_task(f"{CASE_NO}-A9") is None
    case, task = files.get_with_task(REVIEW)
    assert (case.pk, task.taskId) == (CASE_NO, REVIEW)
    assert files.get_with_task(f"{CASE_NO}-A9")[1] is None
    assert files.get_with_task("440300202611240000009X-A1") == (None, None)


def test_a_commit_is_all_or_nothing():
    files = FakeCaseFiles(case_record(), task_record())
    with pytest.raises(ConditionFailed):
        files.commit([Change(CASE, set={"opinion": "x"}),
                      Change((CASE_NO, f"TASK#{ACCEPTANCE}"), set={"state": "x"},
                             expect=(Equals("state", "decided"),))])
    assert (files.get(CASE_NO).opinion, files.get(CASE_NO).version) == (None, 4)
    assert files.get_task(ACCEPTANCE).state == "open"
    assert files.commits == []
    with pytest.raises(ConditionFailed):  # no such record: a change never creates one
        files.commit([Change((CASE_NO, f"TASK#{CASE_NO}-A9"), set={"state": "x"})])


def test_every_change_of_the_case_bumps_its_version_and_a_stale_one_is_refused():
    files = FakeCaseFiles(case_record())
    files.commit([Change(CASE, set={"opinion": "x"})])
    assert files.get(CASE_NO).version == 5  # no version named: bumped all the same
    with pytest.raises(ConditionFailed):
        files.commit([Change(CASE, set={"opinion": "y"}, version=4)])
    files.commit([Change(CASE, set={"opinion": "y"}, version=5)])
    assert (files.get(CASE_NO).opinion, files.get(CASE_NO).version) == ("y", 6)


def test_a_record_is_created_once():
    files = FakeCaseFiles()
    files.create(Create(CASE, case_record(version=None)))
    assert files.get(CASE_NO).version == 1  # as a first save stores it
    with pytest.raises(ConditionFailed):
        files.create(Create(CASE, case_record()))


def test_a_new_case_s_markers_are_written_with_it_and_read_back_by_key():
    files = FakeCaseFiles()
    opened, used = open_application_key("h1"), idempotency_key("u-1", "k1")
    files.commit([Create(CASE, case_record(version=None)),
                  Create(opened, OpenApplication(*opened, caseNo=CASE_NO)),
                  Create(used, IdempotencyRecord(*used, caseNo=CASE_NO, requestHash="x",
                                                 createdAt="t"))])
    assert files.get_marker(opened).caseNo == files.get_marker(used).caseNo == CASE_NO
    assert files.get_marker(open_application_key("h2")) is None
    # a marker moves on only from the case it was read naming
    with pytest.raises(ConditionFailed):
        files.commit([Change(opened, set={"caseNo": "C2"}, expect=(Equals("caseNo", "C9"),))])
    files.commit([Change(opened, set={"caseNo": "C2"}, expect=(Equals("caseNo", CASE_NO),))])
    assert files.get_marker(opened).caseNo == "C2"
    with pytest.raises(ValueError):  # the case is no marker
        files.get_marker(CASE)


def test_an_addition_to_a_set_needs_the_record_and_keeps_every_element():
    key = (CASE_NO, f"TOKEN#{ACCEPTANCE}")
    files = FakeCaseFiles()
    with pytest.raises(ConditionFailed):
        files.commit([Change(key, add={"tokens": frozenset({"t1"})})])
    files.create(Create(key, TaskToken(*key, tokens={"t1"})))
    files.commit([Change(key, add={"tokens": frozenset({"t2"})})])
    files.commit([Change(key, add={"tokens": frozenset({"t2"})})])
    assert files.stored(key).tokens == {"t1", "t2"}


def test_the_fake_and_the_dynamodb_case_files_answer_the_one_interface():
    import inspect

    from chalicelib.adapters.case_files import DynamoCaseFiles
    from chalicelib.services.case_files import CaseFiles

    asked = {name: inspect.signature(member) for name, member in vars(CaseFiles).items()
             if inspect.isfunction(member) and not name.startswith("_")}
    assert set(asked) == {"get", "load", "get_task", "get_with_task", "get_marker", "create",
                          "commit"}
    for implementation in (FakeCaseFiles, DynamoCaseFiles):
        for name, signature in asked.items():
            given = inspect.signature(getattr(implementation, name))
            assert list(given.parameters) == list(signature.parameters), (implementation,
                                                                          name)
