"""The portal's quality bars, measured on the local stack (docs/web.md):

- weight: the gzip-compressed JavaScript the home and guide pages really load (every
  script response in the browser's network log, by its encoded body size) against the
  200 KB budget;
- accessibility: axe-core's serious and critical violations on each portal page (home,
  guide, lookup, and signed in as the demo company: my cases, my licenses) at 360 px and
  1280 px;
- Lighthouse (npm `lighthouse` from web/node_modules, mobile preset, Debian's Chromium)
  performance and accessibility scores for home and guide;
- the workbench's heaviest page, the supervision dashboard (监察看板: ECharts in its own
  chunk), signed in as the supervisor at 1280 px: its gzip-compressed JavaScript against
  its own budget of 350 KB (about 300 KB today, 184 KB of it the dashboard's chunk) (a
  desktop page on an office network, not the portal's phone).

Each figure is printed with its target and a `pass` flag; nothing is asserted here.

    python -m bench.run web        # or `make bench BENCH_ARGS=web`; JSON on stdout
"""
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("OW_CHROMIUM", "/usr/bin/chromium")
LIGHTHOUSE = ROOT / "web" / "node_modules" / "lighthouse" / "cli" / "index.js"
JS_BUDGET_KB = 200
DASHBOARD_JS_BUDGET_KB = 350
TARGETS = {"javascript_gzip_kb": f"<= {JS_BUDGET_KB}",
           "dashboard_javascript_gzip_kb": f"<= {DASHBOARD_JS_BUDGET_KB}",
           "lighthouse_performance": ">= 90",
           "lighthouse_accessibility": ">= 95", "axe_serious_or_critical": "== 0"}
VIEWPORTS = {"phone": {"width": 360, "height": 740}, "desktop": {"width": 1280, "height": 900}}


def _pages() -> dict[str, tuple[str, bool]]:
    """Page name -> (path, needs sign-in)."""
    from infra.local import demo
    food = demo.code_of("000201012000", "SCJG")
    return {"home": ("/", False), "guide": (f"/items/{food}", False),
            "lookup": ("/lookup", False), "my cases": ("/me/cases", True),
            "my licenses": ("/me/licenses", True)}


def _settle(page) -> None:
    page.wait_for_load_state("networkidle")
    page.locator("h1").first.wait_for(state="attached", timeout=15_000)


def javascript_shipped(browser, url: str) -> dict:
    """The compressed bytes of every script the page loads, from the network log."""
    context = browser.new_context(viewport=VIEWPORTS["phone"], locale="zh-CN")
    page = context.new_page()
    scripts = []
    page.on("requestfinished", lambda request: scripts.append(request)
            if request.resource_type == "script" else None)
    page.goto(url)
    _settle(page)
    total_kb, files = _script_sizes(scripts)
    context.close()
    return {"javascript_gzip_kb": total_kb, "files": files,
            "target": TARGETS["javascript_gzip_kb"], "pass": total_kb <= JS_BUDGET_KB}


def dashboard_javascript(browser, workbench: str) -> dict:
    """The compressed bytes of every script the supervision dashboard loads: signed in as
    the supervisor first, then the page loaded afresh (the sign-in kept for the tab)."""
    from tests.browser.conftest import sign_in
    context = browser.new_context(viewport=VIEWPORTS["desktop"], locale="zh-CN")
    page = context.new_page()
    page.goto(workbench + "dashboard")
    sign_in(page, "supervisor")
    page.get_by_role("heading", name="监察看板").wait_for(timeout=30_000)
    # Afresh: as a first visit would load it, not from the cache the sign-in filled.
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    scripts = []
    page.on("requestfinished", lambda request: scripts.append(request)
            if request.resource_type == "script" else None)
    page.reload()
    page.get_by_role("heading", name="监察看板").wait_for(timeout=30_000)
    _settle(page)
    total_kb, files = _script_sizes(scripts)
    context.close()
    return {"javascript_gzip_kb": total_kb, "files": files,
            "target": TARGETS["dashboard_javascript_gzip_kb"],
            "pass": total_kb <= DASHBOARD_JS_BUDGET_KB}


def _script_sizes(scripts: list) -> tuple[float, dict]:
    files = {}
    for request in scripts:
        response = request.response()
        encoded = request.sizes()["responseBodySize"]
        encoding = (response.headers.get("content-encoding") if response else None) or ""
        if "gzip" not in encoding and response is not None:
            # Served uncompressed (it should not be): counted as gzip would ship it.
            import gzip
            encoded = len(gzip.compress(response.body(), 6))
        files[request.url.rsplit("/", 1)[-1]] = encoded
    return round(sum(files.values()) / 1024, 1), files


def axe_counts(browser, portal: str, sign_in_as: str = "company") -> dict:
    """axe-core's serious and critical violations per page and viewport."""
    from axe_playwright_python.sync_playwright import Axe

    from tests.browser.conftest import sign_in
    axe = Axe()
    results = {}
    for viewport_name, viewport in VIEWPORTS.items():
        context = browser.new_context(viewport=viewport, locale="zh-CN")
        page = context.new_page()
        signed_in = False
        for name, (path, needs_sign_in) in _pages().items():
            key = f"{name} ({viewport_name})"
            try:
                if needs_sign_in and not signed_in:
                    page.goto(portal + "/")
                    page.get_by_role("button", name="登录").click()
                    sign_in(page, sign_in_as)
                    signed_in = True
                page.goto(portal + path)
                _settle(page)
                violations = axe.run(page).response["violations"]
                bad = [v for v in violations if v["impact"] in ("serious", "critical")]
                results[key] = {
                    "path": path, "h1": page.locator("h1").first.inner_text().strip(),
                    "serious_or_critical": sum(len(v["nodes"]) for v in bad),
                    "rules": sorted({v["id"] for v in bad}),
                    "target": TARGETS["axe_serious_or_critical"], "pass": not bad}
            except Exception as error:  # a page that fails to load is reported as such
                results[key] = {"path": path, "error": str(error).splitlines()[0],
                                "pass": False}
        context.close()
    return results


def lighthouse(url: str) -> dict:
    """Lighthouse's performance and accessibility scores (0–100), mobile preset."""
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "report.json"
        done = subprocess.run(
            ["node", str(LIGHTHOUSE), url, "--quiet", "--output=json",
             f"--output-path={report}", "--only-categories=performance,accessibility",
             "--form-factor=mobile", "--chrome-flags=--headless=new --no-sandbox"],
            env={**os.environ, "CHROME_PATH": CHROMIUM}, capture_output=True, text=True,
            timeout=300)
        if done.returncode != 0 or not report.exists():
            return {"error": (done.stderr or done.stdout).strip().splitlines()[-1:],
                    "pass": False}
        categories = json.loads(report.read_text("utf-8"))["categories"]
    performance = round(categories["performance"]["score"] * 100)
    accessibility = round(categories["accessibility"]["score"] * 100)
    return {"performance": performance, "accessibility": accessibility,
            "target": {"performance": TARGETS["lighthouse_performance"],
                       "accessibility": TARGETS["lighthouse_accessibility"]},
            "pass": performance >= 90 and accessibility >= 95}


def run() -> dict:
    from playwright.sync_api import sync_playwright

    from tests.e2e.local_stack import started
    if not Path(CHROMIUM).exists():
        return {"error": f"Chromium is missing at {CHROMIUM}: `make browser`"}
    if not (ROOT / "web" / "dist" / "portal" / "index.html").is_file():
        return {"error": "the portal is not built: `make web`"}
    pages = _pages()
    result: dict = {"targets": TARGETS}
    with started() as stack, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            result["javascript"] = {name: javascript_shipped(browser, stack.portal + path)
                                    for name in ("home", "guide")
                                    for path in [pages[name][0]]}
            result["axe"] = axe_counts(browser, stack.portal)
            result["workbench"] = {"dashboard": dashboard_javascript(browser, stack.workbench)}
        finally:
            browser.close()
        result["lighthouse"] = {name: lighthouse(stack.portal + pages[name][0])
                                for name in ("home", "guide")}
    result["pass"] = all(part["pass"] for key in ("javascript", "axe", "lighthouse", "workbench")
                         for part in result[key].values())
    return result


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    print(json.dumps(run(), ensure_ascii=False, indent=2))
