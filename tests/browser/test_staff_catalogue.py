"""事项管理 in the staff workbench, in Chromium against the local stack: the admin finds an
item that takes web applications, drafts a new version, adds a form field titled in Chinese
(seen at once in the preview the portal's own renderer draws), saves it, reads the diff
against the published version and the dry run with the item's open cases (which keep
their version), publishes; a citizen applying in the portal
is then asked the new field. The item is suspended and resumed, each with a reason and a
confirmation, and its history says so. Two admins editing one draft: the second is told
someone changed it (412) and keeps both changes. The API's form_title_missing lands at the
field it names. A reviewer is refused the page. 秒批 turned off for an item with a reason
(an application then goes to people, and says why) and on again. axe and a screenshot at
1280 px of every page."""
import re
from urllib.parse import quote

from playwright.sync_api import Page, expect

from tests.browser import staff_cases
from tests.browser.conftest import DESKTOP, PHONE, check_axe, open_workbench, shoot, sign_in
from tests.browser.test_portal_apply import step

CARD = "社会保障卡申领"        # a natural person applies online (web)
PROOF = "个人参保证明打印"     # for the two admins
RESIDENCE = "居住证申领"       # a draft saved without a field title through the API
INJURY = "工伤认定"            # a draft on a phone
SCHOOL = "民办学校设立审批"    # split in two


def code_of(api, name: str) -> str:
    status, page = api.call("GET", "/items?q=" + quote(name))
    assert status == 200, page
    return next(item["code"] for item in page["items"] if item["name"] == name)


def confirm(page: Page, title: str, reason: str, button: str | None = None) -> None:
    """The reason dialog `title`: the reason typed, the change confirmed."""
    dialog = page.get_by_role("dialog", name=title)
    expect(dialog).to_be_visible()
    dialog.get_by_label("原因").fill(reason)
    dialog.get_by_role("button", name=button or title).click()
    expect(dialog).to_be_hidden()


def new_field(page: Page, number: int):
    return page.get_by_role("group", name=re.compile(rf"^字段 {number}："))


def card_cases(api, code: str) -> tuple[str, str]:
    """Two open cases of the card item, applied under version 1 through the API: one at the
    counter, one accepted and in RSJ's review (both the case numbers)."""
    lisi, clerk, rsj = api.token("lisi"), api.token("clerk"), api.token("rsj")
    applied = []
    for street in ("福华路1号", "深南大道2号"):
        status, created = api.call("POST", "/cases", {
            "itemCode": code, "channel": "web",
            "applicant": {"type": "natural", "name": "李四", "idNumber": "440305199003070014"},
            "form": {"mailingAddress": f"深圳市福田区{street}"}}, token=lisi)
        assert status == 201, created
        applied.append(created["caseNo"])
    at_counter, in_review = applied
    api.decide(api.task_of(in_review, "ZWFW", clerk), "accept", "受理", clerk)
    api.task_of(in_review, "RSJ", rsj)
    api.task_of(at_counter, "ZWFW", clerk)
    return at_counter, in_review


def test_the_admin_drafts_a_form_field_publishes_and_the_portal_asks_it(stack, api, desktop,
                                                                       browser):
    page = desktop
    code = code_of(api, CARD)
    at_counter, in_review = card_cases(api, code)
    open_workbench(page, stack, "admin", "catalogue")
    expect(page.get_by_role("heading", level=1, name="事项管理")).to_be_visible()
    assert page.title() == "事项管理 - 政务服务工作台"
    items = page.get_by_role("table", name="事项列表")
    expect(items.get_by_role("row")).not_to_have_count(1)
    check_axe(page, "staff-catalogue-list")
    shoot(page, "staff-catalogue-list")
    # filtered on the API's terms: department, then kind too
    page.get_by_label("实施部门").select_option(label="深圳市人力资源和社会保障局")
    page.get_by_role("button", name="查询").click()
    expect(items.get_by_role("link")).to_have_count(3)
    page.get_by_label("事项类型").select_option(label="公共服务")
    page.get_by_role("button", name="查询").click()
    expect(items.get_by_role("link")).to_have_count(2)
    expect(items.get_by_role("link", name=PROOF)).to_be_visible()
    page.get_by_label("搜索事项").fill("社会保障卡")
    page.get_by_role("button", name="查询").click()
    expect(items.get_by_role("link")).to_have_count(1)
    items.get_by_role("link", name=CARD).click()

    # The item: published version 1, its history; a new draft with a reason.
    expect(page.get_by_role("heading", level=1, name=CARD)).to_be_visible()
    expect(page.get_by_text("当前状态：已发布")).to_be_visible()
    versions = page.get_by_role("table", name="版本", exact=True)
    expect(versions.get_by_role("row", name=re.compile("第 1 版.*已发布"))).to_be_visible()
    expect(page.get_by_role("table", name="变更记录").get_by_role("cell", name="导入")) \
        .to_be_visible()
    check_axe(page, "staff-catalogue-item")
    shoot(page, "staff-catalogue-item")
    page.get_by_role("button", name="起草新版本").click()
    confirm(page, "起草新版本", "社保卡申领增加照片回执编号")

    # The draft: a new field, its Chinese title, type, required, hint and example.
    expect(page.get_by_role("heading", level=1)).to_contain_text("第 2 版")
    expect(page.get_by_role("heading", level=1)).to_contain_text("草稿")
    page.get_by_role("button", name="添加字段").click()
    field = new_field(page, 2)
    expect(field.get_by_label("标题（中文）")).to_be_focused()
    field.get_by_label("标题（中文）").fill("照片回执编号")
    field.get_by_label("字段名（英文）").fill("photoReceipt")
    field.get_by_label("必填").check()
    field.get_by_label("填写说明").fill("照相馆出具的数码照片回执上的编号")
    field.get_by_label("示例").fill("SZ20261204001")
    # … seen at once as the citizen will see it
    preview = page.get_by_role("region", name="申请人看到的申请表（预览）")
    receipt = preview.get_by_label(re.compile(r"^照片回执编号"))
    expect(receipt).to_be_visible()
    expect(receipt).to_have_accessible_description(
        "照相馆出具的数码照片回执上的编号；例如：SZ20261204001")
    receipt.fill("SZ1")
    # the first stage takes two working days more
    stage = page.get_by_label(re.compile("^审查环节「制卡审核」时限"))
    stage.fill(str(int(stage.input_value()) + 2))
    expect(page.get_by_text("有未保存的修改")).to_be_visible()
    expect(page.get_by_role("button", name="发布此版本")).to_be_disabled()
    page.get_by_role("button", name="保存草稿").click()
    expect(page.get_by_label("修改原因")).to_have_accessible_description("请填写原因")
    page.get_by_label("修改原因").fill("增加照片回执编号，制卡审核延长两日")
    page.get_by_role("button", name="保存草稿").click()
    # the API's rule (the stages within the promised limit) at the input it names
    expect(stage).to_have_attribute("aria-invalid", "true")
    expect(stage).to_have_accessible_description(re.compile("不符合规则"))
    expect(page.get_by_role("alert").filter(has_text="不符合规则")).to_be_visible()
    promised_limit = page.get_by_label(re.compile("^承诺办结时限"))
    promised_limit.fill(str(int(promised_limit.input_value()) + 2))
    page.get_by_role("button", name="保存草稿").click()
    expect(page.get_by_role("status").filter(has_text="草稿已保存")).to_be_visible()
    expect(page.get_by_text("有未保存的修改")).to_have_count(0)
    expect(stage).not_to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("修改原因")).to_have_value("")  # the next save gives its own

    # The diff against version 1, field by field; the dry run beside the published one.
    diff = page.get_by_role("table", name="与已发布版本的差异")
    expect(diff.get_by_role("row", name=re.compile("申请表 · 字段「照片回执编号」.*新增"))) \
        .to_be_visible()
    expect(diff.get_by_role("row", name=re.compile("申请表 · 必填字段.*修改"))).to_be_visible()
    expect(diff.get_by_role("row", name=re.compile("办理流程 · 审查环节.*修改"))).to_be_visible()
    page.get_by_role("button", name="运行模拟").click()
    simulation = page.get_by_role("table", name="模拟运行")
    expect(simulation.get_by_role("columnheader", name="现行版本（第 1 版）")).to_be_visible()
    promised = simulation.get_by_role("row", name=re.compile("^承诺办结日期"))
    cells = promised.get_by_role("cell")
    expect(cells.nth(1)).not_to_have_text(cells.nth(2).inner_text())  # two days later
    expect(page.get_by_text(re.compile(r"服务端比对：[1-9]\d* 处差异"))).to_be_visible()
    # … and the cases in flight, which keep version 1: the one at the counter due first.
    expect(page.get_by_role("heading", level=3, name="在办件")).to_be_visible()
    expect(page.get_by_text("在办件 2 件（受理 1，审查 1），均按原版本办理，时限不变。")) \
        .to_be_visible()
    expect(page.get_by_text(re.compile("按申请时版本：第 1 版 2 件"))).to_be_visible()
    soonest = page.get_by_role("table", name="最近到期的在办件")
    rows = soonest.get_by_role("row")
    expect(rows).to_have_count(3)
    expect(rows.nth(1)).to_contain_text(re.compile(f"{at_counter}.*受理.*ZWFW.*第 1 版"))
    expect(rows.nth(2)).to_contain_text(re.compile(f"{in_review}.*审查.*RSJ.*第 1 版"))
    check_axe(page, "staff-catalogue-draft")
    shoot(page, "staff-catalogue-draft")

    page.get_by_role("button", name="发布此版本").click()
    confirm(page, "发布此版本", "增加照片回执编号")
    expect(page.get_by_role("status").filter(has_text="已发布第 2 版")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("已发布")
    expect(page.get_by_text("此版本为已发布，不能修改")).to_be_visible()
    expect(page.get_by_role("region", name="申请人看到的申请表（预览）").get_by_label(
        re.compile(r"^照片回执编号"))).to_be_visible()
    expect(page.get_by_role("textbox", name="标题（中文）")).to_have_count(0)
    previous = page.get_by_role("table", name="与上一版本的差异")      # now against version 1
    expect(previous.get_by_role("row", name=re.compile("字段「照片回执编号」.*新增"))) \
        .to_be_visible()
    check_axe(page, "staff-catalogue-published")
    shoot(page, "staff-catalogue-published")

    # A new application in the portal asks the new field, as the preview showed it.
    citizen_context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    citizen = citizen_context.new_page()
    try:
        citizen.goto(f"{stack.portal}/apply/{code}")
        sign_in(citizen, "applicant")
        citizen.wait_for_url(f"{stack.portal}/apply/{code}")
        step(citizen, "申请人")
        citizen.get_by_role("button", name="下一步").click()
        step(citizen, "填写申请表")
        asked = citizen.get_by_label(re.compile(r"^照片回执编号"))
        expect(asked).to_be_visible()
        expect(asked).to_have_accessible_description(
            "照相馆出具的数码照片回执上的编号；例如：SZ20261204001")
        citizen.get_by_role("button", name="下一步").click()
        expect(asked).to_have_attribute("aria-invalid", "true")   # required, as drafted
    finally:
        citizen_context.close()

    # Suspend, then resume, each with a reason and a confirmation; the history says so.
    page.get_by_role("link", name="返回事项").click()
    expect(page.get_by_role("heading", level=1, name=CARD)).to_be_visible()
    suspend = page.get_by_role("button", name="暂停事项")
    suspend.click()
    dialog = page.get_by_role("dialog", name="暂停事项")
    expect(dialog.get_by_label("原因")).to_be_focused()
    dialog.get_by_role("button", name="暂停事项").click()               # no reason: asked for
    expect(dialog.get_by_label("原因")).to_have_accessible_description("请填写原因")
    page.keyboard.press("Escape")                                      # changed my mind
    expect(dialog).to_be_hidden()
    expect(suspend).to_be_focused()
    expect(page.get_by_text("当前状态：已发布")).to_be_visible()
    suspend.click()
    confirm(page, "暂停事项", "系统升级，暂停受理")
    expect(page.get_by_text("当前状态：已暂停")).to_be_visible()
    assert api.call("GET", f"/items/{code}")[1]["status"] == "suspended"
    expect(page.get_by_role("button", name="暂停事项")).to_have_count(0)
    check_axe(page, "staff-catalogue-suspended")
    shoot(page, "staff-catalogue-suspended")
    page.get_by_role("button", name="恢复事项").click()
    confirm(page, "恢复事项", "升级完成")
    expect(page.get_by_text("当前状态：已发布")).to_be_visible()
    history = page.get_by_role("table", name="变更记录")
    for action, reason in (("起草新版本", "社保卡申领增加照片回执编号"),
                           ("修改草稿", "增加照片回执编号，制卡审核延长两日"),
                           ("发布", "增加照片回执编号"),
                           ("暂停", "系统升级，暂停受理"), ("恢复", "升级完成")):
        expect(history.get_by_role("row", name=re.compile(f"{action}.*{reason}"))).to_be_visible()
    assert api.call("GET", f"/items/{code}")[1]["status"] == "published"


def test_two_admins_edit_one_draft_and_the_second_keeps_both_changes(stack, api, browser):
    code = code_of(api, PROOF)
    admin = api.token("admin")
    status, draft = api.call("POST", f"/admin/items/{code}/versions", {"reason": "并发编辑"},
                             token=admin)
    assert status == 201, draft
    path = f"catalogue/items/{code}/versions/{draft['version']}"
    contexts = [browser.new_context(viewport=DESKTOP, locale="zh-CN") for _ in range(2)]
    first, second = (context.new_page() for context in contexts)
    try:
        for page in (first, second):
            open_workbench(page, stack, "admin", path)
            expect(page.get_by_role("heading", level=1)).to_contain_text("草稿")
        # the first renames the form's field and saves
        new_field(first, 1).get_by_label("标题（中文）").fill("证明所属期间")
        first.get_by_label("修改原因").fill("字段标题更准确")
        first.get_by_role("button", name="保存草稿").click()
        expect(first.get_by_role("status").filter(has_text="草稿已保存")).to_be_visible()
        # the second, holding the draft as it was, changes the item's name and saves: 412
        second.get_by_label("事项名称").fill(PROOF + "（自助）")
        second.get_by_label("修改原因").fill("自助机办理")
        second.get_by_role("button", name="保存草稿").click()
        conflict = second.get_by_role("alert").filter(has_text="有人在您打开之后修改了此草稿")
        expect(conflict).to_be_visible()
        expect(conflict).to_contain_text("证明所属期间")          # what the other changed
        expect(conflict).to_contain_text(PROOF + "（自助）")       # and this admin's, not lost
        check_axe(second, "staff-catalogue-conflict")
        shoot(second, "staff-catalogue-conflict")
        second.get_by_role("button", name="载入最新草稿并保留我的修改").click()
        expect(second.get_by_label("事项名称")).to_have_value(PROOF + "（自助）")
        expect(new_field(second, 1).get_by_label("标题（中文）")).to_have_value("证明所属期间")
        second.get_by_role("button", name="保存草稿").click()
        expect(second.get_by_role("status").filter(has_text="草稿已保存")).to_be_visible()
    finally:
        for context in contexts:
            context.close()
    status, saved = api.call("GET", f"/admin/items/{code}/versions/{draft['version']}",
                             token=admin)
    assert status == 200, saved
    assert saved["name"] == PROOF + "（自助）"
    assert saved["formSchema"]["properties"]["period"]["title"] == "证明所属期间"


def test_a_field_without_a_title_is_refused_at_publishing_next_to_it(stack, api, desktop):
    code = code_of(api, RESIDENCE)
    admin = api.token("admin")
    status, draft = api.call("POST", f"/admin/items/{code}/versions", {"reason": "草稿"},
                             token=admin)
    assert status == 201, draft
    version = f"/admin/items/{code}/versions/{draft['version']}"
    item = api.call("GET", version, token=admin)[1]
    item["formSchema"]["properties"]["reason"].pop("title")   # saved as work in progress
    status, saved = api.call("PUT", version, {"reason": "未完成", "item": item}, token=admin)
    assert status == 200, saved
    open_workbench(desktop, stack, "admin", f"catalogue/items/{code}/versions/{draft['version']}")
    desktop.get_by_role("button", name="发布此版本").click()
    dialog = desktop.get_by_role("dialog", name="发布此版本")
    dialog.get_by_label("原因").fill("发布")
    dialog.get_by_role("button", name="发布此版本").click()
    expect(dialog).to_be_hidden()
    title = new_field(desktop, 2).get_by_label("标题（中文）")
    expect(title).to_have_attribute("aria-invalid", "true")
    expect(title).to_have_accessible_description(re.compile("中文标题"))
    expect(desktop.get_by_role("alert").filter(has_text="中文标题")).to_be_visible()
    check_axe(desktop, "staff-catalogue-title-missing")
    shoot(desktop, "staff-catalogue-title-missing")
    assert api.call("GET", version, token=admin)[1]["status"] == "draft"


def test_a_reviewer_is_refused_the_catalogue(stack, desktop):
    open_workbench(desktop, stack, "scjg", "catalogue")
    expect(desktop.get_by_role("heading", name="无权访问此页面")).to_be_visible()
    assert not desktop.get_by_role("navigation", name="工作台导航").get_by_role(
        "link", name="事项管理").count()
    check_axe(desktop, "staff-catalogue-forbidden")
    shoot(desktop, "staff-catalogue-forbidden")


def test_a_draft_is_usable_at_360_px(stack, api, phone):
    """Desktop first, but nothing breaks on a phone: the editor, the preview under it, the
    simulation with an open case of the item."""
    code = code_of(api, INJURY)
    lisi, clerk = api.token("lisi"), api.token("clerk")
    status, case = api.call("POST", "/cases", {
        "itemCode": code, "channel": "web",
        "applicant": {"type": "natural", "name": "李四", "idNumber": "440305199003070014"},
        "form": {"workerName": "李四", "accidentDate": "2026-11-02",
                 "description": "在车间搬运货物时扭伤腰部"}}, token=lisi)
    assert status == 201, case
    api.task_of(case["caseNo"], "ZWFW", clerk)
    status, draft = api.call("POST", f"/admin/items/{code}/versions", {"reason": "手机上看"},
                             token=api.token("admin"))
    assert status == 201, draft
    open_workbench(phone, stack, "admin", f"catalogue/items/{code}/versions/{draft['version']}")
    expect(phone.get_by_role("heading", level=1)).to_contain_text("草稿")
    phone.get_by_role("button", name="添加字段").click()
    new_field(phone, 4).get_by_label("标题（中文）").fill("联系电话")
    preview = phone.get_by_role("region", name="申请人看到的申请表（预览）")
    expect(preview.get_by_label(re.compile("^联系电话"))).to_be_visible()
    phone.get_by_role("button", name="运行模拟").click()
    expect(phone.get_by_role("table", name="模拟运行")).to_be_visible()
    # the open case's row scrolls inside its own region, not the page
    expect(phone.get_by_role("table", name="最近到期的在办件").get_by_role(
        "row", name=re.compile(case["caseNo"]))).to_be_attached()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    check_axe(phone, "staff-catalogue-draft-phone")
    shoot(phone, "staff-catalogue-draft-phone")
    # the field added is not saved: leaving asks first
    asked: list[str] = []
    phone.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    phone.get_by_role("link", name="返回事项").click()
    expect(phone.get_by_role("table", name="版本", exact=True)).to_be_visible()
    expect(phone.get_by_role("table", name="变更记录").get_by_role("row")) \
        .to_have_count(3)  # +header
    assert asked and "未保存的修改" in asked[0]
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shoot(phone, "staff-catalogue-item-phone")
    phone.get_by_role("link", name="返回事项列表").click()
    expect(phone.get_by_role("table", name="事项列表").get_by_role("link").first).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    check_axe(phone, "staff-catalogue-list-phone")
    shoot(phone, "staff-catalogue-list-phone")


def test_a_split_item_links_its_new_drafts_and_they_open(stack, api, desktop):
    code = code_of(api, SCHOOL)
    status, split = api.call("POST", f"/admin/items/{code}/split", {
        "reason": "按办学层次拆分",
        "into": [{"sequence": "11", "name": "民办学校设立审批（幼儿园）"},
                 {"sequence": "12", "name": "民办学校设立审批（中小学）"}]},
        token=api.token("admin"))
    assert status == 201, split
    kindergarten = split["drafts"][0]["code"]
    open_workbench(desktop, stack, "admin", f"catalogue/items/{code}")
    lineage = desktop.get_by_role("region", name="沿革")
    expect(lineage.get_by_role("listitem")).to_have_count(2)
    expect(lineage.get_by_role("listitem").first).to_contain_text("拆分为")
    expect(lineage).to_contain_text("按办学层次拆分")
    history = desktop.get_by_role("table", name="变更记录")
    expect(history.get_by_role("row", name=re.compile("拆分.*按办学层次拆分"))).to_be_visible()
    lineage.get_by_role("link", name=kindergarten).click()
    # a draft never published: its name from the draft, its draft to edit
    expect(desktop.get_by_role("heading", level=1, name="民办学校设立审批（幼儿园）")) \
        .to_be_visible()
    expect(desktop.get_by_text("当前状态：草稿")).to_be_visible()
    expect(desktop.get_by_role("button", name="暂停事项")).to_have_count(0)
    desktop.get_by_role("link", name=re.compile("编辑草稿")).click()
    expect(desktop.get_by_role("heading", level=1)).to_contain_text("第 1 版")
    expect(desktop.get_by_text("此事项还没有已发布的版本")).to_be_visible()
    check_axe(desktop, "staff-catalogue-derived-draft")
    shoot(desktop, "staff-catalogue-derived-draft")


def test_the_admin_turns_instant_approval_off_and_on_again_with_a_reason(stack, api, desktop):
    code = staff_cases.ELDERLY
    open_workbench(desktop, stack, "admin", f"catalogue/items/{code}")
    expect(desktop.get_by_role("heading", level=1)).to_have_text("高龄津贴申领")
    switch = desktop.get_by_role("region", name="秒批开关")
    expect(switch).to_contain_text("已发布版本有 4 条秒批规则")
    expect(switch.get_by_text(re.compile(r"当前状态：\s*已开启"))).to_be_visible()
    switch.get_by_role("button", name="关闭秒批").click()
    confirm(desktop, "关闭秒批", "实施办法修订，暂停自动审批")
    expect(switch.get_by_role("status")).to_have_text("已关闭秒批：此后的申请转人工审查。")
    expect(switch.get_by_text(re.compile(r"当前状态：\s*已关闭"))).to_be_visible()
    expect(switch).to_contain_text("原因：实施办法修订，暂停自动审批")
    expect(switch).to_contain_text("staff:admin（我）")
    check_axe(desktop, "staff-catalogue-instant-off")
    shoot(desktop, "staff-catalogue-instant-off")
    supervisor = api.token("supervisor")
    status, state = api.call("GET", f"/items/{code}/instant-approval", token=supervisor)
    assert status == 200 and state["enabled"] is False, state

    # The elder applies while it is off: people decide, and the case says why.
    case_no, elder = staff_cases.elderly_case(api, "elder", staff_cases.ELDER), api.token("elder")
    case = api.until(lambda: api.call("GET", f"/cases/{case_no}", token=elder)[1],
                     lambda c: c.get("ruleCheck"))
    assert case["ruleCheck"]["outcome"] == "referred", case["ruleCheck"]
    assert case["ruleCheck"]["notes"] == ["该事项的秒批已关闭，转人工审查"], case["ruleCheck"]

    switch.get_by_role("button", name="开启秒批").click()
    confirm(desktop, "开启秒批", "修订完成，恢复自动审批")
    expect(switch.get_by_text(re.compile(r"当前状态：\s*已开启"))).to_be_visible()
    expect(switch).to_contain_text("原因：修订完成，恢复自动审批")
    status, state = api.call("GET", f"/items/{code}/instant-approval", token=supervisor)
    assert status == 200 and state["enabled"] is True, state
