"""The rules of a department's tasks — claim, release, assign, decide (each decision),
supplement request and special procedure — on the in-memory case files, no AWS: who may
act, in which states, what each decision leaves the task and the case in, and what a
change that loses a race at commit answers (the same 409s as the HTTP tier shows)."""
from datetime import timedelta
from types import SimpleNamespace

import pytest

from chalicelib.adapters.models import TaskRecord
from chalicelib.domain import decisions, identity
from chalicelib.domain.changes import Change
from chalicelib.domain.errors import (
    Concealed,
    Conflict,
    Forbidden,
    NotFound,
    UnprocessableEntity,
    ValidationError,
)
from chalicelib.domain.lifecycle import Status
from chalicelib.services import catalogue, clock, roster, tasks
from tests.fakes.case_files import FakeCaseFiles

from .records import (
    ACCEPTANCE,
    CASE_NO,
    CLERK,
    FOREIGN_CLERK,
    ITEM,
    LEAD,
    NOW,
    OTHER_CLERK,
    OTHER_REVIEW,
    OTHER_REVIEWER,
    REVIEW,
    REVIEWER,
    SUPERVISOR,
    case_record,
    task_record,
)


@pytest.fixture(autouse=True)
def offline(monkeypatch):
    """The clock stands still; the roster and the catalogue are answered here (their own
    stores are not part of the case files)."""
    monkeypatch.setattr(clock, "now", lambda: NOW)
    monkeypatch.setattr(roster, "saw", lambda principal: None)
    monkeypatch.setattr(catalogue, "pinned_version", lambda code, version: ITEM)


@pytest.fixture
def colleagues(monkeypatch):
    """SCJG's staff as the roster has seen them."""
    known = {"rev-2": SimpleNamespace(name="钱审查", role=identity.REVIEWER, lead=False),
             "clerk-3": SimpleNamespace(name="孙受理", role=identity.CLERK, lead=False)}
    monkeypatch.setattr(roster, "colleague",
                        lambda dept, sub: known.get(sub) if dept == "SCJG" else None)
    return known


def _files(*records) -> FakeCaseFiles:
    return FakeCaseFiles(*(records or (case_record(), task_record())))


def _stored_task(files: FakeCaseFiles, task_id: str = ACCEPTANCE) -> TaskRecord:
    return files.get_task(task_id)


def _code(raised) -> str:
    return raised.value.code


# -- who may act -----------------------------------------------------------------------

def test_a_task_nobody_may_know_of_is_not_found():
    files = _files()
    with pytest.raises(NotFound):
        tasks.claim(files, CLERK, f"{CASE_NO}-A7")      # no such task
    with pytest.raises(NotFound):
        tasks.claim(files, CLERK, "not-a-task")
    with pytest.raises(Concealed):                      # another department's: 404 too
        tasks.claim(files, FOREIGN_CLERK, ACCEPTANCE)
    with pytest.raises(Forbidden):                      # a supervisor reads, never acts
        tasks.claim(files, SUPERVISOR, ACCEPTANCE)
    assert files.commits == []


def test_a_task_is_handled_by_the_role_of_its_kind_or_the_departments_lead():
    files = _files(case_record(Status.IN_REVIEW), task_record(REVIEW))
    with pytest.raises(Concealed):
        tasks.claim(files, CLERK, REVIEW)               # a ZWFW clerk: not SCJG's
    clerk_of_scjg = identity.Principal("clerk-3", identity.CLERK, dept="SCJG")
    with pytest.raises(Forbidden):
        tasks.claim(files, clerk_of_scjg, REVIEW)
    assert tasks.claim(files, LEAD, REVIEW)["task"]["claimedBy"] == "lead-1"


# -- claims ----------------------------------------------------------------------------

def test_a_claim_is_recorded_with_who_and_when_and_claiming_again_changes_nothing():
    files = _files()
    answer = tasks.claim(files, CLERK, ACCEPTANCE)
    assert answer == {"task": answer["task"], "caseStatus": 1}
    assert answer["task"]["claimedBy"] == "clerk-1"
    stored = _stored_task(files)
    assert (stored.claimedBy, stored.claimedByName, stored.claimAction, stored.claimActor,
            stored.claimActorName, stored.claimedAt) == (
        "clerk-1", "张受理", "claimed", "clerk-1", "张受理", NOW.isoformat())
    assert tasks.claim(files, CLERK, ACCEPTANCE)["task"]["claimedBy"] == "clerk-1"
    assert len(files.commits) == 1


def test_a_task_claimed_by_someone_else_or_done_is_not_claimed():
    files = _files(case_record(), task_record(claimedBy="clerk-2"))
    with pytest.raises(Conflict) as raised:
        tasks.claim(files, CLERK, ACCEPTANCE)
    assert _code(raised) == "task_claimed"
    for state, code in (("decided", "task_already_decided"), ("cancelled", "task_cancelled"),
                        ("upcoming", "task_waiting")):
        files = _files(case_record(), task_record(state=state, cancelReason="case closed"))
        with pytest.raises(Conflict) as raised:
            tasks.claim(files, CLERK, ACCEPTANCE)
        assert _code(raised) == code
    # Waiting on the applicant or in a special procedure, a task can still be claimed.
    files = _files(case_record(Status.SUPPLEMENT_REQUESTED), task_record(state="supplement"))
    assert tasks.claim(files, CLERK, ACCEPTANCE)["task"]["state"] == "supplement"


def test_a_claim_that_loses_the_race_at_commit_is_told_so():
    files = _files()
    files.meanwhile.append(lambda: tasks.claim(files, OTHER_CLERK, ACCEPTANCE))
    with pytest.raises(Conflict) as raised:
        tasks.claim(files, CLERK, ACCEPTANCE)
    assert _code(raised) == "task_claimed"
    assert _stored_task(files).claimedBy == "clerk-2"


def test_only_the_claimant_or_the_lead_releases_and_releasing_nothing_is_a_no_op():
    files = _files(case_record(Status.IN_REVIEW), task_record(REVIEW, claimedBy="rev-1",
                                                  claimedByName="王审查"))
    with pytest.raises(Forbidden):
        tasks.release(files, OTHER_REVIEWER, REVIEW)
    answer = tasks.release(files, LEAD, REVIEW)
    assert "claimedBy" not in answer["task"]
    stored = _stored_task(files, REVIEW)
    assert (stored.claimedBy, stored.claimedByName, stored.claimAction, stored.claimActor,
            stored.claimActorName) == (None, None, "released", "lead-1", "赵科长")
    tasks.release(files, REVIEWER, REVIEW)
    assert len(files.commits) == 1


def test_a_release_racing_a_new_claim_is_refused():
    files = _files(case_record(), task_record(claimedBy="clerk-1"))

    def handed_on():
        files.commit([Change((CASE_NO, f"TASK#{ACCEPTANCE}"),
                             set={"claimedBy": "clerk-2"})])
    files.meanwhile.append(handed_on)
    with pytest.raises(Conflict) as raised:
        tasks.release(files, CLERK, ACCEPTANCE)
    assert _code(raised) == "task_claimed"
    assert _stored_task(files).claimedBy == "clerk-2"


def test_the_lead_assigns_to_a_colleague_in_a_role_that_handles_thetask_record(colleagues):
    files = _files(case_record(Status.IN_REVIEW), task_record(REVIEW, claimedBy="rev-1"))
    with pytest.raises(Forbidden):
        tasks.assign(files, REVIEWER, REVIEW, {"to": "rev-2"})
    for to in ("nobody", "clerk-3"):  # not on SCJG's roster; a clerk for a review
        with pytest.raises(UnprocessableEntity) as raised:
            tasks.assign(files, LEAD, REVIEW, {"to": to})
        assert _code(raised) == "assignee_not_in_department"
    answer = tasks.assign(files, LEAD, REVIEW, {"to": " rev-2 "})
    assert answer["task"]["claimedBy"] == "rev-2"
    stored = _stored_task(files, REVIEW)
    assert (stored.claimedBy, stored.claimedByName, stored.claimAction,
            stored.claimActor) == ("rev-2", "钱审查", "assigned", "lead-1")
    # The one it was taken from can no longer decide it.
    with pytest.raises(Conflict) as raised:
        tasks.decide(files, REVIEWER, REVIEW, {"decision": "approve"})
    assert _code(raised) == "task_claimed"


# -- decisions at acceptance -----------------------------------------------------------

def test_accepting_claims_the_task_decides_it_and_moves_the_case_in_one_transaction():
    files = _files()
    answer = tasks.decide(files, CLERK, ACCEPTANCE, {"decision": "accept", "opinion": "受理"},
                          channel="counter")
    assert answer["caseStatus"] == 3
    assert (answer["task"]["state"], answer["task"]["decision"],
            answer["task"]["claimedBy"]) == ("decided", "accept", "clerk-1")
    [transaction] = files.commits
    assert [change.key[1] for change in transaction] == [f"TASK#{ACCEPTANCE}", "META"]
    task, case = _stored_task(files), files.get(CASE_NO)
    assert (task.state, task.decidedBy, task.decidedByName, task.decidedRole,
            task.decidedVia, task.opinion, task.claimedBy, task.inboxDept,
            task.watchShard, task.resumeWith) == (
        "decided", "clerk-1", "张受理", "clerk", "counter", "受理", "clerk-1", None, None,
        None)
    assert (case.status, case.acceptedAt, case.actor, case.actorName, case.channel,
            case.version) == (3, NOW.isoformat(), "clerk-1", "张受理", "counter", 5)


@pytest.mark.parametrize("decision,status", [("refuse", 5), ("not_accept", 4)])
def test_refusing_needs_an_opinion_closes_the_case_and_fails_the_workflow(decision, status):
    files = _files()
    with pytest.raises(ValidationError):
        tasks.decide(files, CLERK, ACCEPTANCE, {"decision": decision, "opinion": " "})
    answer = tasks.decide(files, CLERK, ACCEPTANCE, {"decision": decision,
                                                     "opinion": "不符合受理条件"})
    assert answer["caseStatus"] == status
    case = files.get(CASE_NO)
    assert (case.status, case.closedAt, case.watchShard) == (status, NOW.isoformat(), None)
    assert _stored_task(files).resumeWith == decisions.NOT_ACCEPTED


def test_a_decision_is_the_kinds_own_and_made_once():
    files = _files()
    with pytest.raises(UnprocessableEntity):
        tasks.decide(files, CLERK, ACCEPTANCE, {"decision": "approve"})
    tasks.decide(files, CLERK, ACCEPTANCE, {"decision": "accept"})
    with pytest.raises(Conflict) as raised:
        tasks.decide(files, CLERK, ACCEPTANCE, {"decision": "accept"})
    assert _code(raised) == "task_already_decided"


def test_asking_for_a_supplement_names_the_items_materials_and_stops_the_clock():
    files = _files(case_record(Status.RECEIVED), task_record(claimedBy="clerk-1"))
    with pytest.raises(ValidationError) as raised:
        tasks.decide(files, CLERK, ACCEPTANCE, {"decision": "supplement", "opinion": "补",
                                                "materials": ["身份证", "营业执照"]})
    assert raised.value.field == "materials.0"
    answer = tasks.decide(files, CLERK, ACCEPTANCE, {
        "decision": "supplement", "opinion": "请补充",
        "materials": ["营业执照", "营业执照"]})
    assert (answer["caseStatus"], answer["task"]["state"]) == (6, "supplement")
    case = files.get(CASE_NO)
    assert case.status == 6
    assert case.supplement == {"taskId": ACCEPTANCE, "dept": "ZWFW", "context": "intake",
                               "materials": ["营业执照"], "opinion": "请补充",
                               "requestedAt": NOW.isoformat()}
    [pause] = case.pauses
    assert (pause["kind"], pause["taskId"], pause.get("until")) == (
        "supplement", ACCEPTANCE, None)
    task = _stored_task(files)
    assert (task.state, task.decision) == ("supplement", None)
    # Claimed already: the decision claims nothing more.
    assert "claimedBy" not in files.commits[0][0].set


# -- decisions in review ---------------------------------------------------------------

def test_a_review_decided_before_the_stream_moved_its_case_moves_it_to_review_first():
    files = _files(case_record(Status.ACCEPTED), task_record(REVIEW))
    answer = tasks.decide(files, REVIEWER, REVIEW, {"decision": "approve", "opinion": "同意"})
    assert answer["caseStatus"] == 8
    entry, decision = files.commits
    assert [c.key[1] for c in entry] == ["META"] and entry[0].set["status"] == 8
    # An approval leaves the case as it is: the task alone, on its own condition.
    assert [c.key[1] for c in decision] == [f"TASK#{REVIEW}"]
    assert files.get(CASE_NO).status == 8
    assert _stored_task(files, REVIEW).decision == "approve"


def test_materials_may_follow_an_approval_only_where_the_item_allows(monkeypatch):
    files = _files(case_record(Status.IN_REVIEW), task_record(REVIEW))
    monkeypatch.setattr(catalogue, "pinned_version",
                        lambda code, version: {**ITEM, "process": {}})
    body = {"decision": "approve", "pendingMaterials": ["营业执照"]}
    with pytest.raises(UnprocessableEntity) as raised:
        tasks.decide(files, REVIEWER, REVIEW, body)
    assert _code(raised) == "materials_to_follow_not_allowed"
    monkeypatch.setattr(catalogue, "pinned_version", lambda code, version: ITEM)
    with pytest.raises(ValidationError):
        tasks.decide(files, REVIEWER, REVIEW, {"decision": "deny", "opinion": "否",
                                               "pendingMaterials": ["营业执照"]})
    answer = tasks.decide(files, REVIEWER, REVIEW, body)
    assert answer["task"]["pendingMaterials"] == ["营业执照"]
    assert _stored_task(files, REVIEW).pendingMaterials == ["营业执照"]
    assert files.get(CASE_NO).status == 8


def test_a_denial_with_veto_ends_review_and_cancels_the_other_open_tasks():
    files = _files(case_record(Status.IN_REVIEW), task_record(REVIEW, veto=True),
                   task_record(OTHER_REVIEW), task_record(f"{CASE_NO}-R2-SCJG", state="upcoming"),
                   task_record(ACCEPTANCE, state="decided", decision="accept"))
    answer = tasks.decide(files, REVIEWER, REVIEW, {"decision": "deny", "opinion": "不予"})
    assert answer["caseStatus"] == 13
    [transaction] = files.commits
    assert len(transaction) == 4  # the task, the case, the two others still to be done
    case = files.get(CASE_NO)
    assert (case.status, case.closedAt) == (13, NOW.isoformat())
    assert _stored_task(files, REVIEW).resumeWith == decisions.DENIED
    for other in (OTHER_REVIEW, f"{CASE_NO}-R2-SCJG"):
        task = _stored_task(files, other)
        assert (task.state, task.cancelReason, task.inboxDept) == (
            "cancelled", "a department with veto denied", None)
    assert _stored_task(files, ACCEPTANCE).state == "decided"


def test_a_denial_without_veto_is_an_opinion_the_case_stays_in_review():
    files = _files(case_record(Status.IN_REVIEW), task_record(REVIEW), task_record(OTHER_REVIEW))
    answer = tasks.decide(files, REVIEWER, REVIEW, {"decision": "deny", "opinion": "不同意"})
    assert answer["caseStatus"] == 8
    assert files.get(CASE_NO).version == 4  # untouched
    assert _stored_task(files, REVIEW).resumeWith is None
    assert _stored_task(files, OTHER_REVIEW).state == "open"


def test_a_review_supplement_goes_back_to_this_department():
    files = _files(case_record(Status.IN_REVIEW), task_record(REVIEW))
    tasks.decide(files, REVIEWER, REVIEW, {"decision": "supplement", "opinion": "补",
                                           "materials": ["食品安全管理制度文本"]})
    case = files.get(CASE_NO)
    assert (case.status, case.supplement["context"], case.supplement["dept"]) == (
        6, "review", "SCJG")


# -- races at commit -------------------------------------------------------------------

def test_a_decision_racing_another_says_what_happened_meanwhile():
    # Decided by someone else first.
    files = _files()
    files.meanwhile.append(lambda: tasks.decide(files, OTHER_CLERK, ACCEPTANCE,
                                                {"decision": "accept"}))
    with pytest.raises(Conflict) as raised:
        tasks.decide(files, CLERK, ACCEPTANCE, {"decision": "accept"})
    assert _code(raised) == "task_already_decided"
    assert _stored_task(files).decidedBy == "clerk-2"

    # Claimed by someone else first.
    files = _files()
    files.meanwhile.append(lambda: tasks.claim(files, OTHER_CLERK, ACCEPTANCE))
    with pytest.raises(Conflict) as raised:
        tasks.decide(files, CLERK, ACCEPTANCE, {"decision": "accept"})
    assert _code(raised) == "task_claimed"

    # The case changed (its version moved on): nothing is written.
    files = _files()
    files.meanwhile.append(lambda: files.commit([Change((CASE_NO, "META"),
                                                        set={"cardLevel": "warning"})]))
    with pytest.raises(Conflict) as raised:
        tasks.decide(files, CLERK, ACCEPTANCE, {"decision": "accept"})
    assert _code(raised) == "task_changed"
    assert (_stored_task(files).state, files.get(CASE_NO).status) == ("open", 1)


def test_a_decision_racing_a_withdrawal_is_refused_with_the_task_cancelled():
    from chalicelib.services import casefile
    files = _files(case_record(Status.IN_REVIEW), task_record(REVIEW))

    def withdrawn():
        case, _, open_tasks = files.load(CASE_NO)
        files.commit([casefile.status_change(case, Status.WITHDRAWN, "u", "applicant", "api",
                                             "撤回", NOW),
                      *casefile.cancel_open_tasks(open_tasks, "withdrawn by the applicant",
                                                  NOW)])
    files.meanwhile.append(withdrawn)
    with pytest.raises(Conflict) as raised:
        tasks.decide(files, REVIEWER, REVIEW, {"decision": "approve"})
    assert _code(raised) == "task_cancelled"


# -- special procedures ----------------------------------------------------------------

def test_a_special_procedure_is_one_the_item_lists_started_in_review():
    files = _files()
    with pytest.raises(Conflict) as raised:
        tasks.start_special_procedure(files, CLERK, ACCEPTANCE, {"type": "hearing",
                                                                 "reason": "r"})
    assert _code(raised) == "not_in_review"
    files = _files(case_record(Status.IN_REVIEW), task_record(REVIEW))
    with pytest.raises(UnprocessableEntity) as raised:
        tasks.start_special_procedure(files, REVIEWER, REVIEW, {"type": "lab", "reason": "r"})
    assert _code(raised) == "special_procedure_not_allowed"
    with pytest.raises(Conflict) as raised:
        tasks.end_special_procedure(files, REVIEWER, REVIEW, {"result": "done"})
    assert _code(raised) == "no_special_procedure"
    assert files.commits == []


def test_a_special_procedure_stops_the_clock_and_its_end_moves_every_deadline_on(
        monkeypatch):
    # No deadline of its own to watch: the procedure's is the one the sweep looks for.
    files = _files(case_record(Status.IN_REVIEW, due=None), task_record(REVIEW),
                   task_record(OTHER_REVIEW))
    answer = tasks.start_special_procedure(files, REVIEWER, REVIEW,
                                           {"type": "hearing", "reason": "涉及公共利益"})
    assert (answer["caseStatus"], answer["task"]["state"],
            answer["task"]["claimedBy"]) == (9, "special", "rev-1")
    case = files.get(CASE_NO)
    [procedure] = case.procedures
    assert (case.status, case.opinion, procedure["type"], procedure["taskId"]) == (
        9, "听证：涉及公共利益", "hearing", REVIEW)
    assert procedure["dueAt"] == case.watchAt  # its own limit is watched
    assert case.pauses[-1]["kind"] == "special_procedure"

    # Two working days later the hearing is over.
    later = NOW + timedelta(days=2)
    monkeypatch.setattr(clock, "now", lambda: later)
    with pytest.raises(Conflict) as raised:  # only its claimant ends it
        tasks.end_special_procedure(files, OTHER_REVIEWER, REVIEW, {"result": "x"})
    assert _code(raised) == "task_claimed"
    answer = tasks.end_special_procedure(files, REVIEWER, REVIEW, {"result": "同意"})
    assert (answer["caseStatus"], answer["task"]["state"]) == (10, "open")
    case = files.get(CASE_NO)
    assert case.status == 10 and case.pauses[-1]["until"]
    assert (case.procedures[-1]["result"], case.procedures[-1]["endedAt"]) == (
        "同意", later.isoformat())
    task, other = _stored_task(files, REVIEW), _stored_task(files, OTHER_REVIEW)
    assert task.state == "open"
    assert task.deadline > "2026-11-27T10:00:00Z" and task.deadline == answer["task"][
        "deadline"]
    assert other.deadline == task.deadline  # the same pause moved every open task on
    # One transaction: the task, the other open task, the case.
    assert [c.key[1] for c in files.commits[-1]] == [
        f"TASK#{REVIEW}", f"TASK#{OTHER_REVIEW}", "META"]
