"""The supervision dashboard (监察看板) and the statistics pages (统计报表) of the workbench:
a case whose review goes overdue — the stack's clock moved on in working days and the
overdue sweep run, as `make clock` and `make sweep` do — is carded; the supervisor's
dashboard shows the card in "cards by level and department", its data table drills down to
the card list with the case, and the case number opens the case. The applicant's bad rating
shows in the rating distribution and drills down to the rating. The statistics page shows
the month's figures as the API counts them, and the evaluators' CSV export downloads with
its header line. A reviewer is refused both. Every page passes axe and is kept as a
screenshot at 1280 px."""
import re
import urllib.parse

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import FOOD, check_axe, open_workbench, shoot
from tests.browser.staff_cases import local_command, overdue_food_case

LEVELS = {"warning": "预警", "yellow": "黄牌", "red": "红牌"}
BAR_COLOURS = {"warning": "#0052d9", "yellow": "#c98a00", "red": "#d54941"}  # the chart's


@pytest.fixture(scope="module")
def carded(stack, api):
    """A food licence case accepted at the counter that SCJG leaves undecided past its
    deadline: the clock moved to office hours, the case applied for and accepted, then moved
    on past the promised 5 working days, and the sweep run. The case, SCJG's name and the
    levels of the cards its department got for it."""
    case_no, swept = overdue_food_case(stack, api, "看板小吃店")
    assert swept["cards"] > 0, swept
    supervisor = api.token("supervisor")
    cards = api.call("GET", "/supervision/cards?dept=SCJG&limit=100", token=supervisor)[1]["cards"]
    levels = {c["level"] for c in cards if c["caseNo"] == case_no}
    assert levels, cards
    depts = {d["code"]: d["name"] for d in api.call("GET", "/directory")[1]["departments"]}
    return {"caseNo": case_no, "scjg": depts["SCJG"], "levels": levels,
            "count": {level: sum(1 for c in cards if c["level"] == level) for level in levels},
            "ofCase": {level: sum(1 for c in cards
                                 if c["level"] == level and c["caseNo"] == case_no)
                       for level in levels}}


def _month(api, token) -> str:
    """This month on the stack's (moved) clock: the month the API counts figures in."""
    return api.call("GET", "/stats", token=token)[1]["to"]


def test_the_card_of_an_overdue_case_drills_down_to_the_case(stack, api, desktop, carded):
    open_workbench(desktop, stack, "supervisor", "dashboard")
    expect(desktop.get_by_role("heading", level=1, name="监察看板")).to_be_visible()
    assert desktop.title() == "监察看板 - 政务服务工作台"
    section = desktop.get_by_role("region", name="预警与亮牌（按等级和部门）")
    level = "red" if "red" in carded["levels"] else sorted(carded["levels"])[0]
    count = carded["count"][level]
    # The chart is named by what it shows: the department and its cards by level.
    expect(section.get_by_role("img", name=re.compile(
        f"{carded['scjg']}：.*{LEVELS[level]}{count}"))).to_be_visible()
    for other in ("按期办结率（按部门和月份）", "满意度趋势", "评价等级分布（按部门）",
                  "差评整改率", "全程网办占比", "各事项办理用时（工作日）"):
        expect(desktop.get_by_role("heading", level=2, name=other)).to_be_visible()
    check_axe(desktop, "staff-dashboard")
    shoot(desktop, "staff-dashboard")

    # Overdue now: SCJG's review task, past its deadline; its table drills down to the task.
    overdue = desktop.get_by_role("region", name="当前逾期与今日到期（按部门）")
    expect(overdue.get_by_role("img", name=re.compile(f"{carded['scjg']}：已超期1"))) \
        .to_be_visible()
    expect(desktop.get_by_role("region", name="在办件剩余办理时间（按部门）").get_by_role(
        "img", name=re.compile(f"{carded['scjg']}：已超期1"))).to_be_visible()
    overdue.get_by_text("查看数据表").click()
    overdue.get_by_role("link", name=f"查看{carded['scjg']}已超期的任务（1件）").click()
    expect(desktop.get_by_role("heading", level=1)).to_have_text(f"{carded['scjg']}：已超期")
    task = desktop.get_by_role("row").filter(has=desktop.get_by_role("link", name=carded["caseNo"]))
    expect(task).to_contain_text("审查 1")
    expect(task).to_contain_text("已逾期")
    check_axe(desktop, "staff-dashboard-tasks")
    shoot(desktop, "staff-dashboard-tasks")
    desktop.get_by_role("link", name="返回监察看板").click()
    section = desktop.get_by_role("region", name="预警与亮牌（按等级和部门）")

    # A click on the bar opens the same drill-down as the table's link.
    section.locator(f"svg path[fill='{BAR_COLOURS[level]}']").first.click()
    desktop.wait_for_url(re.compile(r"/staff/dashboard/cards\?"))
    expect(desktop.get_by_role("heading", level=1)).to_have_text(
        f"{carded['scjg']}的{LEVELS[level]}")
    desktop.go_back()
    section = desktop.get_by_role("region", name="预警与亮牌（按等级和部门）")

    # The keyboard's way into the drill-down: the data table, a link per department and level.
    desktop_from = desktop.get_by_label("起始月份").input_value()
    desktop_to = desktop.get_by_label("截止月份").input_value()
    section.get_by_text("查看数据表").click()
    table = section.get_by_role("table", name="预警与亮牌（按等级和部门）")
    row = table.get_by_role("row").filter(has=desktop.get_by_role("rowheader", name=carded["scjg"]))
    link = row.get_by_role("link", name=f"查看{carded['scjg']}的{LEVELS[level]}（{count}件）")
    link.focus()
    desktop.keyboard.press("Enter")
    desktop.wait_for_url(re.compile(r"/staff/dashboard/cards\?"))
    shown_range = {"from": [desktop_from], "to": [desktop_to]}
    assert urllib.parse.parse_qs(urllib.parse.urlparse(desktop.url).query) == \
        {"dept": ["SCJG"], "level": [level], **shown_range}
    expect(desktop.get_by_role("heading", level=1)).to_have_text(
        f"{carded['scjg']}的{LEVELS[level]}")
    cards = desktop.get_by_role("table").get_by_role("row").filter(
        has=desktop.get_by_role("link", name=carded["caseNo"]))
    expect(cards).to_have_count(carded["ofCase"][level])
    expect(cards.first).to_contain_text("食品经营许可")
    # The list is not by month: the page says so.
    expect(desktop.get_by_text("含统计范围以外的")).to_be_visible()
    check_axe(desktop, "staff-dashboard-cards")
    shoot(desktop, "staff-dashboard-cards")

    cards.first.get_by_role("link", name=carded["caseNo"]).click()
    expect(desktop.get_by_role("heading", level=1)).to_have_text(f"办件 {carded['caseNo']}")
    expect(desktop.get_by_text("承诺期限")).to_be_visible()  # its missed deadline, in words
    expect(desktop.get_by_role("table", name="办理任务").get_by_role("row").filter(
        has_text=carded["scjg"])).to_contain_text("已逾期")
    check_axe(desktop, "staff-dashboard-case")
    shoot(desktop, "staff-dashboard-case")

    # The cards chart follows the months asked for: a year before the cards, none.
    desktop.get_by_role("link", name="返回监察看板").click()
    year_before = f"{int(desktop_to[:4]) - 1}{desktop_to[4:]}"
    desktop.get_by_label("起始月份").fill(year_before)
    desktop.get_by_label("截止月份").fill(year_before)
    desktop.get_by_role("button", name="查询").click()
    expect(desktop.get_by_text(f"统计范围：{year_before} 至 {year_before}")).to_be_visible()
    section = desktop.get_by_role("region", name="预警与亮牌（按等级和部门）")
    expect(section.get_by_role("img", name=re.compile(carded["scjg"]))).to_have_count(0)
    expect(section).to_contain_text("暂无预警或亮牌")
    assert not desktop.page_errors


def test_a_bad_rating_shows_in_the_distribution_and_drills_down_to_it(stack, api, desktop,
                                                                        carded):
    case_no = carded["caseNo"]
    scjg, company = api.token("scjg"), api.token("company")
    api.decide(api.task_of(case_no, "SCJG", scjg), "approve", "同意", scjg)
    api.until(lambda: api.call("GET", f"/cases/{case_no}", token=company)[1],
              lambda c: c.get("status") == 11)
    status, body = api.call("POST", f"/cases/{case_no}/ratings", {
        "scope": "case", "level": 1, "comment": "超期一周才办结"}, token=company)
    assert status == 201, body
    month = _month(api, api.token("supervisor"))
    ratings = api.until(lambda: api.call("GET", "/ratings?dept=SCJG&limit=100",
                                         token=api.token("supervisor"))[1]["ratings"],
                        lambda found: any(r["caseNo"] == case_no for r in found))
    bad = sum(1 for r in ratings if r["level"] == 1 and not r["excluded"]
              and r["at"][:7] <= month)

    open_workbench(desktop, stack, "supervisor", "dashboard")
    desktop.get_by_label("截止月份").fill(month)
    desktop.get_by_role("button", name="查询").click()
    section = desktop.get_by_role("region", name="评价等级分布（按部门）")
    expect(section.get_by_role("img", name=re.compile(
        f"{carded['scjg']}：.*非常不满意{bad}"))).to_be_visible()
    section.get_by_text("查看数据表").click()
    section.get_by_role("link", name=f"查看{carded['scjg']}的非常不满意评价（{bad}条）").click()
    expect(desktop.get_by_role("heading", level=1)).to_contain_text("评价明细")
    row = desktop.get_by_role("row").filter(has=desktop.get_by_role("link", name=case_no))
    expect(row).to_contain_text("超期一周才办结")
    expect(row).to_contain_text("待回访")
    check_axe(desktop, "staff-dashboard-ratings")
    shoot(desktop, "staff-dashboard-ratings")

    # The case concluded late: the on-time rate of SCJG's month drills down to it.
    desktop.get_by_role("link", name="返回监察看板").click()
    desktop.get_by_label("截止月份").fill(month)
    desktop.get_by_role("button", name="查询").click()
    on_time = desktop.get_by_role("region", name="按期办结率（按部门和月份）")
    expect(on_time.get_by_role("img", name=re.compile(f"{carded['scjg']} .*0%"))).to_be_visible()
    on_time.get_by_text("查看数据表").click()
    concluded = api.call("GET", f"/stats?from={month}&to={month}&dept=SCJG",
                         token=api.token("supervisor"))[1]["total"]["concluded"]
    on_time.get_by_role(
        "link", name=f"查看{carded['scjg']} {month} 办结的办件（{concluded}件）").click()
    expect(desktop.get_by_role("heading", level=1)).to_have_text(
        f"{carded['scjg']} {month} 办结的办件")
    row = desktop.get_by_role("row").filter(has=desktop.get_by_role("link", name=case_no))
    expect(row.get_by_role("cell")).to_have_text(
        ["食品经营许可（新办）", carded["scjg"], "网上办事大厅", re.compile(r"\d{4}-"), "准予许可",
         re.compile(r"^\d+(\.\d+)?$"), "否", "是"])
    expect(desktop.get_by_text("每项最多")).to_have_count(0)
    check_axe(desktop, "staff-dashboard-counted")
    shoot(desktop, "staff-dashboard-counted")
    # The case is concluded: no time left to count down, the time it took instead.
    row.get_by_role("link", name=case_no).click()
    facts = desktop.locator("dl")
    expect(facts).to_contain_text("已办结")
    expect(facts).to_contain_text("办理用时")
    expect(facts).not_to_contain_text(re.compile(r"剩余时间\s*-?\d"))
    desktop.go_back()

    # Working days per item: the food licence's average and P90 as GET /stats?item= has
    # them, drilling down to its concluded cases; the fully-online share to the month's.
    desktop.go_back()
    item = api.call("GET", f"/stats?from={month}&to={month}&item={FOOD}",
                    token=api.token("supervisor"))[1]["total"]
    items = desktop.get_by_role("region", name="各事项办理用时（工作日）")
    expect(items.get_by_role("img", name=re.compile(
        f"食品经营许可（新办） 平均用时{item['averageWorkingDays']:g} "
        f"P90 用时{item['p90WorkingDays']:g}"))).to_be_visible()
    items.get_by_text("查看数据表").click()
    items.get_by_role(
        "link", name=f"查看食品经营许可（新办）办结的办件（{item['concluded']}件）").click()
    expect(desktop.get_by_role("heading", level=1)).to_contain_text("食品经营许可（新办）")
    expect(desktop.get_by_role("link", name=case_no)).to_be_visible()
    desktop.go_back()
    online = desktop.get_by_role("region", name="全程网办占比")
    online.get_by_text("查看数据表").click()
    online.get_by_role("row").filter(
        has=desktop.get_by_role("rowheader", name=month)).get_by_role("link").click()
    expect(desktop.get_by_role("heading", level=1)).to_have_text(f"全部部门 {month} 全程网办的办件")
    expect(desktop.get_by_role("link", name=case_no)).to_be_visible()
    assert not desktop.page_errors


def test_the_supervision_records_chain_status(stack, desktop, carded):
    """The record holds; an entry of today's chain changed in the table (the local tamper
    command, as `make verify-audit`'s walk-through does) is named at its place."""
    open_workbench(desktop, stack, "supervisor", "dashboard")
    desktop.get_by_role("link", name="监察记录校验").click()
    expect(desktop.get_by_role("heading", level=1, name="监察记录校验")).to_be_visible()
    verdict = desktop.get_by_role("region", name=re.compile("至"))
    expect(verdict).to_contain_text("完整")
    expect(desktop.get_by_label("起始日期")).not_to_have_value("")
    expect(desktop.get_by_text("make verify-audit")).to_have_count(0)
    chains = desktop.get_by_role("table", name="逐日链条")
    expect(chains.get_by_role("rowheader").first).to_have_text(re.compile(r"^\d{4}-\d{2}-\d{2}$"))
    check_axe(desktop, "staff-dashboard-record")
    shoot(desktop, "staff-dashboard-record")

    local_command(stack, "infra.local.tamper")
    desktop.get_by_role("button", name="校验").click()
    expect(verdict).to_contain_text("已被篡改或缺失")
    expect(desktop.get_by_role("table", name="逐日链条").get_by_role("row").filter(
        has_text="第 1 条不符")).to_have_count(1)
    shoot(desktop, "staff-dashboard-record-broken")


def test_the_months_figures_and_the_csv_export(stack, api, desktop, carded, tmp_path):
    supervisor = api.token("supervisor")
    month = _month(api, supervisor)
    figures = api.call("GET", f"/stats?from={month}&to={month}&dept=SCJG",
                       token=supervisor)[1]["total"]
    assert figures["received"] >= 1, figures

    scripts: list[str] = []
    desktop.on("request", lambda request: scripts.append(request.url)
               if request.resource_type == "script" else None)
    open_workbench(desktop, stack, "supervisor", "statistics")
    expect(desktop.get_by_role("heading", level=1, name="统计报表")).to_be_visible()
    # The dashboard's chunk (ECharts) is not loaded by the statistics page.
    assert scripts and not any("/DashboardPage-" in url for url in scripts), scripts
    # The same range as the dashboard opens with: this month and the five before.
    to_month = desktop.get_by_label("截止月份").input_value()
    year, number = int(to_month[:4]), int(to_month[5:])
    index = year * 12 + number - 1 - 5
    expect(desktop.get_by_label("起始月份")).to_have_value(f"{index // 12}-{index % 12 + 1:02d}")
    desktop.get_by_label("起始月份").fill(month)
    desktop.get_by_label("截止月份").fill(month)
    desktop.get_by_label("统计对象").select_option(label="按部门")
    desktop.get_by_label("部门", exact=True).select_option(label=carded["scjg"])
    desktop.get_by_role("button", name="查询").click()
    table = desktop.get_by_role("table", name=f"{carded['scjg']}，{month} 至 {month}")
    expect(table.get_by_role("columnheader")).to_have_text(["指标", month, "合计"])
    for measure, key in (("收件数", "received"), ("受理数", "accepted"),
                         ("黄牌", None), ("逾期件数", "overdue")):
        value = figures[key] if key else figures["cards"]["yellow"]
        expect(table.get_by_role("row").filter(
            has=desktop.get_by_role("rowheader", name=measure, exact=True)
        ).get_by_role("cell")).to_have_text([str(value), str(value)])
    check_axe(desktop, "staff-statistics")
    shoot(desktop, "staff-statistics")

    desktop.get_by_label("导出月份").fill(month)
    with desktop.expect_download() as download:
        desktop.get_by_role("button", name="导出 CSV").click()
    assert download.value.suggested_filename == f"onewindow-statistics-{month}.csv"
    saved = tmp_path / "export.csv"
    download.value.save_as(saved)
    lines = saved.read_text("utf-8").splitlines()
    assert lines[0].startswith("month,dimension,received,accepted,refused,concluded")
    assert any(line.startswith(f"{month},dept#SCJG,") for line in lines[1:])
    expect(desktop.get_by_text(f"已下载 onewindow-statistics-{month}.csv")).to_be_visible()
    assert not desktop.page_errors


@pytest.mark.parametrize("path", ["dashboard", "statistics", "dashboard/cards?dept=SCJG"])
def test_a_reviewer_is_refused_the_dashboard_and_the_statistics(stack, desktop, path):
    open_workbench(desktop, stack, "scjg", path)
    expect(desktop.get_by_role("heading", level=1, name="无权访问此页面")).to_be_visible()
    assert not desktop.get_by_role("link", name="监察看板").count()
    if path == "dashboard":
        check_axe(desktop, "staff-dashboard-forbidden")


def test_an_evaluator_reads_the_statistics_but_not_the_dashboard(stack, desktop):
    open_workbench(desktop, stack, "evaluator", "statistics")
    expect(desktop.get_by_role("heading", level=1, name="统计报表")).to_be_visible()
    expect(desktop.get_by_role("button", name="导出 CSV")).to_be_visible()
    desktop.goto(f"{stack.workbench}dashboard")
    expect(desktop.get_by_role("heading", level=1, name="无权访问此页面")).to_be_visible()


@pytest.mark.parametrize("path, heading", [("dashboard", "监察看板"), ("statistics", "统计报表")])
def test_nothing_breaks_on_a_phone(stack, phone, path, heading):
    """Desktop first, but at 360 px the page still fits its width (wide tables scroll in
    their own box) and passes axe."""
    open_workbench(phone, stack, "supervisor", path)
    expect(phone.get_by_role("heading", level=1, name=heading)).to_be_visible()
    expect(phone.get_by_role("button", name="查询")).to_be_enabled()
    phone.wait_for_load_state("networkidle")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    for summary in phone.get_by_text("查看数据表").all():
        summary.click()  # the data tables open: still within the width
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    check_axe(phone, f"staff-{path}-phone")
    shoot(phone, f"staff-{path}-phone")


def test_the_drill_downs_fit_a_phone(stack, api, phone, carded):
    """The drill-down pages and the case view at 360 px: their wide tables scroll in their
    own focusable box, the page itself does not."""
    month = _month(api, api.token("supervisor"))
    open_workbench(phone, stack, "supervisor", "dashboard")
    for path, heading in (
            ("dashboard/cards?dept=SCJG&level=yellow", f"{carded['scjg']}的黄牌"),
            ("dashboard/tasks?dept=SCJG&bucket=overdue", f"{carded['scjg']}："),
            (f"dashboard/counted?measure=concluded&dept=SCJG&from={month}&to={month}",
             f"{carded['scjg']} {month}"),
            (f"dashboard/cases/{carded['caseNo']}", f"办件 {carded['caseNo']}")):
        phone.goto(f"{stack.workbench}{path}")
        expect(phone.get_by_role("heading", level=1)).to_contain_text(heading)
        expect(phone.get_by_role("table").first).to_be_attached()
        phone.wait_for_load_state("networkidle")
        assert phone.evaluate("document.documentElement.scrollWidth") <= 360, path
        box = phone.get_by_role("region").filter(has=phone.get_by_role("table")).first
        expect(box).to_have_attribute("tabindex", "0")
        check_axe(phone, f"staff-{path.split('?')[0].replace('/', '-')}-phone")
