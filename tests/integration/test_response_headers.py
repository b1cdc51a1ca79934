"""The headers an integrator's client and a browser read: every error varies by
Accept-Language (its message does) and says so; a browser script may read the ids, a
download's file name, Retry-After and WWW-Authenticate (CORS Expose-Headers)."""
import json

import pytest

from chalicelib import wiring

from .harness import FOOD

PORTAL = "https://zwfw.example.gov.cn"


@pytest.fixture
def cors(stack, monkeypatch):
    monkeypatch.setenv("OW_CORS_ORIGINS", PORTAL)
    wiring.configure()
    yield
    monkeypatch.delenv("OW_CORS_ORIGINS")
    wiring.configure()


def _errors(stack, headers):
    """One error of each kind of producer: a domain error (400, 401, 404) and Chalice's own
    (405), each with its request headers."""
    return {
        "400 body": stack.call("POST", "/cases", "company", {"itemCode": FOOD},
                               headers=headers),
        "401 token": stack.call("GET", "/tasks?dept=ZWFW", headers=headers),
        "404 case": stack.call("GET", "/cases/440300202611240000001X", "supervisor",
                               headers=headers),
        "405 chalice": stack.client.http.request("DELETE", "/health", headers=headers),
    }


def test_every_error_says_it_varies_by_accept_language(stack):
    for what, answer in _errors(stack, {"Accept-Language": "en"}).items():
        assert answer.status_code == int(what[:3]), what
        assert answer.headers["Content-Language"] == "en", what
        assert [v.strip() for v in answer.headers["Vary"].split(",")] == \
            ["Accept-Language", "Origin"], what
        assert json.loads(answer.body)["error"]["message"].isascii(), what
    # A success does not depend on the language: it does not split caches by it.
    assert stack.call("GET", "/items?limit=1").headers["Vary"] == "Origin"


def test_a_browser_may_read_the_ids_a_file_name_retry_after_and_the_challenge(stack, cors):
    exposed = {"X-Request-Id", "X-Correlation-Id", "Content-Disposition", "Retry-After",
               "WWW-Authenticate", "ETag", "Location"}
    for what, answer in {**_errors(stack, {"Origin": PORTAL}),
                         "200": stack.call("GET", "/items?limit=1",
                                           headers={"Origin": PORTAL})}.items():
        assert answer.headers["Access-Control-Allow-Origin"] == PORTAL, what
        names = {v.strip() for v in answer.headers["Access-Control-Expose-Headers"].split(",")}
        assert exposed <= names, (what, exposed - names)
    refused = _errors(stack, {"Origin": PORTAL})["401 token"]
    assert refused.headers["WWW-Authenticate"] == 'Bearer realm="onewindow"'
    assert {v.strip() for v in refused.headers["Vary"].split(",")} == \
        {"Accept-Language", "Origin"}
