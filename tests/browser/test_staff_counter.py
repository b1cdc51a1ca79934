"""窗口收件 in the workbench: the counter clerk takes in a walk-in applicant — the item found
in the catalogue, the ID number read by a card reader that types like a keyboard, the
item's form as the citizen sees it, each material marked as checked at the counter — and
hands over the receipt with the case number and the query password; the applicant follows
the case in the portal with them, and the case waits in the clerk's acceptance inbox. A
bad ID number is shown at its field and makes nothing; a double submit, or a retry after a
lost answer, makes one case; an identical application names the open case; a reviewer is
refused the page. Every page passes axe and is kept as a screenshot at 1280 px."""
import re
from urllib.parse import quote

from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, check_axe, open_workbench, shoot, sign_in

ZHANG = "11010519491231002X"   # the demo applicant 张三
LISI = "440305199003070014"    # the demo applicant 李四


def _item_code(api, name: str) -> str:
    status, page = api.call("GET", f"/items?q={quote(name)}")
    assert status == 200, page
    return next(i["code"] for i in page["items"] if i["name"] == name)


def _cases_of(api, user: str, item: str) -> list[str]:
    status, page = api.call("GET", "/me/cases?limit=100", token=api.token(user))
    assert status == 200, page
    return [c["caseNo"] for c in page["cases"] if c["itemCode"] == item]


def _fill_applicant(page, name: str, id_number: str) -> None:
    page.get_by_label("姓名").fill(name)
    page.get_by_label("公民身份号码").fill(id_number)


def _take(page, material: str, how: str) -> None:
    page.get_by_role("group", name=material).get_by_label(how).check()


def test_a_clerk_takes_in_a_walk_in_applicant_who_follows_the_case_in_the_portal(
        stack, api, browser, desktop):
    item = _item_code(api, "居住证申领")
    open_workbench(desktop, stack, "clerk", "counter")
    expect(desktop.get_by_role("heading", level=1, name="窗口收件")).to_be_visible()
    assert desktop.title() == "窗口收件 - 政务服务工作台"
    # One request a search: the API lists only the items taken at a counter.
    catalogue: list[str] = []
    desktop.on("request", lambda r: catalogue.append(r.url) if "/items" in r.url else None)
    desktop.get_by_label("事项名称、拼音首字母或事项编码").fill("居住证")
    desktop.get_by_role("button", name="搜索").click()
    results = desktop.get_by_role("table", name=re.compile("搜索结果"))
    expect(results.get_by_role("row", name=re.compile("居住证申领"))).to_be_visible()
    searches = [u for u in catalogue if "q=" in u]
    assert len(searches) == 1 and "channel=counter" in searches[0], catalogue
    assert not [u for u in catalogue if re.search(r"/items/[0-9A-Z]{20,}", u)], catalogue
    check_axe(desktop, "staff-counter-search")
    shoot(desktop, "staff-counter-search")
    results.get_by_role("button", name="选择 居住证申领").click()
    expect(desktop.get_by_role("heading", name="2. 申请人")).to_be_visible()
    assert f"item={item}" in desktop.url

    # The card reader types the number and an Enter: that moves on, it does not submit.
    desktop.get_by_label("姓名").fill("张三")
    desktop.get_by_label("公民身份号码").press_sequentially(ZHANG.lower())
    desktop.get_by_label("公民身份号码").press("Enter")
    expect(desktop.get_by_label("联系电话（选填）")).to_be_focused()
    expect(desktop.get_by_label("公民身份号码")).to_have_value(ZHANG)
    desktop.get_by_label("联系电话（选填）").fill("13800138000")
    # The item's own form, as the citizen sees it.
    desktop.get_by_label("居住地址").fill("深圳市宝安区新安街道1号")
    desktop.get_by_role("radio", name="居住", exact=True).check()
    # The materials handed over: both mandatory, marked so.
    materials = desktop.get_by_role("table", name=re.compile("申请材料"))
    expect(materials).to_contain_text("必交 2 项")
    _take(desktop, "本人身份证件", "已核验原件")
    _take(desktop, "居住证明", "已收取复印件")
    check_axe(desktop, "staff-counter-intake")
    shoot(desktop, "staff-counter-intake")
    desktop.get_by_role("button", name="提交收件").click()

    expect(desktop.get_by_role("heading", level=1, name="收件回执")).to_be_visible()
    assert desktop.title() == "收件回执 - 政务服务工作台"
    case_no = desktop.get_by_role("definition").nth(0).inner_text().strip()
    password = desktop.get_by_role("definition").nth(1).inner_text().strip()
    assert re.fullmatch(r"\d{21}[\dX]", case_no) and re.fullmatch(r"\d{6}", password)
    receipt = desktop.locator("main")
    expect(receipt).to_contain_text("110105********002X")   # masked on paper
    expect(receipt).to_contain_text("本人身份证件：已核验原件")
    expect(receipt).to_contain_text("居住证明：已收取复印件")
    expect(desktop.get_by_role("link", name=f"{stack.portal}/lookup")).to_be_visible()
    assert ZHANG not in desktop.content()
    check_axe(desktop, "staff-counter-receipt")
    shoot(desktop, "staff-counter-receipt")
    # Printed: the receipt alone, without the frame or the buttons.
    desktop.emulate_media(media="print")
    expect(desktop.get_by_role("navigation", name="工作台导航")).to_be_hidden()
    expect(desktop.get_by_role("button", name="打印回执")).to_be_hidden()
    expect(desktop.get_by_role("heading", name="收件回执")).to_be_visible()
    shoot(desktop, "staff-counter-receipt-print")
    desktop.emulate_media(media="screen")
    # The password is shown once: the same address in another tab does not show it, nor
    # does this tab reloaded (it was kept in the page's memory, nowhere else).
    other = desktop.context.new_page()
    other.goto(desktop.url)
    sign_in(other, "clerk")
    expect(other.get_by_role("status")).to_contain_text("查询密码仅在收件时显示一次")
    expect(other.get_by_role("status")).to_contain_text(case_no)
    assert password not in other.locator("main").inner_text()
    other.close()
    receipt_address = desktop.url
    desktop.reload()
    expect(desktop.get_by_role("status")).to_contain_text("查询密码仅在收件时显示一次")
    assert password not in desktop.locator("main").inner_text()
    assert password not in str(desktop.evaluate("JSON.stringify(window.history.state)"))
    desktop.goto(receipt_address)

    # The case is the applicant's, came in at the counter, with the clerk's word on each
    # material; it waits in the clerk's acceptance inbox.
    clerk = api.token("clerk")
    assert api.task_of(case_no, "ZWFW", clerk)["caseNo"] == case_no
    status, case = api.call("GET", f"/cases/{case_no}", token=clerk)
    assert status == 200, case
    assert (case["channel"], case["itemCode"], case["applicant"]["name"]) == (
        "counter", item, "张三")
    assert case["form"] == {"address": "深圳市宝安区新安街道1号", "reason": "居住"}
    assert case["materials"] == [{"name": "本人身份证件", "checkedAtCounter": "original"},
                                 {"name": "居住证明", "checkedAtCounter": "copy"}]
    assert case_no in _cases_of(api, "applicant", item)   # 张三's own, signed in

    # The applicant, anonymous, follows it in the portal with the receipt's two numbers.
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    try:
        portal = context.new_page()
        portal.goto(f"{stack.portal}/lookup")
        portal.get_by_label("办件编号").fill(case_no)
        portal.get_by_label("查询密码").fill(password)
        portal.get_by_role("button", name="查询").click()
        found = portal.get_by_role("region", name="居住证申领")
        expect(found).to_contain_text(case_no)
        expect(found).to_contain_text("110105********002X")
    finally:
        context.close()
    assert not desktop.page_errors


def test_a_reviewer_opening_the_counter_is_refused(stack, desktop):
    open_workbench(desktop, stack, "scjg", "counter")
    expect(desktop.get_by_role("heading", level=1, name="无权访问此页面")).to_be_visible()
    nav = desktop.get_by_role("navigation", name="工作台导航")
    expect(nav.get_by_role("link", name="窗口收件")).to_have_count(0)
    assert not desktop.get_by_role("button", name="提交收件").count()


def test_a_bad_id_number_is_shown_at_its_field_and_makes_nothing(stack, api, desktop):
    item = _item_code(api, "社会保障卡申领")
    answers: list[int] = []
    desktop.on("response", lambda r: answers.append(r.status)
               if r.request.method == "POST" and r.url.endswith("/cases") else None)
    open_workbench(desktop, stack, "clerk", f"counter?item={item}")
    expect(desktop.get_by_role("heading", name="2. 申请人")).to_be_visible()
    before = api.call("GET", f"/tasks?item={item}&limit=100", token=api.token("clerk"))[1]
    # A wrong check character: the browser says so at the field, and sends nothing.
    _fill_applicant(desktop, "李四", LISI[:-1] + "5")
    desktop.get_by_label("邮寄地址").fill("深圳市福田区福华路1号")
    _take(desktop, "本人身份证件", "已核验原件")
    _take(desktop, "近期免冠照片", "已核验原件")
    desktop.get_by_role("button", name="提交收件").click()
    id_field = desktop.get_by_label("公民身份号码")
    expect(id_field).to_have_accessible_description(re.compile("校验位不正确"))
    expect(id_field).to_have_attribute("aria-invalid", "true")
    expect(id_field).to_be_focused()
    check_axe(desktop, "staff-counter-bad-id")
    shoot(desktop, "staff-counter-bad-id")
    assert answers == []
    # One right by its check character whose place of birth does not exist: the API's own
    # refusal, placed at the field; everything typed is still there.
    nowhere = "000000199001011230"
    nowhere = nowhere[:-1] + "10X98765432"[sum(
        int(d) * w for d, w in zip(nowhere[:17], (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5,
                                                  8, 4, 2), strict=True)) % 11]
    id_field.fill(nowhere)
    desktop.get_by_role("button", name="提交收件").click()
    expect(id_field).to_have_accessible_description(re.compile("校验码错误"))
    expect(desktop.get_by_role("alert").filter(has_text="请求编号")).to_be_visible()
    assert answers == [422]
    expect(desktop.get_by_label("邮寄地址")).to_have_value("深圳市福田区福华路1号")
    expect(desktop.get_by_label("姓名")).to_have_value("李四")
    after = api.call("GET", f"/tasks?item={item}&limit=100", token=api.token("clerk"))[1]
    assert [t["taskId"] for t in after["tasks"]] == [t["taskId"] for t in before["tasks"]]
    # Corrected, it goes through with what was typed.
    id_field.fill(LISI)
    desktop.get_by_role("button", name="提交收件").click()
    expect(desktop.get_by_role("heading", level=1, name="收件回执")).to_be_visible()
    assert answers == [422, 201]


def test_a_double_submit_or_a_retry_makes_one_case_and_a_repeat_names_it(stack, api, desktop):
    item = _item_code(api, "社会保障卡申领")
    before = _cases_of(api, "lisi", item)
    open_workbench(desktop, stack, "clerk", f"counter?item={item}")

    def fill(address: str) -> None:
        expect(desktop.get_by_role("heading", name="2. 申请人")).to_be_visible()
        _fill_applicant(desktop, "李四", LISI)
        desktop.get_by_label("邮寄地址").fill(address)
        desktop.get_by_role("button", name="全部标记为已核验原件").click()

    # The first answer is lost on the way back (the case was made): the clerk submits again
    # and gets that case, not a second one.
    lost: list[str] = []

    def lose_first(route):
        if route.request.method != "POST":
            route.continue_()
            return
        response = route.fetch()
        if not lost:
            lost.append(response.json()["caseNo"])
            route.abort()
        else:
            route.fulfill(response=response)
    desktop.route(re.compile(r"/cases$"), lose_first)
    fill("深圳市南山区科技园2号")
    desktop.get_by_role("button", name="提交收件").click()
    expect(desktop.get_by_role("alert").filter(has_text="无法连接服务")).to_be_visible()
    expect(desktop.get_by_label("邮寄地址")).to_have_value("深圳市南山区科技园2号")
    desktop.get_by_role("button", name="提交收件").click()
    expect(desktop.get_by_role("heading", level=1, name="收件回执")).to_be_visible()
    expect(desktop.locator("main")).to_contain_text(lost[0])
    desktop.unroute(re.compile(r"/cases$"))

    # A double click on a new intake: one case.
    desktop.get_by_role("link", name="继续收件").click()
    expect(desktop.get_by_role("heading", name="1. 选择事项")).to_be_visible()
    desktop.goto(f"{stack.workbench}counter?item={item}")
    fill("深圳市南山区科技园3号")
    desktop.get_by_role("button", name="提交收件").dblclick()
    expect(desktop.get_by_role("heading", level=1, name="收件回执")).to_be_visible()
    second = desktop.get_by_role("definition").nth(0).inner_text().strip()
    made = [c for c in _cases_of(api, "lisi", item) if c not in before]
    assert sorted(made) == sorted([lost[0], second])

    # The same application again while it is open: the open case is named.
    desktop.goto(f"{stack.workbench}counter?item={item}")
    fill("深圳市南山区科技园3号")
    desktop.get_by_role("button", name="提交收件").click()
    expect(desktop.get_by_role("alert").filter(has_text="已有相同的申请正在办理中")).to_contain_text(
        second)
    check_axe(desktop, "staff-counter-duplicate")
    shoot(desktop, "staff-counter-duplicate")
    # Desktop first, but nothing breaks on a phone: no sideways scrolling.
    desktop.set_viewport_size({"width": 360, "height": 740})
    expect(desktop.get_by_role("button", name="提交收件")).to_be_visible()
    assert desktop.evaluate("document.documentElement.scrollWidth") <= 360
    shoot(desktop, "staff-counter-duplicate-360")
    assert [c for c in _cases_of(api, "lisi", item) if c not in before] == made


def test_the_query_password_does_not_outlive_the_clerks_sign_out(stack, api, desktop):
    """李窗口 takes an intake and signs out; rsj signs in on the same tab and goes Back to
    the receipt's address: the case number is there, its query password is not."""
    item = _item_code(api, "社会保障卡申领")
    open_workbench(desktop, stack, "clerk", f"counter?item={item}")
    expect(desktop.get_by_role("heading", name="2. 申请人")).to_be_visible()
    _fill_applicant(desktop, "李四", LISI)
    desktop.get_by_label("邮寄地址").fill("深圳市南山区科技园9号")
    desktop.get_by_role("button", name="全部标记为已核验原件").click()
    desktop.get_by_role("button", name="提交收件").click()
    expect(desktop.get_by_role("heading", level=1, name="收件回执")).to_be_visible()
    case_no = desktop.get_by_role("definition").nth(0).inner_text().strip()
    password = desktop.get_by_role("definition").nth(1).inner_text().strip()
    assert re.fullmatch(r"\d{6}", password)
    receipt_address = desktop.url
    receipt_depth = desktop.evaluate("history.length")

    desktop.get_by_role("button", name="退出").click()
    desktop.wait_for_url(re.compile(r"^(?!.*/staff/counter/receipt/).*$"))
    expect(desktop.get_by_label("用户")).to_be_visible()   # the issuer's login page
    sign_in(desktop, "rsj")
    expect(desktop.get_by_role("button", name="退出")).to_be_visible()
    # Back to the receipt's history entry in one traversal, as holding the Back button
    # does: stepping through the issuer's pages one by one lets its authorize page
    # redirect on its own and push new entries (a loaded machine made that race).
    steps = receipt_depth - desktop.evaluate("history.length")
    assert steps < 0
    desktop.evaluate(f"history.go({steps})")
    desktop.wait_for_url(receipt_address)
    expect(desktop.get_by_role("heading", level=1, name="收件回执")).to_be_visible()
    expect(desktop.get_by_role("status")).to_contain_text(case_no)
    expect(desktop.get_by_role("status")).to_contain_text("查询密码仅在收件时显示一次")
    assert password not in desktop.locator("main").inner_text()
    assert password not in str(desktop.evaluate("JSON.stringify(window.history.state)"))
    check_axe(desktop, "staff-counter-receipt-gone")
    shoot(desktop, "staff-counter-receipt-gone")


def test_clearing_asks_first_and_the_page_says_what_the_counter_takes(stack, api, desktop):
    """清空重填 asks before it wipes anything (cancelled: all kept, focus back on the button);
    the ID field's hint fits the applicant (no card reader for a company's code); each
    material says what the counter takes on paper, its online form only beside it."""
    item = _item_code(api, "工伤认定")
    open_workbench(desktop, stack, "clerk", f"counter?item={item}")
    expect(desktop.get_by_role("heading", name="2. 申请人")).to_be_visible()
    id_field = desktop.get_by_label("公民身份号码")
    expect(id_field).to_have_accessible_description(re.compile("身份证读卡器"))
    desktop.get_by_role("radio", name="单位（法人或其他组织）").check()
    uscc = desktop.get_by_label("统一社会信用代码")
    expect(uscc).to_have_accessible_description(re.compile("营业执照"))
    expect(uscc).not_to_have_accessible_description(re.compile("读卡器"))

    materials = desktop.get_by_role("table", name=re.compile("申请材料"))
    row = materials.get_by_role("row", name=re.compile("劳动关系证明"))
    expect(row).to_contain_text("原件或复印件 1 份")
    expect(row).to_contain_text("网上申报：电子")
    expect(row).not_to_contain_text("电子 · 1 份")

    desktop.get_by_label("单位名称").fill("深圳小吃有限公司")
    uscc.fill("91440300MA5FXK7Q3T")
    _take(desktop, "劳动关系证明", "已收取复印件")
    clear = desktop.get_by_role("button", name="清空重填")
    clear.click()
    dialog = desktop.get_by_role("dialog", name="清空重填？")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("button", name="取消，继续录入")).to_be_focused()
    check_axe(desktop, "staff-counter-clear")
    shoot(desktop, "staff-counter-clear")
    dialog.get_by_role("button", name="取消，继续录入").click()
    expect(dialog).to_be_hidden()
    expect(clear).to_be_focused()
    expect(desktop.get_by_label("单位名称")).to_have_value("深圳小吃有限公司")
    copy_received = desktop.get_by_role("group", name="劳动关系证明").get_by_label("已收取复印件")
    expect(copy_received).to_be_checked()
    # Escape cancels too.
    clear.click()
    expect(dialog).to_be_visible()
    desktop.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(clear).to_be_focused()
    expect(desktop.get_by_label("单位名称")).to_have_value("深圳小吃有限公司")
    # Confirmed: everything typed is gone, the item stays, the clerk starts at the name.
    clear.click()
    dialog.get_by_role("button", name="清空", exact=True).click()
    expect(dialog).to_be_hidden()
    name = desktop.get_by_role("textbox", name=re.compile("^(姓名|单位名称)$"))
    expect(name).to_have_value("")
    expect(name).to_be_focused()
    expect(copy_received).not_to_be_checked()
    expect(desktop.get_by_role("heading", name="2. 申请人")).to_be_visible()
