"""Each role's routes keep the contract with path parameters that exist (a real item, case,
task, license), so the success answers are checked against their schemas too, not only the
errors (the checks: tests/e2e/contract_runs.py). Every operation as the admin:
test_contract.py."""

from tests.e2e import contract_runs
from tests.e2e.contract_runs import FOOD


def test_real_resources_answer_as_documented(served, tmp_path):
    """Each role on its own routes, with path parameters that exist."""
    stack, api = served
    company, clerk = api.token("company"), api.token("clerk")
    status, created = api.call("POST", "/cases", {
        "itemCode": FOOD,
        "applicant": {"type": "legal", "name": "契约测试餐饮有限公司",
                      "idNumber": "91440300MA5FXK7Q3T"},
        "form": {"businessName": "契约小馆", "address": "深圳市南山区粤海街道1号",
                 "category": "餐饮服务"}}, token=company)
    assert status == 201, created
    case_no = created["caseNo"]
    reviewer = api.token("scjg")

    # One case all the way to its license; a second left waiting in the clerk's inbox.
    api.decide(api.task_of(case_no, "ZWFW", clerk), "accept", "受理", clerk)
    api.decide(api.task_of(case_no, "SCJG", reviewer), "approve", "同意", reviewer)
    done = api.until(lambda: api.call("GET", f"/cases/{case_no}", token=company)[1],
                     lambda case: case.get("licenseId"))
    status, waiting = api.call("POST", "/cases", {
        "itemCode": FOOD, "applicant": {"type": "legal", "name": "契约测试餐饮有限公司",
                                        "idNumber": "91440300MA5FXK7Q3T"},
        "form": {"businessName": "契约二店", "address": "深圳市南山区粤海街道2号",
                 "category": "餐饮服务"}}, token=company)
    assert status == 201, waiting
    case_no = waiting["caseNo"]
    task = api.task_of(case_no, "ZWFW", clerk)
    base = {"code": FOOD, "version": 1, "baseCode": "000201012000",
            "caseNo": done["caseNo"], "licenseId": done["licenseId"]}

    def run(token: str, name: str, parameters: dict, include: tuple[str, ...]) -> None:
        contract_runs.run(stack.url, token, tmp_path, name, parameters=parameters,
                          include=include, every_refusal=False)

    run(company, "company", base, ("cases", "licenses", "materials", "me", "ratings"))
    run(clerk, "clerk", {**base, "taskId": task["taskId"], "dept": "ZWFW"}, ("tasks",))
    run(api.token("supervisor"), "supervisor", {**base, "dept": "SCJG"},
        ("supervision", "statistics", "ratings"))
    # Last: the admin's pass may suspend or cancel the item the others apply for.
    run(api.token("admin"), "catalogue", base,
        ("catalogue", "catalogue administration", "meta"))
