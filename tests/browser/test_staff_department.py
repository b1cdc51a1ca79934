"""部门督办 and 监察处理 in a real browser, from the card on (issue 26's second flow): a
case SCJG leaves undecided goes overdue — the stack's clock moved on in working days and
the sweep run, as `make clock` / `make sweep` do — and is carded yellow; the lead
(scjg_lead) acknowledges the card and appeals it with a reason (a failed submit keeps the
reason; a card acknowledged meanwhile is said so, the view reloaded); the supervisor
upholds the appeal in /supervision; the lead sees the card withdrawn. Then a bad rating's
rectification (call back, rectify) and the supervisor's re-review decision; a call back
raced by a colleague (said so, reloaded), a contest of a stage rating and its decision; a
license suspended, resumed and reissued with reasons; a case revoked by the supervisor;
each area refused to a role without it; the cards at 360 px. axe on every page, each kept
as a screenshot."""
import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import FOOD, PHONE, check_axe, open_workbench, shoot
from tests.browser.staff_cases import food_case, overdue_food_case


def _cards(api, case_no: str, token: str, **query) -> dict[str, dict]:
    """The case's SCJG cards by scope, as the API lists them."""
    path = "/supervision/cards?dept=SCJG&" + "&".join(f"{k}={v}" for k, v in query.items())
    status, page = api.call("GET", path, token=token)
    assert status == 200, page
    return {c["scope"]: c for c in page["cards"] if c["caseNo"] == case_no}


@pytest.fixture(scope="module")
def carded(stack, api) -> dict:
    """A food case accepted and left undecided by SCJG, then carded yellow (staff_cases's
    overdue_food_case: past the review's and the case's deadline, not yet three days late)."""
    case_no, swept = overdue_food_case(stack, api, "督办小吃店")
    assert "cards" in swept, swept
    supervisor = api.token("supervisor")
    yellow = api.until(lambda: _cards(api, case_no, supervisor, level="yellow"),
                       lambda found: set(found) == {"task", "stage", "case"})
    return {"caseNo": case_no, "yellow": yellow, "company": api.token("company")}


def _names(api) -> dict[str, str]:
    """Department names by code, as the public directory gives them."""
    status, directory = api.call("GET", "/directory")
    assert status == 200, directory
    return {d["code"]: d["name"] for d in directory["departments"]}


def _access_log(api, company: str) -> list[dict]:
    status, log = api.call("GET", "/me/access-log?limit=100", token=company)
    assert status == 200, log
    return log["entries"]


def _row_button(page: Page, what: str):
    return page.get_by_role("button", name=f"处理 {what}")


def _submit_confirmed(page: Page, form_title: str, button: str) -> None:
    """Submit a step that asks for confirmation, and confirm it in the dialog."""
    page.get_by_role("group", name=form_title).get_by_role("button", name=button).click()
    dialog = page.get_by_role("dialog", name=f"确认{form_title}")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="确认").click()


def test_the_lead_acknowledges_and_appeals_the_card_and_the_supervisor_upholds_it(
        stack, api, browser, desktop, carded):
    case_no = carded["caseNo"]
    lead = desktop
    open_workbench(lead, stack, "scjg_lead", "department")
    expect(lead.get_by_role("heading", level=1, name="部门督办：预警与督办牌")).to_be_visible()
    scjg = _names(api)["SCJG"]
    item_name = api.call("GET", f"/items/{FOOD}")[1]["name"]
    # The department by its name, never its code.
    expect(lead.get_by_text(f"本部门（{scjg}）", exact=False)).to_be_visible()
    expect(lead.get_by_text("（SCJG）")).to_have_count(0)
    # Filters on the server's terms, kept in the address.
    lead.get_by_label("级别").select_option(label="黄牌")
    lead.get_by_role("button", name="筛选").click()
    lead.wait_for_url(re.compile(r"/staff/department\?level=yellow$"))
    table = lead.get_by_role("table", name="本部门的预警与督办牌")
    expect(table.get_by_role("row").filter(has_text=case_no)).to_have_count(3)
    expect(table.get_by_text("预警", exact=True)).to_have_count(0)
    check_axe(lead, "staff-department-cards")
    shoot(lead, "staff-department-cards")

    # The task's card: acknowledged with a note.
    _row_button(lead, f"黄牌 {case_no} 任务").click()
    panel = lead.get_by_role("region", name=f"黄牌：{case_no}")
    expect(panel.get_by_role("heading", level=2)).to_be_focused()  # the keyboard goes on there
    # Names and steps a clerk reads, not codes and internal ids.
    expect(panel).to_contain_text(f"{item_name}（{FOOD}）")
    expect(panel).to_contain_text(f"部门{scjg}")
    expect(panel).to_contain_text("任务（审查第 1 环节）")
    expect(panel).not_to_contain_text("-R1-SCJG")
    ack = panel.get_by_role("group", name="确认督办牌")
    ack.get_by_label("确认说明（选填）").fill("已督促经办人今日办结")
    ack.get_by_role("button", name="确认督办牌").click()
    expect(lead.get_by_role("status")).to_contain_text("已完成：确认督办牌")
    expect(panel.get_by_text("已督促经办人今日办结")).to_be_visible()
    expect(panel.get_by_role("group", name="确认督办牌")).to_have_count(0)

    # Appealed with a reason: an empty one is asked for; a failed submit keeps the reason.
    appeal = panel.get_by_role("group", name="申诉")
    appeal.get_by_role("button", name="提交申诉").click()
    expect(appeal.get_by_text("请填写申诉理由")).to_be_visible()
    reason = "系统故障导致超期，已附运维记录"
    appeal.get_by_label("申诉理由").fill(reason)
    lead.route("**/appeal", lambda route: route.abort())
    _submit_confirmed(lead, "申诉", "提交申诉")
    expect(appeal.get_by_role("alert")).to_contain_text("无法连接服务")
    expect(appeal.get_by_label("申诉理由")).to_have_value(reason)
    lead.unroute("**/appeal")
    _submit_confirmed(lead, "申诉", "提交申诉")
    expect(lead.get_by_role("status")).to_contain_text("已完成：申诉")
    # The form and its dialog are gone: the keyboard goes on from the outcome, not <body>.
    expect(lead.get_by_role("status").get_by_text("已完成：申诉")).to_be_focused()
    expect(panel.get_by_text(reason)).to_be_visible()
    expect(panel.get_by_text("申诉待裁决")).to_be_visible()
    expect(panel).to_contain_text("郑科长（我）")   # who appealed, by name
    expect(panel.get_by_role("group", name="申诉")).to_have_count(0)  # once only
    shoot(lead, "staff-department-card-appealed")

    # The stage's card, acknowledged by a colleague meanwhile: the lead is told, the card
    # reloaded (acknowledged), the note not taken.
    _row_button(lead, f"黄牌 {case_no} 审查环节").click()
    stage_panel = lead.get_by_role("region", name=f"黄牌：{case_no}")
    stage_ack = stage_panel.get_by_role("group", name="确认督办牌")
    stage_ack.get_by_label("确认说明（选填）").fill("另行处理")
    stage = carded["yellow"]["stage"]["cardId"]
    status, body = api.call("POST", f"/supervision/cards/{stage}/acknowledge",
                            {"note": "同事已确认"}, token=api.token("scjg2"))
    assert status == 200, body
    stage_ack.get_by_role("button", name="确认督办牌").click()
    expect(lead.get_by_role("alert").filter(has_text="该督办牌已确认")).to_contain_text(
        "页面已重新加载")
    expect(stage_panel.get_by_text("同事已确认")).to_be_visible()
    expect(stage_panel.get_by_role("group", name="确认督办牌")).to_have_count(0)

    # The breaches page (by kind, in the address).
    lead.get_by_role("link", name="违规记录").click()
    expect(lead.get_by_role("heading", level=1, name="部门督办：违规记录")).to_be_visible()
    lead.get_by_label("违规类型").select_option(label="超时受理")
    lead.get_by_role("button", name="筛选").click()
    lead.wait_for_url(re.compile(r"/staff/department/breaches\?kind=late_acceptance$"))
    expect(lead.get_by_text("没有符合条件的记录。")).to_be_visible()
    check_axe(lead, "staff-department-breaches")
    shoot(lead, "staff-department-breaches")

    # The supervisor: the appeal waits among every department's; upheld with an opinion.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    try:
        sup = context.new_page()
        open_workbench(sup, stack, "supervisor", "supervision")
        expect(sup.get_by_role("heading", level=1, name="监察处理：申诉裁决")).to_be_visible()
        appeals = sup.get_by_role("table", name="督办牌申诉")
        expect(appeals.get_by_role("row").filter(has_text=case_no)).to_have_count(1)
        expect(appeals.get_by_text(reason)).to_be_visible()
        expect(appeals.get_by_role("row").filter(has_text=case_no)).to_contain_text(scjg)
        expect(appeals.get_by_role("cell", name="SCJG", exact=True)).to_have_count(0)
        check_axe(sup, "staff-supervision-appeals")
        _row_button(sup, f"黄牌 {case_no} 任务").click()
        decision = sup.get_by_role("group", name="裁决申诉")
        decision.get_by_label("申诉成立（撤销督办牌）").check()
        decision.get_by_label("意见").fill("系统故障属实，撤销黄牌")
        shoot(sup, "staff-supervision-appeal-open")
        _submit_confirmed(sup, "裁决申诉", "提交裁决")
        expect(sup.get_by_role("status")).to_contain_text("已完成：裁决申诉")
        expect(sup.get_by_role("status").get_by_text("已完成：裁决申诉")).to_be_focused()
        expect(sup.get_by_text("没有符合条件的记录。")).to_be_visible()  # nothing pending
        sup.get_by_label("申诉状态").select_option(label="申诉成立")
        sup.get_by_label("部门").select_option(value="SCJG")
        sup.get_by_role("button", name="筛选").click()
        sup.wait_for_url(re.compile(r"/staff/supervision\?dept=SCJG&appeal=upheld$"))
        expect(appeals.get_by_role("row").filter(has_text=case_no)).to_have_count(1)
        shoot(sup, "staff-supervision-appeals-upheld")
    finally:
        context.close()

    # The lead sees the outcome: the card withdrawn, the opinion given.
    lead.goto(f"{stack.workbench}department?level=yellow")
    row = table.get_by_role("row").filter(has_text="申诉成立")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("已撤销")
    _row_button(lead, f"黄牌 {case_no} 任务").click()
    expect(lead.get_by_text("系统故障属实，撤销黄牌")).to_be_visible()
    expect(lead.get_by_role("region", name=f"黄牌：{case_no}")).to_contain_text("冯监察")
    assert _cards(api, case_no, api.token("supervisor"), level="yellow")["task"]["state"] == \
        "withdrawn"


@pytest.fixture(scope="module")
def rated(api, carded) -> dict:
    """The carded case decided at last and rated badly twice by the company: the case 1 of
    5 and SCJG's review stage 2 of 5 — each opens a rectification for SCJG."""
    scjg, company = api.token("scjg"), carded["company"]
    case_no = carded["caseNo"]
    api.decide(api.task_of(case_no, "SCJG", scjg), "approve", "同意", scjg)
    api.until(lambda: api.call("GET", f"/cases/{case_no}", token=company)[1],
              lambda c: c.get("status") == 11)
    made = {}
    for scope, body in (("case", {"scope": "case", "level": 1, "comment": "超期一周才办结"}),
                        ("stage", {"scope": "stage", "stage": 1, "level": 2,
                                   "comment": "审查人员态度恶劣，骂人"})):
        status, rating = api.call("POST", f"/cases/{case_no}/ratings", body, token=company)
        assert status == 201, rating
        made[scope] = rating["ratingId"]
    return made


def _rating(api, rating_id: str) -> dict:
    status, page = api.call("GET", "/ratings?dept=SCJG&limit=100",
                            token=api.token("supervisor"))
    assert status == 200, page
    return next(r for r in page["ratings"] if r["ratingId"] == rating_id)


def test_a_bad_rating_is_called_back_rectified_and_reviewed(stack, api, browser, desktop,
                                                            carded, rated):
    case_no = carded["caseNo"]
    lead = desktop
    open_workbench(lead, stack, "scjg_lead", "department/ratings?state=open")
    expect(lead.get_by_role("heading", level=1, name="部门督办：差评整改")).to_be_visible()
    expect(lead.get_by_label("整改状态")).to_have_value("open")
    table = lead.get_by_role("table", name="本部门收到的评价")
    row = table.get_by_role("row").filter(has_text="超期一周才办结")
    expect(row).to_contain_text("待回访")
    check_axe(lead, "staff-department-ratings")
    row.get_by_role("button", name=f"处理 评价 {case_no}").click()
    panel = lead.get_by_role("region", name=f"评价：{case_no}")
    scjg = _names(api)["SCJG"]
    expect(panel).to_contain_text(f"部门{scjg}")  # by its name, not SCJG
    expect(panel.get_by_role("group", name="整改答复")).to_have_count(0)  # not yet
    callback = panel.get_by_role("group", name="核实回访")
    callback.get_by_label("情况属实").check()
    callback.get_by_label("回访记录").fill("已电话回访，情况属实")
    callback.get_by_role("button", name="提交回访结果").click()
    expect(lead.get_by_role("status")).to_contain_text("已完成：核实回访")
    # Called back, it has left the "open" list; it waits under its new state.
    expect(table.get_by_role("row").filter(has_text="超期一周才办结")).to_have_count(0)
    lead.get_by_label("整改状态").select_option(label="已回访待整改")
    lead.get_by_role("button", name="筛选").click()
    lead.wait_for_url(re.compile(r"state=called_back"))
    table.get_by_role("row").filter(has_text="超期一周才办结").get_by_role("button").click()
    rectify = panel.get_by_role("group", name="整改答复")
    rectify.get_by_label("整改措施").fill("审查任务每日跟踪到期")
    rectify.get_by_label("答复内容").fill("已整改，今后按时办结")
    check_axe(lead, "staff-department-rating-open")
    shoot(lead, "staff-department-rating-open")
    _submit_confirmed(lead, "整改答复", "提交整改")
    expect(lead.get_by_role("status")).to_contain_text("已完成：整改答复")
    assert _rating(api, rated["case"])["rectification"]["state"] == "rectified"

    # The company asks for a re-review; the supervisor sends it back with an opinion.
    status, body = api.call("POST", f"/ratings/{rated['case']}/response",
                            {"accept": False, "reason": "整改流于形式"}, token=carded["company"])
    assert status == 200, body
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    try:
        sup = context.new_page()
        open_workbench(sup, stack, "supervisor", "supervision/ratings")
        expect(sup.get_by_role("heading", level=1, name="监察处理：差评复核与申辩")).to_be_visible()
        waiting = sup.get_by_role("table", name="待裁决的评价")
        expect(waiting.get_by_role("row").filter(has_text="超期一周才办结")).to_contain_text(scjg)
        waiting.get_by_role("row").filter(has_text="超期一周才办结").get_by_role("button").click()
        expect(sup.get_by_text("整改流于形式")).to_be_visible()
        review = sup.get_by_role("group", name="复核裁决")
        review.get_by_label("退回部门重新整改").check()
        review.get_by_label("意见").fill("整改措施不具体，请重新整改")
        check_axe(sup, "staff-supervision-ratings")
        shoot(sup, "staff-supervision-ratings")
        _submit_confirmed(sup, "复核裁决", "提交裁决")
        expect(sup.get_by_role("status")).to_contain_text("已完成：复核裁决")
    finally:
        context.close()
    rectification = _rating(api, rated["case"])["rectification"]
    assert (rectification["state"], rectification["round"]) == ("called_back", 2)

    # Back with the department, round 2: rectify again; no contest any more.
    lead.reload()
    table.get_by_role("row").filter(has_text="超期一周才办结").get_by_role("button").click()
    expect(panel).to_contain_text("第2轮")
    expect(panel.get_by_text("整改措施不具体，请重新整改")).to_be_visible()
    expect(panel.get_by_role("group", name="整改答复")).to_be_visible()
    expect(panel.get_by_role("group", name="恶意差评申辩")).to_have_count(0)


def test_the_lead_contests_an_abusive_rating_and_the_supervisor_rejects_it(
        stack, api, browser, desktop, carded, rated):
    case_no = carded["caseNo"]
    lead = desktop
    open_workbench(lead, stack, "scjg_lead", "department/ratings?level=2")
    row = lead.get_by_role("table", name="本部门收到的评价").get_by_role("row").filter(
        has_text="审查人员态度恶劣")
    row.get_by_role("button", name=f"处理 评价 {case_no}").click()
    # A colleague called the rater back meanwhile: the lead's call back is refused, said so,
    # and the rating reloaded — now to be rectified, and still contestable.
    callback = lead.get_by_role("group", name="核实回访")
    callback.get_by_label("情况不属实").check()
    callback.get_by_label("回访记录").fill("评价人拒绝沟通")
    status, body = api.call("POST", f"/ratings/{rated['stage']}/callback",
                            {"verified": False, "note": "同事已回访"}, token=api.token("scjg2"))
    assert status == 200, body
    callback.get_by_role("button", name="提交回访结果").click()
    expect(lead.get_by_role("alert").filter(has_text="整改当前状态不允许此操作")).to_contain_text(
        "页面已重新加载")
    expect(lead.get_by_text("同事已回访")).to_be_visible()
    expect(lead.get_by_role("group", name="核实回访")).to_have_count(0)
    expect(lead.get_by_role("group", name="整改答复")).to_be_visible()
    contest = lead.get_by_role("group", name="恶意差评申辩")
    contest.get_by_label("申辩理由").fill("评价内容与事实不符，审查全程录音")
    contest.get_by_label("证据").fill("录音 SCJG-20261204-01\n窗口监控记录")
    _submit_confirmed(lead, "恶意差评申辩", "提交申辩")
    expect(lead.get_by_role("status")).to_contain_text("已完成：恶意差评申辩")
    expect(row).to_contain_text("申辩中")
    assert _rating(api, rated["stage"])["rectification"]["contest"]["evidence"] == [
        "录音 SCJG-20261204-01", "窗口监控记录"]

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    try:
        sup = context.new_page()
        open_workbench(sup, stack, "supervisor", "supervision/ratings?state=contested&dept=SCJG")
        expect(sup.get_by_label("待裁决事项")).to_have_value("contested")
        sup.get_by_role("table", name="待裁决的评价").get_by_role("row").filter(
            has_text="审查人员态度恶劣").get_by_role("button").click()
        expect(sup.get_by_text("窗口监控记录")).to_be_visible()
        decision = sup.get_by_role("group", name="申辩裁决")
        decision.get_by_label("驳回申辩（继续整改）").check()
        decision.get_by_label("意见").fill("证据不足，继续整改")
        _submit_confirmed(sup, "申辩裁决", "提交裁决")
        expect(sup.get_by_role("status")).to_contain_text("已完成：申辩裁决")
    finally:
        context.close()
    assert _rating(api, rated["stage"])["rectification"]["state"] == "called_back"


def test_the_lead_suspends_and_resumes_a_license_of_the_department(stack, api, desktop,
                                                                   business_license):
    """Only the purpose the lead typed reads the license — once: opening a link to it reads
    nothing (the purpose is asked for), and a change refreshes only its public status; the
    holder's 用证记录 shows exactly that one read."""
    company = api.token("company")
    logged_before = len(_access_log(api, company))
    lead = desktop
    open_workbench(lead, stack, "scjg_lead", f"department/licenses?id={business_license}")
    expect(lead.get_by_role("heading", level=1, name="部门督办：证照管理")).to_be_visible()
    expect(lead.get_by_label("证照标识")).to_have_value(business_license)
    expect(lead.get_by_label("用证事由")).to_have_value("")
    expect(lead.get_by_text("请填写用证事由后点击“查找证照”")).to_be_visible()
    expect(lead.get_by_role("region", name=re.compile("营业执照"))).to_have_count(0)
    check_axe(lead, "staff-department-licenses-empty")
    lead.reload()
    expect(lead.get_by_label("证照标识")).to_have_value(business_license)
    expect(lead.get_by_text("请填写用证事由后点击“查找证照”")).to_be_visible()
    assert len(_access_log(api, company)) == logged_before  # nothing read yet
    purpose = "核查经营场所（督办）"
    lead.get_by_label("用证事由").fill(purpose)
    lead.get_by_role("button", name="查找证照").click()
    panel = lead.get_by_role("region", name=re.compile("营业执照"))
    expect(panel.get_by_text("有效", exact=True)).to_be_visible()
    expect(panel).to_contain_text(f"发证部门{_names(api)['SCJG']}")
    expect(panel.get_by_role("group", name="撤销证照")).to_be_visible()
    check_axe(lead, "staff-department-license")
    shoot(lead, "staff-department-license")

    suspend = panel.get_by_role("group", name="暂停证照")
    suspend.get_by_label("理由").fill("经营场所核查中")
    _submit_confirmed(lead, "暂停证照", "暂停证照")
    expect(lead.get_by_role("status")).to_contain_text("已完成：暂停证照")
    expect(panel.get_by_text("已暂停", exact=True)).to_be_visible()
    expect(panel.get_by_text("经营场所核查中")).to_be_visible()
    assert api.call("GET", f"/licenses/{business_license}/status")[1]["status"] == "suspended"

    resume = panel.get_by_role("group", name="恢复证照")
    resume.get_by_label("理由").fill("核查无误，恢复使用")
    _submit_confirmed(lead, "恢复证照", "恢复证照")
    expect(lead.get_by_role("status")).to_contain_text("已完成：恢复证照")
    expect(panel.get_by_text("有效", exact=True)).to_be_visible()
    status = api.call("GET", f"/licenses/{business_license}/status")[1]
    assert (status["status"], status["statusReason"]) == ("valid", "核查无误，恢复使用")
    log = _access_log(api, company)
    assert [e.get("purpose") for e in log[:len(log) - logged_before]] == [purpose]

    # Reissued under the company's new name: the old version superseded, nothing more to do.
    reissue = panel.get_by_role("group", name="换发新版本")
    reissue.get_by_label("新的持证主体名称（选填）").fill("深圳小吃餐饮有限公司")
    reissue.get_by_label("理由").fill("企业名称变更")
    _submit_confirmed(lead, "换发新版本", "换发新版本")
    expect(lead.get_by_role("status")).to_contain_text("已完成：换发新版本")
    expect(panel.get_by_text("已被新版本替代", exact=True)).to_be_visible()
    expect(panel.get_by_text("当前状态下没有您可以办理的操作。")).to_be_visible()
    status = api.call("GET", f"/licenses/{business_license}/status")[1]
    assert status["status"] == "superseded" and status["supersededBy"]
    expect(panel.get_by_text(status["supersededBy"])).to_be_visible()


def test_the_supervisor_revokes_a_case_after_confirming(stack, api, desktop):
    company = api.token("company")
    case_no = food_case(api, company, "撤销小吃店")
    sup = desktop
    open_workbench(sup, stack, "supervisor", "supervision/revoke")
    expect(sup.get_by_role("heading", level=1, name="监察处理：撤销办件")).to_be_visible()
    check_axe(sup, "staff-supervision-revoke-empty")
    sup.get_by_label("办件编号").fill(case_no)
    sup.get_by_role("button", name="查找办件").click()
    sup.wait_for_url(re.compile(rf"/staff/supervision/revoke\?case={case_no}$"))
    panel = sup.get_by_role("region").filter(has_text=case_no)
    expect(panel).to_contain_text("已接件")
    expect(panel).not_to_contain_text("已接件（1）")  # the status's label, not its code
    form = panel.get_by_role("group", name="撤销办件")
    form.get_by_label("撤销理由").fill("申请材料涉嫌伪造")
    form.get_by_role("button", name="撤销办件").click()
    dialog = sup.get_by_role("dialog", name="确认撤销办件")
    expect(dialog).to_contain_text(case_no)
    check_axe(sup, "staff-supervision-revoke-confirm")
    shoot(sup, "staff-supervision-revoke-confirm")
    dialog.get_by_role("button", name="取消").click()  # nothing happens without the confirm
    assert api.call("GET", f"/cases/{case_no}", token=company)[1]["status"] == 1
    expect(form.get_by_label("撤销理由")).to_have_value("申请材料涉嫌伪造")
    _submit_confirmed(sup, "撤销办件", "撤销办件")
    expect(sup.get_by_role("status")).to_contain_text("已完成：撤销办件")
    expect(panel).to_contain_text("撤销")
    expect(panel.get_by_text("不能再撤销")).to_be_visible()
    shoot(sup, "staff-supervision-revoked")
    assert api.call("GET", f"/cases/{case_no}", token=company)[1]["status"] == 15


@pytest.mark.parametrize(("user", "path"), [("scjg", "department"),
                                            ("scjg_lead", "supervision"),
                                            ("supervisor", "department/licenses")])
def test_a_role_without_the_area_is_refused(stack, desktop, user, path):
    open_workbench(desktop, stack, user, path)
    expect(desktop.get_by_role("heading", name="无权访问此页面")).to_be_visible()
    check_axe(desktop, f"staff-forbidden-{user}-{path}")


def test_the_leads_cards_fit_a_phone(stack, phone, carded):
    """Desktop first, but nothing breaks at 360 px: the table scrolls sideways in its own
    box, the page does not."""
    open_workbench(phone, stack, "scjg_lead", "department?level=yellow")
    table = phone.get_by_role("table", name="本部门的预警与督办牌")
    expect(table.get_by_role("row").filter(has_text=carded["caseNo"]).first).to_be_attached()
    shoot(phone, "staff-department-cards-phone")
    wide = phone.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter((e) => e.getBoundingClientRect().right > 361)
        .map((e) => e.tagName + '.' + e.className + ' '
                    + Math.round(e.getBoundingClientRect().right))
        .slice(0, 12)""")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], wide
    check_axe(phone, "staff-department-cards-phone")
