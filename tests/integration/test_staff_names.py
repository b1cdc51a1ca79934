"""Staff are recorded by name beside their account id (王审查 beside staff:wang-scjg): who
claimed, assigned and decided a task, and who did each step on the case's timeline; a
department's lead lists whom its tasks may go to. A citizen's name is never written
beside their own steps, and the query-password view shows no more than it did."""
import itertools
import json

from .harness import FOOD, another

_DISTINCT = itertools.count(700)


def _review(stack):
    created = stack.call("POST", "/cases", "company", another(FOOD, next(_DISTINCT))).data
    accept = stack.open_task(created["caseNo"], "ZWFW", "clerk")
    assert stack.decide(accept["taskId"], "clerk", "accept", "受理").status_code == 200
    return created, stack.open_task(created["caseNo"], "SCJG", "scjg")


def test_claims_assignments_and_decisions_carry_the_staff_members_names(stack):
    created, task = _review(stack)
    case_no, path = created["caseNo"], f"/tasks/{task['taskId']}"
    claimed = stack.call("POST", f"{path}/claim", "scjg").data["task"]
    assert (claimed["claimedBy"], claimed["claimedByName"]) == ("staff:wang-scjg", "王审查")
    listed = {t["taskId"]: t for t in stack.call("GET", "/tasks", "scjg").data["tasks"]}
    assert listed[task["taskId"]]["claimedByName"] == "王审查"
    stack.call("GET", "/tasks", "scjg2")   # 吴审查 on SCJG's roster
    moved = stack.call("POST", f"{path}/assign", "scjg_lead", {"to": "staff:wu-scjg"})
    assert moved.data["task"]["claimedByName"] == "吴审查"   # the roster's name for them
    decided = stack.decide(task["taskId"], "scjg2", "approve", "同意").data["task"]
    assert (decided["decidedBy"], decided["decidedByName"]) == ("staff:wu-scjg", "吴审查")
    stack.wait_status(case_no, 11)

    case = stack.case(case_no)
    mine = next(t for t in case["tasks"] if t["taskId"] == task["taskId"])
    assert (mine["claimedByName"], mine["decidedByName"]) == ("吴审查", "吴审查")
    named = {(e["action"], e.get("actorName")) for e in case["timeline"]}
    assert {("task_claimed", "王审查"), ("task_assigned", "郑科长"),
            ("decision", "吴审查")} <= named
    accepted = next(e for e in case["timeline"] if e.get("status") == 3)
    assert (accepted["actor"], accepted["actorName"]) == ("staff:li-clerk", "李窗口")
    # The company applied itself: its own step names no one; the workflow's, no one.
    received = next(e for e in case["timeline"] if e.get("status") == 1)
    assert "actorName" not in received or received["actorName"] is None
    assert all(e.get("actorName") is None for e in case["timeline"]
               if e["actorRole"] in ("applicant", "system", "workflow"))

    # The applicant reads the names of the staff who worked the case, and nothing else
    # changed for it; the query password still shows no staff at all.
    owner = stack.call("GET", f"/cases/{case_no}", "company").data
    assert {"task_claimed", "decision"} <= {e["action"] for e in owner["timeline"]}
    public = stack.call("GET", f"/cases/{case_no}",
                        headers={"X-Query-Password": created["queryPassword"]}).data
    assert not {"tasks", "timeline", "actorName"} & set(public)
    assert "王审查" not in str(public) and "吴审查" not in str(public)


def test_a_token_without_a_name_records_none(stack):
    _, task = _review(stack)
    token = stack.token("scjg", name=None)
    answer = stack.client.http.post(f"/tasks/{task['taskId']}/claim",
                                    headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200
    claimed = json.loads(answer.body)["task"]
    assert claimed["claimedBy"] == "staff:wang-scjg" and claimed.get("claimedByName") is None


def test_a_lead_lists_the_departments_staff_by_name_and_no_one_else_does(stack):
    for user in ("scjg", "scjg2", "wsjk"):
        stack.call("GET", "/tasks", user)      # seen working their inboxes
    answer = stack.call("GET", "/tasks/assignees", "scjg_lead")
    assert answer.status_code == 200 and answer.data["dept"] == "SCJG"
    staff = {m["sub"]: m for m in answer.data["staff"]}
    assert staff["staff:wang-scjg"]["name"] == "王审查"
    assert staff["staff:wu-scjg"]["name"] == "吴审查"
    assert staff["staff:wang-scjg"]["role"] == "reviewer"
    assert "staff:zhao-wsjk" not in staff          # another department's
    same = stack.call("GET", "/tasks/assignees?dept=SCJG", "scjg_lead")
    assert same.data == answer.data
    # Not its lead: refused, whoever asks and for whichever department.
    for user, query in (("scjg", ""), ("scjg_lead", "?dept=WSJK"), ("wsjk", "?dept=SCJG"),
                        ("supervisor", "?dept=SCJG"), ("clerk", "?dept=ZWFW")):
        refused = stack.call("GET", f"/tasks/assignees{query}", user)
        assert refused.status_code == 403, (user, query, refused.data)
    assert stack.call("GET", "/tasks/assignees").status_code == 401


def test_card_steps_and_their_timeline_name_who_took_them(stack):
    from .test_supervision_cards import _carded
    case_no, _ = _carded(stack)
    card = next(c["cardId"] for c in stack.call("GET", "/supervision/cards", "scjg").data[
        "cards"] if (c["scope"], c["level"]) == ("task", "yellow"))
    base = f"/supervision/cards/{card}"
    acknowledged = stack.call("POST", f"{base}/acknowledge", "scjg", {"note": "已督促"}).data
    assert (acknowledged["updatedBy"], acknowledged["updatedByName"]) == \
        ("staff:wang-scjg", "王审查")
    appealed = stack.call("POST", f"{base}/appeal", "scjg_lead", {"reason": "系统故障"}).data
    assert (appealed["appeal"]["by"], appealed["appeal"]["byName"]) == \
        ("staff:zheng-scjg", "郑科长")
    decided = stack.call("POST", f"{base}/appeal/decision", "supervisor",
                         {"decision": "rejected", "opinion": "经核查"}).data
    assert decided["appeal"]["decidedByName"] == "冯监察"
    assert decided["appeal"]["byName"] == "郑科长"
    wanted = {("card_acknowledged", "王审查"), ("card_appealed", "郑科长"),
              ("card_appeal_decided", "冯监察")}
    assert stack.pump.run_until(lambda: wanted <= {
        (e["action"], e.get("actorName")) for e in stack.case(case_no)["timeline"]
        if e.get("detail", {}).get("cardId") == card})
