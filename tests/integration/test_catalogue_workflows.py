"""Cases run on the exact process of the item version they applied under."""
import copy
from datetime import UTC

from infra.local import demo

from .harness import FOOD, INSURANCE_PROOF, RESTAURANT, application, sweep


def _form(item):
    return {FOOD: {"businessName": "小吃店", "address": "深圳市南山区科技园1号",
                   "category": "餐饮服务"},
            RESTAURANT: {"restaurantName": "好味餐厅", "address": "深圳市福田区福华路8号",
                         "seats": 60, "signText": "好味"},
            INSURANCE_PROOF: {"period": "2026-10"}}[item]


def _apply(stack, item, user="company"):
    body = application(FOOD, itemCode=item, form=_form(item))
    if user == "applicant":
        body["applicant"] = {"type": "natural", "name": "张三", "idNumber": "11010519491231002X"}
    created = stack.call("POST", "/cases", user, body)
    assert created.status_code == 201, created.data
    return created.data


def _accept(stack, case_no, dept="ZWFW", user="clerk"):
    task = stack.open_task(case_no, dept, user)
    assert stack.decide(task["taskId"], user, "accept", "受理").status_code == 200


def test_publishing_v2_leaves_a_v1_case_on_v1s_process(stack):
    v1_case = _apply(stack, FOOD)
    assert v1_case["itemVersion"] == 1  # the type of the item's own version
    _accept(stack, v1_case["caseNo"])
    review = stack.open_task(v1_case["caseNo"], "SCJG", "scjg")

    # Meanwhile v2 adds a health review stage and is published.
    stack.call("POST", f"/admin/items/{FOOD}/versions", "admin", {"reason": "增加卫健审查"})
    v2 = copy.deepcopy(next(i for i in demo.items() if i["baseCode"] == "000201012000"))
    v2["promisedLimit"]["value"] = 8
    v2["process"]["stages"].append({"name": "卫健审查", "days": 3, "departments": ["WSJK"]})
    assert stack.call("PUT", f"/admin/items/{FOOD}/versions/2", "admin",
                      {"item": v2, "reason": "增加卫健审查"}).status_code == 200
    assert stack.call("POST", f"/admin/items/{FOOD}/versions/2/publish", "admin",
                      {"reason": "发布"}).status_code == 200

    # The v1 case concludes after SCJG alone, as v1 says.
    stack.decide(review["taskId"], "scjg", "approve", "同意")
    done = stack.wait_status(v1_case["caseNo"], 11)
    assert done["itemVersion"] == 1
    assert [t["dept"] for t in done["tasks"]] == ["ZWFW", "SCJG"]
    license_ = stack.call("GET", f"/licenses/{done['licenseId']}", "company").data
    assert license_["license"]["name"] == "食品经营许可证"

    # A new case applies under v2 and meets the new stage.
    v2_case = _apply(stack, FOOD)
    assert v2_case["itemVersion"] == 2
    _accept(stack, v2_case["caseNo"])
    scjg = stack.open_task(v2_case["caseNo"], "SCJG", "scjg")
    stack.decide(scjg["taskId"], "scjg", "approve", "同意")
    health = stack.open_task(v2_case["caseNo"], "WSJK", "wsjk")
    assert health["taskId"] == f"{v2_case['caseNo']}-R2-WSJK"


def test_one_thing_item_runs_three_stages_and_the_lead_department_decides(stack):
    case_no = _apply(stack, RESTAURANT)["caseNo"]
    _accept(stack, case_no)
    first = stack.open_task(case_no, "SCJG", "scjg")
    assert first["stage"] == 1
    # Every review is asked for at once; the later stages' wait, upcoming, out of the
    # inbox, and cannot be decided before their turn.
    assert stack.pump.run_until(lambda: len(stack.case(case_no)["tasks"]) == 6, timeout=10)
    case = stack.case(case_no)
    assert {t["taskId"].split("-", 1)[1]: t["state"] for t in case["tasks"]} == {
        "A1": "decided", "R1-SCJG": "open", "R2-SCJG": "upcoming", "R2-WSJK": "upcoming",
        "R2-XFJY": "upcoming", "R3-CGJ": "upcoming"}
    assert [t for t in stack.call("GET", "/tasks?dept=WSJK", "wsjk").data["tasks"]
            if t["caseNo"] == case_no] == []
    early = stack.call("POST", f"/tasks/{case_no}-R3-CGJ/decision", "cgj",
                       {"decision": "approve", "opinion": "提前"})
    assert early.status_code == 409 and early.data["error"]["code"] == "task_waiting"
    created = [e for e in case["timeline"] if e.get("action") == "task_created"]
    assert [e["taskId"].split("-", 1)[1] for e in created] == ["A1", "R1-SCJG"]
    stack.decide(first["taskId"], "scjg", "approve", "营业执照准予登记")

    joint = {dept: stack.open_task(case_no, dept, user)
             for dept, user in (("SCJG", "scjg"), ("WSJK", "wsjk"), ("XFJY", "xfjy"))}
    assert {task["stage"] for task in joint.values()} == {2}
    # Health says no, but under the lead rule only market regulation's word ends review.
    stack.decide(joint["WSJK"]["taskId"], "wsjk", "deny", "卫生间设置不符合要求，建议整改")
    stack.decide(joint["XFJY"]["taskId"], "xfjy", "approve", "消防合格")
    stack.decide(joint["SCJG"]["taskId"], "scjg", "approve", "综合各部门意见，准予")

    sign = stack.open_task(case_no, "CGJ", "cgj")
    assert sign["stage"] == 3
    stack.decide(sign["taskId"], "cgj", "approve", "招牌设置符合规范")
    case = stack.wait_status(case_no, 11)
    assert case["licenseId"]
    assert sorted(t["dept"] for t in case["tasks"]) == ["CGJ", "SCJG", "SCJG", "WSJK", "XFJY",
                                                        "ZWFW"]


def test_the_lead_departments_denial_ends_the_one_thing_item(stack):
    case_no = _apply(stack, RESTAURANT)["caseNo"]
    _accept(stack, case_no)
    first = stack.open_task(case_no, "SCJG", "scjg")
    stack.decide(first["taskId"], "scjg", "approve", "准予登记")
    joint = {dept: stack.open_task(case_no, dept, user)
             for dept, user in (("SCJG", "scjg"), ("WSJK", "wsjk"), ("XFJY", "xfjy"))}
    stack.decide(joint["WSJK"]["taskId"], "wsjk", "approve", "同意")
    stack.decide(joint["XFJY"]["taskId"], "xfjy", "approve", "同意")
    stack.decide(joint["SCJG"]["taskId"], "scjg", "deny", "经营场所不符合食品安全要求")
    case = stack.wait_status(case_no, 13)
    assert case["licenseId"] is None
    # The last stage's review never reached the inbox: it waited, upcoming, and closed
    # with the case.
    assert stack.pump.run_until(lambda: any(t["dept"] == "CGJ" and t["state"] == "cancelled"
                                     for t in stack.case(case_no)["tasks"]), timeout=10)
    assert "CGJ" not in [t["dept"] for t in stack.call("GET", "/tasks?dept=CGJ", "cgj")
                         .data["tasks"] if t["caseNo"] == case_no]


def test_an_immediate_item_concludes_on_acceptance(stack, monkeypatch):
    from datetime import datetime

    from chalicelib.services import clock
    # Wednesday 2026-11-25, 10:00 in Beijing: within office hours, due the same day.
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 11, 25, 2, 0, tzinfo=UTC))
    created = _apply(stack, INSURANCE_PROOF, user="applicant")
    assert created["promisedBy"] == "2026-11-25"
    assert created["caseNo"][6:14] == "20261125"
    _accept(stack, created["caseNo"], dept="RSJ", user="rsj")
    case = stack.wait_status(created["caseNo"], 11)
    assert [t["kind"] for t in case["tasks"]] == ["acceptance"]
    # No review stage, yet it passes through 8 as docs/glossary.md says: 3 → 8 → 11.
    assert stack.pump.run_until(lambda: [e["status"] for e in stack.case(
        created["caseNo"])["timeline"] if e["action"] == "status"] == [1, 3, 8, 11], 10)
    assert case["licenseId"] is None


def test_an_immediate_item_applied_out_of_hours_is_due_at_the_next_working_days_close(
        stack, monkeypatch):
    """Applied at 20:38 on a Friday evening (Beijing time): the acceptance and the case
    are due at the close of Monday, not at Friday 18:00 before the receipt — so the sweep
    cards nobody, accepting it at once breaches no limit and it concludes on time."""
    from datetime import datetime

    from chalicelib.adapters.models import BreachRecord, CardRecord
    from chalicelib.services import clock
    friday_evening = datetime(2026, 11, 27, 12, 38, tzinfo=UTC)
    monkeypatch.setattr(clock, "now", lambda: friday_evening)
    created = _apply(stack, INSURANCE_PROOF, user="applicant")
    assert created["caseNo"][6:14] == "20261127" and created["promisedBy"] == "2026-11-30"
    case_no = created["caseNo"]
    task = stack.open_task(case_no, "RSJ", "rsj")
    assert task["deadline"] == "2026-11-30T10:00:00Z" > created["createdAt"]
    case = stack.case(case_no)
    assert case["clock"]["promisedDueAt"] == "2026-11-30T10:00:00Z"
    assert case["clock"]["statutoryDueAt"] > created["createdAt"]
    later = datetime(2026, 11, 27, 13, 5, tzinfo=UTC)   # 21:05, the sweep runs
    monkeypatch.setattr(clock, "now", lambda: later)
    assert not any(sweep(later).values())
    _accept(stack, case_no, dept="RSJ", user="rsj")
    stack.wait_status(case_no, 11)
    stack.pump.run_until(lambda: False, timeout=0.5)
    assert list(CardRecord.query(case_no, CardRecord.sk.startswith("CARD#"))) == []
    assert [b for b in BreachRecord.query(case_no) if getattr(b, "kind", None)] == []
    assert not [e for e in stack.case(case_no)["timeline"] if e["action"] == "overdue"]
