"""Browser tests: Debian's Chromium (never a downloaded browser) driven by Playwright against
the local stack as `make run` serves it, portal included. A missing browser fails loudly —
`make test` installs it first (Makefile `browser`) — it never skips.

Fixtures: `stack` (one local stack per module), `browser`, `phone` / `desktop` (a fresh
context at 360 or 1280 px wide and its page), `api` (the stack's API as staff use it in
a test). Helpers: `check_axe(page, name)` (0 serious or critical violations, the report
kept), `shoot(page, name)` (a screenshot in build/browser-artifacts/), `sign_in(page,
user)` (the local issuer's login page, as a person fills it), `open_workbench(page,
stack, user, path)` (the staff workbench at /staff/<path>, signed in as that demo user).
"""
import json
import os
import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect, sync_playwright

from infra.local.oidc import DEMO_PASSWORD
from tests.e2e.local_stack import ROOT, Api, started

CHROMIUM = os.environ.get("OW_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = ROOT / "build" / "browser-artifacts"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
# What a person waits for at most on this shared machine before a step counts as broken.
PATIENCE_MS = 30_000


@pytest.fixture(scope="session")
def browser():
    assert Path(CHROMIUM).exists(), (
        f"Chromium is missing at {CHROMIUM}: run `make browser` (as root it installs it with "
        "apt-get), or `sudo apt-get update && sudo apt-get install -y chromium`")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def stack():
    with started() as running:
        assert running.portal, "the stack printed no PORTAL line:\n" + running.output()
        yield running
    assert running.process.returncode == 0, running.output()


@pytest.fixture(scope="module")
def api(stack):
    return Api(stack.url, stack.issuer)


def _page(browser, viewport: dict, locale: str = "zh-CN"):
    context = browser.new_context(viewport=viewport, locale=locale,
                                  accept_downloads=True)
    context.set_default_timeout(PATIENCE_MS)
    expect.set_options(timeout=PATIENCE_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.page_errors = errors  # a test may assert none happened
    return context, page


@pytest.fixture
def phone(browser):
    context, page = _page(browser, PHONE)
    yield page
    context.close()


@pytest.fixture
def desktop(browser):
    context, page = _page(browser, DESKTOP)
    yield page
    context.close()


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-")


def shoot(page: Page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{_slug(name)}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


_axe = Axe()


def check_axe(page: Page, name: str) -> None:
    """axe-core on the page as it is now: no serious or critical violation. The whole
    report is kept next to the screenshots."""
    result = _axe.run(page)
    violations = result.response["violations"]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"{_slug(name)}.axe.json").write_text(json.dumps(violations, indent=1,
                                                                  ensure_ascii=False))
    bad = [f"{v['id']} ({v['impact']}): {v['help']} — " +
           "; ".join(n["target"][0] if isinstance(n["target"][0], str) else str(n["target"])
                     for n in v["nodes"][:3])
           for v in violations if v["impact"] in ("serious", "critical")]
    assert not bad, f"axe on {name} ({page.url}):\n" + "\n".join(bad)


def sign_in(page: Page, user: str) -> None:
    """On the issuer's login page (where the portal sent the browser): choose the demo user,
    type the password, submit; back on the portal once it has finished signing in."""
    page.get_by_label("用户").select_option(user)
    page.get_by_label(re.compile("密码")).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"^(?!.*/callback).*$"))


def open_workbench(page: Page, stack, user: str, path: str = "") -> None:
    """The workbench at /staff/<path> as a member of staff opens it: sent to the issuer, signs
    in as `user`, back on that page with the frame showing who is signed in."""
    page.goto(f"{stack.workbench}{path.lstrip('/')}")
    sign_in(page, user)
    expect(page.get_by_role("button", name="退出")).to_be_visible()


# The demo items the portal tests apply for, and the company's own 营业执照.
FOOD = "00020101200044030000000011440300007542808J01"         # 食品经营许可（新办）
REGISTRATION = "00020100100044030000000011440300007542808J01"  # 企业设立登记
COMPANY = {"type": "legal", "name": "深圳小吃有限公司", "idNumber": "91440300MA5FXK7Q3T"}


def registered_company(api) -> dict:
    """A new 营业执照 of the company as the local stack makes it (README's walk): 企业设立登记
    applied for, accepted at the counter, approved by market regulation — all through the
    API; the case once concluded (its `licenseId` the e-license's identifier)."""
    company, clerk, scjg = api.token("company"), api.token("clerk"), api.token("scjg")
    status, created = api.call("POST", "/cases", {
        "itemCode": REGISTRATION, "channel": "web", "applicant": COMPANY,
        "form": {"companyName": COMPANY["name"], "address": "深圳市南山区科技园1号",
                 "registeredCapital": 100, "scope": "餐饮服务"}}, token=company)
    assert status == 201, created
    case_no = created["caseNo"]
    api.decide(api.task_of(case_no, "ZWFW", clerk), "accept", "受理", clerk)
    api.decide(api.task_of(case_no, "SCJG", scjg), "approve", "准予登记", scjg)
    return api.until(lambda: api.call("GET", f"/cases/{case_no}", token=company)[1],
                     lambda c: c.get("status") == 11 and c.get("licenseId"))


@pytest.fixture(scope="module")
def business_license(stack, api):
    """The company's 营业执照, one per module."""
    return registered_company(api)["licenseId"]


@pytest.fixture(scope="module")
def labels(api) -> dict[str, str]:
    """The food item's form labels as the portal shows them: each property's title (its
    name where the version has none)."""
    status, item = api.call("GET", f"/items/{FOOD}")
    assert status == 200, item
    return {name: spec.get("title", name)
            for name, spec in item["formSchema"]["properties"].items()}


