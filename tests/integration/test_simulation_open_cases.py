"""The change simulation's open cases (issue 26, the catalogue admin): the item's cases in
flight, by state and by the version they keep, and the soonest deadlines among them —
read from the departments' inboxes, never another item's."""
import copy
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import boto3

from chalicelib.domain import worktime
from chalicelib.services import clock
from infra.local import demo

from .harness import FOOD, HYGIENE, REGION, REGISTRATION, another, application

ZONE = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 10, 10, 0, tzinfo=ZONE)


def _at(day: int) -> str:
    return worktime.utc_text(datetime(2026, 12, day, 18, 0, tzinfo=ZONE))


def _due(stack, task: dict, deadline: str) -> None:
    """Set a task's deadline (the inbox index's range key), as if its limit ended then."""
    boto3.client("dynamodb", region_name=REGION).update_item(
        TableName=stack.env["OW_CASES_TABLE"],
        Key={"pk": {"S": task["caseNo"]}, "sk": {"S": f"TASK#{task['taskId']}"}},
        UpdateExpression="SET deadline = :d", ExpressionAttributeValues={":d": {"S": deadline}})


def _applied(stack, body) -> str:
    created = stack.call("POST", "/cases", "company", body)
    assert created.status_code == 201, created.data
    return created.data["caseNo"]


def _accepted(stack, body, dept="SCJG", user="scjg") -> tuple[str, dict]:
    case_no = _applied(stack, body)
    accept = stack.open_task(case_no, "ZWFW", "clerk")
    assert stack.decide(accept["taskId"], "clerk", "accept", "受理").status_code == 200
    return case_no, stack.open_task(case_no, dept, user)


def _simulate(stack, version: int) -> dict:
    answer = stack.call("POST", f"/admin/items/{FOOD}/versions/{version}/simulate", "admin")
    assert answer.status_code == 200, answer.data
    return answer.data


def test_the_simulation_counts_the_items_open_cases_by_state_and_the_version_they_keep(
        stack, monkeypatch):
    # Under version 1 (one review stage, SCJG): one at the counter, one in review, one
    # waiting on the applicant, one in a special procedure.
    at_counter = _applied(stack, another(FOOD, 1))
    counter_task = stack.open_task(at_counter, "ZWFW", "clerk")
    in_review, review_task = _accepted(stack, another(FOOD, 2))
    supplement, supplement_task = _accepted(stack, another(FOOD, 3))
    asked = stack.decide(supplement_task["taskId"], "scjg", "supplement", "请补充材料")
    assert asked.status_code == 200, asked.data
    special, special_task = _accepted(stack, another(FOOD, 4))
    started = stack.call("POST", f"/tasks/{special_task['taskId']}/special-procedure", "scjg",
                         {"type": "inspection", "reason": "需现场核查经营场所"})
    assert started.status_code == 200, started.data
    # Not this item's, in the same inboxes: a 公共场所卫生许可 at the counter, an
    # 企业设立登记 in SCJG's review.
    _applied(stack, application(HYGIENE))
    _accepted(stack, {"itemCode": REGISTRATION, "applicant": application(FOOD)["applicant"],
                      "form": {"companyName": "深圳小吃有限公司",
                               "address": "深圳市南山区科技园1号",
                               "registeredCapital": 100000, "scope": "餐饮服务"},
                      "channel": "web"})

    # Version 2 reviews in parallel (SCJG and WSJK); a case applied under it is in both.
    assert stack.call("POST", f"/admin/items/{FOOD}/versions", "admin",
                      {"reason": "增加卫健并联审查"}).status_code == 201
    item = copy.deepcopy(next(i for i in demo.items() if i["baseCode"] == "000201012000"))
    item["process"]["stages"][0]["departments"] = ["SCJG", "WSJK"]
    assert stack.call("PUT", f"/admin/items/{FOOD}/versions/2", "admin",
                      {"item": item, "reason": "并联"}).status_code == 200
    assert stack.call("POST", f"/admin/items/{FOOD}/versions/2/publish", "admin",
                      {"reason": "发布"}).status_code == 200
    parallel, scjg_task = _accepted(stack, another(FOOD, 5))
    wsjk_task = stack.open_task(parallel, "WSJK", "wsjk")

    # Known deadlines: the counter's overdue, the parallel case's earlier one at WSJK.
    _due(stack, counter_task, worktime.utc_text(NOW - timedelta(hours=1)))
    _due(stack, review_task, _at(17))
    _due(stack, scjg_task, _at(16))
    _due(stack, wsjk_task, _at(14))
    _due(stack, supplement_task, _at(11))
    _due(stack, special_task, _at(15))
    monkeypatch.setattr(clock, "now", lambda: NOW)

    # A third version drafted (reviews by SCJG alone again) and simulated.
    assert stack.call("POST", f"/admin/items/{FOOD}/versions", "admin",
                      {"reason": "取消并联"}).status_code == 201
    before = stack.case(in_review)
    found = _simulate(stack, 3)["openCases"]

    assert found["asOf"] == worktime.utc_text(NOW)
    assert found["depts"] == ["SCJG", "WSJK", "ZWFW"]
    assert found["count"] == 5
    assert found["byState"] == {"acceptance": 1, "review": 2, "supplement": 1, "special": 1}
    assert found["byVersion"] == {"1": 4, "2": 1}
    assert found["overdue"] == 1
    assert found["keepVersion"] is True
    assert [(c["caseNo"], c["state"], c["deadline"], c["dept"], c["version"], c["paused"],
             c["overdue"]) for c in found["soonest"]] == [
        (at_counter, "acceptance", worktime.utc_text(NOW - timedelta(hours=1)), "ZWFW", 1,
         False, True),
        (parallel, "review", _at(14), "WSJK", 2, False, False),
        (in_review, "review", _at(17), "SCJG", 1, False, False),
        (supplement, "supplement", _at(11), "SCJG", 1, True, False),
        (special, "special", _at(15), "SCJG", 1, True, False)]
    # A dry run: nothing about the cases changed.
    assert stack.case(in_review) == before


def test_an_item_without_open_cases_says_none(stack):
    # A case of another item is open at the counter; this item's only case concluded.
    _applied(stack, application(HYGIENE))
    done, review = _accepted(stack, another(FOOD, 1))
    assert stack.decide(review["taskId"], "scjg", "approve", "同意").status_code == 200
    stack.wait_status(done, 11)
    assert stack.call("POST", f"/admin/items/{FOOD}/versions", "admin",
                      {"reason": "新版本"}).status_code == 201
    found = _simulate(stack, 2)["openCases"]
    assert (found["count"], found["byVersion"], found["soonest"], found["overdue"]) == \
        (0, {}, [], 0)
    assert found["byState"] == {"acceptance": 0, "review": 0, "supplement": 0, "special": 0}
    assert found["depts"] == ["SCJG", "ZWFW"]
