"""My licenses and the rest of "my" in the portal, in a real browser: the company gets its
营业执照 through the API (it applies, staff accept and approve), uploads a material, and a
member of staff reads the license with a purpose; then, signed in through the local issuer,
the company sees the license listed, its fields, a QR code that decodes to the address the
printed license's QR code carries, downloads the PDF, makes an annotated copy, finds the
staff's read in its access log and the material in 我的材料, brings the unread count down by
marking a notification read, and chooses channels that persist. Every page at 360 and
1280 px, with axe and a screenshot."""
import json
import re
import urllib.request
from io import BytesIO
from pathlib import Path
from urllib.parse import quote

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import Page, expect

from infra.upload_material import upload
from tests.browser.conftest import COMPANY, check_axe, registered_company, shoot, sign_in

STAFF_PURPOSE = "设立登记档案核查"
MATERIAL = "门店平面图-浏览器测试.pdf"


@pytest.fixture(scope="module")
def held(stack, api, tmp_path_factory):
    """The company's 营业执照 (企业设立登记 decided through the API), one uploaded material, a
    staff read of the license with a stated purpose, and the company's notifications."""
    company, scjg = api.token("company"), api.token("scjg")
    registered = registered_company(api)
    case_no, license_id = registered["caseNo"], registered["licenseId"]

    plan = tmp_path_factory.mktemp("materials") / MATERIAL
    plan.write_bytes("%PDF-1.7 经营场所平面图".encode())
    stored = upload(plan, stack.url, company, material="经营场所平面图和设备布局图")
    assert stored["state"] == "stored", stored

    status, read = api.call("GET", f"/licenses/{license_id}?purpose="
                            + quote(STAFF_PURPOSE), token=scjg)
    assert status == 200, read
    api.until(lambda: api.call("GET", "/me/access-log", token=company)[1]["entries"],
              lambda entries: any(e.get("purpose") == STAFF_PURPOSE for e in entries))
    api.until(lambda: unread_of(api, company), lambda n: n >= 2)
    return {"caseNo": case_no, "licenseId": license_id, "license": read["license"],
            "material": stored, "token": company}


def unread_of(api, token: str) -> int:
    status, page = api.call("GET", "/me/notifications?unread=true&limit=99", token=token)
    assert status == 200, page
    return sum(1 for n in page["notifications"] if not n["read"])


def signed_in_at(page: Page, stack, path: str, user: str = "company") -> None:
    """A page that needs sign-in: the portal sends the person to the issuer, and back."""
    page.goto(stack.portal + path)
    expect(page).to_have_title(re.compile("本地登录"))
    sign_in(page, user)
    page.wait_for_url(re.compile(re.escape(stack.portal + path.split("?")[0])))


def qr_text(page: Page) -> str:
    """What the page's QR code encodes, read from its pixels as a phone's camera would."""
    image = page.get_by_role("img", name=re.compile("核验二维码")).screenshot()
    found = zxingcpp.read_barcodes(Image.open(BytesIO(image)))
    assert found, "no QR code could be read from the image"
    return found[0].text


def test_the_company_sees_uses_and_shares_its_license_on_a_desktop(stack, api, held, desktop):
    license_id, license = held["licenseId"], held["license"]
    signed_in_at(desktop, stack, "/me/licenses")
    expect(desktop.get_by_role("heading", level=1, name="我的证照")).to_be_visible()
    entry = desktop.get_by_role("listitem").filter(has_text=license["number"])
    expect(entry.get_by_role("link", name=license["name"])).to_be_visible()
    expect(entry).to_contain_text("有效")
    expect(entry).to_contain_text(license["holder"])
    expect(entry).to_contain_text(license["issuer"])
    expect(entry).to_contain_text(license["validTo"])
    check_axe(desktop, "licenses-list-desktop")
    shoot(desktop, "licenses-list-desktop")

    entry.get_by_role("link", name=license["name"]).click()
    desktop.wait_for_url(re.compile(re.escape(f"/me/licenses/{license_id}")))
    expect(desktop.get_by_role("heading", level=1, name=license["name"])).to_be_visible()
    main = desktop.get_by_role("main")
    for value in (license["number"], license["holder"], license["issuer"], license["issueDate"],
                  license["validFrom"], license["validTo"], license["identifier"]):
        expect(main).to_contain_text(value)
    expect(main).to_contain_text("有效")

    # The QR code carries the same status address as the printed license's.
    address = f"{stack.url}/licenses/{license_id}/status"
    expect(desktop.get_by_role("img", name=re.compile("核验二维码"))).to_be_visible()
    assert qr_text(desktop) == address
    status, printed = _get_text(stack.url + f"/licenses/{license_id}/print.html", held["token"])
    assert status == 200 and address in printed

    with desktop.expect_download() as pdf:
        desktop.get_by_role("button", name="下载 PDF").click()
    assert Path(pdf.value.path()).read_bytes().startswith(b"%PDF-")
    assert pdf.value.suggested_filename.endswith(".pdf")

    desktop.get_by_label("用途").fill("银行开户")
    desktop.get_by_role("button", name="生成加注件").click()
    made = desktop.get_by_role("status").filter(has_text="加注件已生成")
    expect(made).to_contain_text("银行开户")
    with desktop.expect_download() as copy:
        desktop.get_by_role("button", name="下载加注件").click()
    annotated = json.loads(Path(copy.value.path()).read_text("utf-8"))
    assert annotated["annotation"]["purpose"] == "银行开户"
    assert annotated["license"]["identifier"] == license_id
    check_axe(desktop, "license-page-desktop")
    shoot(desktop, "license-page-desktop")

    # A purpose left out: the API's message, next to the field, and nothing is made.
    desktop.get_by_label("用途").fill("")
    desktop.get_by_label("用途").evaluate("e => e.removeAttribute('required')")
    desktop.get_by_role("button", name="生成加注件").click()
    expect(desktop.get_by_label("用途")).to_have_attribute("aria-invalid", "true")
    expect(desktop.get_by_role("status").filter(has_text="加注件已生成")).to_have_count(0)
    assert not desktop.page_errors


def _get_text(url: str, token: str) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}",
                                                   "Accept": "text/html"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.read().decode("utf-8")


def test_the_access_log_and_my_materials_on_a_desktop(stack, held, desktop):
    signed_in_at(desktop, stack, "/me/access-log")
    expect(desktop.get_by_role("heading", level=1, name="用证记录")).to_be_visible()
    read = desktop.get_by_role("listitem").filter(has_text=STAFF_PURPOSE)
    expect(read).to_contain_text("查看")
    expect(read.get_by_role("link", name=held["licenseId"])).to_be_visible()
    check_axe(desktop, "access-log-desktop")
    shoot(desktop, "access-log-desktop")

    desktop.get_by_role("link", name="我的证照").click()
    desktop.get_by_role("link", name="我的材料").click()
    expect(desktop.get_by_role("heading", level=1, name="我的材料")).to_be_visible()
    mine = desktop.get_by_role("listitem").filter(
        has=desktop.get_by_role("heading", name=re.compile(re.escape(MATERIAL))))
    expect(mine).to_contain_text("已存储")
    expect(mine).to_contain_text("经营场所平面图和设备布局图")
    expect(mine).to_contain_text("尚未用于办件")
    # The download asks the API for a short-lived link and opens it.
    with desktop.expect_response(lambda r: f"/materials/{held['material']['materialId']}/download"
                                 in r.url) as link:
        mine.get_by_role("button", name=f"下载 {MATERIAL}").click()
    assert link.value.status == 200
    check_axe(desktop, "materials-desktop")
    shoot(desktop, "materials-desktop")


def test_notifications_unread_count_and_channels_on_a_desktop(stack, api, held, desktop):
    before = unread_of(api, held["token"])
    assert before >= 1
    signed_in_at(desktop, stack, "/me/licenses")
    bell = desktop.get_by_role("banner").get_by_role("link", name=re.compile(r"^消息"))
    expect(bell).to_have_accessible_name(f"消息，{before} 条未读")
    bell.click()
    expect(desktop.get_by_role("heading", level=1, name="消息")).to_be_visible()
    expect(desktop.get_by_role("main")).to_contain_text(held["caseNo"])
    check_axe(desktop, "notifications-desktop")
    desktop.get_by_role("button", name="标为已读").first.click()
    after = f"消息，{before - 1} 条未读" if before > 1 else "消息"
    expect(bell).to_have_accessible_name(after)
    assert unread_of(api, held["token"]) == before - 1

    sms = desktop.get_by_role("checkbox", name="短信")
    inapp = desktop.get_by_role("checkbox", name="站内消息")
    expect(inapp).to_be_checked()
    expect(inapp).to_be_disabled()
    wanted = not sms.is_checked()
    # By keyboard alone: Space ticks the box, Tab reaches the button, Enter saves.
    sms.focus()
    desktop.keyboard.press("Space")
    expect(sms).to_be_checked(checked=wanted)
    desktop.keyboard.press("Tab")
    desktop.keyboard.press("Tab")
    desktop.keyboard.press("Tab")
    expect(desktop.get_by_role("button", name="保存接收方式")).to_be_focused()
    desktop.keyboard.press("Enter")
    expect(desktop.get_by_role("status")).to_have_text("接收方式已保存")
    desktop.reload()
    expect(desktop.get_by_role("checkbox", name="短信")).to_be_checked(checked=wanted)
    channels = api.call("GET", "/me/notification-preferences", token=held["token"])[1]["channels"]
    assert ("sms" in channels) is wanted and "inapp" in channels
    shoot(desktop, "notifications-desktop")


def test_an_agent_sees_the_company_it_acts_for(stack, held, desktop):
    signed_in_at(desktop, stack, "/me/licenses", user="agent")
    license = held["license"]
    desktop.get_by_label("查看").select_option(label=COMPANY["name"])
    desktop.wait_for_url(re.compile(r"for=" + COMPANY["idNumber"]))
    expect(desktop.get_by_role("link", name=license["name"])).to_be_visible()
    expect(desktop.get_by_role("main")).to_contain_text(license["number"])
    check_axe(desktop, "licenses-agent-desktop")


def test_every_page_on_a_phone(stack, held, phone):
    license = held["license"]
    signed_in_at(phone, stack, "/me/licenses")
    pages = [("/me/licenses", "我的证照", license["number"]),
             (f"/me/licenses/{held['licenseId']}", license["name"], license["holder"]),
             ("/me/access-log", "用证记录", STAFF_PURPOSE),
             ("/me/materials", "我的材料", MATERIAL),
             ("/me/notifications", "消息", held["caseNo"])]
    for path, heading, shown in pages:
        phone.goto(stack.portal + path)
        expect(phone.get_by_role("heading", level=1, name=heading)).to_be_visible()
        expect(phone.get_by_role("main")).to_contain_text(shown)
        # Nothing wider than the phone: no sideways scrolling.
        assert phone.evaluate("document.documentElement.scrollWidth") <= 360, (path, phone.evaluate(
            "[...document.querySelectorAll('main *')].filter(e => e.scrollWidth > innerWidth)"
            ".map(e => e.tagName + '.' + e.className)"))
        name = path.strip("/").replace("/", "-").split(".")[0][:40] + "-phone"
        check_axe(phone, name)
        shoot(phone, name)
    phone.goto(stack.portal + f"/me/licenses/{held['licenseId']}")
    assert qr_text(phone) == f"{stack.url}/licenses/{held['licenseId']}/status"

    # A license that is not mine (or not at all): the API's message and request id, no blank page.
    phone.goto(stack.portal + "/me/licenses/1.2.156.3005.2.nope")
    expect(phone.get_by_role("alert")).to_contain_text("请求编号")
    expect(phone.get_by_role("heading", level=1)).to_have_text("证照详情")
    check_axe(phone, "license-missing-phone")
    assert not phone.page_errors
