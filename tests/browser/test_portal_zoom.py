"""The portal at 200 % zoom (WCAG 2.1 1.4.4 / 1.4.10 reflow): a 1280 × 900 window zoomed to
200 % lays the page out in 640 × 450 CSS pixels at two device pixels each — that is what
these pages get. The home page must not scroll sideways, and its navigation and search
stay on screen and reachable by keyboard; in the elder mode (长辈版) the body text is at
least 18 px, still without sideways scrolling."""
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PATIENCE_MS, check_axe, shoot

ZOOMED = {"width": 1280 // 2, "height": 900 // 2}
NAV = ("首页", "我的办件", "我的证照", "办件查询")


@pytest.fixture
def zoomed(browser):
    context = browser.new_context(viewport=ZOOMED, device_scale_factor=2, locale="zh-CN")
    context.set_default_timeout(PATIENCE_MS)
    page = context.new_page()
    yield page
    context.close()


def _sideways_overflow(page) -> int:
    """How many CSS pixels the page is wider than the window (0: no sideways scrolling)."""
    return page.evaluate("""() => Math.max(document.documentElement.scrollWidth,
        document.body.scrollWidth) - document.documentElement.clientWidth""")


def _on_screen_horizontally(page, locator) -> bool:
    box = locator.bounding_box()
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= ZOOMED["width"]


def _reaches_by_tab(page, locator, presses: int = 80) -> bool:
    """Tab from the top of the page until the element has the focus (the home page's
    tab stops grow with the catalogue's themes and items: a bound with room to spare)."""
    page.locator("body").focus()
    for _ in range(presses):
        page.keyboard.press("Tab")
        if locator.evaluate("element => element === document.activeElement"):
            return True
    return False


def _home_is_usable(page, name: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert _sideways_overflow(page) <= 0, f"{name}: scrolls sideways by " \
        f"{_sideways_overflow(page)} px at 200 % zoom"
    navigation = page.get_by_role("navigation")
    for label in NAV:
        link = navigation.get_by_role("link", name=label)
        expect(link).to_be_visible()
        assert _on_screen_horizontally(page, link), f"{name}: {label} is off screen"
    search = page.get_by_role("searchbox", name="搜索事项")
    expect(search).to_be_visible()
    assert _on_screen_horizontally(page, search), f"{name}: the search box is off screen"
    assert _reaches_by_tab(page, search), f"{name}: Tab never reaches the search box"
    assert _reaches_by_tab(page, navigation.get_by_role("link", name="办件查询")), \
        f"{name}: Tab never reaches the navigation"


def test_the_home_page_reflows_at_200_percent_zoom_and_in_the_elder_mode(stack, zoomed):
    zoomed.goto(stack.portal + "/")
    _home_is_usable(zoomed, "home")
    check_axe(zoomed, "zoom-200-home")
    shoot(zoomed, "zoom-200-home")

    zoomed.get_by_role("button", name="长辈版").click()
    expect(zoomed.get_by_role("button", name="标准版")).to_have_attribute("aria-pressed", "true")
    sizes = zoomed.evaluate("""() => {
        const text = [document.body, ...document.querySelectorAll(
            'main p, main li, main label, main a, main input, nav a, footer')];
        return text.filter(e => e.getClientRects().length)
                   .map(e => [e.tagName, parseFloat(getComputedStyle(e).fontSize)]);
    }""")
    assert sizes and all(size >= 18 for _, size in sizes), \
        f"text under 18 px in the elder mode: {[s for s in sizes if s[1] < 18]}"
    _home_is_usable(zoomed, "home, elder mode")
    shoot(zoomed, "zoom-200-home-elder")
