"""The staff workbench's frame (/staff/ beside the portal): each role signs in with the
workbench's own client and is offered exactly what it can do; an applicant is told the
workbench is for staff; a page of another role is refused, not shown; the portal's pages
carry none of the workbench's code. Every page passes axe and is kept as a screenshot."""
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_axe, open_workbench, shoot

NAV = {"待办任务", "窗口收件", "部门督办", "监察看板", "监察处理", "秒批抽查", "统计报表",
       "事项管理"}
OFFERED = {
    "clerk": {"待办任务", "窗口收件"},
    "scjg": {"待办任务"},
    "scjg_lead": {"待办任务", "部门督办"},
    "supervisor": {"监察看板", "监察处理", "秒批抽查", "统计报表"},
    "admin": {"事项管理", "秒批抽查", "统计报表"},
    "evaluator": {"统计报表"},
}


@pytest.mark.parametrize("user", sorted(OFFERED))
def test_each_role_is_offered_only_what_it_can_do(stack, desktop, user):
    open_workbench(desktop, stack, user)
    nav = desktop.get_by_role("navigation", name="工作台导航")
    expect(nav.get_by_role("link", name="工作台首页")).to_be_visible()
    offered = {name for name in NAV if nav.get_by_role("link", name=name, exact=True).count()}
    assert offered == OFFERED[user]
    # The first page links the same areas, and says who is signed in.
    main = desktop.locator("main")
    for name in OFFERED[user]:
        expect(main.get_by_role("link", name=name, exact=True)).to_be_visible()
    expect(desktop.get_by_role("heading", level=1)).to_contain_text("您好")
    assert desktop.title() == "工作台首页 - 政务服务工作台"
    if user.startswith("scjg"):  # the banner names the department, not its code
        expect(desktop.get_by_role("banner")).to_contain_text("深圳市市场监督管理局")
        expect(desktop.get_by_role("banner")).not_to_contain_text("SCJG")
    check_axe(desktop, f"staff-home-{user}")
    shoot(desktop, f"staff-home-{user}")


def test_an_applicant_is_sent_to_the_portal_and_signing_out_stays_on_the_workbench(
        stack, desktop):
    open_workbench(desktop, stack, "applicant")
    expect(desktop.get_by_role("heading", name="无权访问此页面")).to_be_visible()
    expect(desktop.get_by_text("工作台仅供工作人员使用")).to_be_visible()
    expect(desktop.get_by_role("link", name="前往网上办事大厅")).to_have_attribute(
        "href", stack.portal + "/")
    assert not desktop.get_by_role("navigation", name="工作台导航").count()
    check_axe(desktop, "staff-not-staff")
    # Signed out, the issuer sends the browser back to the workbench's home, which (no
    # one signed in) goes straight on to the issuer's sign-in for the workbench: record
    # every address the page passes, since /staff/ may not finish loading before it moves on.
    passed: list[str] = []
    desktop.on("framenavigated",
               lambda frame: passed.append(frame.url) if frame == desktop.main_frame else None)
    desktop.get_by_role("button", name="退出").click()
    expect(desktop.get_by_label("用户")).to_be_visible()  # signed out: the issuer asks again
    assert stack.workbench.rstrip("/") + "/" in passed, passed
    assert "client_id=onewindow-workbench" in desktop.url
    assert not any(url.startswith(stack.portal + "/") and "/staff" not in url
                   for url in passed), passed


def test_the_portal_carries_none_of_the_workbenchs_code(stack, desktop):
    """Two entries of one build: the portal's page loads the portal's scripts only."""
    scripts: list[str] = []
    desktop.on("request", lambda request: scripts.append(request.url)
               if request.resource_type == "script" else None)
    desktop.goto(stack.portal + "/")
    expect(desktop.get_by_role("heading", level=1)).to_be_visible()
    desktop.wait_for_load_state("networkidle")
    staff_entry = re.search(r'src="(/assets/[^"]+)"',
                            desktop.request.get(stack.workbench).text()).group(1)
    assert scripts and not any(url.endswith(staff_entry) for url in scripts)


def test_the_workbench_page_opened_as_a_file_goes_on_to_the_address_asked(stack, desktop):
    """A CDN without the workbench's route function answers /staff/… with the portal's page,
    which sends the browser to /staff/index.html?to=…: the workbench then shows that address
    (and never another site's)."""
    open_workbench(desktop, stack, "clerk")
    desktop.goto(f"{stack.workbench}index.html?to=/no-such-page")
    expect(desktop.get_by_role("heading", name="页面不存在")).to_be_visible()
    assert desktop.url == f"{stack.workbench}no-such-page"
    desktop.goto(f"{stack.workbench}index.html?to=//evil.example/x")
    expect(desktop.get_by_role("heading", level=1)).to_contain_text("您好")
    assert desktop.url == stack.workbench
