"""The rules of ending a case — withdrawal by its applicant, revocation by a supervisor,
conclusion once its reviews are done — on the in-memory case files, no AWS."""
from types import SimpleNamespace

import pytest

from chalicelib.adapters import sealing
from chalicelib.domain import identity
from chalicelib.domain.changes import Change
from chalicelib.domain.errors import Concealed, Conflict, Forbidden, NotFound
from chalicelib.domain.identifiers import make_license_identifier
from chalicelib.domain.lifecycle import Status
from chalicelib.services import (
    catalogue,
    clock,
    conclusion,
    roster,
    tasks,
    withdrawals,
)
from chalicelib.services.licenses import issuing
from tests.fakes.case_files import FakeCaseFiles
from tests.fakes.license_library import FakeLicenseLibrary

from .records import (
    ACCEPTANCE,
    CASE_NO,
    ITEM,
    NOW,
    OTHER_REVIEW,
    REVIEW,
    REVIEWER,
    SUPERVISOR,
    case_record,
    task_record,
)

APPLICANT = identity.Principal("u-1", identity.APPLICANT, id_number="110101199003077777")
STRANGER = identity.Principal("u-2", identity.APPLICANT)
PLAN = {**ITEM, "process": {**ITEM["process"], "stages": [
    {"departments": ["SCJG", "WSJ"]}]}}
REASON = {"reason": "不办了"}


@pytest.fixture(autouse=True)
def offline(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: NOW)
    monkeypatch.setattr(catalogue, "pinned_version", lambda code, version: PLAN)
    monkeypatch.setattr(roster, "saw", lambda principal: None)


def _applied(status: Status = Status.IN_REVIEW, **values):
    """A case its applicant (u-1) applied for online."""
    return case_record(status, applicant=SimpleNamespace(sub="u-1", idNumber="1101**7777"),
                       **values)


# -- withdrawal and revocation ----------------------------------------------------------

def test_only_the_applicant_withdraws_and_nobody_else_learns_the_case_exists():
    files = FakeCaseFiles(_applied(), task_record(REVIEW))
    with pytest.raises(NotFound):
        withdrawals.withdraw(files, APPLICANT, "440300202611240000009X", REASON)
    with pytest.raises(Concealed):
        withdrawals.withdraw(files, STRANGER, CASE_NO, REASON)
    with pytest.raises(Forbidden):  # its reviewer reads it, but does not withdraw it
        withdrawals.withdraw(files, REVIEWER, CASE_NO, REASON)
    assert files.commits == []


@pytest.mark.parametrize("before,accepted,status", [
    (Status.RECEIVED, None, 2), (Status.IN_REVIEW, NOW.isoformat(), 14)])
def test_a_withdrawal_closes_the_case_and_cancels_its_open_tasks_in_one_transaction(
        before, accepted, status):
    files = FakeCaseFiles(_applied(before, acceptedAt=accepted), task_record(REVIEW),
                          task_record(OTHER_REVIEW, state="upcoming"),
                          task_record(ACCEPTANCE, state="decided"))
    answer = withdrawals.withdraw(files, APPLICANT, CASE_NO, REASON)
    assert answer == {"caseNo": CASE_NO, "status": status,
                      "cancelledTasks": [REVIEW, OTHER_REVIEW]}
    [transaction] = files.commits
    assert len(transaction) == 3
    case = files.get(CASE_NO)
    assert (case.status, case.opinion, case.closedAt, case.watchShard) == (
        status, "不办了", NOW.isoformat(), None)
    for task_id in (REVIEW, OTHER_REVIEW):
        task = files.get_task(task_id)
        assert (task.state, task.cancelReason, task.inboxDept) == (
            "cancelled", "withdrawn by the applicant", None)
    assert files.get_task(ACCEPTANCE).state == "decided"
    # Once closed, a decision on one of its tasks is refused.
    with pytest.raises(Conflict) as raised:
        tasks.decide(files, REVIEWER, REVIEW, {"decision": "approve"})
    assert raised.value.code == "task_cancelled"


def test_a_withdrawal_racing_a_decision_is_told_the_case_changed():
    files = FakeCaseFiles(_applied(acceptedAt=NOW.isoformat()), task_record(REVIEW))
    files.meanwhile.append(lambda: files.commit([Change(
        (CASE_NO, f"TASK#{REVIEW}"), set={"state": "decided"})]))
    with pytest.raises(Conflict) as raised:
        withdrawals.withdraw(files, APPLICANT, CASE_NO, REASON)
    assert raised.value.code == "case_changed"
    assert files.get(CASE_NO).status == Status.IN_REVIEW


def test_a_supervisor_revokes_and_an_applicant_does_not():
    files = FakeCaseFiles(_applied(), task_record(REVIEW))
    with pytest.raises(Forbidden):
        withdrawals.revoke(files, APPLICANT, CASE_NO, REASON)
    answer = withdrawals.revoke(files, SUPERVISOR, CASE_NO, {"reason": "以欺骗手段取得"})
    assert (answer["status"], answer["cancelledTasks"]) == (15, [REVIEW])
    assert files.get_task(REVIEW).cancelReason == "revoked by a supervisor"


# -- conclusion -------------------------------------------------------------------------

def _conclude(files: FakeCaseFiles) -> int | None:
    """Conclude the case (its item issues no license: the library stays empty)."""
    return conclusion.conclude(files, FakeLicenseLibrary(), CASE_NO)


def _reviewed(*decisions: tuple[str, str, dict]) -> FakeCaseFiles:
    return FakeCaseFiles(_applied(), *(task_record(task_id, state=state, **values)
                                       for task_id, state, values in decisions))


def test_a_case_concludes_only_when_every_review_of_its_plan_is_decided():
    files = _reviewed((REVIEW, "decided", {"decision": "approve"}))
    assert _conclude(files) is None  # WSJ's review not recorded yet
    files = _reviewed((REVIEW, "decided", {"decision": "approve"}), (OTHER_REVIEW, "open", {}))
    assert _conclude(files) is None
    files = _reviewed((REVIEW, "decided", {"decision": "deny", "veto": True}),
                      (OTHER_REVIEW, "decided", {"decision": "approve"}))
    assert _conclude(files) is None  # vetoed: the workflow denies it
    assert files.commits == []


def test_a_case_not_where_a_conclusion_follows_is_retried_or_left_alone():
    files = FakeCaseFiles(_applied(Status.SUPPLEMENT_REQUESTED))
    with pytest.raises(conclusion.NotYet):
        _conclude(files)
    files = FakeCaseFiles(_applied(Status.WITHDRAWN))
    assert _conclude(files) is None


def test_approved_reviews_conclude_the_case_once():
    files = _reviewed((REVIEW, "decided", {"decision": "approve"}),
                      (OTHER_REVIEW, "decided", {"decision": "deny"}))  # advisory
    assert _conclude(files) == 11
    case = files.get(CASE_NO)
    assert (case.status, case.opinion, case.closedAt, case.actor) == (
        11, "准予许可", NOW.isoformat(), "workflow")
    assert case.watchShard  # in the watch until its invitation to rate
    assert _conclude(files) is None  # delivered again
    assert len(files.commits) == 1


def test_materials_to_follow_conclude_it_pending_with_their_own_due_date():
    files = _reviewed((REVIEW, "decided", {"decision": "approve",
                                           "pendingMaterials": ["营业执照"]}),
                      (OTHER_REVIEW, "decided", {"decision": "approve",
                                                 "pendingMaterials": ["营业执照", "a"]}))
    assert _conclude(files) == 12
    case = files.get(CASE_NO)
    assert (case.pendingMaterials, case.materialsDueBy) == (["a", "营业执照"], "2026-12-09")
    assert case.watchShard and case.watchAt <= "2026-12-09T16:00:00Z"


def test_a_conclusion_racing_another_change_of_the_case_is_retried():
    files = _reviewed((REVIEW, "decided", {"decision": "approve"}),
                      (OTHER_REVIEW, "decided", {"decision": "approve"}))
    files.meanwhile.append(lambda: files.commit([Change((CASE_NO, "META"),
                                                        set={"cardLevel": "warning"})]))
    with pytest.raises(conclusion.NotYet):
        _conclude(files)
    assert files.get(CASE_NO).status == Status.IN_REVIEW


MARKET = {"code": "SCJG", "name": "深圳市市场监督管理局", "uscc": "11440300007542808J",
          "sealName": "深圳市市场监督管理局"}
LICENSED = {**PLAN, "implementingDept": "SCJG",
            "result": {"licenseType": "11100000000013127D001", "licenseName": "食品经营许可证"}}


@pytest.fixture
def signing(monkeypatch):
    """The item issues a license: signed and sealed here (KMS is the adapters'), the
    applicant's number opened as the case has it."""
    monkeypatch.setattr(catalogue, "pinned_version", lambda code, version: LICENSED)
    monkeypatch.setattr(catalogue, "department", {"SCJG": MARKET}.get)
    monkeypatch.setattr(issuing, "sign", lambda document: {"keyId": "arn:key", "value": "s"})
    monkeypatch.setattr(sealing, "seal", lambda values, bound_to: {"for": bound_to})
    monkeypatch.setattr(issuing, "applicant_in_clear",
                        lambda case: {"idNumber": "110101199003077777"})


def test_a_concluded_case_has_its_license_issued_into_the_library_once(signing):
    files = FakeCaseFiles(case_record(Status.IN_REVIEW, applicant=SimpleNamespace(
        sub="u-1", idNumber="1101**7777", name="张三", idType="111")),
        task_record(REVIEW, state="decided", decision="approve"),
        task_record(OTHER_REVIEW, state="decided", decision="approve"))
    library = FakeLicenseLibrary()
    assert conclusion.conclude(files, library, CASE_NO) == 11
    case = files.get(CASE_NO)
    # Issued by the implementing department, as the registry names it.
    assert case.licenseId == make_license_identifier(
        LICENSED["result"]["licenseType"], MARKET["uscc"], CASE_NO)
    assert case.opinion == "准予许可，已核发电子证照"
    issued = library.get(case.licenseId)
    assert (issued.document["issuer"], issued.document["issuerCode"]) == (MARKET["name"],
                                                                           MARKET["uscc"])
    assert (issued.caseNo, issued.holderSub, issued.dept, issued.state) == (
        CASE_NO, "u-1", "SCJG", "valid")
    assert issued.document["holderId"] != "110101199003077777"   # stored masked
    assert issued.sealedHolder == {"for": case.licenseId}
    # Delivered again after the license was issued but before the case was written (a
    # conclusion that lost its race): the same license, none other.
    assert issuing.issue(library, files.get(CASE_NO), LICENSED) == case.licenseId
    assert len(library.records) == 1


def test_no_license_names_a_department_the_registry_does_not_know(signing, monkeypatch):
    """An implementing department removed from the registry since: the conclusion fails
    (and is retried, then dead-lettered) rather than issue a license naming someone else."""
    monkeypatch.setattr(catalogue, "department", {}.get)
    files = FakeCaseFiles(case_record(Status.IN_REVIEW, applicant=SimpleNamespace(
        sub="u-1", idNumber="1101**7777", name="张三", idType="111")),
        task_record(REVIEW, state="decided", decision="approve"),
        task_record(OTHER_REVIEW, state="decided", decision="approve"))
    library = FakeLicenseLibrary()
    with pytest.raises(RuntimeError, match="SCJG"):
        conclusion.conclude(files, library, CASE_NO)
    assert library.records == {} and files.get(CASE_NO).status == Status.IN_REVIEW
