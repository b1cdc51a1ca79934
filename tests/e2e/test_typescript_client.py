"""The generated TypeScript client, as the web front end and an integrator use it: the types
in web/src/api/schema.d.ts are the contract's (regenerated, nothing differs), web/ compiles
under `strict`, and web/tests/integrator.ts — written against those types only — applies
with the README's body, reads the case and prints its license's PDF on the local stack."""
import json
import os
import subprocess

import pytest

from infra import typescript_schema
from tests.e2e.local_stack import Api, started

WEB = typescript_schema.WEB
BIN = WEB / "node_modules" / ".bin"
README_ITEM = "00020101200044030000000011440300007542808J01"   # 食品经营许可, SCJG alone


@pytest.fixture(scope="module", autouse=True)
def installed():
    assert (BIN / "tsc").exists() and (BIN / "tsx").exists(), \
        "web/node_modules is missing: run `make setup` (npm ci in web/)"


def test_the_committed_typescript_types_are_the_contracts(tmp_path):
    fresh = typescript_schema.generate(tmp_path / "schema.d.ts").read_text("utf-8")
    committed = typescript_schema.SCHEMA.read_text("utf-8")
    assert "export interface paths" in fresh and '"/cases/{caseNo}"' in fresh
    assert committed == fresh, "web/src/api/schema.d.ts is stale: run " \
        "`.venv/bin/python -m infra.typescript_schema` (or `npm run generate` in web/)"


def test_the_api_layer_and_the_integrator_compile_under_strict():
    config = json.loads((WEB / "tsconfig.json").read_text("utf-8"))
    options = config["compilerOptions"]
    assert options["strict"] is True and options["noUncheckedIndexedAccess"] is True
    assert {"src/api", "tests"} <= set(config["include"]) and options["skipLibCheck"] is False
    result = subprocess.run([str(BIN / "tsc"), "--noEmit", "-p", str(WEB)], cwd=WEB,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_portal_compiles_under_strict_with_its_vue_components():
    app = json.loads((WEB / "tsconfig.app.json").read_text("utf-8"))
    assert app["extends"] == "./tsconfig.json" and "src/**/*.vue" in app["include"]
    result = subprocess.run([str(BIN / "vue-tsc"), "--noEmit", "-p", "tsconfig.app.json"],
                            cwd=WEB, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr


def _run(url: str, token: str, *args: str) -> subprocess.CompletedProcess:
    """web/tests/integrator.ts, run by tsx (which strips the types), given the stack's URL
    and a token as an integrator's deployment would give them: in its environment."""
    return subprocess.run(
        [str(BIN / "tsx"), "tests/integrator.ts", *args], cwd=WEB, capture_output=True,
        text=True, timeout=120,
        env={**os.environ, "ONEWINDOW_API": url, "ONEWINDOW_TOKEN": token})


def _integrator(url: str, token: str, *args: str) -> dict:
    """One step of the program: the JSON line it prints."""
    result = _run(url, token, *args)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1, result.stdout
    return json.loads(lines[0])


def test_an_integrators_typescript_program_applies_reads_and_prints_the_license(tmp_path):
    with started() as stack:
        api = Api(stack.url, stack.issuer)
        company, clerk, reviewer = (api.token(user) for user in ("company", "clerk", "scjg"))

        applied = _integrator(stack.url, company, "apply")
        case_no = applied["caseNo"]
        assert applied["status"] == 1 and case_no.startswith("440300"), applied
        assert applied["location"].endswith(f"/cases/{case_no}"), applied
        # The server holds the case as the program's body described it.
        status, held = api.call("GET", f"/cases/{case_no}", token=company)
        assert status == 200 and held["itemCode"] == README_ITEM, held
        assert held["form"] == {"businessName": "小吃店", "address": "深圳市南山区科技园1号",
                                "category": "餐饮服务"}, held

        read = _integrator(stack.url, company, "read", case_no)
        assert read == {**read, "caseNo": case_no, "status": 1, "itemCode": README_ITEM,
                        "applicant": "深圳小吃有限公司", "licenseId": None}, read

        # The README's counter and reviewer decisions, then the case concludes with a license.
        api.decide(api.task_of(case_no, "ZWFW", clerk), "accept", "材料齐全，予以受理", clerk)
        api.decide(api.task_of(case_no, "SCJG", reviewer), "approve", "同意", reviewer)
        license_id = api.until(lambda: api.call("GET", f"/cases/{case_no}", token=company)[1],
                               lambda case: case.get("licenseId"))["licenseId"]

        read = _integrator(stack.url, company, "read", case_no)
        assert read["status"] == 11 and read["licenseId"] == license_id, read
        assert read["decisions"] == ["accept", "approve"], read

        pdf = tmp_path / "license.pdf"
        printed = _integrator(stack.url, company, "print", license_id, str(pdf))
        assert printed["magic"] == "%PDF-" and printed["licenseId"] == license_id, printed
        assert printed["contentType"].startswith("application/pdf"), printed
        assert pdf.read_bytes().startswith(b"%PDF-") and printed["bytes"] == pdf.stat().st_size

        # An error answer reaches the program as the typed error, not as data.
        result = _run(stack.url, company, "read", case_no + "0")
        assert result.returncode == 1 and "read: HTTP 404" in result.stderr, \
            result.stdout + result.stderr
