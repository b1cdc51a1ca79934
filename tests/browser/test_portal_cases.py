"""我的办件, the case page and the public 办件查询 in a real browser. The cases are set up
through the API as README's walk does (the company applies; the counter accepts; market
regulation asks one case for a material and approves another); then the company, signed
in through the local issuer, finds them in its list (two pages), follows the clock and the
progress, uploads the requested material, withdraws a case with the keyboard alone, rates
a concluded one badly and sees the rectification the department answers; anyone with the
query password looks a case up without signing in. At 360 and 1280 px, axe on every page."""
import json
import re
import urllib.parse

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import check_axe, shoot, sign_in

FOOD = "00020101200044030000000011440300007542808J01"
COMPANY_USCC = "91440300MA5FXK7Q3T"
RULES = "食品安全管理制度文本"
PAGE_SIZE = 10  # MyCasesPage asks for ten a page


def _apply(api, token: str, name: str) -> dict:
    status, body = api.call("POST", "/cases", {
        "itemCode": FOOD, "channel": "web",
        "applicant": {"type": "legal", "name": "深圳小吃有限公司", "idNumber": COMPANY_USCC},
        "form": {"businessName": name, "address": "深圳市南山区科技园1号", "category": "餐饮服务"}},
        token=token)
    assert status == 201, body
    return body


def _case(api, case_no: str, token: str) -> dict:
    status, body = api.call("GET", f"/cases/{case_no}", token=token)
    assert status == 200, body
    return body


@pytest.fixture(scope="module")
def cases(api):
    """A case waiting on a supplement, an approved one, one just received (to withdraw),
    and enough others that the list has a second page."""
    company, clerk, scjg = api.token("company"), api.token("clerk"), api.token("scjg")
    made = {role: _apply(api, company, f"小吃{role}店")
            for role in ("supplement", "approved", "withdraw")}
    extra = [_apply(api, company, f"小吃{n}号店") for n in range(PAGE_SIZE - 2)]
    for role in ("supplement", "approved"):
        no = made[role]["caseNo"]
        api.decide(api.task_of(no, "ZWFW", clerk), "accept", "材料齐全，予以受理", clerk)
    review = api.task_of(made["supplement"]["caseNo"], "SCJG", scjg)
    status, body = api.call("POST", f"/tasks/{review['taskId']}/decision", {
        "decision": "supplement", "opinion": "请补充食品安全管理制度", "materials": [RULES]},
        token=scjg)
    assert status == 200, body
    approved = made["approved"]["caseNo"]
    api.decide(api.task_of(approved, "SCJG", scjg), "approve", "同意", scjg)
    api.until(lambda: _case(api, approved, company), lambda c: c["status"] == 11)
    return {**made, "extra": extra, "company": company, "scjg": scjg}


def _signed_in_at(page: Page, stack, path: str, user: str = "company") -> None:
    """Open a signed-in page: the portal sends the browser to the issuer, back afterwards."""
    page.goto(stack.portal + path)
    expect(page).to_have_title(re.compile("本地登录"))
    sign_in(page, user)
    page.wait_for_url(stack.portal + path)


def _item_of(page: Page, case_no: str):
    return page.get_by_role("listitem").filter(has_text=case_no)


def test_my_cases_and_a_supplement_uploaded_on_a_phone(stack, api, cases, phone):
    _signed_in_at(phone, stack, "/me/cases")
    expect(phone.get_by_role("heading", level=1, name="我的办件")).to_be_visible()
    expect(phone).to_have_title(re.compile("我的办件"))
    # newest first, ten a page: the first three applied are on the second page
    newest = cases["extra"][-1]
    expect(_item_of(phone, newest["caseNo"])).to_contain_text("已接件")
    expect(_item_of(phone, newest["caseNo"])).to_contain_text(newest["promisedBy"])
    expect(_item_of(phone, cases["supplement"]["caseNo"])).to_have_count(0)
    check_axe(phone, "cases-list-phone")
    phone.get_by_role("button", name="加载更多").click()
    supplement = cases["supplement"]["caseNo"]
    expect(_item_of(phone, supplement)).to_contain_text("补正开始")
    expect(_item_of(phone, cases["approved"]["caseNo"])).to_contain_text("办结（准予）")
    expect(phone.get_by_role("button", name="加载更多")).to_have_count(0)
    shoot(phone, "cases-list-phone")

    _item_of(phone, supplement).get_by_role("link", name="食品经营许可（新办）").click()
    phone.wait_for_url(stack.portal + f"/me/cases/{supplement}")
    expect(phone.get_by_role("heading", level=1, name="食品经营许可（新办）")).to_be_visible()
    expect(phone.get_by_text("计时暂停", exact=True)).to_be_visible()
    expect(phone.get_by_text("承诺时限剩余")).to_be_visible()
    clock = _case(api, supplement, cases["company"])["clock"]
    days = round(clock["promisedRemainingMinutes"] / 480 * 10) / 10
    expect(phone.get_by_text(f"{days:g} 个工作日").first).to_be_visible()
    expect(phone.get_by_role("region", name="办理时限")).to_contain_text(
        "当前环节：部门审查（SCJG）（等待补正）")
    progress = phone.get_by_role("region", name="办理进度").get_by_role("listitem")
    expect(progress.first).to_contain_text("已接件")
    expect(progress.last).to_contain_text("补正开始")
    expect(progress.last).to_contain_text("请补充食品安全管理制度")
    supply = phone.get_by_role("region", name="需要补正材料")
    expect(supply).to_contain_text("请补充食品安全管理制度")
    check_axe(phone, "case-supplement-phone")
    shoot(phone, "case-supplement-phone")

    # submitting before the upload names the material that is missing
    supply.get_by_role("button", name="提交补正材料").click()
    expect(supply.get_by_label(RULES)).to_have_accessible_description(
        re.compile("请先上传此项材料"))
    supply.get_by_label(RULES).set_input_files(files=[{
        "name": "rules.pdf", "mimeType": "application/pdf",
        "buffer": "%PDF-1.7 食品安全管理制度".encode()}])
    expect(supply.get_by_text("已上传：rules.pdf")).to_be_visible()
    supply.get_by_role("button", name="提交补正材料").click()
    expect(phone.get_by_role("status")).to_contain_text("补正材料已提交")
    expect(phone.get_by_role("region", name="需要补正材料")).to_have_count(0)
    # the applicant's material is on the case and the task is back in SCJG's inbox
    case = api.until(lambda: _case(api, supplement, cases["company"]),
                     lambda c: c["status"] == 8)
    assert [m["name"] for m in case["materials"]] == [RULES]
    assert case["materials"][0]["fileName"] == "rules.pdf"
    expect(phone.get_by_role("region", name="办理进度")).to_contain_text("补正结束")
    check_axe(phone, "case-supplied-phone")
    shoot(phone, "case-supplied-phone")
    assert not phone.page_errors


def _tab_to(page: Page, name: str, limit: int = 60) -> None:
    """Tab through the page until the named control has the focus (keyboard only)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement && document.activeElement.textContent")
        if focused and focused.strip() == name:
            return
    raise AssertionError(f"{name} is not reachable with Tab")


def test_withdraw_with_a_reason_by_keyboard_alone_on_a_desktop(stack, api, cases, desktop):
    case_no = cases["withdraw"]["caseNo"]
    _signed_in_at(desktop, stack, f"/me/cases/{case_no}")
    expect(desktop.get_by_role("heading", level=1, name="食品经营许可（新办）")).to_be_visible()
    check_axe(desktop, "case-received-desktop")
    _tab_to(desktop, "撤回申请")
    desktop.keyboard.press("Enter")
    dialog = desktop.get_by_role("dialog", name="确认撤回申请")
    expect(dialog).to_be_visible()
    reason = dialog.get_by_label("撤回原因")
    expect(reason).to_be_focused()
    check_axe(desktop, "case-withdraw-dialog-desktop")
    # Esc closes it and nothing happens; open it again
    desktop.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    assert _case(api, case_no, cases["company"])["status"] == 1
    desktop.keyboard.press("Enter")  # the focus went back to 撤回申请
    expect(reason).to_be_focused()
    desktop.keyboard.press("Tab")
    desktop.keyboard.press("Tab")
    expect(dialog.get_by_role("button", name="确认撤回")).to_be_focused()
    desktop.keyboard.press("Enter")  # no reason yet: said next to the field
    expect(reason).to_have_accessible_description("请填写撤回原因")
    expect(reason).to_be_focused()
    desktop.keyboard.type("暂不开业")
    shoot(desktop, "case-withdraw-dialog-desktop")
    desktop.keyboard.press("Tab")
    desktop.keyboard.press("Tab")
    desktop.keyboard.press("Enter")
    expect(desktop.get_by_role("status")).to_contain_text("申请已撤回")
    expect(desktop.get_by_text("已撤件", exact=True).first).to_be_visible()
    expect(desktop.get_by_role("button", name="撤回申请")).to_have_count(0)
    case = api.until(lambda: _case(api, case_no, cases["company"]),
                     lambda c: any(e.get("status") == 2 for e in c["timeline"]))
    assert case["status"] == 2
    assert "暂不开业" in json.dumps([e for e in case["timeline"] if e.get("status") == 2],
                                ensure_ascii=False)
    expect(desktop.get_by_role("region", name="办理进度").get_by_role("listitem").last) \
        .to_contain_text("已撤件")
    check_axe(desktop, "case-withdrawn-desktop")
    assert not desktop.page_errors


def test_the_documents_of_an_approved_case_read_kept_and_a_correction_asked_on_a_phone(
        stack, api, cases, phone):
    from pathlib import Path

    from chalicelib.domain import document_proof
    case_no = cases["approved"]["caseNo"]
    api.until(lambda: api.call("GET", f"/cases/{case_no}/documents",
                               token=cases["company"])[1],
              lambda found: len(found.get("items", [])) == 2)
    _signed_in_at(phone, stack, f"/me/cases/{case_no}")
    documents = phone.get_by_role("region", name="办件文书")
    expect(documents.get_by_role("heading", level=3)).to_have_count(2)
    approval = documents.get_by_role("listitem").filter(has_text="准予行政许可决定书")
    expect(approval).to_contain_text("深圳市市场监督管理局")
    expect(approval).to_contain_text("有效")
    approval.get_by_role("button", name="查看全文").click()
    expect(approval).to_contain_text("本机关决定准予行政许可")
    expect(approval.get_by_role("button", name="收起全文")).to_have_attribute(
        "aria-expanded", "true")
    check_axe(phone, "case-documents-phone")
    shoot(phone, "case-documents-phone")
    with phone.expect_download() as pdf:
        approval.get_by_role("button", name="下载 PDF").click()
    assert Path(pdf.value.path()).read_bytes().startswith(b"%PDF-")
    with phone.expect_download() as kept:
        approval.get_by_role("button", name="下载电子文书（可离线核验）").click()
    signed = json.loads(Path(kept.value.path()).read_text("utf-8"))
    keys = api.call("GET", "/.well-known/license-keys")[1]["keys"]
    assert document_proof.verify(signed, keys).valid
    assert signed["document"]["kind"] == "approval_decision"
    # 更正申请 with the keyboard: a reason is required, then the department is asked.
    approval.get_by_role("button", name="申请更正").focus()
    phone.keyboard.press("Enter")
    reason = approval.get_by_label("需要更正的内容及理由")
    expect(reason).to_be_visible()
    approval.get_by_role("button", name="提交更正申请").click()
    expect(reason).to_have_accessible_description("请填写需要更正的内容及理由")
    reason.fill("企业名称应为深圳小吃有限公司")
    reason.press("Tab")
    phone.keyboard.press("Enter")
    expect(phone.get_by_role("status")).to_contain_text("更正申请已提交")
    expect(approval).to_contain_text("更正申请处理中")
    expect(approval.get_by_role("button", name="申请更正")).to_have_count(0)
    check_axe(phone, "case-documents-requested-phone")
    assert not phone.page_errors


def test_a_bad_rating_and_the_rectification_it_opens_on_a_desktop(stack, api, cases, desktop):
    case_no = cases["approved"]["caseNo"]
    license_id = _case(api, case_no, cases["company"])["licenseId"]
    _signed_in_at(desktop, stack, f"/me/cases/{case_no}")
    expect(desktop.get_by_text("办结（准予）", exact=True).first).to_be_visible()
    expect(desktop.get_by_role("link", name="查看证照")).to_have_attribute(
        "href", f"/me/licenses/{urllib.parse.quote(license_id, safe='')}")
    expect(desktop.get_by_text(re.compile("办件已结束，共用时"))).to_be_visible()
    rating = desktop.get_by_role("region", name="服务评价（好差评）")
    # no level chosen: said next to the choice, nothing sent
    rating.get_by_role("button", name="提交评价").click()
    expect(rating.get_by_text("请选择满意程度")).to_be_visible()
    assert api.call("GET", f"/cases/{case_no}/ratings",
                    token=cases["company"])[1]["ratings"] == []
    check_axe(desktop, "case-rate-desktop")
    rating.get_by_label("非常不满意").check()
    rating.get_by_label("评价内容").fill("等了很久才办结")
    rating.get_by_role("button", name="提交评价").click()
    expect(rating).to_contain_text("您的评价：非常不满意")
    expect(rating).to_contain_text("待回访核实")
    shoot(desktop, "case-rated-desktop")

    # the department calls back and answers through the API
    rated = api.call("GET", f"/cases/{case_no}/ratings", token=cases["company"])[1]["ratings"]
    rating_id = urllib.parse.quote(rated[0]["ratingId"], safe="")
    assert api.call("POST", f"/ratings/{rating_id}/callback",
                    {"verified": True, "note": "已电话回访，情况属实"},
                    token=cases["scjg"])[0] == 200
    assert api.call("POST", f"/ratings/{rating_id}/rectification",
                    {"measures": "审查任务每日跟踪到期", "answer": "已整改，今后按时办结"},
                    token=cases["scjg"])[0] == 200
    desktop.reload()
    rating = desktop.get_by_role("region", name="服务评价（好差评）")
    expect(rating).to_contain_text("已整改答复，待您确认")
    expect(rating).to_contain_text("已电话回访，情况属实")
    expect(rating).to_contain_text("已整改，今后按时办结")
    check_axe(desktop, "case-rectified-desktop")
    rating.get_by_role("button", name="不满意，申请复核").click()
    expect(rating.get_by_label("申请复核的理由")).to_have_accessible_description("申请复核请填写理由")
    rating.get_by_label("申请复核的理由").fill("整改措施没有说明如何避免超期")
    rating.get_by_role("button", name="不满意，申请复核").click()
    expect(rating).to_contain_text("复核中")
    answer = api.call("GET", f"/cases/{case_no}/ratings", token=cases["company"])[1]
    assert answer["ratings"][0]["rectification"]["state"] == "review_requested"
    shoot(desktop, "case-review-requested-desktop")
    assert not desktop.page_errors


def test_anonymous_lookup_with_the_query_password(stack, cases, phone, desktop):
    case = cases["approved"]
    wrong = "000000" if case["queryPassword"] != "000000" else "111111"
    for page, size in ((phone, "phone"), (desktop, "desktop")):
        page.goto(stack.portal + "/lookup")
        expect(page.get_by_role("heading", level=1, name="办件查询")).to_be_visible()
        expect(page.get_by_role("button", name="登录")).to_be_visible()  # nobody signed in
        check_axe(page, f"lookup-{size}")
        # The input fills its field (up to 40em, on a phone the whole width), not a stub.
        share = page.get_by_label("办件编号").evaluate(
            "e => e.getBoundingClientRect().width / e.closest('form').clientWidth")
        assert share > 0.8, share
        page.get_by_label("办件编号").fill(case["caseNo"])
        page.get_by_label("查询密码").fill(wrong)
        page.get_by_role("button", name="查询").click()
        expect(page.get_by_label("查询密码")).to_have_accessible_description(
            re.compile("无权进行此操作"))
        expect(page.get_by_role("alert")).to_contain_text("请求编号")
        check_axe(page, f"lookup-wrong-{size}")
        page.get_by_label("查询密码").fill(case["queryPassword"])
        page.get_by_role("button", name="查询").click()
        found = page.get_by_role("region", name="食品经营许可（新办）")
        expect(found).to_contain_text("办结（准予）")
        expect(found).to_contain_text("914403********7Q3T")
        assert COMPANY_USCC not in page.content()  # masked for a caller with the password
        expect(page.get_by_role("alert")).to_have_count(0)
        check_axe(page, f"lookup-found-{size}")
        shoot(page, f"lookup-found-{size}")
        assert not page.page_errors


def test_an_applicant_without_cases_sees_the_empty_list_on_a_phone(stack, phone):
    _signed_in_at(phone, stack, "/me/cases", "applicant")
    expect(phone.get_by_text("您还没有办件。")).to_be_visible()
    expect(phone.get_by_role("link", name="去查找要办理的事项")).to_be_visible()
    check_axe(phone, "cases-empty-phone")
    shoot(phone, "cases-empty-phone")


def test_an_agent_lists_the_company_it_acts_for_on_a_desktop(stack, cases, desktop):
    _signed_in_at(desktop, stack, "/me/cases", "agent")
    expect(desktop.get_by_text("您还没有办件。")).to_be_visible()  # none in its own name
    desktop.get_by_label("办件主体").select_option(label="深圳小吃有限公司")
    newest = cases["extra"][-1]["caseNo"]
    expect(_item_of(desktop, newest)).to_contain_text("已接件")
    check_axe(desktop, "cases-agent-desktop")
    shoot(desktop, "cases-agent-desktop")


def test_a_case_that_is_not_mine_shows_the_api_error_not_a_blank_page(stack, cases, phone):
    case_no = cases["approved"]["caseNo"]
    _signed_in_at(phone, stack, f"/me/cases/{case_no}", "applicant")
    alert = phone.get_by_role("alert")
    expect(alert).to_contain_text("请求编号")
    expect(alert).to_contain_text(re.compile("[\u4e00-\u9fff]"))
    expect(phone.get_by_role("heading", level=1, name="办件详情")).to_be_visible()
    expect(phone.get_by_text("办结（准予）")).to_have_count(0)
    check_axe(phone, "case-not-mine-phone")
    shoot(phone, "case-not-mine-phone")
