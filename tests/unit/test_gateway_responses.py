"""What API Gateway answers itself comes in the API's error shape, with the request id and
CORS: declared once (infra/gateway_responses.py), put into every stage's API by the
package, and answered the same way by the local server."""
import http.client
import json
import threading

import msgspec
import pytest
from chalice import Chalice
from chalice.config import Config
from chalice.local import LocalDevServer

from chalicelib import wiring
from chalicelib.api.cors import EXPOSE_HEADERS
from chalicelib.contract import errors, models
from infra import gateway_responses, package
from infra.local.request_handler import InFlight, handler_class

STAGES = sorted(package.stages())


def _params(response: dict) -> dict:
    return response["ResponseParameters"]["Headers"]


@pytest.mark.parametrize("stage", STAGES)
def test_every_stage_answers_an_unknown_path_with_a_json_404_in_the_error_shape(stage):
    responses = package.merge_template(stage)["Resources"]["RestAPI"]["Properties"][
        "GatewayResponses"]
    missing = responses["MISSING_AUTHENTICATION_TOKEN"]
    assert missing["StatusCode"] == "404"
    body = json.loads(missing["ResponseTemplates"]["application/json"])
    error = msgspec.convert(body, models.Error)
    assert (error.error.code, error.error.message, error.error.field) == \
        ("not_found", errors.message("not_found", "zh"), "path")
    assert error.requestId == "$context.requestId"
    headers = _params(missing)
    assert headers["X-Request-Id"] == "context.requestId"
    assert headers["Content-Language"] == "'zh-CN'"
    assert headers["Cache-Control"] == "'no-store'"
    # Every stage of the example config allows browser origins: they read these answers.
    assert headers["Access-Control-Allow-Origin"] == "'*'"
    assert headers["Access-Control-Expose-Headers"] == f"'{EXPOSE_HEADERS}'"


@pytest.mark.parametrize("stage", STAGES)
def test_every_gateway_answer_is_an_error_of_the_catalogue_with_its_status(stage):
    responses = package.merge_template(stage)["Resources"]["RestAPI"]["Properties"][
        "GatewayResponses"]
    assert {"MISSING_AUTHENTICATION_TOKEN", "THROTTLED", "REQUEST_TOO_LARGE", "DEFAULT_4XX",
            "DEFAULT_5XX"} <= set(responses)
    for kind, response in responses.items():
        template = response["ResponseTemplates"]["application/json"]
        assert template.isascii(), kind
        body = msgspec.convert(json.loads(template), models.Error)
        assert errors.CATALOGUE[body.error.code].status == int(response["StatusCode"]), kind
        assert body.error.detail.isascii(), kind
        headers = _params(response)
        assert headers["X-Request-Id"] == "context.requestId", kind
        # static values quoted as API Gateway wants them
        assert all(v == "context.requestId" or (v.startswith("'") and v.endswith("'"))
                   for v in headers.values()), kind
        assert ("Retry-After" in headers) == (response["StatusCode"] == "429"), kind
        assert ("WWW-Authenticate" in headers) == (response["StatusCode"] == "401"), kind
    assert _params(responses["THROTTLED"])["Retry-After"] == "'1'"


def test_a_stage_without_browser_origins_sends_no_cors_headers_from_the_gateway():
    for response in gateway_responses.sam(cors=False).values():
        assert not any(name.startswith("Access-Control") for name in _params(response))


# -- the local server ---------------------------------------------------------------------

@pytest.fixture
def local_server(monkeypatch):
    """The local server's request handler in front of a one-route app, for a stage that
    allows a browser origin."""
    monkeypatch.setenv("OW_CORS_ORIGINS", "https://zwfw.example.gov.cn")
    wiring.configure()
    app = Chalice(app_name="probe")

    @app.route("/items")
    def items():
        return {"items": []}

    config = Config.create(chalice_app=app, app_name="probe", chalice_stage="local")
    server = LocalDevServer(app, config, "127.0.0.1", 0, handler_cls=handler_class())
    thread = threading.Thread(target=server.server.serve_forever, daemon=True)
    thread.start()
    yield server.server.server_address[1]
    server.server.shutdown()
    server.server.server_close()
    monkeypatch.delenv("OW_CORS_ORIGINS")
    wiring.configure()


def _ask(port: int, method: str, path: str, headers: dict) -> tuple[int, dict, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request(method, path, headers=headers)
    answer = connection.getresponse()
    found = (answer.status, {k.lower(): v for k, v in answer.getheaders()}, answer.read())
    connection.close()
    return found


def test_the_local_server_answers_an_unknown_path_as_the_gateway_does(local_server):
    for method, path in (("GET", "/nowhere"), ("POST", "/items/1/x"), ("GET", "/")):
        status, headers, raw = _ask(local_server, method, path,
                                    {"Origin": "https://elsewhere.example"})
        body = json.loads(raw)
        assert status == 404, (path, raw)
        assert body["error"]["code"] == "not_found" and body["error"]["field"] == "path"
        assert headers["x-request-id"] == body["requestId"]
        assert body["requestId"] != "$context.requestId"
        assert headers["access-control-allow-origin"] == "*"
        assert headers["access-control-expose-headers"] == EXPOSE_HEADERS
        assert headers["content-type"].startswith("application/json")
        assert (headers["cache-control"], headers["content-language"]) == \
            ("no-store", "zh-CN")
        expected = gateway_responses.local("MISSING_AUTHENTICATION_TOKEN",
                                           body["requestId"], cors=True)[2]
        assert raw == expected


def test_the_local_servers_own_errors_carry_the_same_headers(local_server):
    status, headers, raw = _ask(local_server, "POST", "/items",
                                {"Content-Length": "20000000", "Accept-Language": "en"})
    assert status == 413 and json.loads(raw)["error"]["code"] == "payload_too_large"
    assert headers["access-control-allow-origin"] == "*"
    assert headers["x-request-id"] == json.loads(raw)["requestId"]
    status, headers, raw = _ask(local_server, "TRACE", "/items", {"Accept-Language": "en"})
    assert status == 405
    assert json.loads(raw)["error"]["message"] == errors.message("method_not_allowed", "en")
    assert headers["vary"] == "Accept-Language"
    assert headers["access-control-expose-headers"] == EXPOSE_HEADERS
    assert (headers["cache-control"], headers["x-content-type-options"]) == \
        ("no-store", "nosniff")


def test_the_local_server_tells_the_event_pump_after_every_request_it_answered():
    """What a request wrote is delivered at once: the local server calls its `answered`
    hook (the event pump's nudge) after each request, a refused one included."""
    app = Chalice(app_name="probe")

    @app.route("/items")
    def items():
        return {"items": []}

    answered = threading.Semaphore(0)
    config = Config.create(chalice_app=app, app_name="probe", chalice_stage="local")
    server = LocalDevServer(app, config, "127.0.0.1", 0,
                            handler_cls=handler_class(InFlight(answered.release)))
    threading.Thread(target=server.server.serve_forever, daemon=True).start()
    try:
        port = server.server.server_address[1]
        assert _ask(port, "GET", "/items", {})[0] == 200
        assert _ask(port, "GET", "/nowhere", {})[0] == 404
        assert answered.acquire(timeout=10) and answered.acquire(timeout=10)
        assert not answered.acquire(timeout=0.2)   # twice, not more
    finally:
        server.server.shutdown()
        server.server.server_close()
