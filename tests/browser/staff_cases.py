"""Cases the workbench's browser modules make through the API, and the local stack's clock
and sweep moved as `make clock` / `make sweep` move them, shared by test_staff_*.py."""
import json
import os
import subprocess
import sys

from tests.browser.conftest import COMPANY, FOOD
from tests.e2e.local_stack import ROOT


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
