"""What the portal needs of the back end, in a real browser against the local stack: the
address a printed license's QR code carries shows a phone a readable status page (no
personal data, axe clean) while the API still answers JSON; and a file posted from the
portal's origin to the presigned form reaches the materials bucket (its CORS rule names
the stage's front ends) and becomes `stored`, while another origin's page cannot post."""
import hashlib
import re
import urllib.request

from playwright.sync_api import expect

from tests.browser.conftest import check_axe, registered_company, shoot, sign_in


def _printed_status_address(api, license_id: str) -> str:
    """The status address as the printed license's QR code carries it (print.html)."""
    request = urllib.request.Request(f"{api.url}/licenses/{license_id}/print.html",
                                     headers={"Authorization": f"Bearer {api.token('company')}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        page = response.read().decode()
    (address,) = set(re.findall(r"https?://[^\s<\"]+/licenses/[^\s<\"/]+/status", page))
    return address


def test_the_qr_address_shows_a_phone_the_status_in_words_and_no_personal_data(
        stack, api, phone):
    license_id = registered_company(api)["licenseId"]
    address = _printed_status_address(api, license_id)
    assert address == f"{stack.url}/licenses/{license_id}/status"
    _, public = api.call("GET", f"/licenses/{license_id}/status")   # what a program gets
    assert public["status"] == "valid"

    phone.goto(address)
    expect(phone).to_have_title(re.compile("证照状态：有效"))
    assert phone.evaluate("document.documentElement.lang") == "zh-CN"
    expect(phone.get_by_role("heading", level=1)).to_have_text("电子证照状态核验")
    expect(phone.get_by_role("status")).to_have_text(re.compile("有效：该证照真实有效"))
    main = phone.get_by_role("main")
    for shown in (public["name"], public["issuer"], public["validTo"]):
        expect(main).to_contain_text(shown)
    text = main.inner_text()
    for personal in ("深圳小吃有限公司", "91440300MA5FXK7Q3T", "持证主体", "证件号码"):
        assert personal not in text, personal
    # Readable on a 360 px phone: nothing wider than the screen.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    check_axe(phone, "license-status-valid-phone")
    shoot(phone, "license-status-valid-phone")

    scjg = api.token("scjg")
    status, body = api.call("POST", f"/licenses/{license_id}/suspend",
                            {"reason": "经营场所正在整改"}, token=scjg)
    assert status == 200, body
    phone.reload()
    expect(phone).to_have_title(re.compile("证照状态：已暂停"))
    expect(phone.get_by_role("status")).to_have_text(re.compile("已暂停：该证照已被发证机关暂停使用"))
    expect(phone.get_by_role("main")).to_contain_text("经营场所正在整改")
    check_axe(phone, "license-status-suspended-phone")
    shoot(phone, "license-status-suspended-phone")
    assert not phone.page_errors


# Posts a presigned form as web/src/lib/upload.ts `postForm` does: XMLHttpRequest with an
# upload progress listener (which makes the browser send a CORS preflight first), every
# field as given, the file last. Resolves with the status, or 0 when the browser refused.
POST_FORM = """async ([upload, text]) => {
  const form = new FormData();
  for (const [name, value] of Object.entries(upload.fields)) form.append(name, value);
  form.append("file", new Blob([text], {type: "application/pdf"}), "plan.pdf");
  return await new Promise((resolve) => {
    const request = new XMLHttpRequest();
    request.open("POST", upload.url);
    let progressed = 0;
    request.upload.onprogress = (event) => { progressed = event.loaded; };
    request.onload = () => resolve({status: request.status, progressed});
    request.onerror = () => resolve({status: 0, progressed});
    request.send(form);
  });
}"""

# Declares the file as upload.ts `uploadMaterial` does (SHA-256 by Web Crypto, POST
# /materials with the signed-in user's token from the portal's session), then posts it.
UPLOAD = """async ([apiBase, text]) => {
  const key = Object.keys(sessionStorage).find((k) => k.startsWith("oidc.user:"));
  const token = JSON.parse(sessionStorage.getItem(key)).access_token;
  const bytes = new TextEncoder().encode(text);
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  const sha256 = Array.from(new Uint8Array(digest),
                            (b) => b.toString(16).padStart(2, "0")).join("");
  const declared = await fetch(apiBase + "/materials", {
    method: "POST",
    headers: {"Content-Type": "application/json", "Authorization": "Bearer " + token},
    body: JSON.stringify({name: "plan.pdf", contentType: "application/pdf", size: bytes.length,
                          sha256, material: "经营场所平面图和设备布局图"}),
  });
  const material = await declared.json();
  const postForm = $POST_FORM;
  const posted = await postForm([material.upload, text]);
  return {declared: declared.status, materialId: material.materialId, ...posted};
}""".replace("$POST_FORM", POST_FORM)


def test_a_file_posted_from_the_portals_origin_reaches_the_bucket_and_is_stored(
        stack, api, desktop):
    desktop.goto(stack.portal + "/")
    desktop.get_by_role("button", name="登录").click()
    sign_in(desktop, "company")
    expect(desktop.get_by_role("link", name="深圳小吃有限公司")).to_be_visible()
    text = "%PDF-1.7 经营场所平面图 " + desktop.url
    answer = desktop.evaluate(UPLOAD, [stack.url, text])
    assert answer["declared"] == 201, answer
    assert answer["status"] == 204 or 200 <= answer["status"] < 300, answer
    assert answer["progressed"] > 0, answer
    company = api.token("company")
    stored = api.until(
        lambda: api.call("GET", f"/materials/{answer['materialId']}", token=company)[1],
        lambda m: m.get("state") != "pending")
    assert stored["state"] == "stored", stored
    assert stored["sha256"] == hashlib.sha256(text.encode()).hexdigest()


def test_a_page_of_another_origin_cannot_post_the_form(stack, api, desktop):
    """The bucket's CORS rule names the front ends, not any site: a page elsewhere (here
    the API's own origin) holding a valid form is stopped at the preflight."""
    company = api.token("company")
    text = b"%PDF-1.7 posted from elsewhere"
    status, material = api.call("POST", "/materials", {
        "name": "elsewhere.pdf", "contentType": "application/pdf", "size": len(text),
        "sha256": hashlib.sha256(text).hexdigest()}, token=company)
    assert status == 201, material
    desktop.goto(f"{stack.url}/openapi.json")
    answer = desktop.evaluate(POST_FORM, [material["upload"], text.decode()])
    assert answer["status"] == 0, answer
    _, again = api.call("GET", f"/materials/{material['materialId']}", token=company)
    assert again["state"] == "pending", again
