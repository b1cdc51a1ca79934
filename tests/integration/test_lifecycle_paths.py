"""Every path of the lifecycle through the real ASL on moto, the API and the event pump:
withdrawal, revocation, a reviewer's supplement, a special procedure, a vetoing denial in
a parallel stage, approval with materials to follow (容缺)."""
import boto3

from chalicelib.adapters import workflow

from .harness import FOOD, HYGIENE, REGION, application


def _apply(stack, item=FOOD):
    return stack.call("POST", "/cases", "company", application(item)).data["caseNo"]


def _accepted(stack, item=FOOD):
    case_no = _apply(stack, item)
    task = stack.open_task(case_no, "ZWFW", "clerk")
    stack.decide(task["taskId"], "clerk", "accept", "受理")
    stack.wait_status(case_no, 8)
    return case_no


def _statuses(stack, case_no):
    return [e["status"] for e in stack.case(case_no)["timeline"] if e["action"] == "status"]


def _execution(stack, case_no):
    sfn = boto3.client("stepfunctions", region_name=REGION)
    return sfn.describe_execution(executionArn=workflow.execution_arn(
        stack.env["OW_STATE_MACHINE_ARN"], case_no))


def _task(stack, case_no, task_id):
    return next(t for t in stack.case(case_no)["tasks"] if t["taskId"] == task_id)


def test_withdrawal_before_acceptance_is_2_and_stops_the_workflow(stack):
    case_no = _apply(stack)
    task = stack.open_task(case_no, "ZWFW", "clerk")
    assert stack.call("POST", f"/cases/{case_no}/withdraw", "applicant",
                      {"reason": "x"}).status_code == 404
    answer = stack.call("POST", f"/cases/{case_no}/withdraw", "company",
                        {"reason": "信息填错，重新申请"})
    assert answer.status_code == 200, answer.data
    assert answer.data == {"caseNo": case_no, "status": 2, "cancelledTasks": [task["taskId"]]}
    assert stack.pump.run_until(lambda: _execution(stack, case_no)["status"] == "ABORTED")
    late = stack.decide(task["taskId"], "clerk", "accept", "受理")
    assert late.status_code == 409 and late.data["error"]["code"] == "task_cancelled"
    again = stack.call("POST", f"/cases/{case_no}/withdraw", "company", {"reason": "再撤"})
    assert again.status_code == 409 and again.data["error"]["code"] == "illegal_transition"
    assert stack.call("GET", "/tasks?dept=ZWFW", "clerk").data["tasks"] == []
    stack.pump.run_until(lambda: 2 in _statuses(stack, case_no))
    case = stack.case(case_no, "company")
    assert _statuses(stack, case_no) == [1, 2]
    assert case["clock"]["running"] is False
    assert "task_cancelled" in [e["action"] for e in case["timeline"]]


def test_withdrawal_in_review_is_14_and_cancels_the_open_reviews(stack):
    case_no = _accepted(stack, HYGIENE)
    health = stack.open_task(case_no, "WSJK", "wsjk")
    fire = stack.open_task(case_no, "XFJY", "xfjy")
    stack.decide(health["taskId"], "wsjk", "approve", "同意")
    answer = stack.call("POST", f"/cases/{case_no}/withdraw", "company", {"reason": "不开了"})
    assert answer.data["status"] == 14 and answer.data["cancelledTasks"] == [fire["taskId"]]
    denied = stack.decide(fire["taskId"], "xfjy", "approve", "同意")
    assert denied.status_code == 409 and denied.data["error"]["code"] == "task_cancelled"
    assert stack.pump.run_until(lambda: _execution(stack, case_no)["status"] == "ABORTED")
    assert stack.case(case_no)["status"] == 14 and stack.case(case_no)["licenseId"] is None


def test_revocation_by_a_supervisor_revokes_the_license_too(stack):
    case = stack.approve_in_parallel()
    case_no, license_id = case["caseNo"], case["licenseId"]
    assert stack.call("POST", f"/cases/{case_no}/revoke", "company",
                      {"reason": "x"}).status_code == 403
    assert stack.call("POST", f"/cases/{case_no}/revoke", "supervisor",
                      {"reason": " "}).status_code == 400
    answer = stack.call("POST", f"/cases/{case_no}/revoke", "supervisor",
                        {"reason": "以欺骗手段取得许可"})
    assert answer.status_code == 200 and answer.data["status"] == 15
    signed = stack.call("GET", f"/licenses/{license_id}", "company").data
    assert stack.pump.run_until(lambda: stack.call(
        "POST", "/licenses/verify", body={**signed, "purpose": "开户核验"},
    ).data["reason"] == "revoked")
    stack.pump.run_until(lambda: 15 in _statuses(stack, case_no))
    assert _statuses(stack, case_no) == [1, 3, 8, 11, 15]


def test_a_reviewer_asks_for_a_supplement_and_gets_the_case_back(stack):
    case_no = _accepted(stack)
    review = stack.open_task(case_no, "SCJG", "scjg")
    asked = stack.call("POST", f"/tasks/{review['taskId']}/decision", "scjg", {
        "decision": "supplement", "opinion": "请补充食品安全管理制度",
        "materials": ["食品安全管理制度文本"]})
    assert asked.status_code == 200 and asked.data["caseStatus"] == 6
    waiting = stack.case(case_no, "company")
    assert waiting["supplement"]["context"] == "review" and not waiting["clock"]["running"]
    supplied = stack.call("POST", f"/cases/{case_no}/supplement", "company", {
        "materials": [{"name": "食品安全管理制度文本",
                       "materialId": stack.upload("company")["materialId"]}]})
    assert supplied.data["status"] == 7
    stack.wait_status(case_no, 8)  # back to the department, by itself
    again = stack.open_task(case_no, "SCJG", "scjg")
    assert again["taskId"] == review["taskId"] and again["state"] == "open"
    stack.decide(review["taskId"], "scjg", "approve", "同意")
    stack.wait_status(case_no, 11)
    stack.pump.run_until(lambda: 11 in _statuses(stack, case_no))
    assert _statuses(stack, case_no) == [1, 3, 8, 6, 7, 8, 11]
    pauses = stack.case(case_no)["clock"]["pauses"]
    assert len(pauses) == 1 and pauses[0]["kind"] == "supplement" and pauses[0]["until"]


def test_a_special_procedure_stops_the_clock_and_needs_its_item_versions_leave(stack):
    case_no = _accepted(stack)
    review = stack.open_task(case_no, "SCJG", "scjg")
    path = f"/tasks/{review['taskId']}/special-procedure"
    refused = stack.call("POST", path, "scjg", {"type": "expert_review", "reason": "x"})
    assert refused.status_code == 422 and refused.data["error"]["field"] == "type"
    started = stack.call("POST", path, "scjg", {"type": "inspection",
                                                "reason": "需现场核查经营场所"})
    assert started.status_code == 200 and started.data["caseStatus"] == 9
    case = stack.case(case_no)
    assert case["clock"]["pauseKind"] == "special_procedure"
    assert case["specialProcedures"][0]["name"] == "现场勘验"
    assert case["specialProcedures"][0]["dueAt"] > case["specialProcedures"][0]["startedAt"]
    blocked = stack.decide(review["taskId"], "scjg", "approve", "同意")
    assert blocked.status_code == 409 and blocked.data["error"]["code"] == "task_waiting"
    other = stack.call("POST", f"{path}/end", "scjg2", {"result": "合格"})
    assert other.status_code == 409 and other.data["error"]["code"] == "task_claimed"
    ended = stack.call("POST", f"{path}/end", "scjg", {"result": "现场勘验合格"})
    assert ended.status_code == 200 and ended.data["caseStatus"] == 10
    stack.wait_status(case_no, 8)
    stack.decide(review["taskId"], "scjg", "approve", "同意")
    stack.wait_status(case_no, 11)
    stack.pump.run_until(lambda: 11 in _statuses(stack, case_no))
    assert _statuses(stack, case_no) == [1, 3, 8, 9, 10, 8, 11]
    case = stack.case(case_no)
    assert case["specialProcedures"][0]["result"] == "现场勘验合格"
    assert [p["kind"] for p in case["clock"]["pauses"]] == ["special_procedure"]


def test_a_vetoing_denial_ends_a_parallel_stage_at_once(stack):
    case_no = _accepted(stack, HYGIENE)
    health = stack.open_task(case_no, "WSJK", "wsjk")
    fire = stack.open_task(case_no, "XFJY", "xfjy")
    denied = stack.decide(health["taskId"], "wsjk", "deny", "卫生条件不符合要求")
    assert denied.data["caseStatus"] == 13
    assert stack.pump.run_until(lambda: _execution(stack, case_no)["status"] == "SUCCEEDED")
    assert _task(stack, case_no, fire["taskId"])["state"] == "cancelled"
    late = stack.decide(fire["taskId"], "xfjy", "approve", "同意")
    assert late.status_code == 409 and late.data["error"]["code"] == "task_cancelled"
    stack.pump.run_until(lambda: 13 in _statuses(stack, case_no))
    assert _statuses(stack, case_no) == [1, 3, 8, 13]
    assert stack.case(case_no)["licenseId"] is None


def test_approval_with_materials_to_follow_is_12_until_they_are_in(stack):
    case_no = _accepted(stack)
    review = stack.open_task(case_no, "SCJG", "scjg")
    unknown = stack.call("POST", f"/tasks/{review['taskId']}/decision", "scjg", {
        "decision": "approve", "pendingMaterials": ["不存在的材料"]})
    assert unknown.status_code == 400 and unknown.data["error"]["field"] == \
        "pendingMaterials.0"
    approved = stack.call("POST", f"/tasks/{review['taskId']}/decision", "scjg", {
        "decision": "approve", "opinion": "容缺受理", "pendingMaterials": ["食品安全管理制度文本"]})
    assert approved.status_code == 200, approved.data
    case = stack.wait_status(case_no, 12)
    assert case["pendingMaterials"] == ["食品安全管理制度文本"] and case["materialsDueBy"]
    assert case["licenseId"]
    done = stack.call("POST", f"/cases/{case_no}/supplement", "company", {
        "materials": [{"name": "食品安全管理制度文本",
                       "materialId": stack.upload("company")["materialId"]}]})
    assert done.data["status"] == 11
    stack.pump.run_until(lambda: 11 in _statuses(stack, case_no))
    assert _statuses(stack, case_no) == [1, 3, 8, 12, 11]


def test_materials_to_follow_only_where_the_item_version_allows_them(stack):
    case_no = _accepted(stack, HYGIENE)
    review = stack.open_task(case_no, "WSJK", "wsjk")
    answer = stack.call("POST", f"/tasks/{review['taskId']}/decision", "wsjk", {
        "decision": "approve", "pendingMaterials": ["卫生检测报告"]})
    assert answer.status_code == 422
    assert answer.data["error"]["code"] == "materials_to_follow_not_allowed"
    assert _task(stack, case_no, review["taskId"])["state"] == "open"


def test_a_counter_application_belongs_to_its_applicant_not_the_clerk(stack):
    body = {**application(FOOD), "channel": "counter"}
    assert stack.call("POST", "/cases", "company", body).data["error"]["field"] == "channel"
    web = stack.call("POST", "/cases", "clerk", application(FOOD))
    assert web.status_code == 422 and web.data["error"]["field"] == "channel"
    created = stack.call("POST", "/cases", "clerk", body, headers={"X-Channel": "counter"})
    assert created.status_code == 201, created.data
    case_no = created.data["caseNo"]
    # The company (signed in with the ID number the application names) owns it: the full
    # view, and it may withdraw; the clerk entered it and is its first actor.
    mine = stack.case(case_no, "company")
    assert mine["applicant"]["idNumber"] == application(FOOD)["applicant"]["idNumber"]
    assert mine["appliedVia"] == "counter"
    assert stack.pump.run_until(lambda: stack.case(case_no)["timeline"][:1] and
                                stack.case(case_no)["timeline"][0]["actorRole"] == "clerk")
    other = stack.call("POST", f"/cases/{case_no}/withdraw", "applicant", {"reason": "x"})
    assert other.status_code == 404   # another applicant's case does not exist for it
    withdrawn = stack.call("POST", f"/cases/{case_no}/withdraw", "company",
                           {"reason": "改日再办"})
    assert withdrawn.status_code == 200 and withdrawn.data["status"] == 2
