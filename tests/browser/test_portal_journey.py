"""The issue's whole journey, by clicking, in Chinese, on a 360 px phone and a 1280 px
desktop: a newcomer finds 食品经营许可 by typing `spjy`, reads its guide, signs in as the
company through the local issuer's login page, applies with an uploaded material and the
营业执照 in place of paper, and gets a case number; staff decide through the API (a
supplement asked for, then approval); the applicant sees the status, supplies the
requested material, downloads the license PDF and rates the case; anybody looks the case
up with its query password; the address of the license's QR code opened in the browser
shows the readable status page. axe runs on every page visited; screenshots of each."""
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, FOOD, PHONE, _page, check_axe, shoot, sign_in
from tests.browser.test_portal_apply import CASE_NO, PDF, fill_food_form, material, step

PLAN = "经营场所平面图和设备布局图"


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_from_search_to_a_rated_case_and_its_license(stack, api, browser, labels,
                                                      business_license, size):
    context, page = _page(browser, PHONE if size == "phone" else DESKTOP)
    seen = 0

    def look(name: str) -> None:
        nonlocal seen
        seen += 1
        check_axe(page, f"journey-{size}-{seen:02d}-{name}")
        shoot(page, f"journey-{size}-{seen:02d}-{name}")

    # Found by pinyin initials; the guide; 在线办理 sends a newcomer to sign in.
    page.goto(stack.portal + "/")
    look("home")
    page.get_by_role("searchbox", name="搜索事项").fill("spjy")
    page.keyboard.press("Enter")
    page.get_by_role("link", name="食品经营许可（新办）").first.click()
    expect(page.get_by_role("heading", level=1, name="食品经营许可（新办）")).to_be_visible()
    expect(page.get_by_role("heading", name="申请材料")).to_be_visible()
    look("guide")
    page.get_by_role("link", name="在线办理").click()
    expect(page).to_have_title(re.compile("本地登录"))
    look("login")
    sign_in(page, "company")
    page.wait_for_url(stack.portal + f"/apply/{FOOD}")

    # Apply: the form from the schema, an upload, the 营业执照 instead of paper.
    step(page, "申请人")
    look("apply-applicant")
    page.get_by_role("button", name="下一步").click()
    step(page, "填写申请表")
    fill_food_form(page, labels, "深圳小吃旅程店", "深圳市南山区科技园2号")
    look("apply-form")
    page.get_by_role("button", name="下一步").click()
    step(page, "提交材料")
    rules = material(page, "食品安全管理制度文本")
    rules.get_by_role("radio", name="上传文件").check()
    rules.get_by_label("选择文件").set_input_files(
        {"name": "rules.pdf", "mimeType": "application/pdf", "buffer": PDF})
    expect(rules.get_by_role("status")).to_have_text("已上传：rules.pdf")
    license = material(page, "营业执照")
    license.get_by_role("radio", name="使用电子证照（免提交）").check()
    license.get_by_label("选择电子证照").select_option(business_license)
    for other in ("食品经营许可申请书", PLAN):
        material(page, other).get_by_role("radio", name=re.compile("暂不提供")).check()
    look("apply-materials")
    page.get_by_role("button", name="下一步").click()
    step(page, "核对信息")
    look("apply-check")
    page.get_by_role("button", name="提交申请").click()
    step(page, "提交成功")
    case_no = page.get_by_text(CASE_NO).inner_text()
    password = page.get_by_text(re.compile(r"^\d{6}$")).inner_text()
    look("apply-done")

    # Staff: accepted at the counter, then market regulation asks for the floor plan.
    clerk, scjg = api.token("clerk"), api.token("scjg")
    api.decide(api.task_of(case_no, "ZWFW", clerk), "accept", "受理", clerk)
    task = api.task_of(case_no, "SCJG", scjg)
    status, body = api.call("POST", f"/tasks/{task['taskId']}/decision", {
        "decision": "supplement", "opinion": "请补充经营场所平面图", "materials": [PLAN]},
        token=scjg)
    assert status == 200, body

    # The applicant sees it and supplies the plan.
    page.get_by_role("link", name="查看办件进度").click()
    page.wait_for_url(stack.portal + f"/me/cases/{case_no}")
    supply = page.get_by_role("region", name="需要补正材料")
    for _ in range(3):  # the supplement reaches the case a moment after the decision
        if supply.count():
            break
        page.wait_for_timeout(1000)
        page.reload()
    expect(supply).to_contain_text("请补充经营场所平面图")
    look("case-supplement")
    supply.get_by_label(PLAN).set_input_files(files=[{
        "name": "plan.pdf", "mimeType": "application/pdf",
        "buffer": PDF.replace(b"OneWindow browser test", b"floor plan of the shop")}])
    expect(supply.get_by_text("已上传：plan.pdf")).to_be_visible()
    supply.get_by_role("button", name="提交补正材料").click()
    expect(page.get_by_role("status")).to_contain_text("补正材料已提交")

    # Approved; the applicant follows the case to its license and downloads the PDF.
    company = api.token("company")
    api.until(lambda: api.call("GET", f"/cases/{case_no}", token=company)[1],
              lambda c: c["status"] == 8)
    api.decide(api.task_of(case_no, "SCJG", scjg), "approve", "准予许可", scjg)
    case = api.until(lambda: api.call("GET", f"/cases/{case_no}", token=company)[1],
                     lambda c: c.get("licenseId"))
    page.reload()
    expect(page.get_by_text("办结（准予）", exact=True).first).to_be_visible()
    look("case-concluded")
    rating = page.get_by_role("region", name="服务评价（好差评）")
    rating.get_by_label("非常满意").check()
    rating.get_by_role("button", name="提交评价").click()
    expect(rating).to_contain_text("您的评价：非常满意")
    page.get_by_role("link", name="查看证照").click()
    page.wait_for_url(stack.portal + f"/me/licenses/{quote(case['licenseId'], safe='')}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("食品经营许可证")
    look("license")
    with page.expect_download() as pdf:
        page.get_by_role("button", name="下载 PDF").click()
    assert Path(pdf.value.path()).read_bytes().startswith(b"%PDF-")

    # The QR code's address, opened as a person would: the readable status page.
    status_address = f"{stack.url}/licenses/{quote(case['licenseId'], safe='')}/status"
    status, printed = api.call_text("GET", f"/licenses/{quote(case['licenseId'], safe='')}"
                                    "/print.html", token=company)
    assert status == 200 and status_address in printed
    page.goto(status_address)
    expect(page.get_by_role("main")).to_contain_text("有效")
    expect(page.get_by_role("main")).to_contain_text("食品经营许可证")
    assert "91440300MA5FXK7Q3T" not in page.content()
    look("license-status")

    # Signed out, anybody with the number and the query password looks the case up.
    page.goto(stack.portal + "/")
    page.get_by_role("button", name="退出").click()
    expect(page.get_by_role("button", name="登录")).to_be_visible()
    page.get_by_role("link", name="办件查询").click()
    page.get_by_label("办件编号").fill(case_no)
    page.get_by_label("查询密码").fill(password)
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_role("region", name="食品经营许可（新办）")).to_contain_text("办结")
    look("lookup")
    assert not page.page_errors
    context.close()
