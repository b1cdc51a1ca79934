"""The portal's home and item guide pages on a 360 px phone and a 1280 px desktop: a
newcomer finds 食品经营许可 by typing `spjy`, reads every section of its guide and finds
the apply button; the themes, 一件事 bundles and departments lead to item lists; the
keyboard alone goes from home to the guide; an unknown item shows a Chinese error with
the request id. axe runs on every page visited; screenshots in build/browser-artifacts."""
import re
from urllib.parse import quote

import pytest
from playwright.sync_api import Page, expect

from infra.local import demo
from tests.browser.conftest import check_axe, shoot

FOOD = demo.code_of("000201012000", "SCJG")
FOOD_NAME = "食品经营许可（新办）"
SECTIONS = ("基本信息", "受理条件", "设定依据", "申请材料", "办理流程", "收费标准", "办理时限",
            "办理地点和时间", "咨询方式", "监督投诉渠道", "常见问题", "特别程序", "办理结果")


def _fits(page: Page) -> None:
    """Nothing wider than the window: no sideways scrolling on a phone."""
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _find_food_by_pinyin(page: Page, stack, name: str) -> None:
    page.goto(stack.portal + "/")
    expect(page.get_by_role("heading", level=1, name="首页")).to_be_visible()
    expect(page.get_by_role("heading", name="热门事项")).to_be_visible()
    _fits(page)
    check_axe(page, f"home-{name}")
    shoot(page, f"home-{name}")
    page.get_by_role("searchbox", name="搜索事项").fill("spjy")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="找到")).to_have_text(
        re.compile(r"找到 \d+ 个事项"))
    result = page.get_by_role("link", name=FOOD_NAME)
    expect(result).to_be_visible()
    check_axe(page, f"home-search-{name}")
    shoot(page, f"home-search-{name}")
    result.click()


def _reads_the_guide(page: Page, stack, name: str) -> None:
    expect(page.get_by_role("heading", level=1, name=FOOD_NAME)).to_be_visible()
    assert page.url == f"{stack.portal}/items/{FOOD}"
    expect(page).to_have_title(re.compile(f"^{re.escape(FOOD_NAME)} - 办事指南 - 网上办事大厅"))
    for section in SECTIONS:
        expect(page.get_by_role("heading", level=2, name=section)).to_be_visible()
    contents = page.get_by_role("navigation", name="本页目录")
    expect(contents.get_by_role("link", name="申请材料")).to_have_attribute("href", "#ow-materials")
    materials = page.get_by_role("region", name="申请材料")
    expect(materials.get_by_role("listitem")).to_have_count(4)
    licence = materials.get_by_role("listitem").filter(has_text="营业执照")
    expect(licence).to_contain_text("免提交")
    expect(licence).to_contain_text("11100000MB0143028R002")
    expect(materials.get_by_role("listitem").filter(has_text="食品安全管理制度文本")) \
        .to_contain_text("制度完整，与经营项目相适应")
    expect(materials).to_contain_text("必需")
    limits = page.get_by_role("region", name="办理时限")
    expect(limits).to_contain_text("法定办结时限20 个工作日")
    expect(limits).to_contain_text("承诺办结时限5 个工作日")
    expect(page.get_by_role("region", name="收费标准")).to_contain_text("不收费")
    expect(page.get_by_role("region", name="基本信息")).to_contain_text("深圳市市场监督管理局")
    expect(page.get_by_role("region", name="办理地点和时间")).to_contain_text("深圳市民中心B区")
    expect(page.get_by_role("region", name="常见问题")).to_contain_text(
        "网上申请后还需要到现场吗？")
    expect(page.get_by_role("region", name="特别程序")).to_contain_text("现场勘验（5 个工作日）")
    expect(page.get_by_role("region", name="办理结果")).to_contain_text("食品经营许可证")
    apply = page.get_by_role("link", name="在线办理")
    expect(apply).to_have_attribute("href", f"/apply/{FOOD}")
    printable = page.get_by_role("link", name="打印办事指南")
    address = printable.get_attribute("href")
    assert address == f"{stack.url}/items/{FOOD}/guide.html"
    answer = page.request.get(address)
    assert answer.ok and FOOD_NAME in answer.text()
    _fits(page)
    check_axe(page, f"guide-{name}")
    shoot(page, f"guide-{name}")
    # Applying needs a sign-in: a newcomer is sent to the issuer, to come back to /apply.
    apply.click()
    expect(page).to_have_title(re.compile("本地登录"))
    assert quote(f"{stack.portal}/callback", safe="") in page.url


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_a_newcomer_finds_the_food_licence_by_pinyin_and_reads_its_guide(stack, request, size):
    page = request.getfixturevalue(size)
    _find_food_by_pinyin(page, stack, size)
    _reads_the_guide(page, stack, size)
    assert not page.page_errors


def _list_shows(page: Page, heading: str, names: list[str], shot: str) -> None:
    expect(page.get_by_role("heading", level=1, name=heading)).to_be_visible()
    for item in names:
        expect(page.get_by_role("link", name=item, exact=True)).to_be_visible()
    check_axe(page, shot)
    shoot(page, shot)


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_themes_bundles_and_departments_lead_to_item_lists(stack, request, size):
    page = request.getfixturevalue(size)
    social = ["工伤认定", "社会保障卡申领", "个人参保证明打印"]
    page.goto(stack.portal + "/")
    themes = page.get_by_role("region", name="按主题办")
    themes.get_by_role("link", name=re.compile(r"^社会保障（3 项）")).click()
    _list_shows(page, "主题：社会保障", social, f"list-theme-{size}")
    expect(page.get_by_role("status")).to_have_text("找到 3 个事项")
    assert "theme=" in page.url

    page.go_back()
    departments = page.get_by_role("region", name="按部门办")
    departments.get_by_role("link", name=re.compile("^深圳市人力资源和社会保障局（3 项）")).click()
    _list_shows(page, "部门：深圳市人力资源和社会保障局", social, f"list-dept-{size}")

    page.go_back()
    bundles = page.get_by_role("region", name="一件事一次办")
    bundles.get_by_role("link", name="开办餐厅一件事").click()
    restaurant = next(b for b in demo.bundles() if b["id"] == "kaiban-canting")
    _list_shows(page, "开办餐厅一件事", [FOOD_NAME, "企业设立登记"], f"list-bundle-{size}")
    steps = page.get_by_role("main").get_by_role("list").first.get_by_role("link")
    expect(steps).to_have_count(len(restaurant["items"]))
    expect(steps.nth(2)).to_have_attribute("href", f"/items/{FOOD}")
    steps.nth(2).click()
    expect(page.get_by_role("heading", level=1, name=FOOD_NAME)).to_be_visible()

    page.goto(stack.portal + "/")
    popular = page.get_by_role("region", name="热门事项")
    expect(popular.get_by_role("listitem")).to_have_count(8)
    assert not page.page_errors


def _tab_to(page: Page, target, limit: int = 60) -> None:
    """Press Tab until `target` has the focus (a keyboard user's way there)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached {target}")


def test_the_keyboard_alone_goes_from_home_to_the_guide_and_its_apply_button(stack, desktop):
    desktop.goto(stack.portal + "/")
    expect(desktop.get_by_role("heading", level=1, name="首页")).to_be_visible()
    search = desktop.get_by_role("searchbox", name="搜索事项")
    _tab_to(desktop, search)
    desktop.keyboard.type("spjy")
    desktop.keyboard.press("Enter")
    result = desktop.get_by_role("link", name=FOOD_NAME)
    expect(result).to_be_visible()
    _tab_to(desktop, result)
    desktop.keyboard.press("Enter")
    expect(desktop.get_by_role("heading", level=1, name=FOOD_NAME)).to_be_visible()
    apply = desktop.get_by_role("link", name="在线办理")
    _tab_to(desktop, apply)
    expect(apply).to_be_focused()
    shoot(desktop, "guide-keyboard-desktop")
    desktop.keyboard.press("Enter")
    expect(desktop).to_have_title(re.compile("本地登录"))


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_an_unknown_item_shows_a_chinese_error_with_the_request_id(stack, request, size):
    page = request.getfixturevalue(size)
    page.goto(stack.portal + "/items/NOSUCHITEM00000000000000000000000")
    expect(page.get_by_role("heading", level=1, name="办事指南")).to_be_visible()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("出错了")
    expect(alert).to_contain_text(re.compile(r"[\u4e00-\u9fff]{4,}"))
    expect(alert).to_contain_text(re.compile(r"请求编号：\S+"))
    expect(page.get_by_role("link", name="返回首页")).to_be_visible()
    check_axe(page, f"guide-unknown-{size}")
    shoot(page, f"guide-unknown-{size}")


def test_a_suspended_item_says_so_and_offers_no_online_application(stack, api, phone):
    # Last in the module: it changes the catalogue the other tests read.
    clinic = demo.code_of("000201026000", "WSJK")  # 医疗机构执业登记
    status, body = api.call("POST", f"/admin/items/{clinic}/suspend", {"reason": "整改"},
                            token=api.token("admin"))
    assert status == 200, body
    phone.goto(f"{stack.portal}/items/{clinic}")
    expect(phone.get_by_role("heading", level=1, name="医疗机构执业登记")).to_be_visible()
    expect(phone.get_by_text("本事项暂停办理")).to_be_visible()
    expect(phone.get_by_role("link", name="打印办事指南")).to_be_visible()
    expect(phone.get_by_role("link", name="在线办理")).to_have_count(0)
    check_axe(phone, "guide-suspended-phone")
    shoot(phone, "guide-suspended-phone")
