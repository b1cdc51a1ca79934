"""The applicant supplies what was asked for (补正, 6 -> 7) or the materials an approval
let follow (容缺, 12 -> 11), on the in-memory case files: the materials themselves are
checked by services/materials.py (its own rules: test_materials_rules.py), answered here."""
from datetime import timedelta
from types import SimpleNamespace

import pytest

from chalicelib.domain import identity
from chalicelib.domain.changes import Change
from chalicelib.domain.errors import Concealed, Conflict, Forbidden, ValidationError
from chalicelib.domain.lifecycle import Status
from chalicelib.services import catalogue, clock, materials, supplements
from tests.fakes.case_files import FakeCaseFiles
from tests.fakes.license_library import FakeLicenseLibrary

from .records import CASE_NO, ITEM, NOW, OTHER_REVIEW, REVIEW, case_record, task_record

APPLICANT = identity.Principal("u-1", identity.APPLICANT, id_number="110101199003077777")
STRANGER = identity.Principal("u-2", identity.APPLICANT)
ASKED = ["食品安全管理制度文本"]
LIBRARY = FakeLicenseLibrary()   # the licenses a material may name (asked by materials)
LATER = NOW + timedelta(days=2)  # two working days after the supplement was asked for


@pytest.fixture(autouse=True)
def offline(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: LATER)
    monkeypatch.setattr(catalogue, "pinned_version", lambda code, version: ITEM)
    used = []
    monkeypatch.setattr(materials, "given_in_case",
                        lambda library, item, refs, *args, **kwargs:
                        SimpleNamespace(entries=[{"name": r["name"], "materialId": "M1"}
                                                 for r in refs], library=library))
    monkeypatch.setattr(materials, "record_uses", lambda given, *args: used.append(given))
    return used


def _waiting(**values) -> FakeCaseFiles:
    """A case whose review (SCJG) asked for a supplement at NOW; WSJ's review still open."""
    case = case_record(
        Status.SUPPLEMENT_REQUESTED, applicant=SimpleNamespace(sub="u-1", idNumber="1101**"),
        materials=[{"name": "营业执照"}],
        supplement={"taskId": REVIEW, "dept": "SCJG", "context": "review",
                    "materials": ASKED, "opinion": "请补充", "requestedAt": NOW.isoformat()},
        pauses=[{"kind": "supplement", "since": "2026-11-25T02:00:00Z", "taskId": REVIEW}],
        **values)
    return FakeCaseFiles(case, task_record(REVIEW, state="supplement"),
                         task_record(OTHER_REVIEW))


def _supply(files, names, principal=APPLICANT):
    return supplements.supply(files, LIBRARY, principal, CASE_NO,
                              {"materials": [{"name": name} for name in names]})


def test_only_the_applicant_supplies_and_only_what_was_asked_for_at_least():
    files = _waiting()
    with pytest.raises(Concealed):
        _supply(files, ASKED, STRANGER)
    reviewer = identity.Principal("rev-1", identity.REVIEWER, dept="SCJG")
    with pytest.raises(Forbidden):
        _supply(files, ASKED, reviewer)
    with pytest.raises(ValidationError):
        _supply(files, ["营业执照"])
    assert files.commits == []


def test_a_supplement_reopens_the_task_and_resumes_the_clock_in_one_transaction(offline):
    files = _waiting()
    assert _supply(files, ASKED) == {"caseNo": CASE_NO, "status": 7}
    [transaction] = files.commits
    assert [change.key[1] for change in transaction] == [
        f"TASK#{REVIEW}", f"TASK#{OTHER_REVIEW}", "META"]
    case = files.get(CASE_NO)
    assert case.status == 7 and case.pauses[-1]["until"]
    assert [m["name"] for m in case.materials] == ["营业执照", *ASKED]
    assert (case.supplement["supplied"], case.supplement["suppliedAt"]) == (
        ASKED, LATER.isoformat())
    task, other = files.get_task(REVIEW), files.get_task(OTHER_REVIEW)
    assert task.state == "open" and task.deadline > "2026-11-27T10:00:00Z"
    assert other.deadline == task.deadline  # the pause moved every open task on
    assert len(offline) == 1  # the uses recorded after the write
    assert offline[0].library is LIBRARY   # materials asked in the library supply was given


def test_supplying_twice_finds_nothing_to_supply():
    files = _waiting()
    _supply(files, ASKED)
    with pytest.raises(Conflict) as raised:
        _supply(files, ASKED)
    assert raised.value.code == "nothing_to_supply"


def test_materials_that_followed_an_approval_conclude_the_case_approved():
    files = FakeCaseFiles(case_record(
        Status.APPROVED_PENDING_MATERIALS, applicant=SimpleNamespace(sub="u-1", idNumber="x"),
        pendingMaterials=["营业执照"], materialsDueBy="2026-12-09", materials=[],
        closedAt=NOW.isoformat()))
    with pytest.raises(ValidationError):
        _supply(files, ASKED)
    files.meanwhile.append(lambda: files.commit([Change((CASE_NO, "META"),
                                                        set={"cardLevel": "red"})]))
    with pytest.raises(Conflict) as raised:
        _supply(files, ["营业执照"])
    assert raised.value.code == "case_changed"
    assert _supply(files, ["营业执照"]) == {"caseNo": CASE_NO, "status": 11}
    case = files.get(CASE_NO)
    assert (case.status, case.pendingMaterials, [m["name"] for m in case.materials]) == (
        11, None, ["营业执照"])
