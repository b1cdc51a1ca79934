"""The API keeps its published contract: schemathesis, driven by /openapi.json, against
the local stack as `make run` serves it.

Checks (all of schemathesis's): no server error, every status documented, every body and
header as the document says, schema-violating input refused, a request the document
admits never refused as invalid (`positive_data_acceptance`: never a 400 — what the
document cannot state, a check character, an item or a material that does not fit, a
control character inside a form, a state, is a 401/403/404/409/422: docs/errors.md),
undeclared methods answered 405 with Allow, routes that need a token refuse a request
without one.

Several passes, each with a seed of the suite's own and bounded examples: everything fuzzed
as the catalogue admin, then each role's routes with real path parameters (a real item,
case, task, license), so the success answers are checked against their schemas too, not
only the errors.
"""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from infra.local import demo
from tests.e2e.local_stack import Api, started

# Every check schemathesis has; those that need the stateful phase (use_after_free,
# ensure_resource_availability, object_level_authorization) find nothing to check in these.
CHECKS = "all"
SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
FOOD = demo.code_of("000201012000", "SCJG")


@pytest.fixture(scope="module")
def served():
    with started() as stack:
        yield stack, Api(stack.url, stack.issuer)


def _token(api: Api, user: str) -> str:
    return api.token(user)


# What a request the document admits may be answered (positive_data_acceptance): never 400
# (nor 5xx).
ADMITTED = ["2XX", "304", "401", "403", "404", "409", "412", "422", "429"]


def _schemathesis(url: str, token: str, tmp_path: Path, name: str, *, parameters=None,
                  include: tuple[str, ...] = (), max_examples: int = 8) -> str:
    config = tmp_path / f"{name}.toml"
    lines = []
    if parameters:
        lines.append("[parameters]")
        lines += [f"{json.dumps(key)} = {json.dumps(value)}"
                  for key, value in parameters.items()]
    lines += ["[checks.positive_data_acceptance]",
              f"expected-statuses = {json.dumps(ADMITTED)}"]
    config.write_text("\n".join(lines) + "\n", "utf-8")
    command = [str(SCHEMATHESIS), "--config-file", str(config), "run",
               f"{url}/openapi.json", "--checks", CHECKS, "--mode", "all",
               "--max-examples", str(max_examples), "--workers", "1",
               "--phases", "examples,coverage,fuzzing", "--seed", "20261125",
               "-H", f"Authorization: Bearer {token}", "--max-failures", "50",
               "--suppress-health-check", "all"]
    for tag in include:
        command += ["--include-tag", tag]
    env = {**os.environ, "NO_COLOR": "1", "SCHEMATHESIS_TELEMETRY": "false"}
    result = subprocess.run(command, capture_output=True, text=True, timeout=600, env=env)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-20000:]
    assert " passed" in output and "failures" not in output.split("SUMMARY")[-1], \
        output[-5000:]
    return output


def test_every_operation_keeps_the_contract_under_fuzzing(served, tmp_path):
    stack, api = served
    _schemathesis(stack.url, _token(api, "admin"), tmp_path, "admin")


def test_real_resources_answer_as_documented(served, tmp_path):
    """Each role on its own routes, with path parameters that exist."""
    stack, api = served
    company, clerk = _token(api, "company"), _token(api, "clerk")
    status, created = api.call("POST", "/cases", {
        "itemCode": FOOD,
        "applicant": {"type": "legal", "name": "契约测试餐饮有限公司",
                      "idNumber": "91440300MA5FXK7Q3T"},
        "form": {"businessName": "契约小馆", "address": "深圳市南山区粤海街道1号",
                 "category": "餐饮服务"}}, token=company)
    assert status == 201, created
    case_no = created["caseNo"]
    reviewer = _token(api, "scjg")

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
    _schemathesis(stack.url, company, tmp_path, "company", parameters=base,
                  include=("cases", "licenses", "materials", "me", "ratings"))
    _schemathesis(stack.url, clerk, tmp_path, "clerk",
                  parameters={**base, "taskId": task["taskId"], "dept": "ZWFW"},
                  include=("tasks",))
    _schemathesis(stack.url, _token(api, "supervisor"), tmp_path, "supervisor",
                  parameters={**base, "dept": "SCJG"},
                  include=("supervision", "statistics", "ratings"))
    # Last: the admin's pass may suspend or cancel the item the others apply for.
    _schemathesis(stack.url, _token(api, "admin"), tmp_path, "catalogue", parameters=base,
                  include=("catalogue", "catalogue administration", "meta"))
