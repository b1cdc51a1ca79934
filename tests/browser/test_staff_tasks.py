"""待办任务 in the workbench, by clicking: a citizen applies in the portal; the clerk finds
the case in the acceptance inbox, reads the case file (the form under the item's titles,
a material opened for a stated purpose, the 营业执照 given in place of paper shown
verified) and accepts; the two departments of the parallel stage decide it at once in two
browser contexts; the applicant sees the license in the portal. Also: one reviewer claims
and a colleague sees it claimed and cannot decide it (the 409 said, the opinion kept), the
polling inbox and case file say what someone else did, a supplement asked for by ticking
materials, a special procedure started and ended, 容缺, filters in the URL, keyboard
shortcuts, and a role without the inbox refused; a case its rules referred (秒批) leads with
the rules that failed. axe and a screenshot of every page."""
import itertools
import re
from urllib.parse import quote

import pytest
from playwright.sync_api import Page, expect

from infra.local import demo
from tests.browser import staff_cases
from tests.browser.conftest import DESKTOP, _page, check_axe, open_workbench, shoot, sign_in
from tests.browser.test_portal_apply import CASE_NO, PDF, field, material, step

_DISTINCT = itertools.count(1)
# The case file polls every 10 s, the inbox every 15 s (web/src/staff/pages/tasks/). A
# test that waits for a poll installs the page's clock (Playwright's: it runs as time
# does) and moves it on by the interval once the change is made: the poll is due at once,
# not after up to 15 s of waiting; then the usual patience for its answer.
CASE_FILE_POLL_MS, INBOX_POLL_MS = 10_000, 15_000


@pytest.fixture(scope="module")
def hygiene() -> str:
    """公共场所卫生许可: reviewed by WSJK and XFJY in parallel."""
    return demo.code_of("000201025000", "WSJK")


def food_case(api, accepted: bool = True) -> str:
    """A new 食品经营许可 case of the company (through the API: the portal's part is
    test_portal_apply's), accepted at the counter unless asked not to."""
    n = next(_DISTINCT)
    case_no = staff_cases.food_case(api, api.token("company"), f"任务测试店{n}",
                                    f"深圳市南山区科技园{n}号")
    clerk = api.token("clerk")
    task = api.task_of(case_no, "ZWFW", clerk)
    if accepted:
        api.decide(task, "accept", "受理", clerk)
    return case_no


def _until_polled(page: Page, every_ms: int, rows, attempts: int = 6) -> None:
    """Move the page's clock on by a poll's interval until `rows` has one: what the
    stream writes may come a poll or two after the action."""
    for _ in range(attempts):
        page.clock.fast_forward(every_ms)
        try:
            expect(rows).not_to_have_count(0, timeout=5_000)
            return
        except AssertionError:
            continue
    expect(rows).not_to_have_count(0)


def row_of(page: Page, case_no: str):
    return page.get_by_role("table", name="待办任务列表").get_by_role("row") \
        .filter(has_text=case_no)


def open_case_file(page: Page, case_no: str) -> None:
    row = row_of(page, case_no)
    expect(row).to_be_visible()
    row.get_by_role("link", name=f"办理 {case_no}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"办件审查：{case_no}")


def decide(page: Page, choice: str, opinion: str) -> None:
    actions = page.get_by_role("region", name="办理", exact=True)
    actions.get_by_role("radio", name=choice, exact=True).check()
    actions.get_by_label("办理意见").fill(opinion)
    actions.get_by_role("button", name="提交决定").click()


def test_applied_in_the_portal_accepted_and_decided_by_two_departments_at_once(
        stack, api, browser, business_license, hygiene):
    # The citizen (the company) applies in the portal.
    applicant_context, portal = _page(browser, DESKTOP)
    portal.goto(stack.portal + f"/apply/{hygiene}")
    sign_in(portal, "company")
    step(portal, "申请人")
    portal.get_by_role("button", name="下一步").click()
    step(portal, "填写申请表")
    field(portal, "场所名称").fill("悦来宾馆工作台")
    field(portal, "场所地址").fill("深圳市福田区深南大道100号")
    portal.get_by_role("radio", name="住宿").check()
    portal.get_by_role("button", name="下一步").click()
    step(portal, "提交材料")
    form = material(portal, "卫生许可申请表")
    form.get_by_role("radio", name="上传文件").check()
    form.get_by_label("选择文件").set_input_files(
        {"name": "form.pdf", "mimeType": "application/pdf", "buffer": PDF})
    expect(form.get_by_role("status")).to_have_text("已上传：form.pdf")
    license = material(portal, "营业执照")
    license.get_by_role("radio", name="使用电子证照（免提交）").check()
    license.get_by_label("选择电子证照").select_option(business_license)
    material(portal, "卫生检测报告").get_by_role("radio", name=re.compile("暂不提供")).check()
    portal.get_by_role("button", name="下一步").click()
    step(portal, "核对信息")
    portal.get_by_role("button", name="提交申请").click()
    step(portal, "提交成功")
    case_no = portal.get_by_text(CASE_NO).inner_text()

    # The clerk: the acceptance inbox, the case file, accept.
    clerk_context, clerk = _page(browser, DESKTOP)
    open_workbench(clerk, stack, "clerk", "tasks")
    expect(clerk.get_by_role("heading", level=1)).to_have_text("待办任务")
    assert clerk.title() == "待办任务 - 政务服务工作台"
    row = row_of(clerk, case_no)
    expect(row).to_contain_text("受理")
    expect(row).to_contain_text("公共场所卫生许可")
    check_axe(clerk, "staff-tasks-inbox-clerk")
    shoot(clerk, "staff-tasks-inbox-clerk")
    open_case_file(clerk, case_no)
    summary = clerk.get_by_role("region", name="任务概况")
    expect(summary).to_contain_text("深圳小吃有限公司")
    application = clerk.get_by_role("region", name="申请表")
    expect(application).to_contain_text("场所名称")       # the item's title, not placeName
    expect(application).to_contain_text("悦来宾馆工作台")
    materials = clerk.get_by_role("table", name="申请材料列表")
    expect(materials.get_by_role("row").filter(has_text="营业执照")).to_contain_text("已核验")
    # Opening a material asks why first; the link comes once the purpose is given.
    materials.get_by_role("button", name="查看 卫生许可申请表").click()
    purpose = clerk.get_by_label("查阅用途")
    expect(purpose).to_be_focused()
    purpose.fill("受理审查核对")
    clerk.get_by_role("button", name="打开", exact=True).click()
    expect(clerk.get_by_role("link", name="打开文件（卫生许可申请表）")).to_have_attribute(
        "href", re.compile("^http"))
    logged = api.until(lambda: api.call("GET", "/me/access-log", token=api.token("company"))[1],
                       lambda log: any(e.get("purpose") == "受理审查核对" for e in
                                       (log or {}).get("entries", [])))
    assert [e["action"] for e in logged["entries"]
            if e.get("purpose") == "受理审查核对"] == ["view"]
    check_axe(clerk, "staff-tasks-case-file-acceptance")
    shoot(clerk, "staff-tasks-case-file-acceptance")
    decide(clerk, "受理", "材料齐全，予以受理")
    expect(clerk.get_by_role("status").filter(has_text="已提交：受理。")).to_be_visible()
    status, logged = api.call("GET", f"/cases/{case_no}", token=api.token("supervisor"))
    assert status == 200 and logged["status"] in (3, 8), logged

    # Two departments of the parallel stage, in two contexts at once.
    pages = {}
    for user, dept in (("wsjk", "WSJK"), ("xfjy", "XFJY")):
        api.task_of(case_no, dept, api.token(user))
        _, page = _page(browser, DESKTOP)
        open_workbench(page, stack, user, "tasks")
        open_case_file(page, case_no)
        other = "XFJY" if dept == "WSJK" else "WSJK"
        expect(page.get_by_role("table", name="并联审查进度").get_by_role("row").filter(
            has_text=other)).to_contain_text("待办理")
        actions = page.get_by_role("region", name="办理", exact=True)
        actions.get_by_role("radio", name="准予许可", exact=True).check()
        actions.get_by_label("办理意见").fill(f"{dept}审查通过")
        pages[user] = page
    check_axe(pages["wsjk"], "staff-tasks-case-file-parallel")
    shoot(pages["wsjk"], "staff-tasks-case-file-parallel")
    for page in pages.values():   # both submit before either answer is in
        page.get_by_role("region", name="办理", exact=True) \
            .get_by_role("button", name="提交决定").click()
    for page in pages.values():
        expect(page.get_by_role("status").filter(has_text="已提交：准予许可。")).to_be_visible()
    expect(pages["xfjy"].get_by_role("table", name="并联审查进度").get_by_role("row").filter(
        has_text="WSJK")).to_contain_text("准予许可")

    # The applicant sees the license in the portal.
    company = api.token("company")
    case = api.until(lambda: api.call("GET", f"/cases/{case_no}", token=company)[1],
                     lambda c: c.get("licenseId"))
    portal.goto(stack.portal + f"/me/licenses/{quote(case['licenseId'], safe='')}")
    expect(portal.get_by_role("heading", level=1)).to_contain_text("卫生许可")
    shoot(portal, "staff-tasks-applicant-license")
    for page in pages.values():
        page.context.close()
    clerk_context.close()
    applicant_context.close()


def test_a_claimed_task_is_seen_claimed_and_a_losing_decision_keeps_its_opinion(
        stack, api, browser):
    case_no = food_case(api)
    scjg = api.token("scjg")
    task = api.task_of(case_no, "SCJG", scjg)
    context, page = _page(browser, DESKTOP)
    # Until 吴审查 submits, the page's polls of the case get the case as first read: the
    # claim below is not seen before the decision races it, however slow the machine.
    held = {"on": True, "case": None}

    def hold_polls(route):
        if route.request.method != "GET" or not held["on"]:
            route.continue_()
            return
        if held["case"] is None:
            held["case"] = route.fetch()
        route.fulfill(response=held["case"])

    def submitted(route):
        held["on"] = False
        route.continue_()

    page.route(re.compile(rf"/cases/{case_no}$"), hold_polls)
    page.route(re.compile(r"/tasks/[^/]+/decision$"), submitted)
    page.clock.install()
    open_workbench(page, stack, "scjg2", "tasks")
    open_case_file(page, case_no)
    actions = page.get_by_role("region", name="办理", exact=True)
    expect(actions.get_by_role("button", name="认领")).to_be_visible()
    actions.get_by_role("radio", name="准予许可", exact=True).check()
    actions.get_by_label("办理意见").fill("经审查符合条件，准予许可")
    # 王审查 claims it meanwhile: 吴审查's decision loses the race.
    status, _ = api.call("POST", f"/tasks/{task['taskId']}/claim", token=scjg)
    assert status == 200
    actions.get_by_role("button", name="提交决定").click()
    expect(page.get_by_role("alert")).to_contain_text("该任务刚刚已由他人认领")
    # Named as a colleague knows them, the account id in the name's title.
    expect(actions).to_contain_text("此任务已由 王审查 认领，您不能办理")
    summary = page.get_by_role("region", name="任务概况")
    expect(summary.get_by_title("账号 staff:wang-scjg")).to_have_text("王审查")
    expect(actions.get_by_label("办理意见")).to_have_value("经审查符合条件，准予许可")
    expect(actions.get_by_role("button", name="提交决定")).to_be_disabled()
    expect(actions.get_by_role("button", name="认领")).to_have_count(0)
    check_axe(page, "staff-tasks-case-file-race")
    shoot(page, "staff-tasks-case-file-race")
    status, body = api.call("GET", f"/cases/{case_no}", token=scjg)
    assert [t["state"] for t in body["tasks"] if t["taskId"] == task["taskId"]] == ["open"]

    # The case file's poll: 王审查 lets it go, and 吴审查 is told.
    assert api.call("POST", f"/tasks/{task['taskId']}/release", token=scjg)[0] == 200
    page.clock.fast_forward(CASE_FILE_POLL_MS)
    expect(page.get_by_role("status").filter(has_text=f"任务 {case_no} 已被释放")).to_be_visible()
    expect(actions.get_by_role("button", name="认领")).to_be_visible()

    # The inbox's poll (If-None-Match): 王审查 claims it again, and the inbox says so.
    inbox_polls = []
    page.on("response", lambda response: inbox_polls.append(
        (response.status, response.request.headers.get("if-none-match")))
        if re.search(r"/tasks(\?|$)", response.url) and response.request.method == "GET"
        else None)
    page.get_by_role("link", name="返回待办任务").click()
    expect(row_of(page, case_no)).to_contain_text("未认领")
    # Nothing changed: the next poll quotes the page's ETag and is answered 304.
    with page.expect_response(lambda r: re.search(r"/tasks(\?|$)", r.url) and r.status == 304):
        page.clock.fast_forward(INBOX_POLL_MS)
    assert inbox_polls[0] == (200, None) and inbox_polls[-1][1], inbox_polls
    assert api.call("POST", f"/tasks/{task['taskId']}/claim", token=scjg)[0] == 200
    page.clock.fast_forward(INBOX_POLL_MS)
    expect(page.get_by_role("status").filter(
        has_text=f"任务 {case_no} 已被 王审查 认领")).to_be_visible()
    expect(row_of(page, case_no)).to_contain_text("王审查")
    expect(row_of(page, case_no)).not_to_contain_text("staff:wang-scjg")
    shoot(page, "staff-tasks-inbox-notice")
    context.close()


def test_a_supplement_is_asked_for_by_ticking_the_items_materials(stack, api, desktop):
    case_no = food_case(api, accepted=False)
    open_workbench(desktop, stack, "clerk", "tasks")
    open_case_file(desktop, case_no)
    actions = desktop.get_by_role("region", name="办理", exact=True)
    actions.get_by_role("radio", name="一次性告知补正").check()
    listed = actions.get_by_role("group", name=re.compile("一次性告知：需补正的材料"))
    expect(listed.get_by_role("checkbox")).to_have_count(4)   # the item's whole list
    actions.get_by_label("办理意见").fill("请补齐以下材料")
    actions.get_by_role("button", name="提交决定").click()
    expect(actions.get_by_role("alert")).to_have_text("请至少勾选一项材料")
    listed.get_by_role("checkbox", name="营业执照").check()
    listed.get_by_role("checkbox", name="经营场所平面图和设备布局图").check()
    check_axe(desktop, "staff-tasks-supplement")
    shoot(desktop, "staff-tasks-supplement")
    actions.get_by_role("button", name="提交决定").click()
    expect(desktop.get_by_role("status").filter(has_text="已提交：一次性告知补正。")).to_be_visible()
    expect(actions).to_contain_text("此任务正在等待申请人补正材料")
    case = api.until(lambda: api.call("GET", f"/cases/{case_no}", token=api.token("company"))[1],
                     lambda c: c["status"] == 6)
    assert sorted(case["supplement"]["materials"]) == ["经营场所平面图和设备布局图", "营业执照"]


def test_a_special_procedure_is_started_and_ended_then_approved_with_materials_to_follow(
        stack, api, desktop):
    case_no = food_case(api)
    api.task_of(case_no, "SCJG", api.token("scjg"))
    open_workbench(desktop, stack, "scjg", "tasks")
    open_case_file(desktop, case_no)
    actions = desktop.get_by_role("region", name="办理", exact=True)
    actions.get_by_role("button", name="认领").click()
    expect(actions).to_contain_text("您已认领此任务")
    actions.get_by_label("程序类型").select_option(label="现场勘验")
    actions.get_by_label("启动理由").fill("需要现场核实经营场所")
    actions.get_by_role("button", name="启动特别程序").click()
    expect(desktop.get_by_role("status").filter(has_text="特别程序已启动")).to_be_visible()
    expect(desktop.get_by_role("region", name="法定时限")).to_contain_text("已暂停（特别程序")
    expect(actions.get_by_role("button", name="提交决定")).to_have_count(0)
    check_axe(desktop, "staff-tasks-special")
    shoot(desktop, "staff-tasks-special")
    actions.get_by_label("特别程序结果").fill("现场勘验合格")
    actions.get_by_role("button", name="结束特别程序").click()
    expect(desktop.get_by_role("status").filter(has_text="特别程序已结束")).to_be_visible()
    clock = desktop.get_by_role("region", name="法定时限")
    expect(clock).to_contain_text("计时中")
    expect(clock.get_by_role("listitem").filter(has_text="特别程序")).to_contain_text("至")
    # 容缺: approved with a material to follow, ticked from the item's list.
    actions.get_by_role("radio", name=re.compile("容缺办理")).check()
    actions.get_by_role("group", name="容缺：可后补的材料").get_by_role(
        "checkbox", name="食品安全管理制度文本").check()
    actions.get_by_label("办理意见").fill("准予许可，制度文本后补")
    actions.get_by_role("button", name="提交决定").click()
    expect(desktop.get_by_role("status").filter(has_text="已提交")).to_be_visible()
    case = api.until(lambda: api.call("GET", f"/cases/{case_no}", token=api.token("company"))[1],
                     lambda c: c["status"] == 12)
    assert case["pendingMaterials"] == ["食品安全管理制度文本"]


def test_filters_live_in_the_url_and_the_keyboard_moves_and_decides(stack, api, desktop):
    mine, other = food_case(api), food_case(api)
    scjg = api.token("scjg")
    claimed = api.task_of(mine, "SCJG", scjg)
    api.task_of(other, "SCJG", scjg)
    assert api.call("POST", f"/tasks/{claimed['taskId']}/claim", token=scjg)[0] == 200
    open_workbench(desktop, stack, "scjg", "tasks")
    expect(row_of(desktop, other)).to_be_visible()
    desktop.get_by_label("任务状态").select_option(label="待办理")
    desktop.get_by_label("只看我认领的").check()
    desktop.get_by_role("button", name="筛选", exact=True).click()
    desktop.wait_for_url(re.compile(r"/tasks\?.*mine=true"))
    assert "state=open" in desktop.url
    expect(row_of(desktop, mine)).to_be_visible()
    expect(row_of(desktop, other)).to_have_count(0)
    desktop.reload()                                   # the filters come back from the URL
    expect(desktop.get_by_label("只看我认领的")).to_be_checked()
    expect(row_of(desktop, other)).to_have_count(0)
    expect(desktop.get_by_role("region", name="键盘快捷键")).to_contain_text("J 或 N：下一个任务")
    check_axe(desktop, "staff-tasks-inbox-filtered")
    shoot(desktop, "staff-tasks-inbox-filtered")
    # Typing in a field is not a shortcut; on the page, D opens the selected task's decision.
    desktop.get_by_label("任务状态").focus()
    desktop.keyboard.press("d")
    expect(desktop).to_have_url(re.compile(r"/tasks\?"))
    desktop.get_by_role("heading", level=1).click()
    selected = desktop.get_by_text(re.compile("^已选中："))
    expect(selected).to_be_visible()
    rows = row_of(desktop, "").count() - 1                 # the header row aside
    for _ in range(rows):                                  # J down to this test's task
        if mine in selected.inner_text():
            break
        before = selected.inner_text()
        desktop.keyboard.press("j")
        expect(selected).not_to_have_text(before)
    expect(selected).to_have_text(f"已选中：{mine}")
    desktop.keyboard.press("d")
    expect(desktop.get_by_role("heading", level=1)).to_have_text(f"办件审查：{mine}")
    expect(desktop.get_by_role("radio", name="准予许可", exact=True)).to_be_focused()


def test_the_lead_hands_a_claimed_task_to_a_colleague(stack, api, browser, desktop):
    case_no = food_case(api)
    scjg = api.token("scjg")
    task = api.task_of(case_no, "SCJG", scjg)
    api.call("GET", "/tasks", token=api.token("scjg2"))   # 吴审查 works SCJG's inbox
    assert api.call("POST", f"/tasks/{task['taskId']}/claim", token=scjg)[0] == 200
    desktop.clock.install()
    open_workbench(desktop, stack, "scjg_lead", "tasks")
    open_case_file(desktop, case_no)
    actions = desktop.get_by_role("region", name="办理", exact=True)
    expect(actions).to_contain_text("此任务已由 王审查 认领")
    # The lead picks a colleague by name (GET /tasks/assignees); typing an account stays.
    pick = actions.get_by_label("指派给")
    expect(pick.get_by_role("option", name="吴审查（staff:wu-scjg）")).to_have_count(1)
    expect(pick.get_by_role("option", name="赵卫健", exact=False)).to_have_count(0)
    expect(actions.get_by_label("或填写工作人员账号")).to_be_editable()
    pick.select_option(label="吴审查（staff:wu-scjg）")
    expect(actions.get_by_label("或填写工作人员账号")).to_be_disabled()
    check_axe(desktop, "staff-tasks-assign")
    shoot(desktop, "staff-tasks-assign")
    actions.get_by_role("button", name="指派").click()
    expect(desktop.get_by_role("status").filter(
        has_text="已指派给 吴审查（staff:wu-scjg）")).to_be_visible()
    expect(desktop.get_by_role("region", name="任务概况")).to_contain_text("吴审查")
    # The case's record of it names who claimed and who assigned (the timeline comes
    # through the stream: a poll shows it).
    steps = desktop.get_by_role("table", name="办理过程")
    _until_polled(desktop, CASE_FILE_POLL_MS, steps.get_by_role("row").filter(has_text="王审查"))
    _until_polled(desktop, CASE_FILE_POLL_MS,
                  steps.get_by_role("row").filter(has_text="郑科长（我）"))
    # A reviewer who is not the lead is offered no assignment.
    context, page = _page(browser, DESKTOP)
    open_workbench(page, stack, "scjg", f"tasks/{task['taskId']}")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"办件审查：{case_no}")
    expect(page.get_by_role("region", name="任务概况")).to_contain_text("吴审查")
    expect(page.get_by_label("指派给")).to_have_count(0)
    context.close()


# The page is no wider than the screen (a wide table scrolls inside itself).
WIDER_THAN_THE_SCREEN = "document.documentElement.scrollWidth > window.innerWidth"


def test_nothing_breaks_on_a_phone(stack, api, phone):
    case_no = food_case(api)
    api.task_of(case_no, "SCJG", api.token("scjg"))
    open_workbench(phone, stack, "scjg", "tasks")
    expect(row_of(phone, case_no)).to_be_visible()
    shoot(phone, "staff-tasks-inbox-phone")
    assert not phone.evaluate(WIDER_THAN_THE_SCREEN)
    open_case_file(phone, case_no)
    expect(phone.get_by_role("button", name="提交决定")).to_be_visible()
    shoot(phone, "staff-tasks-case-file-phone")
    assert not phone.evaluate(WIDER_THAN_THE_SCREEN)


def test_a_role_without_the_inbox_is_refused(stack, desktop):
    open_workbench(desktop, stack, "supervisor", "tasks")
    expect(desktop.get_by_role("heading", name="无权访问此页面")).to_be_visible()


def test_a_case_its_rules_referred_leads_with_the_rules_that_failed(stack, api, desktop):
    """秒批: 张三's 高龄津贴 case, referred by its rules (76, registered in Beijing); the
    clerk's case file says which rules failed, on what data and why, before anything else
    is done with it, and which values and materials came from the population registry."""
    case_no = staff_cases.referred_elderly_case(api)
    task = api.task_of(case_no, "ZWFW", api.token("clerk"))
    open_workbench(desktop, stack, "clerk", f"tasks/{task['taskId']}")
    expect(desktop.get_by_role("heading", level=1)).to_have_text(f"办件审查：{case_no}")
    rules = desktop.get_by_role("region", name="秒批规则核验")
    expect(rules).to_contain_text("已转人工审查")
    expect(rules).to_contain_text("系统核验有 2 项条件未通过，已转人工审查。请重点核实：")
    expect(rules).to_contain_text("年满80周岁：条件不满足（核验数据：人口库：年龄 76）")
    expect(rules).to_contain_text(
        "户籍在本市：条件不满足（核验数据：人口库：户籍地行政区划代码 110105）")
    expect(rules).to_contain_text('population.registeredArea.startsWith("4403")')
    trace = rules.get_by_role("list", name="核验的条件").get_by_role("listitem")
    expect(trace).to_have_count(4)
    expect(trace.filter(has_text="不符合")).to_have_count(2)
    expect(trace.filter(has_text="户籍状态正常")).not_to_contain_text("不符合")
    # Before what the clerk does with the case.
    actions = desktop.get_by_role("region", name="办理", exact=True)
    assert rules.bounding_box()["y"] < actions.bounding_box()["y"]

    form = desktop.get_by_role("region", name="申请表")
    expect(form).to_contain_text("申请人已授权使用基础数据")
    expect(form.get_by_role("definition").filter(has_text="张三")).to_contain_text("来自人口库")
    expect(form.get_by_role("definition").filter(has_text="银行账户")).not_to_contain_text("来自")
    booklet = desktop.get_by_role("table", name="申请材料列表").get_by_role("row") \
        .filter(has_text="户口簿")
    expect(booklet).to_contain_text("以人口库记录代替（免提交）")
    expect(desktop.get_by_role("table", name="办理过程").get_by_role("row").filter(
        has_text="秒批规则核验：转人工审查，不符合：年满80周岁、户籍在本市")).to_have_count(1)
    check_axe(desktop, "staff-case-file-rules-referred")
    shoot(desktop, "staff-case-file-rules-referred")


def test_overdue_tasks_are_marked_in_words_and_filtered(stack, api, desktop):
    """Last in the module: the stack's clock moved past the review deadline and swept."""
    case_no = food_case(api)
    api.task_of(case_no, "SCJG", api.token("scjg"))
    staff_cases.local_command(stack, "infra.local.clock", "advance", "30wd")
    staff_cases.local_command(stack, "infra.sweep")
    open_workbench(desktop, stack, "scjg", "tasks?overdue=true")
    row = row_of(desktop, case_no)
    expect(row).to_contain_text("已逾期")
    expect(desktop.get_by_label("是否逾期")).to_have_value("true")
    check_axe(desktop, "staff-tasks-inbox-overdue")
    shoot(desktop, "staff-tasks-inbox-overdue")
    desktop.get_by_label("是否逾期").select_option(label="未逾期")
    desktop.get_by_role("button", name="筛选", exact=True).click()
    desktop.wait_for_url(re.compile(r"overdue=false"))
    expect(row_of(desktop, case_no)).to_have_count(0)


def test_the_case_files_documents_and_a_correction_by_the_issuing_department(
        stack, api, desktop):
    case_no = food_case(api)
    scjg = api.token("scjg")
    task = api.task_of(case_no, "SCJG", scjg)
    api.decide(task, "approve", "同意", scjg)
    company = api.token("company")
    api.until(lambda: api.call("GET", f"/cases/{case_no}/documents", token=company)[1],
              lambda found: len(found.get("items", [])) == 2)
    open_workbench(desktop, stack, "scjg", f"tasks/{task['taskId']}")
    documents = desktop.get_by_role("region", name="办件文书")
    rows = documents.get_by_role("row")
    approval = rows.filter(has_text="准予行政许可决定书")
    expect(approval).to_contain_text("有效")
    expect(approval).to_contain_text("深圳市市场监督管理局")
    check_axe(desktop, "staff-case-documents")
    with desktop.expect_download() as pdf:
        approval.get_by_role("button", name="下载 PDF").click()
    assert pdf.value.suggested_filename.startswith("准予行政许可决定书")
    approval.get_by_role("button", name="更正").click()
    documents.get_by_role("button", name="出具更正后的文书").click()
    expect(documents.get_by_label("原文（需更正的文字）")).to_have_accessible_description(
        "请填写需更正的原文")
    documents.get_by_label("原文（需更正的文字）").fill("不存在的字")
    documents.get_by_label("更正为").fill("存在")
    documents.get_by_label("更正理由（将告知申请人）").fill("笔误")
    documents.get_by_role("button", name="出具更正后的文书").click()
    expect(documents.get_by_label("原文（需更正的文字）")).to_have_accessible_description(
        "要更正的文字不在文书中")
    documents.get_by_label("原文（需更正的文字）").fill("深圳小吃有限公司")
    documents.get_by_label("更正为").fill("深圳小吃有限责任公司")
    documents.get_by_role("button", name="出具更正后的文书").click()
    expect(documents.get_by_role("status")).to_contain_text("已出具更正后的文书")
    expect(rows.filter(has_text="准予行政许可决定书")).to_have_count(2)
    expect(rows.filter(has_text="已更正")).to_have_count(1)
    check_axe(desktop, "staff-case-documents-corrected")
    shoot(desktop, "staff-case-documents-corrected")
    found = api.call("GET", f"/cases/{case_no}/documents", token=company)[1]["items"]
    assert [d["state"] for d in found] == ["valid", "superseded", "valid"]
