"""The portal's frame on a phone and a desktop: it loads from the local stack in Chinese,
with landmarks, a skip link and a title; a person finds 食品经营许可 by typing `spjy`, signs
in as the company through the local issuer and out again; the elder mode is remembered."""
import re

from playwright.sync_api import expect

from tests.browser.conftest import check_axe, shoot, sign_in


def test_a_newcomer_searches_with_pinyin_initials_on_a_phone(stack, phone):
    phone.goto(stack.portal + "/")
    expect(phone).to_have_title(re.compile("网上办事大厅"))
    assert phone.evaluate("document.documentElement.lang") == "zh-CN"
    check_axe(phone, "frame-home-phone")
    phone.get_by_role("searchbox", name="搜索事项").fill("spjy")
    phone.keyboard.press("Enter")
    expect(phone.get_by_role("link", name="食品经营许可（新办）")).to_be_visible()
    shoot(phone, "frame-search-phone")
    assert not phone.page_errors


def test_sign_in_and_out_through_the_local_issuer_on_a_desktop(stack, desktop):
    desktop.goto(stack.portal + "/")
    desktop.get_by_role("button", name="登录").click()
    expect(desktop).to_have_title(re.compile("本地登录"))
    check_axe(desktop, "issuer-login")
    sign_in(desktop, "company")
    expect(desktop.get_by_role("link", name="深圳小吃有限公司")).to_be_visible()
    with desktop.expect_request(lambda r: r.url.startswith(stack.issuer + "/logout")):
        desktop.get_by_role("button", name="退出").click()
    desktop.wait_for_url(stack.portal + "/")
    expect(desktop.get_by_role("button", name="登录")).to_be_visible()


def test_the_elder_mode_is_remembered_and_enlarges_the_type(stack, phone):
    phone.goto(stack.portal + "/")
    size = lambda: phone.evaluate(  # noqa: E731
        "parseFloat(getComputedStyle(document.body).fontSize)")
    before = size()
    phone.get_by_role("button", name="长辈版").click()
    assert size() >= 18 > before or size() > before
    phone.reload()
    expect(phone.get_by_role("button", name="标准版")).to_have_attribute("aria-pressed", "true")
    assert size() >= 18
    # Simpler: the four places as large buttons, the language switch out of the way.
    expect(phone.get_by_role("button", name="English")).to_be_hidden()
    nav = phone.get_by_role("navigation", name="主导航").get_by_role("link")
    expect(nav).to_have_count(4)
    assert all(box["height"] >= 44 for box in (nav.nth(i).bounding_box() for i in range(4)))
    check_axe(phone, "frame-elder-phone")


def test_an_expired_access_token_is_renewed_not_a_new_sign_in(stack, desktop):
    """A tab left longer than the access token lives (15 minutes): opening a page that
    needs sign-in renews the token with the refresh token, once, and stays."""
    desktop.goto(stack.portal + "/me/cases")
    sign_in(desktop, "company")
    desktop.wait_for_url(stack.portal + "/me/cases")
    desktop.evaluate("""() => {
        for (const key of Object.keys(sessionStorage).filter(k => k.startsWith("oidc.user:"))) {
            const user = JSON.parse(sessionStorage.getItem(key));
            user.expires_at = Math.floor(Date.now() / 1000) - 60;
            sessionStorage.setItem(key, JSON.stringify(user));
        }
    }""")
    renewals = []
    desktop.on("request", lambda r: renewals.append(r.post_data or "")
               if r.url == stack.issuer + "/token" else None)
    desktop.reload()
    expect(desktop.get_by_role("heading", level=1, name="我的办件")).to_be_visible()
    assert desktop.url == stack.portal + "/me/cases"
    assert [body for body in renewals if "grant_type=refresh_token" in body], renewals
    expect(desktop.get_by_role("button", name="退出")).to_be_visible()


def test_a_new_page_takes_the_focus_and_the_language_switch_says_its_language(stack, phone):
    phone.goto(stack.portal + "/")
    # The page the browser opened is shown (its first move done) before a person clicks on.
    expect(phone.get_by_role("heading", level=1, name="首页")).to_be_visible()
    expect(phone.get_by_role("button", name="English")).to_have_attribute("lang", "en")
    phone.get_by_role("link", name="办件查询").click()
    expect(phone.get_by_role("heading", level=1, name="办件查询")).to_be_visible()
    expect(phone.get_by_role("main")).to_be_focused()
    phone.keyboard.press("Tab")   # on from the new page's content, not the link left behind
    assert phone.evaluate("document.getElementById('main').contains(document.activeElement)")
