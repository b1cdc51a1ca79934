"""Start the local stack as `make run` does (a subprocess on free ports) and drive one
case over HTTP, through the moto server, the event pump and the Step Functions executor."""
import json
import urllib.error
import urllib.request

import pytest

from infra.local import demo
from tests.hostile import CASES

from .local_stack import Api


@pytest.fixture(scope="module")
def api(local_stack):
    return Api(local_stack.url, local_stack.issuer)


def test_a_case_runs_from_application_to_verified_license_over_http(api, local_stack):
    status, body = api.call("GET", "/health")
    assert (status, body) == (200, {"status": "ok"})
    company, clerk, reviewer = api.token("company"), api.token("clerk"), api.token("scjg")
    supervisor = api.token("supervisor")  # reads every case (a clerk only once it has a task)

    status, created = api.call("POST", "/cases", {
        "itemCode": demo.code_of("000201012000", "SCJG"),
        "applicant": {"type": "legal", "name": "端到端餐饮有限公司",
                      "idNumber": "91440300MA5FXK7Q3T"},
        "form": {"businessName": "端到端小馆", "address": "深圳市南山区粤海街道1号",
                 "category": "餐饮服务"}}, token=company, headers={"Idempotency-Key": "e2e-1"})
    assert status == 201, created
    case_no = created["caseNo"]

    def case():
        return api.call("GET", f"/cases/{case_no}", token=supervisor)[1]

    # The stream-driven timeline entry for "received" appears via the event pump (the
    # acceptance task's entry may come first on a loaded machine: statuses alone).
    api.until(case, lambda c: [e.get("status") for e in c["timeline"]
                               if e["action"] == "status"] == [1])

    api.decide(api.task_of(case_no, "ZWFW", clerk), "accept", "受理", clerk)
    api.decide(api.task_of(case_no, "SCJG", reviewer), "approve", "同意", reviewer)

    done = api.until(case, lambda c: c["status"] == 11 and
                     [e.get("status") for e in c["timeline"] if e["action"] == "status"]
                     == [1, 3, 8, 11])
    status, signed = api.call("GET", f"/licenses/{done['licenseId']}", token=company)
    assert status == 200
    assert api.call("POST", "/licenses/verify", {**signed, "purpose": "开户核验"})[1][
        "valid"] is True

    # Anyone with the case number and query password sees the status, masked.
    status, public = api.call("GET", f"/cases/{case_no}",
                              headers={"X-Query-Password": created["queryPassword"]})
    assert status == 200 and public["status"] == 11
    assert public["applicant"]["idNumber"] == "914403" + "*" * 8 + "7Q3T"
    assert "form" not in public and "tasks" not in public

    # What would have been sent is recorded by the stack's own subscriber.
    def sent():
        lines = (local_stack.local_dir / "local-outbox.jsonl").read_text("utf-8").splitlines()
        return sorted(json.loads(line)["type"] for line in lines
                      if json.loads(line).get("caseNo") == case_no)
    api.until(sent, lambda types: types == [
        "notification.accepted", "notification.concluded", "notification.received",
        "notification.task_created", "notification.task_created"])


def test_the_catalogue_over_http(api):
    from urllib.parse import quote
    food = demo.code_of("000201012000", "SCJG")
    status, found = api.call("GET", "/items?q=" + quote("食品经营"))
    assert status == 200 and [i["code"] for i in found["items"]] == [food]
    assert [i["code"] for i in api.call("GET", "/items?q=spjy")[1]["items"]] == [food]
    with urllib.request.urlopen(f"{api.url}/items/{food}/guide.html", timeout=10) as response:
        assert response.headers["Content-Type"].startswith("text/html")
        assert "食品经营许可（新办）" in response.read().decode("utf-8")
    status, entry = api.call("GET", "/catalogue/000201012000")
    assert status == 200 and entry["subItems"] == ["000201012001", "000201012002"]


@pytest.mark.parametrize("method,path,body,headers,user,status,field", CASES,
                         ids=[f"{c[0]} {c[1][:40]}" for c in CASES])
def test_hostile_input_over_http_gets_a_json_4xx(api, method, path, body, headers, user,
                                                 status, field):
    token = api.token(user) if user else None
    # On the wire a header is bytes: send non-Latin-1 text as its UTF-8 bytes.
    headers = {k: v.encode("utf-8").decode("latin-1") for k, v in headers.items()}
    answer, error = api.call(method, path, token=token, headers=headers,
                             raw=body.encode("utf-8") if body else None)
    assert (answer, error["error"].get("field")) == (status, field), error


def test_the_local_server_answers_any_unknown_method_with_a_json_405(local_stack):
    import http.client
    from urllib.parse import urlparse
    url = urlparse(local_stack.url)
    for method in ("FOO", "TRACE", "DELETE"):
        connection = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
        connection.request(method, "/items", headers={"Accept-Language": "en"})
        answer = connection.getresponse()
        body = json.loads(answer.read())
        connection.close()
        assert answer.status == 405, (method, body)
        assert answer.getheader("Allow") == "GET, OPTIONS"
        assert body["error"]["code"] == "method_not_allowed"
        assert body["error"]["message"] == "This method is not allowed on this path"


def test_the_local_stack_answers_an_unknown_path_with_a_json_404(local_stack):
    """It answered 403 {"message":"Missing Authentication Token"} with no request id, as
    API Gateway does by default; now as the stage's gateway responses answer."""
    import http.client
    from urllib.parse import urlparse
    url = urlparse(local_stack.url)
    for method, path in (("GET", "/no/such/path"), ("POST", "/cases/x/y/z"),
                         ("GET", "/items/x/nothing-here")):
        connection = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
        connection.request(method, path, headers={"Accept-Language": "en"})
        answer = connection.getresponse()
        body = json.loads(answer.read())
        connection.close()
        assert answer.status == 404, (path, body)
        assert body["error"]["code"] == "not_found" and body["error"]["field"] == "path"
        assert answer.getheader("X-Request-Id") == body["requestId"]
        assert answer.getheader("Content-Type").startswith("application/json")
        assert answer.getheader("Cache-Control") == "no-store"


def _exchange(local_stack, raw: bytes, half_close: bool = True,
              timeout: float = 60) -> list[tuple[int, dict, dict]]:
    """Send raw bytes to the local server; every answer it gives until it closes the
    connection: (status, headers, JSON body) each."""
    import socket
    from urllib.parse import urlparse
    url = urlparse(local_stack.url)
    with socket.create_connection((url.hostname, url.port), timeout=timeout) as connection:
        connection.sendall(raw)
        if half_close:
            connection.shutdown(socket.SHUT_WR)
        received = b""
        while chunk := connection.recv(65536):
            received += chunk
    answers = []
    while received:
        head, _, rest = received.partition(b"\r\n\r\n")
        status_line, *lines = head.decode("latin-1").split("\r\n")
        headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines)}
        length = int(headers["content-length"])
        answers.append((int(status_line.split()[1]), headers, json.loads(rest[:length])))
        received = rest[length:]
    return answers


@pytest.mark.parametrize("request_bytes,status,code,field", [
    (b"GET /items?q=" + b"a" * 70_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
     414, "uri_too_long", "path"),
    (b"GET /items HTTP/1.1\r\nHost: x\r\nX-Big: " + b"b" * 70_000 + b"\r\n\r\n",
     431, "headers_too_large", "headers"),
    (b"GET /items HTTP/1.1\r\nHost: x\r\n" +
     b"".join(b"X-H%d: 1\r\n" % n for n in range(120)) + b"\r\n",
     431, "headers_too_large", "headers"),
    (b"POST /cases HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n{}",
     400, "validation_error", "Content-Length"),
    (b"POST /cases HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n{}",
     400, "validation_error", "Content-Length"),
    (b"POST /cases HTTP/1.1\r\nHost: x\r\nContent-Length: 1_0\r\n\r\n{}",
     400, "validation_error", "Content-Length"),
    (b"POST /cases HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
     400, "validation_error", "Content-Length"),
    (b"POST /cases HTTP/1.1\r\nHost: x\r\nContent-Length: 20000000\r\n\r\n{}",
     413, "payload_too_large", "Content-Length"),
    (b"POST /cases HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
     400, "validation_error", "Transfer-Encoding"),
    (b"FOO /items HTTP/1.1\r\nHost: x\r\nContent-Length: x\r\n\r\n",
     400, "validation_error", "Content-Length"),
    # The body stops short of its Content-Length (the client closed its side).
    (b"POST /cases HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"a\": 1}",
     400, "validation_error", "Content-Length"),
], ids=["414 request line", "431 header line", "431 header count", "length abc",
        "length -5", "length 1_0", "two lengths", "413 length", "chunked", "405 bad length",
        "short body"])
def test_the_local_server_answers_bad_framing_with_one_json_error_and_closes(
        local_stack, request_bytes, status, code, field):
    answers = _exchange(local_stack, request_bytes)
    assert [(s, b["error"]["code"], b["error"].get("field")) for s, _, b in answers] == \
        [(status, code, field)], answers
    headers, body = answers[0][1], answers[0][2]
    assert headers["content-type"].startswith("application/json")
    assert headers["connection"] == "close" and headers["x-request-id"] == body["requestId"]
    assert body["error"]["message"]  # the catalogue's, in the caller's language


def test_a_body_shorter_than_its_content_length_is_answered_not_waited_for(local_stack):
    """The client keeps its connection open and sends no more: the server answers (after
    its body timeout) instead of holding a thread until the client gives up."""
    answers = _exchange(local_stack, b"POST /cases HTTP/1.1\r\nHost: x\r\nAccept-Language: en"
                        b"\r\nContent-Length: 100\r\n\r\n{}", half_close=False)
    assert [(s, b["error"]["field"]) for s, _, b in answers] == [(400, "Content-Length")]
    assert "2 of the 100 bytes" in answers[0][2]["error"]["detail"]
    assert answers[0][1]["content-language"] == "en"


def test_bytes_beyond_the_content_length_are_answered_as_json_too(local_stack):
    """Two bytes of body announced, more sent: the rest is read as the next request, and
    that is answered as a JSON 400 as well (never the standard library's HTML)."""
    answers = _exchange(local_stack, b"GET /health HTTP/1.1\r\nHost: x\r\nContent-Length: 2"
                        b"\r\n\r\n{}garbage")
    assert [s for s, _, _ in answers] == [200, 400]
    assert answers[1][2]["error"]["code"] == "validation_error"
    assert all(h["content-type"].startswith("application/json") for _, h, _ in answers)


def test_the_portal_signs_in_at_the_stacks_issuer_and_calls_its_api_from_its_origin(
        local_stack):
    """`make run` registers the portal (code + PKCE at 127.0.0.1:5173/callback) and lets
    its origin call the API; its access token works there, its ID token is a 401."""
    import base64
    import hashlib
    import secrets
    from urllib.parse import parse_qs, urlsplit

    import requests

    from infra.local.oidc import DEMO_PASSWORD
    portal = "http://127.0.0.1:5173"
    meta = requests.get(f"{local_stack.issuer}/.well-known/openid-configuration",
                        timeout=10).json()
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()) \
        .rstrip(b"=").decode()
    signed_in = requests.post(meta["authorization_endpoint"], timeout=10, allow_redirects=False,
                              data={"response_type": "code", "client_id": "onewindow-portal",
                                    "redirect_uri": f"{portal}/callback", "scope": "openid",
                                    "code_challenge": challenge,
                                    "code_challenge_method": "S256",
                                    "username": "company", "password": DEMO_PASSWORD})
    code = parse_qs(urlsplit(signed_in.headers["Location"]).query)["code"][0]
    tokens = requests.post(meta["token_endpoint"], timeout=10, data={
        "grant_type": "authorization_code", "code": code, "code_verifier": verifier,
        "client_id": "onewindow-portal", "redirect_uri": f"{portal}/callback"}).json()
    mine = requests.get(f"{local_stack.url}/me/cases", timeout=10, headers={
        "Origin": portal, "Authorization": f"Bearer {tokens['access_token']}"})
    assert mine.status_code == 200
    assert mine.headers["Access-Control-Allow-Origin"] == portal
    refused = requests.get(f"{local_stack.url}/me/cases", timeout=10, headers={
        "Authorization": f"Bearer {tokens['id_token']}"})
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "not_an_access_token"
