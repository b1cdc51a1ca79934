"""Applying online in the portal (网上申报), as a company and as its agent, in Chromium
against the local stack: who applies, the form rendered from the item version's schema
(field errors in Chinese next to the field, the browser's and the API's), the materials
(a file uploaded straight to the bucket with its progress, the 营业执照 e-license in place
of the paper), check your answers, one case for a double submit, the confirmation; a
draft that survives a closed page; the whole flow by keyboard alone; axe on every step at
360 px and 1280 px, screenshots of each."""
import re

from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from infra.local.oidc import DEMO_PASSWORD
from tests.browser.conftest import FOOD, check_axe, shoot, sign_in

CASE_NO = re.compile(r"^4403\d{15,}[0-9X]$")  # the case number (its check character last)
PDF = b"%PDF-1.7\n% OneWindow browser test\n" + b"0" * 4096 + b"\n%%EOF\n"


def company_cases(api) -> list[str]:
    status, page = api.call("GET", "/me/cases?limit=100", token=api.token("company"))
    assert status == 200, page
    return [c["caseNo"] for c in page["cases"] if c["itemCode"] == FOOD]


def open_signed_in(page: Page, stack, user: str, path: str) -> None:
    """The page at `path`, signed in as `user` through the issuer's login page (a page
    that needs sign-in sends the browser there, and back once signed in)."""
    page.goto(stack.portal + path)
    expect(page).to_have_title(re.compile("本地登录"))
    sign_in(page, user)
    page.wait_for_url(stack.portal + path)


def step(page: Page, title: str) -> None:
    expect(page.get_by_role("heading", level=2, name=title)).to_be_visible()


def material(page: Page, name: str):
    return page.get_by_role("group", name=name, exact=True)


def field(page: Page, label: str):
    """The input labelled `label` (followed by the * of a required field)."""
    return page.get_by_label(re.compile("^" + re.escape(label) + r"(\s*\*)?$"))


def fill_food_form(page: Page, labels: dict, business_name: str, address: str) -> None:
    field(page, labels["businessName"]).fill(business_name)
    field(page, labels["address"]).fill(address)
    page.get_by_role("radio", name="餐饮服务").check()


def field_error(page: Page, label: str, message) -> None:
    """The error shown next to the input, which it describes and marks invalid."""
    labelled = field(page, label)
    expect(labelled).to_have_attribute("aria-invalid", "true")
    expect(labelled).to_have_accessible_description(message)


def test_the_company_applies_with_an_upload_and_its_business_license(stack, api, desktop, labels,
                                                                     business_license):
    page = desktop
    before = company_cases(api)
    open_signed_in(page, stack, "company", f"/apply/{FOOD}")
    expect(page.get_by_role("heading", level=1)).to_have_text("网上申报：食品经营许可（新办）")
    step(page, "申请人")
    expect(page.get_by_role("radio", name="深圳小吃有限公司（本单位）")).to_be_checked()
    page.get_by_label("联系电话（选填）").fill("12345")
    page.get_by_role("button", name="下一步").click()
    field_error(page, "联系电话（选填）", re.compile("11 位手机号码"))
    check_axe(page, "apply-applicant-desktop")
    shoot(page, "apply-applicant-desktop")
    page.get_by_label("联系电话（选填）").fill("13800138000")
    page.get_by_role("button", name="下一步").click()

    # The form from the schema: the browser's checks in Chinese, next to each field.
    step(page, "填写申请表")
    name, address = field(page, labels["businessName"]), field(page, labels["address"])
    name.fill("小")
    name.blur()
    field_error(page, labels["businessName"], re.compile("至少 2 个字"))
    page.get_by_role("button", name="下一步").click()
    field_error(page, labels["address"], re.compile("请填写"))
    expect(name).to_be_focused()                          # the first field to correct
    check_axe(page, "apply-form-errors-desktop")
    shoot(page, "apply-form-errors-desktop")
    # A zero-width space pasted into the address: only the API refuses it.
    fill_food_form(page, labels, "深圳小吃南山店", "深圳市南山区\u200b科技园1号")
    field(page, labels["areaSqm"]).fill("80")
    page.get_by_role("button", name="下一步").click()

    # Materials: what the guide asks of each, an upload, the 营业执照 in place of paper.
    step(page, "提交材料")
    rules = material(page, "食品安全管理制度文本")
    expect(rules).to_contain_text("必要")
    expect(rules).to_contain_text("受理标准：制度完整，与经营项目相适应")
    rules.get_by_role("radio", name="上传文件").check()
    with page.expect_response(lambda r: r.request.method == "POST"
                              and r.url.startswith(stack.moto_endpoint)) as posted:
        rules.get_by_label("选择文件").set_input_files(
            {"name": "rules.pdf", "mimeType": "application/pdf", "buffer": PDF})
    assert posted.value.ok, posted.value.status          # the bucket took it …
    assert posted.value.headers.get("access-control-allow-origin") in ("*", stack.portal)
    expect(rules.get_by_role("status")).to_have_text("已上传：rules.pdf")
    expect(rules.locator("progress")).to_have_attribute("value", "100")
    license = material(page, "营业执照")
    expect(license).to_contain_text("可用电子证照免提交")
    license.get_by_role("radio", name="使用电子证照（免提交）").check()
    license.get_by_label("选择电子证照").select_option(business_license)
    for other in ("食品经营许可申请书", "经营场所平面图和设备布局图"):
        material(page, other).get_by_role("radio", name=re.compile("暂不提供")).check()
    check_axe(page, "apply-materials-desktop")
    shoot(page, "apply-materials-desktop")
    page.get_by_role("button", name="下一步").click()

    # Check your answers; the API refuses the address: back at the field, its message.
    step(page, "核对信息")
    expect(page.get_by_text("电子证照：营业执照（免提交）")).to_be_visible()
    expect(page.get_by_text("文件：rules.pdf")).to_be_visible()
    check_axe(page, "apply-check-desktop")
    shoot(page, "apply-check-desktop")
    page.get_by_role("button", name="提交申请").click()
    step(page, "填写申请表")
    field_error(page, labels["address"], re.compile("文本含有控制字符或格式字符"))
    expect(page.get_by_role("alert").filter(has_text="请求编号")).to_be_visible()
    shoot(page, "apply-api-error-desktop")
    assert company_cases(api) == before
    address.fill("深圳市南山区科技园1号")
    page.get_by_role("button", name="下一步").click()
    step(page, "提交材料")
    page.get_by_role("button", name="下一步").click()

    # A double click makes one case.
    step(page, "核对信息")
    page.get_by_role("button", name="提交申请").dblclick()
    step(page, "提交成功")
    shoot(page, "apply-done-desktop")
    case_no = page.get_by_text(CASE_NO).inner_text()
    expect(page.get_by_text(re.compile(r"^\d{6}$"))).to_be_visible()     # 查询密码
    expect(page.get_by_role("link", name="查看办件进度")).to_have_attribute(
        "href", f"/me/cases/{case_no}")
    check_axe(page, "apply-done-desktop")
    shoot(page, "apply-done-desktop")
    after = company_cases(api)
    assert sorted(set(after) - set(before)) == [case_no], (before, after)
    status, case = api.call("GET", f"/cases/{case_no}", token=api.token("company"))
    assert status == 200, case
    assert case["form"]["areaSqm"] == 80 and case["applicant"]["name"] == "深圳小吃有限公司"
    given = {m["name"]: m for m in case["materials"] if m.get("materialId") or m.get("license")}
    assert given["营业执照"]["license"]["verified"] is True
    assert given["食品安全管理制度文本"]["fileName"] == "rules.pdf"
    # The draft is gone: applying again starts afresh.
    page.goto(stack.portal + f"/apply/{FOOD}")
    step(page, "申请人")
    expect(page.get_by_text(re.compile("已恢复"))).to_have_count(0)
    assert not page.page_errors


def test_a_draft_survives_closing_the_page_and_is_resumed_or_discarded(stack, phone, labels):
    page = phone
    open_signed_in(page, stack, "company", f"/apply/{FOOD}")
    step(page, "申请人")
    page.get_by_role("button", name="下一步").click()
    step(page, "填写申请表")
    fill_food_form(page, labels, "深圳小吃草稿店", "深圳市福田区福华路1号")
    page.get_by_role("button", name="下一步").click()
    step(page, "提交材料")
    context = page.context
    page.close()

    again = context.new_page()
    again.goto(stack.portal + f"/apply/{FOOD}")
    expect(again).to_have_title(re.compile("本地登录|网上申报"))
    if "本地登录" in again.title():       # the tab's tokens went with it: sign in again
        sign_in(again, "company")
    step(again, "提交材料")
    expect(again.get_by_role("status").filter(has_text="已恢复")).to_be_visible()
    check_axe(again, "apply-resumed-phone")
    shoot(again, "apply-resumed-phone")
    again.get_by_role("button", name="上一步").click()
    step(again, "填写申请表")
    expect(field(again, labels["businessName"])).to_have_value("深圳小吃草稿店")
    expect(again.get_by_role("radio", name="餐饮服务")).to_be_checked()

    again.get_by_role("button", name="放弃草稿，重新填写").click()
    step(again, "申请人")
    expect(again.get_by_text("草稿已放弃，请重新填写。")).to_be_visible()
    again.get_by_role("button", name="下一步").click()
    expect(field(again, labels["businessName"])).to_have_value("")
    again.reload()
    step(again, "填写申请表")                      # the fresh draft, kept as it is now


def tab_to(page: Page, target, limit: int = 120) -> None:
    """Press Tab until `target` has the focus (what a keyboard user does)."""
    handle = target.element_handle()
    for _ in range(limit):
        if page.evaluate("element => document.activeElement === element", handle):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{target} never got the focus by Tab")


def arrow_to(page: Page, radio, limit: int = 8) -> None:
    """In a radio group that has the focus, press the arrow key until `radio` is chosen."""
    for _ in range(limit):
        if radio.is_checked():
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"{radio} never got chosen with the arrow keys")


def sign_in_by_keyboard(page: Page, user: str) -> None:
    """The issuer's login page by keyboard: the user chosen with the arrow keys, the
    password typed, Enter."""
    users = page.get_by_label("用户")
    tab_to(page, users)
    for _ in range(30):
        if users.input_value() == user:
            break
        page.keyboard.press("ArrowDown")
    assert users.input_value() == user
    tab_to(page, page.get_by_label(re.compile("密码")))
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")


def test_the_whole_application_by_keyboard_alone_on_a_phone(stack, api, phone, labels,
                                                             business_license):
    page = phone
    before = company_cases(api)
    page.goto(stack.portal + f"/apply/{FOOD}")
    expect(page).to_have_title(re.compile("本地登录"))
    sign_in_by_keyboard(page, "company")
    page.wait_for_url(stack.portal + f"/apply/{FOOD}")
    step(page, "申请人")
    check_axe(page, "apply-applicant-phone")
    tab_to(page, page.get_by_role("button", name="下一步"))
    page.keyboard.press("Enter")

    step(page, "填写申请表")
    expect(page.get_by_role("heading", level=2, name="填写申请表")).to_be_focused()
    tab_to(page, field(page, labels["businessName"]))
    page.keyboard.type("深圳小吃键盘店")
    page.keyboard.press("Tab")
    expect(field(page, labels["address"])).to_be_focused()
    page.keyboard.type("深圳市宝安区新安街道1号")
    tab_to(page, page.get_by_role("radio", name="食品销售"))
    arrow_to(page, page.get_by_role("radio", name="餐饮服务"))
    check_axe(page, "apply-form-phone")
    shoot(page, "apply-form-phone")
    tab_to(page, page.get_by_role("button", name="下一步"))
    page.keyboard.press("Enter")

    step(page, "提交材料")
    rules = material(page, "食品安全管理制度文本")
    tab_to(page, rules.get_by_role("radio", name="上传文件"))
    page.keyboard.press("Space")
    chooser_input = rules.get_by_label("选择文件")
    tab_to(page, chooser_input)
    _choose_by_keyboard(page, chooser_input).set_files({
        "name": "keyboard.pdf", "mimeType": "application/pdf", "buffer": PDF + b"keyboard"})
    expect(rules.get_by_role("status")).to_have_text("已上传：keyboard.pdf")
    license = material(page, "营业执照")
    tab_to(page, license.get_by_role("radio").first)
    arrow_to(page, license.get_by_role("radio", name="使用电子证照（免提交）"))
    tab_to(page, license.get_by_label("选择电子证照"))
    page.keyboard.press("ArrowDown")
    expect(license.get_by_label("选择电子证照")).to_have_value(business_license)
    for other in ("食品经营许可申请书", "经营场所平面图和设备布局图"):
        group = material(page, other)
        tab_to(page, group.get_by_role("radio").first)
        arrow_to(page, group.get_by_role("radio", name=re.compile("暂不提供")))
    check_axe(page, "apply-materials-phone")
    shoot(page, "apply-materials-phone")
    tab_to(page, page.get_by_role("button", name="下一步"))
    page.keyboard.press("Enter")

    step(page, "核对信息")
    check_axe(page, "apply-check-phone")
    shoot(page, "apply-check-phone")
    tab_to(page, page.get_by_role("button", name="提交申请"))
    page.keyboard.press("Enter")
    step(page, "提交成功")
    check_axe(page, "apply-done-phone")
    shoot(page, "apply-done-phone")
    tab_to(page, page.get_by_role("link", name="查看办件进度"))
    assert len(set(company_cases(api)) - set(before)) == 1


def test_who_i_am_as_the_company_on_a_phone(stack, phone):
    open_signed_in(phone, stack, "company", "/me")
    expect(phone.get_by_role("heading", level=1, name="我的身份")).to_be_visible()
    expect(phone.get_by_role("heading", level=2, name="深圳小吃有限公司")).to_be_visible()
    expect(phone.get_by_text("法人（单位）")).to_be_visible()
    expect(phone.get_by_text("91440300MA5FXK7Q3T")).to_be_visible()
    expect(phone.get_by_role("heading", name="代办")).to_have_count(0)   # acts for no one
    check_axe(phone, "me-company-phone")
    shoot(phone, "me-company-phone")


def test_an_agent_applies_for_the_company_it_acts_for(stack, api, desktop, labels,
                                                      business_license):
    page = desktop
    open_signed_in(page, stack, "agent", "/me")
    expect(page.get_by_role("heading", level=1, name="我的身份")).to_be_visible()
    expect(page.get_by_text("自然人")).to_be_visible()
    expect(page.get_by_text("3 级")).to_be_visible()
    page.get_by_label("当前以谁的身份办事").select_option(label="深圳小吃有限公司")
    expect(page.get_by_role("status")).to_have_text("当前代办单位：深圳小吃有限公司")
    check_axe(page, "me-agent-desktop")
    shoot(page, "me-agent-desktop")
    page.goto(stack.portal + "/me/cases")      # the choice on /me is every list's default
    expect(page.get_by_label("办件主体")).to_have_value("91440300MA5FXK7Q3T")

    page.goto(stack.portal + f"/apply/{FOOD}")
    step(page, "申请人")
    expect(page.get_by_role("radio", name="深圳小吃有限公司（代办）")).to_be_checked()
    page.get_by_role("button", name="下一步").click()
    fill_food_form(page, labels, "深圳小吃代办店", "深圳市龙岗区龙城街道1号")
    page.get_by_role("button", name="下一步").click()
    step(page, "提交材料")
    license = material(page, "营业执照")           # the company's, listed for its agent
    license.get_by_role("radio", name="使用电子证照（免提交）").check()
    license.get_by_label("选择电子证照").select_option(business_license)
    page.get_by_role("button", name="下一步").click()
    step(page, "核对信息")

    # The API makes the case but its answer is lost on the way back: the person sees the
    # error and submits again — the same draft, the same Idempotency-Key, the same case.
    before = company_cases(api)
    lost = []

    def lose_the_answer(route):
        if route.request.method != "POST" or lost:
            route.continue_()
            return
        lost.append(route.fetch().status)          # it reached the API
        route.abort("connectionreset")
    page.route(re.compile(r"/cases$"), lose_the_answer)
    page.get_by_role("button", name="提交申请").click()
    expect(page.get_by_role("alert").filter(has_text="无法连接服务")).to_be_visible()
    assert lost == [201] and len(set(company_cases(api)) - set(before)) == 1
    shoot(page, "apply-lost-answer-desktop")
    page.get_by_role("button", name="提交申请").click()
    step(page, "提交成功")
    case_no = page.get_by_text(CASE_NO).inner_text()
    assert sorted(set(company_cases(api)) - set(before)) == [case_no]
    status, case = api.call("GET", f"/cases/{case_no}", token=api.token("company"))
    assert status == 200, case
    assert case["applicant"]["name"] == "深圳小吃有限公司"
    assert case["agent"]["name"] == "陈代办"
    assert not page.page_errors


def _choose_by_keyboard(page, chooser_input):
    """Space on the focused file input opens the file chooser. On a heavily loaded machine
    Chromium now and then drops the activation of a synthesized key press (the input
    stays focused, no chooser opens): press again, as a person would, at most three
    times — it must open by the keyboard alone."""
    for attempt in range(3):
        try:
            with page.expect_file_chooser(timeout=10_000) as chooser:
                page.keyboard.press("Space")
            return chooser.value
        except PlaywrightTimeout:
            if attempt == 2:
                raise
            expect(chooser_input).to_be_focused()
    raise AssertionError("unreachable")
