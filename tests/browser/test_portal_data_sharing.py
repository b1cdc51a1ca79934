"""Base data instead of paperwork (数据共享, 免填, 免提交, 秒批) in the portal, in Chromium
against the local stack: the elder consents in the application wizard, her 高龄津贴 form
comes filled from the population registry with each value's source (read-only where she
may not change it), her 户口簿 needs no upload, and the case page shows 系统自动审批通过 with
its four rules held a moment after she submits (the page asks again by itself; nothing
here sleeps); the registry queries in her access log, on her consent. The company's
食品经营许可 form filled from the legal-person registry on a phone, by keyboard: the locked
name read-only, the address changed and recorded as changed, the 营业执照 stood in for by
the registry's record. The agent consents for the company and revokes it in 我的授权 (a
confirmation first). 张三's case referred, the rules that failed and why on his case page,
and the clerk's read of his case file in his access log. axe at 1280 px and 360 px on every
new view."""
import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import COMPANY, FOOD, PHONE, check_axe, shoot
from tests.browser.staff_cases import ELDERLY, no_standing_allowance, referred_elderly_case
from tests.browser.test_portal_apply import CASE_NO, field, material, open_signed_in, step, tab_to

ELDER_RULES = ("年满80周岁", "户籍在本市", "户籍状态正常", "未在领取高龄津贴")
USCC = COMPANY["idNumber"]


def consent_panel(page: Page):
    return page.get_by_role("region", name="授权使用您的基础数据")


def fits_the_screen(page: Page) -> None:
    wide = page.evaluate("[...document.querySelectorAll('main *')]"
                         ".filter(e => e.getBoundingClientRect().right > innerWidth + 1)"
                         ".map(e => e.tagName + '.' + e.className).slice(0, 5)")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), wide


def case_of(api, case_no: str, user: str) -> dict:
    status, case = api.call("GET", f"/cases/{case_no}", token=api.token(user))
    assert status == 200, case
    return case


def test_the_elder_consents_and_her_allowance_is_approved_by_the_rules(stack, api, desktop):
    no_standing_allowance(api)   # whatever another test of this worker left her
    page = desktop
    open_signed_in(page, stack, "elder", f"/apply/{ELDERLY}")
    expect(page.get_by_role("heading", level=1)).to_have_text("网上申报：高龄津贴申领")
    step(page, "申请人")
    expect(page.get_by_role("radio", name="王桂英（本人）")).to_be_checked()
    page.get_by_role("button", name="下一步").click()

    # What she is asked to consent to: the registry by name, what is read, the purpose.
    step(page, "填写申请表")
    panel = consent_panel(page)
    expect(panel).to_contain_text("查询王桂英的信息")
    expect(panel).to_contain_text("人口库：户籍地址")
    expect(panel).to_contain_text("人口库：出生日期")             # what the age is read from
    expect(panel).to_contain_text("人口库记录（代替材料：户口簿）")
    expect(panel).to_contain_text("核验申请人户籍、年龄和领取情况，办理高龄津贴（秒批）")
    name, address = field(page, "姓名"), field(page, "户籍地址")
    expect(name).to_have_value("")
    check_axe(page, "data-consent-desktop")
    shoot(page, "data-consent-desktop")
    panel.get_by_role("button", name="同意并自动填写").click()

    # Filled, each value with its source; she may not change what the registry says.
    outcome = panel.get_by_role("status")
    expect(outcome).to_contain_text("已按您的授权自动填写 2 项内容（来源：人口库）")
    expect(outcome).to_contain_text("户口簿：已由人口库记录代替，无需上传。")
    expect(name).to_have_value("王桂英")
    expect(address).to_have_value("广东省深圳市福田区福中路28号")
    for locked in (name, address):
        expect(locked).not_to_be_editable()
        expect(locked).to_have_accessible_description(re.compile(r"来自人口库.*此项由人口库提供，不能修改"))
    page.get_by_role("radio", name="社会保障卡").check()
    check_axe(page, "data-prefilled-desktop")
    shoot(page, "data-prefilled-desktop")
    page.get_by_role("button", name="下一步").click()

    # The 户口簿: the registry's record stands in for it, nothing to upload.
    step(page, "提交材料")
    booklet = material(page, "户口簿")
    expect(booklet).to_contain_text("不需上传：已由人口库记录代替（免提交）")
    expect(booklet.get_by_role("radio")).to_have_count(0)
    page.get_by_role("button", name="下一步").click()

    step(page, "核对信息")
    expect(page.get_by_text("王桂英（来自人口库）")).to_be_visible()
    expect(page.get_by_text("已由人口库记录代替（免提交）")).to_be_visible()
    expect(page.get_by_text("已授权（人口库）")).to_be_visible()
    page.get_by_role("button", name="提交申请").click()
    step(page, "提交成功")
    expect(page.get_by_text(re.compile("系统将依据规则自动核验您的条件"))).to_be_visible()
    case_no = page.get_by_text(CASE_NO).inner_text()

    # The case page: the page asks again until the system has checked and approved it.
    page.get_by_role("link", name="查看办件进度").click()
    rules = page.get_by_role("region", name="秒批核验")
    expect(rules).to_contain_text("系统自动审批通过")
    expect(rules).to_contain_text("共 4 项条件，符合 4 项，不符合 0 项")
    listed = rules.get_by_role("listitem")
    expect(listed).to_have_count(4)
    for rule in ELDER_RULES:
        held = listed.filter(has_text=rule)
        expect(held).to_contain_text("符合")
        expect(held).not_to_contain_text("不符合")
    expect(listed.filter(has_text="年满80周岁")).to_contain_text(re.compile(r"人口库：年龄 \d+"))
    expect(page.get_by_text("办结（准予）").first).to_be_visible()
    expect(page.get_by_text("系统依据规则自动审批（秒批）")).to_be_visible()
    progress = page.get_by_role("region", name="办理进度")
    expect(progress).to_contain_text("秒批核验：全部条件符合，系统自动审批")
    expect(progress).to_contain_text("办结（准予）")
    check_axe(page, "data-case-approved-desktop")
    shoot(page, "data-case-approved-desktop")
    page.set_viewport_size(PHONE)
    fits_the_screen(page)
    check_axe(page, "data-case-approved-phone")
    shoot(page, "data-case-approved-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    case = case_of(api, case_no, "elder")
    assert (case["status"], case["workflow"], case["ruleCheck"]["outcome"]) == \
        (11, "instant", "approved")
    assert case["dataUse"]["sources"] == {"name": "population.name",
                                          "registeredAddress": "population.registeredAddress"}
    assert case["dataUse"]["changed"] == []
    assert [(m["name"], m["fromData"]["registry"]) for m in case["materials"]] == \
        [("户口簿", "population")]

    # Her access log: the registry asked twice on her consent — when she applied, and by
    # the system checking the rules for this case.
    page.goto(stack.portal + "/me/access-log")
    expect(page.get_by_role("heading", level=1, name="用证记录")).to_be_visible()
    queries = page.get_by_role("listitem").filter(has_text="查询了人口库")
    expect(queries).to_have_count(2)
    by_system = queries.filter(has_text="系统（秒批规则核验）")
    expect(by_system).to_have_count(1)
    expect(by_system).to_contain_text(case_no)
    for i in range(2):
        expect(queries.nth(i)).to_contain_text("本人授权")
        expect(queries.nth(i)).to_contain_text("核验申请人户籍、年龄和领取情况")
    check_axe(page, "data-access-log-desktop")
    shoot(page, "data-access-log-desktop")
    page.get_by_role("link", name="管理我的授权").click()
    expect(page.get_by_role("heading", level=1, name="我的授权")).to_be_visible()
    mine = page.get_by_role("listitem").filter(
        has=page.get_by_role("heading", name=re.compile("高龄津贴申领")))
    expect(mine).to_contain_text("有效")
    expect(mine).to_contain_text("人口库：户籍地址")
    check_axe(page, "data-consents-desktop")
    shoot(page, "data-consents-desktop")
    assert not page.page_errors


def test_the_company_form_comes_filled_from_the_legal_person_registry_by_keyboard_on_a_phone(
        stack, api, phone, labels):
    page = phone
    open_signed_in(page, stack, "company", f"/apply/{FOOD}")
    step(page, "申请人")
    tab_to(page, page.get_by_role("button", name="下一步"))
    page.keyboard.press("Enter")

    step(page, "填写申请表")
    panel = consent_panel(page)
    expect(panel).to_contain_text("法人库：单位名称")
    expect(panel).to_contain_text("法人库记录（代替材料：营业执照）")
    fits_the_screen(page)
    check_axe(page, "data-consent-phone")
    shoot(page, "data-consent-phone")
    tab_to(page, panel.get_by_role("button", name="同意并自动填写"))
    page.keyboard.press("Enter")
    outcome = panel.get_by_role("status")
    expect(outcome).to_contain_text("已按您的授权自动填写 2 项内容（来源：法人库）")
    expect(outcome).to_contain_text("营业执照：已由法人库记录代替，无需上传。")
    expect(outcome.locator("[tabindex='-1']")).to_be_focused()   # read out; Tab goes on to the form

    # The name is the registry's and stays so, whatever is typed; the address may change.
    name, address = field(page, labels["businessName"]), field(page, labels["address"])
    expect(name).to_have_value("深圳小吃有限公司")
    expect(name).not_to_be_editable()
    expect(name).to_have_accessible_description(re.compile(r"来自法人库.*此项由法人库提供，不能修改"))
    tab_to(page, name)
    page.keyboard.type("南山店")
    expect(name).to_have_value("深圳小吃有限公司")
    page.keyboard.press("Tab")
    expect(address).to_be_focused()
    expect(address).to_have_value("深圳市南山区粤海街道科苑路1号")
    expect(address).to_be_editable()
    expect(address).to_have_accessible_description(re.compile("来自法人库"))
    page.keyboard.press("End")
    page.keyboard.type("101室")
    expect(address).to_have_accessible_description(re.compile("已修改，原由法人库填写"))
    tab_to(page, page.get_by_role("radio", name="食品销售"))
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("radio", name="餐饮服务")).to_be_checked()
    fits_the_screen(page)
    check_axe(page, "data-prefilled-phone")
    shoot(page, "data-prefilled-phone")
    tab_to(page, page.get_by_role("button", name="下一步"))
    page.keyboard.press("Enter")

    step(page, "提交材料")
    license = material(page, "营业执照")
    expect(license).to_contain_text("不需上传：已由法人库记录代替（免提交）")
    for other in ("食品经营许可申请书", "经营场所平面图和设备布局图", "食品安全管理制度文本"):
        material(page, other).get_by_role("radio", name=re.compile("暂不提供")).check()
    check_axe(page, "data-materials-phone")
    shoot(page, "data-materials-phone")
    page.get_by_role("button", name="下一步").click()

    step(page, "核对信息")
    expect(page.get_by_text("深圳小吃有限公司（来自法人库）")).to_be_visible()
    expect(page.get_by_text("深圳市南山区粤海街道科苑路1号101室（已修改，原由法人库填写）")).to_be_visible()
    page.get_by_role("button", name="提交申请").click()
    step(page, "提交成功")
    case_no = page.get_by_text(CASE_NO).inner_text()

    case = case_of(api, case_no, "company")
    assert case["form"]["businessName"] == "深圳小吃有限公司"
    assert case["form"]["address"] == "深圳市南山区粤海街道科苑路1号101室"
    assert case["dataUse"]["sources"] == {"businessName": "legalPerson.name"}
    assert case["dataUse"]["changed"] == ["address"]
    assert case["dataUse"]["consentId"]
    by_data = {m["name"]: m["fromData"]["registry"] for m in case["materials"] if m.get("fromData")}
    assert by_data == {"营业执照": "legalPerson"}
    assert "ruleCheck" not in case or case["ruleCheck"] is None   # the item has no rules
    assert not page.page_errors


def test_the_agent_consents_for_the_company_and_revokes_it_in_my_consents(stack, api, phone):
    page = phone
    open_signed_in(page, stack, "agent", f"/apply/{FOOD}")
    step(page, "申请人")
    expect(page.get_by_role("radio", name="深圳小吃有限公司（代办）")).to_be_checked()
    page.get_by_role("button", name="下一步").click()
    step(page, "填写申请表")
    panel = consent_panel(page)
    expect(panel).to_contain_text("查询深圳小吃有限公司的信息")
    panel.get_by_role("button", name="同意并自动填写").click()
    expect(panel.get_by_role("status")).to_contain_text("自动填写 2 项内容")
    expect(field(page, "经营者名称")).to_have_value("深圳小吃有限公司")
    # Given for the company (`for`), not for the agent.
    agent = api.token("agent")
    status, theirs = api.call("GET", f"/me/consents?for={USCC}", token=agent)
    assert status == 200, theirs
    assert [c["itemCode"] for c in theirs["consents"] if c["active"]] == [FOOD], theirs
    status, own = api.call("GET", "/me/consents", token=agent)
    assert status == 200 and own["consents"] == [], own

    # 我的授权, from the panel's link: the company's consent, revoked after a confirmation.
    panel.get_by_role("link", name="我的授权").click()
    expect(page.get_by_role("heading", level=1, name="我的授权")).to_be_visible()
    expect(page).to_have_url(re.compile(rf"/me/consents\?for={USCC}$"))
    consent = page.get_by_role("listitem").filter(
        has=page.get_by_role("heading", name=re.compile("食品经营许可")))
    expect(consent).to_contain_text("有效")
    expect(consent).to_contain_text("法人库")
    expect(consent).to_contain_text("核验经营者的企业登记信息")
    fits_the_screen(page)
    check_axe(page, "data-consents-phone")
    shoot(page, "data-consents-phone")
    revoke = consent.get_by_role("button", name="撤回授权：食品经营许可（新办）")
    revoke.click()
    dialog = page.get_by_role("dialog", name="确认撤回授权")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("不再依据此授权查询法人库")
    check_axe(page, "data-consent-revoke-dialog-phone")
    shoot(page, "data-consent-revoke-dialog-phone")
    page.keyboard.press("Escape")                     # changed her mind: nothing happens
    expect(dialog).to_be_hidden()
    expect(revoke).to_be_focused()
    expect(consent).to_contain_text("有效")
    revoke.click()
    dialog.get_by_role("button", name="确认撤回").click()
    expect(page.get_by_role("status").filter(has_text="已撤回对“食品经营许可（新办）”的授权。")).to_be_visible()
    expect(consent).to_contain_text("已撤回")
    expect(consent).to_contain_text("撤回时间")
    expect(consent.get_by_role("button")).to_have_count(0)
    check_axe(page, "data-consent-revoked-phone")
    shoot(page, "data-consent-revoked-phone")
    status, theirs = api.call("GET", f"/me/consents?for={USCC}", token=agent)
    assert status == 200 and [c["active"] for c in theirs["consents"]] == [False], theirs
    assert not page.page_errors


@pytest.fixture(scope="module")
def referred(api) -> str:
    return referred_elderly_case(api)


def test_a_referred_case_says_which_rules_failed_and_the_staff_read_in_the_access_log(
        stack, api, phone, referred):
    page = phone
    open_signed_in(page, stack, "applicant", f"/me/cases/{referred}")
    rules = page.get_by_role("region", name="秒批核验")
    expect(rules).to_contain_text("已转人工审查")
    expect(rules).to_contain_text("这不代表申请不予批准")
    expect(rules).to_contain_text("共 4 项条件，符合 2 项，不符合 2 项")
    listed = rules.get_by_role("listitem")
    age, resident = listed.filter(has_text="年满80周岁"), listed.filter(has_text="户籍在本市")
    for failed in (age, resident):
        expect(failed).to_contain_text("不符合")
        expect(failed).to_contain_text("原因：条件不满足")
    expect(age).to_contain_text("人口库：年龄 76")
    expect(resident).to_contain_text("人口库：户籍地行政区划代码 110105")
    for held in ("户籍状态正常", "未在领取高龄津贴"):
        expect(listed.filter(has_text=held)).not_to_contain_text("不符合")
    expect(page.get_by_role("region", name="办理进度")).to_contain_text(
        "秒批核验：年满80周岁、户籍在本市不符合，转人工审查")
    fits_the_screen(page)
    check_axe(page, "data-case-referred-phone")
    shoot(page, "data-case-referred-phone")

    # The counter clerk reads his case file: his access log says who, and why.
    status, _ = api.call("GET", f"/cases/{referred}", token=api.token("clerk"))
    assert status == 200
    page.goto(stack.portal + "/me/access-log")
    read = page.get_by_role("listitem").filter(has_text="查看了办件")
    expect(read).to_contain_text("窗口工作人员")
    expect(read).to_contain_text("受理办件")
    expect(read).to_contain_text(referred)
    fits_the_screen(page)
    check_axe(page, "data-access-log-phone")
    shoot(page, "data-access-log-phone")
    assert not page.page_errors
