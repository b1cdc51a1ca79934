"""Cases the workbench's browser modules make through the API, and the local stack's clock
and sweep moved as `make clock` / `make sweep` move them, shared by test_staff_*.py."""
import json
import os
import subprocess
import sys

from infra.local import demo
from tests.browser.conftest import COMPANY, FOOD
from tests.e2e.local_stack import ROOT

# 高龄津贴申领: checked by its rules on the population registry (秒批). 张三 is 76 and
# registered in Beijing: his application is referred to people, two rules failed.
ELDERLY = demo.code_of("000505012000", "MZJ")
ZHANG = {"type": "natural", "name": "张三", "idNumber": "11010519491231002X"}
ELDER = {"type": "natural", "name": "王桂英", "idNumber": "440300194203150022"}   # 84


def local_command(stack, *args: str) -> str:
    """`python -m <args>` (the clock or the sweep) against this module's stack: run with the
    environment the stack wrote (its own directory), as the reader's `make` command runs it;
    what it printed."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("AWS_", "OW_", "MAKE")) and k != "MFLAGS"}
    env["OW_LOCAL_DIR"] = str(stack.local_dir)
    done = subprocess.run([sys.executable, "-m", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def local_answer(stack, *args: str) -> dict:
    """The JSON line a local command prints last."""
    return json.loads(local_command(stack, *args).strip().splitlines()[-1])


def food_case(api, token: str, name: str, address: str = "深圳市南山区科技园1号") -> str:
    """A new 食品经营许可 case of the company, applied for on the web through the API."""
    status, created = api.call("POST", "/cases", {
        "itemCode": FOOD, "channel": "web", "applicant": COMPANY,
        "form": {"businessName": name, "address": address, "category": "餐饮服务"}}, token=token)
    assert status == 201, created
    return created["caseNo"]


def overdue_food_case(stack, api, name: str) -> tuple[str, dict]:
    """A food case accepted at the counter that SCJG leaves undecided past its deadline: the
    clock on to the next working day (to apply in office hours), the case applied for and
    accepted, the clock on six working days (past the review's and the case's deadline, not
    yet three days late) and the sweep run. The case number and the sweep's answer."""
    clerk = api.token("clerk")
    local_command(stack, "infra.local.clock", "advance", "1wd")
    case_no = food_case(api, api.token("company"), name)
    api.decide(api.task_of(case_no, "ZWFW", clerk), "accept", "材料齐全，予以受理", clerk)
    api.task_of(case_no, "SCJG", api.token("scjg"))
    local_command(stack, "infra.local.clock", "advance", "6wd")
    return case_no, local_answer(stack, "infra.sweep")


def no_standing_allowance(api, user: str = "elder") -> None:
    """The applicant's 高龄津贴 cases ended: open ones withdrawn, approved ones revoked by
    a supervisor. The rule 未在领取高龄津贴 reads the applicant's history, and the browser
    tests of one worker share a stack: each that wants her approved by the rules starts
    from none standing, whatever ran before it."""
    token, supervisor = api.token(user), api.token("supervisor")
    status, mine = api.call("GET", "/me/cases?limit=100", token=token)
    assert status == 200, mine
    for case in mine["cases"]:
        if case["itemCode"] != ELDERLY:
            continue
        if case["status"] in (11, 12):
            status, body = api.call("POST", f"/cases/{case['caseNo']}/revoke",
                                    {"reason": "测试前清理"}, token=supervisor)
            assert status == 200, body
        elif case["status"] not in (2, 4, 5, 13, 14, 15):
            status, body = api.call("POST", f"/cases/{case['caseNo']}/withdraw",
                                    {"reason": "测试前清理"}, token=token)
            assert status == 200, body


def elderly_case(api, user: str, applicant: dict) -> str:
    """A 高龄津贴 case applied for through the API as the portal applies: consent given,
    the form pre-filled from the population registry (its token handed back), the payout
    chosen — the applicant's earlier ones ended first (`no_standing_allowance`). Its
    number."""
    no_standing_allowance(api, user)
    token = api.token(user)
    status, consent = api.call("POST", "/me/consents", {"itemCode": ELDERLY}, token=token)
    assert status in (200, 201), consent
    status, prefill = api.call(
        "GET", f"/items/{ELDERLY}/prefill?consent={consent['consentId']}", token=token)
    assert status == 200 and prefill["token"], prefill
    form = {name: given["value"] for name, given in prefill["fields"].items()}
    status, created = api.call("POST", "/cases", {
        "itemCode": ELDERLY, "channel": "web", "applicant": applicant,
        "form": {**form, "payout": "银行账户"}, "consentId": consent["consentId"],
        "prefill": prefill["token"]}, token=token)
    assert status == 201, created
    return created["caseNo"]


def referred_elderly_case(api) -> str:
    """张三's 高龄津贴 case, once its rules have referred it to people (and its timeline
    says so)."""
    case_no, token = elderly_case(api, "applicant", ZHANG), api.token("applicant")
    case = api.until(lambda: api.call("GET", f"/cases/{case_no}", token=token)[1],
                     lambda c: c.get("ruleCheck") and c.get("workflow") == "started" and any(
                         e["action"] == "rules_checked" for e in c.get("timeline") or []))
    assert case["ruleCheck"]["outcome"] == "referred", case["ruleCheck"]
    return case_no
