"""Ratings (好差评): the applicant rates once per scope; a bad rating opens a rectification
the department calls back, rectifies and answers, the rater accepts or sends to re-review,
the department's lead may contest — each step once under races, on the timeline and in
the notifications; the sweep marks missed deadlines and invites unrated cases to rate."""
from datetime import timedelta

from chalicelib.adapters.models import CaseRecord, RatingRecord
from chalicelib.domain import worktime

from .harness import sweep
from .test_claims_and_clock import _review
from .test_concurrency import race
from .test_notifications import _inbox


def _concluded(stack) -> str:
    case_no, task = _review(stack)
    stack.decide(task["taskId"], "scjg", "approve", "同意")
    stack.wait_status(case_no, 11)
    return case_no


def _rate(stack, case_no: str, level: int, user: str = "company", **body):
    return stack.call("POST", f"/cases/{case_no}/ratings", user,
                      {"scope": "case", "level": level, **body},
                      headers={"X-Channel": "miniprogram"})


def _step(stack, rating_id: str, path: str, user: str, body: dict):
    return stack.call("POST", f"/ratings/{rating_id}/{path}", user, body)


def _actions(stack, case_no: str, user: str = "supervisor") -> list[str]:
    return [e["action"] for e in stack.case(case_no, user)["timeline"]
            if e["action"].startswith(("rating_", "rectification_"))]


def _error(response) -> tuple[int, str]:
    return response.status_code, response.data["error"]["code"]


def test_a_bad_rating_is_rectified_to_its_end_each_step_once(stack):
    case_no = _concluded(stack)
    # Only the applicant's side rates; a stranger learns nothing of the case.
    assert _rate(stack, case_no, 2, "lisi").status_code == 404
    assert _rate(stack, case_no, 2, "scjg").status_code == 403
    # Six submissions at once: one rating.
    answers = race(6, lambda i: _rate(stack, case_no, 2, indicators={"attitude": 1},
                                      comment="等了很久，电话13800138000没人接"))
    assert sorted(a.status_code for a in answers) == [201] + [409] * 5
    assert {_error(a) for a in answers if a.status_code == 409} == {(409, "already_rated")}
    rating = next(a.data for a in answers if a.status_code == 201)
    rating_id = rating["ratingId"]
    assert rating_id == f"{case_no}~case~applicant"
    assert (rating["dept"], rating["level"], rating["channel"]) == ("SCJG", 2, "miniprogram")
    assert "13800138000" not in rating["comment"]
    assert rating["rectification"]["state"] == "open"
    assert rating["rectification"]["callbackDue"] < rating["rectification"]["rectifyDue"]

    # The department sees it; another department does not.
    listed = stack.call("GET", "/ratings?state=open", "scjg").data["ratings"]
    assert [r["ratingId"] for r in listed if r["caseNo"] == case_no] == [rating_id]
    assert stack.call("GET", "/ratings?dept=SCJG", "wsjk").status_code == 403
    assert _step(stack, rating_id, "callback", "wsjk",
                 {"verified": True, "note": "x"}).status_code == 404

    # Two reviewers call back at once: one step. Rectifying before it is refused.
    assert _error(_step(stack, rating_id, "rectification", "scjg", {
        "measures": "培训", "answer": "已整改"})) == (409, "rectification_state")
    calls = race(4, lambda i: _step(stack, rating_id, "callback", ("scjg", "scjg2")[i % 2],
                                    {"verified": True, "note": "已电话回访，情况属实"}))
    assert sorted(c.status_code for c in calls) == [200, 409, 409, 409]
    assert _step(stack, rating_id, "rectification", "scjg", {
        "measures": "已对窗口人员开展服务规范培训", "answer": "感谢监督，已完成整改"}
    ).data["rectification"]["state"] == "rectified"
    # The rater asks for a re-review; a supervisor sends it back; it is done again.
    assert _step(stack, rating_id, "response", "company",
                 {"accept": False}).status_code == 400
    assert _step(stack, rating_id, "response", "lisi",
                 {"accept": True}).status_code == 404
    reviewed = _step(stack, rating_id, "response", "company",
                     {"accept": False, "reason": "整改不到位"}).data["rectification"]
    assert reviewed["state"] == "review_requested"
    assert _step(stack, rating_id, "review/decision", "scjg",
                 {"decision": "redo", "opinion": "x"}).status_code == 403
    redo = _step(stack, rating_id, "review/decision", "supervisor",
                 {"decision": "redo", "opinion": "请重新整改"}).data["rectification"]
    assert (redo["state"], redo["round"]) == ("called_back", 2)
    assert redo["rectifyDue"] >= reviewed["rectifyDue"]  # counted again from now
    _step(stack, rating_id, "rectification", "scjg2",
          {"measures": "调整窗口排班", "answer": "已增加窗口人员"})
    answers = race(3, lambda i: _step(stack, rating_id, "response", "company",
                                      {"accept": True}))
    assert sorted(a.status_code for a in answers) == [200, 409, 409]
    closed = stack.call("GET", f"/cases/{case_no}/ratings", "company").data["ratings"]
    assert [r["rectification"]["state"] for r in closed] == ["closed"]
    assert _step(stack, rating_id, "contest", "scjg_lead", {
        "reason": "x", "evidence": ["y"]}).data["error"]["code"] == "rectification_state"

    # Every step on the timeline once, for the applicant too; and heard of.
    steps = ["rating_submitted", "rectification_opened", "rectification_called_back",
             "rectification_rectified", "rectification_review_requested",
             "rectification_review_decided", "rectification_rectified",
             "rectification_accepted"]
    assert stack.pump.run_until(lambda: _actions(stack, case_no) == steps)
    assert _actions(stack, case_no, "company") == steps
    assert stack.pump.run_until(lambda: sorted(
        n["type"] for n in _inbox(stack, "company") if n["caseNo"] == case_no
        and n["type"].startswith("rectification")) == [
        "rectification_answer", "rectification_answer", "rectification_review_decided"])
    answer = [n["text"] for n in _inbox(stack, "company") if n["type"] ==
              "rectification_answer"]
    assert any("已增加窗口人员" in text for text in answer)
    assert stack.pump.run_until(lambda: [n["type"] for n in _inbox(stack, "scjg")
                                         if n["caseNo"] == case_no and
                                         n["type"].startswith("rectification")] == [
        "rectification_review_decided", "rectification_review", "rectification_opened"])
    assert [n["type"] for n in _inbox(stack, "supervisor") if n["caseNo"] == case_no] == [
        "rectification_review"]


def test_a_good_rating_opens_nothing_and_each_scope_is_rated_once_it_is_done(stack):
    case_no, task = _review(stack)
    # Not concluded yet: the case and the review stage wait; the acceptance may be rated.
    assert _error(_rate(stack, case_no, 5)) == (409, "not_rateable")
    assert _error(stack.call("POST", f"/cases/{case_no}/ratings", "company", {
        "scope": "stage", "stage": 1, "level": 5})) == (409, "not_rateable")
    acceptance = stack.call("POST", f"/cases/{case_no}/ratings", "company", {
        "scope": "acceptance", "level": 4, "indicators": {"efficiency": 4, "once": 5}})
    assert acceptance.status_code == 201 and acceptance.data["dept"] == "ZWFW"
    assert "rectification" not in acceptance.data
    stack.decide(task["taskId"], "scjg", "approve", "同意")
    stack.wait_status(case_no, 11)
    stage = stack.call("POST", f"/cases/{case_no}/ratings", "company", {
        "scope": "stage", "stage": 1, "level": 5})
    assert (stage.status_code, stage.data["ratingId"]) == (201, f"{case_no}~stage.1.SCJG~applicant")
    # Bad input changes nothing and names the field.
    for body, field in (({"scope": "case", "level": 6}, "level"),
                        ({"scope": "case", "level": 3, "indicators": {"speed": 3}},
                         "indicators"),
                        ({"scope": "case", "level": 3, "comment": "x" * 501}, "comment"),
                        ({"scope": "stage", "level": 3}, "stage"),
                        ({"scope": "everything", "level": 3}, "scope")):
        refused = stack.call("POST", f"/cases/{case_no}/ratings", "company", body)
        assert refused.status_code == 400, body
        assert refused.data["error"]["field"].startswith(field), refused.data
    assert len(stack.call("GET", f"/cases/{case_no}/ratings", "company").data["ratings"]) == 2
    assert _rate(stack, case_no, 5).status_code == 201
    assert _error(_step(stack, f"{case_no}~case~applicant", "callback", "scjg", {
        "verified": True, "note": "x"})) == (409, "no_rectification")
    assert stack.pump.run_until(lambda: _actions(stack, case_no).count("rating_submitted") == 3)
    assert "rectification_opened" not in _actions(stack, case_no)


def test_a_contested_rating_is_internal_until_a_supervisor_voids_it(stack):
    case_no = _concluded(stack)
    rating_id = _rate(stack, case_no, 1, comment="乱写").data["ratingId"]
    contest = {"reason": "评价内容与办件无关，属恶意差评", "evidence": ["通话录音 20261125-01"]}
    assert _step(stack, rating_id, "contest", "scjg", contest).status_code == 403
    assert race(3, lambda i: _step(stack, rating_id, "contest", "scjg_lead", contest)
                )[0].status_code in (200, 409)
    staff_view = stack.call("GET", f"/cases/{case_no}/ratings", "scjg").data["ratings"][0]
    assert staff_view["rectification"]["state"] == "contested"
    assert staff_view["rectification"]["contest"]["evidence"] == contest["evidence"]
    mine = stack.call("GET", f"/cases/{case_no}/ratings", "company").data["ratings"][0]
    assert mine["rectification"]["state"] == "open" and "contest" not in mine["rectification"]
    # The supervisor rejects: it goes on where it was; contested again and upheld: voided.
    assert _step(stack, rating_id, "contest/decision", "supervisor", {
        "decision": "rejected", "opinion": "证据不足"}).data["rectification"]["state"] == "open"
    _step(stack, rating_id, "callback", "scjg", {"verified": False, "note": "无法核实"})
    _step(stack, rating_id, "contest", "scjg_lead", contest)
    decided = race(3, lambda i: _step(stack, rating_id, "contest/decision", "supervisor", {
        "decision": "upheld", "opinion": "属恶意差评，不计入"}))
    assert sorted(d.status_code for d in decided) == [200, 409, 409]
    voided = next(d.data for d in decided if d.status_code == 200)
    assert voided["excluded"] is True and voided["rectification"]["state"] == "voided"
    assert stack.pump.run_until(lambda: _actions(stack, case_no).count(
        "rating_contest_decided") == 2)
    assert not [a for a in _actions(stack, case_no, "company") if a.startswith("rating_contest")]
    assert stack.pump.run_until(lambda: [n["type"] for n in _inbox(stack, "supervisor")
                                         if n["caseNo"] == case_no] == [
        "rating_contested", "rating_contested"])


def test_missed_rectification_deadlines_are_marked_once_each(stack):
    case_no = _concluded(stack)
    rating = _rate(stack, case_no, 2).data
    due = rating["rectification"]
    callback_due = worktime.parse(due["callbackDue"])
    assert sweep(callback_due - timedelta(minutes=1))["rectifications"] == 0
    runs = race(4, lambda i: sweep(callback_due + timedelta(minutes=1)))
    assert sum(run["rectifications"] for run in runs) == 1
    # Called back late: the rectify deadline is still watched, and missed once too.
    _step(stack, rating["ratingId"], "callback", "scjg", {"verified": True, "note": "回访"})
    later = worktime.parse(due["rectifyDue"]) + timedelta(minutes=1)
    assert sum(run["rectifications"] for run in race(3, lambda i: sweep(later))) == 1
    record = RatingRecord.get(case_no, "RATING#case#applicant", consistent_read=True)
    assert record.rectification["late"] == ["callback", "rectify"]
    assert record.watchShard is None
    assert sweep(later + timedelta(days=30))["rectifications"] == 0
    assert stack.pump.run_until(lambda: _actions(stack, case_no).count(
        "rectification_overdue") == 2)
    assert "rectification_overdue" not in _actions(stack, case_no, "company")
    assert stack.pump.run_until(lambda: [n["type"] for n in _inbox(stack, "scjg")
                                         if n["caseNo"] == case_no and
                                         n["type"] == "rectification_overdue"] ==
                                ["rectification_overdue"] * 2)


def test_an_unrated_case_is_invited_to_rate_three_days_after_conclusion(stack):
    case_no = _concluded(stack)
    rated_no = _concluded(stack)
    _rate(stack, rated_no, 5)
    closed = worktime.parse(CaseRecord.get(case_no, "META").closedAt)
    assert sweep(closed + timedelta(days=3, minutes=-1))["invitations"] == 0
    runs = race(4, lambda i: sweep(closed + timedelta(days=3, minutes=5)))
    assert sum(run["invitations"] for run in runs) == 1
    for number in (case_no, rated_no):
        assert CaseRecord.get(number, "META", consistent_read=True).watchShard is None
    assert CaseRecord.get(rated_no, "META").invitedAt is None
    assert stack.pump.run_until(lambda: "rating_invited" in _actions(stack, case_no, "company"))
    # What it invites to rate: the case, charged to the item's implementing department.
    assert [(e["dept"], e["detail"]) for e in stack.case(case_no)["timeline"]
            if e["action"] == "rating_invited"] == [("SCJG", {"scope": "case"})]
    assert stack.pump.run_until(lambda: [n["type"] for n in _inbox(stack, "company")
                                         if n["caseNo"] == case_no and
                                         n["type"] == "rating_invitation"] ==
                                ["rating_invitation"])
    assert "rating_invited" not in _actions(stack, rated_no)


def test_a_stage_of_several_departments_rated_without_naming_one_is_a_422(stack):
    """The document states that a stage's rating names the stage (a 400 without it); which
    departments a stage has it cannot state, so a rating that must name one and does not
    is a 422, and nothing is rated."""
    case_no = stack.approve_in_parallel()["caseNo"]
    answer = stack.call("POST", f"/cases/{case_no}/ratings", "company",
                        {"scope": "stage", "stage": 1, "level": 4})
    assert (answer.status_code, answer.data["error"]["code"],
            answer.data["error"]["field"]) == (422, "unprocessable", "dept"), answer.data
    assert stack.call("GET", f"/cases/{case_no}/ratings", "company").data["ratings"] == []
    named = stack.call("POST", f"/cases/{case_no}/ratings", "company",
                       {"scope": "stage", "stage": 1, "level": 4, "dept": "XFJY"})
    assert (named.status_code, named.data["dept"]) == (201, "XFJY"), named.data
