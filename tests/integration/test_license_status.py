"""A license's status: the issuing department suspends, resumes, revokes and reissues it
with a reason; verification and the public status answer the status and why, never who
holds it; racing changes leave one."""
from concurrent.futures import ThreadPoolExecutor

from tests.pdfs import read_pdf

from .harness import license_and_material_uses


def _licensed(stack) -> tuple[dict, str]:
    case = stack.approve_in_parallel()   # 公共场所卫生许可: issued by WSJK
    license_id = case["licenseId"]
    return stack.call("GET", f"/licenses/{license_id}", "company").data, license_id


def _verify(stack, signed) -> dict:
    return stack.call("POST", "/licenses/verify", body={**signed, "purpose": "开户核验"}).data


PERSONAL = ("holder", "holderId", "深圳小吃", "91440300MA5FXK7Q3T")


def _no_personal_data(answer: dict) -> None:
    text = str(answer)
    assert not any(value in text for value in PERSONAL), answer


def test_suspend_resume_revoke_and_what_verification_says(stack):
    signed, license_id = _licensed(stack)
    path = f"/licenses/{license_id}"
    suspended = stack.call("POST", f"{path}/suspend", "wsjk",
                           {"reason": "停业整顿，联系人电话13812345678"})
    assert suspended.status_code == 200, suspended.data
    assert suspended.data["status"] == "suspended"
    assert "13812345678" not in suspended.data["statusReason"]   # masked
    verdict = _verify(stack, signed)
    assert (verdict["valid"], verdict["reason"], verdict["status"]) == \
        (False, "suspended", "suspended")
    assert verdict["statusReason"] == suspended.data["statusReason"]
    _no_personal_data(verdict)
    public = stack.call("GET", f"{path}/status")      # no login: what the QR code opens
    assert public.status_code == 200 and public.data["status"] == "suspended"
    _no_personal_data(public.data)

    assert stack.call("POST", f"{path}/resume", "wsjk", {"reason": "整改完成"}).data[
        "status"] == "valid"
    assert _verify(stack, signed)["valid"] is True
    assert stack.call("POST", f"{path}/revoke", "wsjk", {"reason": "以欺骗手段取得"}).data[
        "status"] == "revoked"
    assert _verify(stack, signed)["reason"] == "revoked"
    for action in ("resume", "suspend", "revoke"):
        again = stack.call("POST", f"{path}/{action}", "wsjk", {"reason": "再试"})
        assert (again.status_code, again.data["error"]["code"]) == (409, "license_state")
    assert stack.call("GET", path, "company").data["state"] == "revoked"


def test_only_the_issuing_department_changes_a_license(stack):
    _, license_id = _licensed(stack)
    path = f"/licenses/{license_id}/suspend"
    # XFJY reviewed the case but did not issue the license; SCJG never saw it; the
    # applicant is no staff.
    for user, status in (("xfjy", 403), ("scjg", 404), ("company", 403)):
        answer = stack.call("POST", path, user, {"reason": "停业"})
        assert answer.status_code == status, (user, answer.data)
    missing_reason = stack.call("POST", path, "wsjk", {})
    assert (missing_reason.status_code, missing_reason.data["error"]["field"]) == \
        (400, "reason")
    assert stack.call("GET", f"/licenses/{license_id}/status").data["status"] == "valid"


def test_a_new_version_supersedes_the_old(stack):
    signed, license_id = _licensed(stack)
    answer = stack.call("POST", f"/licenses/{license_id}/reissue", "wsjk", {
        "changes": {"holder": "深圳大吃有限公司"}, "reason": "企业名称变更"})
    assert answer.status_code == 201, answer.data
    new = answer.data
    new_id = new["license"]["identifier"]
    assert new_id.split(".")[-3:-1] == [license_id.split(".")[-3], "002"]  # same serial
    assert new["license"]["holder"] == "深圳大吃有限公司"
    assert new["license"]["holderId"] == signed["license"]["holderId"]
    assert _verify(stack, new)["valid"] is True
    old = _verify(stack, signed)
    assert (old["valid"], old["reason"], old["supersededBy"]) == \
        (False, "superseded", new_id)
    assert stack.call("GET", f"/licenses/{new_id}", "company").status_code == 200
    again = stack.call("POST", f"/licenses/{license_id}/reissue", "wsjk", {
        "changes": {"holder": "x"}, "reason": "再变更"})
    assert (again.status_code, again.data["error"]["code"]) == (409, "license_state")
    bad = stack.call("POST", f"/licenses/{new_id}/reissue", "wsjk", {
        "changes": {"validTo": "2020-01-01"}, "reason": "延续"})
    assert (bad.status_code, bad.data["error"]["field"]) == (400, "changes.validTo")


def test_racing_changes_leave_one(stack):
    _, license_id = _licensed(stack)
    with ThreadPoolExecutor(6) as pool:
        answers = list(pool.map(lambda n: stack.call(
            "POST", f"/licenses/{license_id}/suspend", "wsjk", {"reason": f"停业{n}"}),
            range(6)))
    assert sorted(a.status_code for a in answers) == [200] + [409] * 5
    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(lambda n: stack.call(
            "POST", f"/licenses/{license_id}/resume", "wsjk", {"reason": "复"}), range(4)))
    assert sorted(a.status_code for a in answers) == [200] + [409] * 3
    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(lambda n: stack.call(
            "POST", f"/licenses/{license_id}/reissue", "wsjk",
            {"changes": {"holder": f"深圳{n}号有限公司"}, "reason": "变更"}), range(4)))
    assert sorted(a.status_code for a in answers) == [201] + [409] * 3
    status = stack.call("GET", f"/licenses/{license_id}/status").data
    winner = next(a.data for a in answers if a.status_code == 201)
    assert status["supersededBy"] == winner["license"]["identifier"]


def test_the_printable_license_carries_the_qr_code_of_its_status_address(stack, monkeypatch):
    import segno

    from chalicelib import config
    monkeypatch.setenv("OW_PUBLIC_BASE_URL", "https://zwfw.sz.gov.cn/api/")
    config.reset()
    try:
        signed, license_id = _licensed(stack)
        page = stack.call("GET", f"/licenses/{license_id}/print.html", "company")
        assert page.status_code == 200
        assert page.headers["Content-Type"].startswith("text/html")
        html = page.body.decode("utf-8")
        url = f"https://zwfw.sz.gov.cn/api/licenses/{license_id}/status"
        assert url in html and signed["license"]["number"] in html
        assert signed["license"]["holder"] in html and "已暂停" not in html
        expected = segno.make(url, error="m").svg_inline(scale=3, title="核验二维码")
        assert expected in html   # the QR code of exactly that address
        # Staff print it with a purpose (logged for the holder), strangers not at all.
        assert stack.call("GET", f"/licenses/{license_id}/print.html", "wsjk") \
            .status_code == 422   # a purpose: the document cannot say for whom
        assert stack.call("GET", f"/licenses/{license_id}/print.html?purpose=存档",
                          "wsjk").status_code == 200
        assert [e["purpose"] for e in _uses(stack)] == ["存档"]
        assert stack.call("GET", f"/licenses/{license_id}/print.html", "lisi") \
            .status_code == 404
        stack.call("POST", f"/licenses/{license_id}/suspend", "wsjk", {"reason": "停业整顿"})
        suspended = stack.call("GET", f"/licenses/{license_id}/print.html", "company")
        assert "已暂停：停业整顿" in suspended.body.decode("utf-8")
    finally:
        monkeypatch.undo()
        config.reset()


def test_the_license_as_pdf_reads_as_signed_and_its_qr_code_scans_to_the_status_address(
        stack, monkeypatch):
    from chalicelib import config
    monkeypatch.setenv("OW_PUBLIC_BASE_URL", "https://zwfw.sz.gov.cn/api/")
    config.reset()
    try:
        signed, license_id = _licensed(stack)
        path = f"/licenses/{license_id}/print.pdf"
        pdf = {"Accept": "application/pdf"}
        printed = stack.call("GET", path, "company", headers=pdf)
        assert printed.status_code == 200
        assert printed.headers["Content-Type"] == "application/pdf"
        assert printed.body.startswith(b"%PDF-")
        read = read_pdf(printed.body)
        flat = read.flat
        found = signed["license"]
        for value in (found["name"], found["number"], found["holder"], found["holderId"],
                      found["issuer"], found["identifier"], found["validTo"]):
            assert value in flat, value
        url = f"https://zwfw.sz.gov.cn/api/licenses/{license_id}/status"
        assert read.scanned == [url] and url in flat
        assert "已暂停" not in flat
        # The font travels with the file (a subset: only the glyphs used), so the page
        # prints the same where no Chinese font is installed.
        assert [name.split("+")[1] for name in read.fonts] == ["NotoSansCJKSC"]
        # A caller that takes anything (a generated client, a browser: */*) gets the PDF.
        anything = stack.call("GET", path, "company", headers={"Accept": "*/*"})
        assert anything.status_code == 200 and anything.body.startswith(b"%PDF-")
        # A caller that does not ask for a PDF is told how to, and nothing is read.
        refused = stack.call("GET", f"{path}?purpose=存档", "wsjk",
                             headers={"Accept": "application/json"})
        assert refused.status_code == 406
        assert (refused.data["error"]["code"], refused.data["error"]["field"]) == \
            ("not_acceptable", "Accept")
        # Nor one that names it only to say "not this".
        for declined in ("application/pdf;q=0", "application/json, application/pdf; q=0.0"):
            assert stack.call("GET", f"{path}?purpose=存档", "wsjk", headers={
                "Accept": declined}).status_code == 406, declined
        assert _uses(stack) == []
        # Staff print with a purpose, each print logged for the holder; strangers never.
        assert stack.call("GET", path, "wsjk", headers=pdf).status_code == 422
        with ThreadPoolExecutor(4) as pool:
            prints = list(pool.map(lambda _: stack.call(
                "GET", f"{path}?purpose=存档", "wsjk", headers=pdf), range(4)))
        assert [p.status_code for p in prints] == [200] * 4
        assert [e["purpose"] for e in _uses(stack)] == ["存档"] * 4
        assert stack.call("GET", path, "lisi", headers=pdf).status_code == 404
        stack.call("POST", f"/licenses/{license_id}/suspend", "wsjk", {"reason": "停业整顿"})
        read = read_pdf(stack.call("GET", path, "company", headers=pdf).body)
        assert "已暂停：停业整顿" in read.pages[0] and read.scanned == [url]
    finally:
        monkeypatch.undo()
        config.reset()


def test_the_case_timeline_shows_what_became_of_its_license(stack, bus_events):
    """Each change of the license a case issued is a line on that case's timeline, for
    its applicant as for staff, and an event on the bus; racing changes make one line."""
    case = stack.approve_in_parallel()
    case_no, license_id = case["caseNo"], case["licenseId"]
    path = f"/licenses/{license_id}"
    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(lambda _: stack.call(
            "POST", f"{path}/suspend", "wsjk", {"reason": "停业整顿，联系人13812345678"}),
            range(4)))
    assert sorted(a.status_code for a in answers) == [200] + [409] * 3
    stack.call("POST", f"{path}/resume", "wsjk", {"reason": "整改完成"})
    reissued = stack.call("POST", f"{path}/reissue", "wsjk",
                          {"changes": {"holder": "深圳大吃有限公司"}, "reason": "名称变更"})
    new_id = reissued.data["license"]["identifier"]

    def lines(user):
        return [e for e in stack.case(case_no, user)["timeline"]
                if e["action"].startswith("license_")]
    assert stack.pump.run_until(lambda: len(lines("supervisor")) == 3)
    assert [(e["action"], e["actor"], e["dept"], e["detail"]) for e in lines("company")] == [
        ("license_suspended", "staff:zhao-wsjk", "WSJK",
         {"licenseId": license_id, "fromState": "valid", "toState": "suspended"}),
        ("license_resumed", "staff:zhao-wsjk", "WSJK",
         {"licenseId": license_id, "fromState": "suspended", "toState": "valid"}),
        ("license_reissued", "staff:zhao-wsjk", "WSJK",
         {"licenseId": license_id, "fromState": "valid", "toState": "superseded",
          "supersededBy": new_id})]
    assert "13812345678" not in lines("company")[0]["opinion"]      # masked
    published = [(e["detail-type"], e["detail"]["itemCode"]) for e in bus_events()
                 if e["detail"]["caseNo"] == case_no and "license_" in e["detail-type"]]
    assert published == [(f"onewindow.case.license_{change}", case["itemCode"])
                         for change in ("suspended", "resumed", "reissued")]


def _page_policy(response) -> dict[str, list[str]]:
    """An HTML answer's security headers, checked; its policy's directives."""
    import base64
    import hashlib
    import re
    assert response.headers["Content-Type"].startswith("text/html")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    policy = {name: values for name, *values in (
        directive.split() for directive in
        response.headers["Content-Security-Policy"].split(";") if directive.strip())}
    assert policy["default-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert "script-src" not in policy and "'unsafe-inline'" not in policy["style-src"]
    # The page's own styles apply: each <style> block is named by its hash.
    styles = re.findall(r"<style>(.*?)</style>", response.body.decode("utf-8"), re.S)
    assert styles
    for style in styles:
        digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy["style-src"]
    return policy


def test_html_pages_load_nothing_foreign_cannot_be_framed_and_nothing_is_sniffed(stack):
    from .harness import FOOD
    _, license_id = _licensed(stack)
    _page_policy(stack.call("GET", f"/licenses/{license_id}/print.html", "company"))
    _page_policy(stack.client.http.get(f"/items/{FOOD}/guide.html"))
    # Every other answer, errors included, is not to be sniffed either.
    for answer in (stack.call("GET", f"/licenses/{license_id}", "company"),
                   stack.call("GET", f"/licenses/{license_id}/status"),
                   stack.call("GET", f"/licenses/{license_id}", "lisi"),
                   stack.client.http.post("/cases", body="a=b", headers={
                       "Content-Type": "application/x-www-form-urlencoded"})):
        assert answer.headers.get("X-Content-Type-Options") == "nosniff", answer.status_code
        assert "Content-Security-Policy" not in answer.headers or \
            answer.headers["Content-Type"].startswith("text/html")


BROWSER = ("text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,"
           "image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7")


def test_the_status_address_shows_a_browser_a_page_and_api_clients_the_json(stack):
    signed, license_id = _licensed(stack)
    path = f"/licenses/{license_id}/status"
    stack.call("POST", f"/licenses/{license_id}/suspend", "wsjk",
               {"reason": "停业整顿，联系人电话13812345678"})
    # The address a printed license's QR code carries is this one.
    printed = stack.call("GET", f"/licenses/{license_id}/print.html", "company")
    assert path in printed.body.decode()

    page = stack.call("GET", path, headers={"Accept": BROWSER})
    assert page.status_code == 200
    assert page.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "Accept" in page.headers["Vary"]
    assert "default-src 'none'" in page.headers["Content-Security-Policy"]
    html = page.body.decode()
    assert '<html lang="zh-CN">' in html and "<main>" in html
    assert '<meta name="viewport" content="width=device-width' in html
    assert "<title>证照状态：已暂停" in html
    assert "已暂停：该证照已被发证机关暂停使用" in html
    status = stack.call("GET", path).data
    for shown in (status["name"], status["issuer"], status["validTo"], status["statusReason"],
                  license_id):
        assert shown in html, shown
    assert "13812345678" not in html                               # masked as in the JSON
    holder = signed["license"]
    for personal in (holder["holder"], holder["holderId"], *PERSONAL[2:]):
        assert personal not in html, personal

    for accept in ("application/json", "*/*", None, "text/html;q=0.5, application/json",
                   "application/json, text/html"):
        answer = stack.call("GET", path, headers={"Accept": accept} if accept else None)
        assert answer.status_code == 200, accept
        assert answer.headers["Content-Type"].startswith("application/json"), accept
        assert "Accept" in answer.headers["Vary"]
        assert answer.data == status
    missing = stack.call("GET", "/licenses/NOPE/status", headers={"Accept": BROWSER})
    assert missing.status_code == 404


def _uses(stack) -> list[dict]:
    return license_and_material_uses(
        stack.call("GET", "/me/access-log", "company").data["entries"])
