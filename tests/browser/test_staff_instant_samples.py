"""秒批抽查 in the staff workbench, in Chromium against the local stack: the supervisor's
queue of the instant approvals sampled for checking. For a queue the test can count on,
the admin first publishes, through the API, a version of 高龄津贴申领 that samples every
instant approval (sampleShare 1; the shipped version samples 20 % by a keyed draw). Then
the elder (王桂英, 84, of the city) applies as the portal does and is approved by the rules:

- the supervisor reaches the page from the navigation, finds the case in the queue, opens
  it, reads the rules that held, finds the approval wrong, revokes the case (status 15,
  confirmed in a dialog), turns the item's switch (beside it) off and on again, and marks
  the sample checked;
- with that approval revoked she may apply again (an approval still standing would fail
  the rule 未在领取高龄津贴): the second approval is checked and found right (核查无误) by
  keyboard, and moves to the checked list with who, when and the note;
- a clerk is not offered the page, and is refused it;
- whatever the queue holds (first in this module: before any application of it), the
  supervisor finds 高龄津贴申领 among 秒批事项 at the top of the page, with its state, and
  turns its instant approval off and on again there.

Each application first ends whatever 高龄津贴 the elder has standing (staff_cases.
no_standing_allowance), so no test depends on another's order.
axe and a screenshot of the queue and of a sample at 1280 px; the queue at 360 px."""
import json
import re
import urllib.request

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import check_axe, open_workbench, shoot
from tests.browser.staff_cases import ELDER, ELDERLY, elderly_case

RULES = ("年满80周岁", "户籍在本市", "户籍状态正常", "未在领取高龄津贴")


def _read_with_etag(api, path: str, token: str) -> tuple[dict, str]:
    """A catalogue version as the editor reads it: its JSON and its ETag (for If-Match)."""
    request = urllib.request.Request(api.url + path,
                                     headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read()), response.headers["ETag"]


@pytest.fixture(scope="module")
def every_approval_sampled(api) -> int:
    """A new version of 高龄津贴申领, the same rules sampling every approval, drafted, saved
    (If-Match: the ETag read) and published by the admin through the API. Its number."""
    admin = api.token("admin")
    status, draft = api.call("POST", f"/admin/items/{ELDERLY}/versions",
                             {"reason": "抽查全部秒批办件"}, token=admin)
    assert status == 201, draft
    path = f"/admin/items/{ELDERLY}/versions/{draft['version']}"
    read, etag = _read_with_etag(api, path, admin)
    item = {k: v for k, v in read.items() if k not in ("status", "lineage", "version")}
    assert [rule["name"] for rule in item["instantApproval"]["rules"]] == list(RULES)
    item["instantApproval"]["sampleShare"] = 1
    status, saved = api.call("PUT", path, {"item": item, "reason": "秒批办件全部抽查"},
                             token=admin, headers={"If-Match": etag})
    assert status == 200, saved
    status, published = api.call("POST", f"{path}/publish", {"reason": "秒批办件全部抽查"},
                                 token=admin)
    assert status == 200, published
    return draft["version"]


def sampled_case(api, version: int) -> str:
    """The elder's 高龄津贴 case once the rules of `version` approved it, sampled for a
    supervisor, and in the queue (the API's own list)."""
    case_no, supervisor = elderly_case(api, "elder", ELDER), api.token("supervisor")
    case = api.until(lambda: api.call("GET", f"/cases/{case_no}", token=supervisor)[1],
                     lambda c: c.get("status") == 11 or (
                         (c.get("ruleCheck") or {}).get("outcome") == "referred"))
    check = case["ruleCheck"]
    assert (case["status"], check["outcome"], check["sampled"]) == (11, "approved", True), check
    assert check["ruleSet"] == f"{ELDERLY}@v{version}", check
    api.until(lambda: api.call("GET", "/supervision/instant-samples?state=open&limit=100",
                               token=supervisor)[1]["samples"],
              lambda samples: any(s["caseNo"] == case_no for s in samples))
    return case_no


def queue(page: Page):
    return page.get_by_role("table", name="待核查的秒批办件")


def row_of(table, case_no: str):
    return table.get_by_role("row").filter(has=table.page.get_by_role("link", name=case_no))


def show(page: Page, state: str) -> None:
    """The queue's filter set to 待核查 or 已核查, and applied."""
    page.get_by_label("抽查状态").select_option(label=state)
    page.get_by_role("button", name="筛选").click()


def confirm(page: Page, action: str) -> None:
    dialog = page.get_by_role("dialog", name=f"确认{action}")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="确认").click()
    expect(dialog).to_be_hidden()


def test_the_switch_of_every_instant_item_is_reachable_without_a_sample(stack, api, desktop):
    open_workbench(desktop, stack, "supervisor", "samples")
    items = desktop.get_by_role("region", name="秒批事项")
    expect(items).to_be_visible()
    elderly = items.get_by_role("region", name=re.compile(r"^高龄津贴申领（第 \d+ 版规则）$"))
    expect(elderly.get_by_text(re.compile(r"当前状态：\s*已开启"))).to_be_visible()
    check_axe(desktop, "staff-samples-instant-items")
    for action, reason, enabled, state in (
            ("关闭秒批", "核查规则期间暂停秒批", False, "已关闭"),
            ("开启秒批", "核查完毕，恢复秒批", True, "已开启")):
        elderly.get_by_role("button", name=action).click()
        dialog = desktop.get_by_role("dialog", name=action)
        dialog.get_by_label("原因").fill(reason)
        dialog.get_by_role("button", name=action).click()
        expect(dialog).to_be_hidden()
        expect(elderly.get_by_text(re.compile(rf"当前状态：\s*{state}"))).to_be_visible()
        expect(elderly).to_contain_text(f"原因：{reason}")
        status, found = api.call("GET", f"/items/{ELDERLY}/instant-approval",
                                 token=api.token("admin"))
        assert status == 200 and found["enabled"] is enabled, found
        status, listed = api.call("GET", "/instant-approval/items", token=api.token("supervisor"))
        assert status == 200, listed
        assert [i["enabled"] for i in listed["items"] if i["itemCode"] == ELDERLY] == [enabled]
    check_axe(desktop, "staff-samples-instant-items-after")
    assert not desktop.page_errors


def test_a_wrong_approval_is_revoked_and_its_sample_marked_checked(
        stack, api, desktop, every_approval_sampled):
    case_no = sampled_case(api, every_approval_sampled)
    open_workbench(desktop, stack, "supervisor")
    desktop.get_by_role("navigation", name="工作台导航").get_by_role(
        "link", name="秒批抽查").click()
    expect(desktop.get_by_role("heading", level=1, name="秒批抽查")).to_be_visible()
    assert desktop.title() == "秒批抽查 - 政务服务工作台"
    row = row_of(queue(desktop), case_no)
    expect(row.get_by_role("cell")).to_have_text(
        ["高龄津贴申领", case_no, re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}"),
         f"第 {every_approval_sampled} 版规则", "核查"])
    check_axe(desktop, "staff-samples")
    shoot(desktop, "staff-samples")

    row.get_by_role("button", name=f"核查办件 {case_no}").click()
    sample = desktop.get_by_role("region", name=f"抽查：高龄津贴申领 {case_no}")
    expect(sample.get_by_role("heading", level=2, name=re.compile("^抽查"))).to_be_focused()
    facts = sample.locator("dl").first
    expect(facts).to_contain_text("办件状态办结（准予）")
    expect(facts).to_contain_text("申请人王桂英")
    rules = sample.get_by_role("region", name="秒批规则核验")
    expect(rules).to_contain_text("系统自动审批通过")
    expect(rules).to_contain_text("本件已被随机抽取，由监察人员复核。")
    trace = rules.get_by_role("list", name="核验的条件").get_by_role("listitem")
    expect(trace).to_have_count(len(RULES))
    for rule in RULES:
        expect(trace.filter(has_text=rule)).to_contain_text("符合")
    expect(trace.filter(has_text="不符合")).to_have_count(0)
    expect(rules).to_contain_text("population.age >= 80")
    switch = sample.get_by_role("region", name="秒批开关")
    expect(switch.get_by_text(re.compile(r"当前状态：\s*已开启"))).to_be_visible()
    expect(switch.get_by_role("button", name="关闭秒批")).to_be_visible()
    check_axe(desktop, "staff-samples-open")
    shoot(desktop, "staff-samples-open")

    # The approval was wrong: revoked, with a reason, once confirmed.
    revoke = sample.get_by_role("group", name="撤销审批")
    revoke.get_by_role("button", name="撤销审批").click()
    expect(revoke.get_by_text("请填写撤销理由")).to_be_visible()   # the reason is required
    revoke.get_by_label("撤销理由").fill("申请人已在外区领取高龄津贴，规则未能核出")
    revoke.get_by_role("button", name="撤销审批").click()
    dialog = desktop.get_by_role("dialog", name="确认撤销审批")
    expect(dialog).to_contain_text(f"撤销办件 {case_no} 的审批后不可恢复")
    dialog.get_by_role("button", name="确认").click()
    expect(desktop.get_by_role("status").get_by_text("已完成：撤销审批")).to_be_focused()
    status, revoked = api.call("GET", f"/cases/{case_no}", token=api.token("supervisor"))
    assert status == 200 and revoked["status"] == 15, revoked
    expect(facts).to_contain_text("办件状态撤销")
    expect(sample.get_by_role("group", name="撤销审批")).to_have_count(0)

    # Beside it, the item's switch: the supervisor stops instant approval of the item, and
    # (the rules mended) starts it again.
    for action, reason, enabled in (("关闭秒批", "规则未能核出外区领取情况，暂停秒批", False),
                                    ("开启秒批", "已补充核验数据，恢复秒批", True)):
        switch.get_by_role("button", name=action).click()
        dialog = desktop.get_by_role("dialog", name=action)
        dialog.get_by_label("原因").fill(reason)
        dialog.get_by_role("button", name=action).click()
        expect(dialog).to_be_hidden()
        expect(switch).to_contain_text(f"原因：{reason}")
        status, state = api.call("GET", f"/items/{ELDERLY}/instant-approval",
                                 token=api.token("admin"))
        assert status == 200 and state["enabled"] is enabled, state

    # Then the sample is marked checked, saying what was found.
    check = sample.get_by_role("group", name="标记已核查")
    expect(check).to_contain_text("办件已撤销审批")
    check.get_by_label("核查意见").fill("审批有误，已撤销")
    check.get_by_role("button", name="标记已核查").click()
    confirm(desktop, "标记已核查")
    expect(desktop.get_by_role("status").get_by_text("已完成：标记已核查")).to_be_focused()
    expect(sample).to_have_count(0)
    expect(row_of(queue(desktop), case_no)).to_have_count(0)
    expect(desktop.get_by_text("没有待核查的秒批办件。")).to_be_visible()

    show(desktop, "已核查")
    assert "state=checked" in desktop.url
    checked = desktop.get_by_role("table", name="已核查的秒批办件")
    expect(row_of(checked, case_no).get_by_role("cell")).to_have_text(
        ["高龄津贴申领", case_no, re.compile(r"^\d{4}-"), f"第 {every_approval_sampled} 版规则",
         "staff:feng-jc（我）", re.compile(r"^\d{4}-"), "审批有误，已撤销", "查看"])
    assert not desktop.page_errors


def test_a_right_approval_is_checked_by_keyboard_and_moves_to_the_checked_list(
        stack, api, desktop, every_approval_sampled):
    """After the first test: her first approval revoked, the elder may apply again."""
    case_no = sampled_case(api, every_approval_sampled)
    open_workbench(desktop, stack, "supervisor", "samples")
    row = row_of(queue(desktop), case_no)
    button = row.get_by_role("button", name=f"核查办件 {case_no}")
    button.focus()
    desktop.keyboard.press("Enter")
    sample = desktop.get_by_role("region", name=f"抽查：高龄津贴申领 {case_no}")
    expect(sample.get_by_role("heading", level=2, name=re.compile("^抽查"))).to_be_focused()
    rules = sample.get_by_role("region", name="秒批规则核验")
    expect(rules.get_by_text(f"共 {len(RULES)} 项条件，符合 {len(RULES)} 项，不符合 0 项")) \
        .to_be_visible()

    check = sample.get_by_role("group", name="核查无误")
    note = check.get_by_label("核查意见")
    note.focus()
    desktop.keyboard.type("核对户籍与年龄无误")
    desktop.keyboard.press("Tab")
    expect(check.get_by_role("button", name="核查无误")).to_be_focused()
    desktop.keyboard.press("Enter")
    dialog = desktop.get_by_role("dialog", name="确认核查无误")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("button", name="取消")).to_be_focused()
    desktop.keyboard.press("Tab")
    expect(dialog.get_by_role("button", name="确认")).to_be_focused()
    desktop.keyboard.press("Enter")
    expect(desktop.get_by_role("status").get_by_text("已完成：核查无误")).to_be_focused()
    expect(row_of(queue(desktop), case_no)).to_have_count(0)
    status, case = api.call("GET", f"/cases/{case_no}", token=api.token("supervisor"))
    assert status == 200 and case["status"] == 11, case   # approved, and so it stays

    show(desktop, "已核查")
    checked = desktop.get_by_role("table", name="已核查的秒批办件")
    row = row_of(checked, case_no)
    expect(row).to_contain_text("核对户籍与年龄无误")
    expect(row).to_contain_text("staff:feng-jc（我）")
    row.get_by_role("button", name=f"查看办件 {case_no}").click()
    sample = desktop.get_by_role("region", name=f"抽查：高龄津贴申领 {case_no}")
    expect(sample.get_by_role("heading", level=3, name="核查结果")).to_be_visible()
    expect(sample).to_contain_text("核对户籍与年龄无误")
    expect(sample.get_by_role("region", name="秒批规则核验")).to_be_visible()
    expect(sample.get_by_role("group", name="核查无误")).to_have_count(0)
    expect(sample.get_by_role("group", name="撤销审批")).to_have_count(0)
    check_axe(desktop, "staff-samples-checked")
    shoot(desktop, "staff-samples-checked")

    # The case number opens the supervisor's read-only case view.
    row.get_by_role("link", name=case_no).click()
    expect(desktop.get_by_role("heading", level=1)).to_have_text(f"办件 {case_no}")
    expect(desktop.get_by_role("region", name="秒批规则核验")).to_contain_text("系统自动审批通过")
    assert not desktop.page_errors


def test_the_queue_fits_a_phone(stack, phone, every_approval_sampled):
    open_workbench(phone, stack, "supervisor", "samples?state=checked")
    expect(phone.get_by_role("table", name="已核查的秒批办件")).to_be_visible()
    phone.wait_for_load_state("networkidle")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    check_axe(phone, "staff-samples-phone")
    shoot(phone, "staff-samples-phone")


def test_a_clerk_is_neither_offered_the_page_nor_let_in(stack, desktop):
    open_workbench(desktop, stack, "clerk")
    nav = desktop.get_by_role("navigation", name="工作台导航")
    expect(nav.get_by_role("link", name="待办任务")).to_be_visible()
    expect(nav.get_by_role("link", name="秒批抽查")).to_have_count(0)
    desktop.goto(f"{stack.workbench}samples")
    expect(desktop.get_by_role("heading", level=1, name="无权访问此页面")).to_be_visible()
    expect(desktop.get_by_role("table")).to_have_count(0)
