"""What every integrator relies on: request ids, errors in their language, CORS for the
region's front ends, and drafts that cannot be overwritten unseen (ETag / If-Match)."""
import copy

import pytest

from chalicelib import wiring
from infra.local import demo

from .harness import FOOD
from .test_concurrency import race

PORTAL = "https://zwfw.example.gov.cn"


def test_every_response_carries_its_request_id_and_errors_repeat_it(stack):
    ok = stack.call("GET", "/health")
    assert ok.headers["X-Request-Id"]
    refused = stack.call("GET", "/tasks?dept=ZWFW")
    request_id = refused.headers["X-Request-Id"]
    assert refused.status_code == 401 and refused.data["requestId"] == request_id
    assert request_id != ok.headers["X-Request-Id"]


def test_error_messages_follow_accept_language_and_keep_the_field_and_detail(stack):
    body = {"itemCode": FOOD, "applicant": {"type": "legal", "name": "某公司",
                                            "idNumber": 91440300}}
    chinese = stack.call("POST", "/cases", "company", body)
    english = stack.call("POST", "/cases", "company", body,
                         headers={"Accept-Language": "en-GB,en;q=0.9,zh;q=0.5"})
    for answer in (chinese, english):
        assert answer.status_code == 400
        assert answer.data["error"]["code"] == "validation_error"
        assert answer.data["error"]["field"] == "applicant.idNumber"
        assert "Expected `str`, got `int`" in answer.data["error"]["detail"]
    assert chinese.data["error"]["message"] == "请求参数不符合要求"
    assert chinese.headers["Content-Language"] == "zh-CN"
    assert english.data["error"]["message"] == "The request is not valid"
    assert english.headers["Content-Language"] == "en"


def test_unknown_and_missing_fields_are_named(stack):
    typo = stack.call("POST", "/cases", "company", {
        "itemCode": FOOD, "aplicant": {}})
    assert typo.status_code == 400 and typo.data["error"]["field"] == "aplicant"
    missing = stack.call("POST", "/cases", "company", {"itemCode": FOOD})
    assert missing.status_code == 400 and missing.data["error"]["field"] == "applicant"
    nested = stack.call("POST", "/cases", "company", {
        "itemCode": FOOD, "applicant": {"type": "legal", "name": "某公司",
                                        "idNumber": "91440300MA5FXK7Q3T"},
        "materials": [{"materialId": "M" + "0" * 32}]})
    assert nested.status_code == 400 and nested.data["error"]["field"] == "materials.0.name"
    extra = stack.call("POST", "/tasks/440300202611250000001X-A1/decision", "clerk",
                       {"decision": "accept", "opnion": "typo"})
    assert extra.status_code == 400 and extra.data["error"]["field"] == "opnion"


@pytest.fixture
def cors(stack, monkeypatch):
    monkeypatch.setenv("OW_CORS_ORIGINS", f"{PORTAL}, https://mp.example.gov.cn/")
    wiring.configure()
    yield
    monkeypatch.delenv("OW_CORS_ORIGINS")
    wiring.configure()


def test_cors_answers_the_regions_origins_and_no_other(stack, cors):
    allowed = stack.call("GET", "/items?limit=1", headers={"Origin": PORTAL})
    assert allowed.headers["Access-Control-Allow-Origin"] == PORTAL
    assert "X-Request-Id" in allowed.headers["Access-Control-Expose-Headers"]
    assert "Origin" in allowed.headers["Vary"]
    mini = stack.call("GET", "/health", headers={"Origin": "https://mp.example.gov.cn"})
    assert mini.headers["Access-Control-Allow-Origin"] == "https://mp.example.gov.cn"
    other = stack.call("GET", "/items?limit=1", headers={"Origin": "https://evil.example"})
    assert other.status_code == 200
    assert "Access-Control-Allow-Origin" not in other.headers

    preflight = stack.client.http.request("OPTIONS", "/cases", headers={
        "Origin": PORTAL, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization,content-type,idempotency-key"})
    assert preflight.status_code == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == PORTAL
    assert preflight.headers["Access-Control-Allow-Methods"] == "POST, OPTIONS"
    assert "Idempotency-Key" in preflight.headers["Access-Control-Allow-Headers"]
    denied = stack.client.http.request("OPTIONS", "/cases",
                                       headers={"Origin": "https://evil.example"})
    assert denied.status_code == 204
    assert "Access-Control-Allow-Methods" not in denied.headers


def test_without_configured_origins_no_cors_headers_are_sent(stack):
    answer = stack.call("GET", "/health", headers={"Origin": PORTAL})
    assert "Access-Control-Allow-Origin" not in answer.headers


def _draft_v2(stack):
    assert stack.call("POST", f"/admin/items/{FOOD}/versions", "admin",
                      {"reason": "调整"}).status_code == 201
    item = copy.deepcopy(next(i for i in demo.items() if i["baseCode"] == "000201012000"))
    return item


def test_a_draft_changed_since_it_was_read_is_refused_with_412(stack):
    item = _draft_v2(stack)
    read = stack.call("GET", f"/admin/items/{FOOD}/versions/2", "admin")
    etag = read.headers["ETag"]
    assert etag.startswith('"2-')

    item["name"] = "食品经营许可（新办，甲改）"
    first = stack.call("PUT", f"/admin/items/{FOOD}/versions/2", "admin",
                       {"item": item, "reason": "甲"}, headers={"If-Match": etag})
    assert first.status_code == 200 and first.headers["ETag"] != etag
    assert stack.call("GET", f"/admin/items/{FOOD}/versions/2",
                      "admin").headers["ETag"] == first.headers["ETag"]

    item["name"] = "食品经营许可（新办，乙改）"
    stale = stack.call("PUT", f"/admin/items/{FOOD}/versions/2", "admin",
                       {"item": item, "reason": "乙"}, headers={"If-Match": etag})
    assert stale.status_code == 412
    assert stale.data["error"] == {**stale.data["error"], "code": "precondition_failed",
                                   "field": "If-Match"}
    kept = stack.call("GET", f"/admin/items/{FOOD}/versions/2", "admin").data
    assert kept["name"] == "食品经营许可（新办，甲改）"
    history = stack.call("GET", f"/admin/items/{FOOD}/history", "admin").data["history"]
    assert [h["reason"] for h in history if h["action"] == "update"] == ["甲"]


def test_editors_racing_with_the_same_etag_one_wins_the_rest_get_412(stack):
    item = _draft_v2(stack)
    etag = stack.call("GET", f"/admin/items/{FOOD}/versions/2", "admin").headers["ETag"]

    def edit(i):
        mine = {**item, "name": f"食品经营许可（编辑{i}）"}
        return stack.call("PUT", f"/admin/items/{FOOD}/versions/2", "admin",
                          {"item": mine, "reason": f"编辑{i}"}, headers={"If-Match": etag})

    answers = race(6, edit)
    statuses = sorted(a.status_code for a in answers)
    assert statuses == [200] + [412] * 5, statuses
    winner = next(i for i, a in enumerate(answers) if a.status_code == 200)
    kept = stack.call("GET", f"/admin/items/{FOOD}/versions/2", "admin").data
    assert kept["name"] == f"食品经营许可（编辑{winner}）"
    history = stack.call("GET", f"/admin/items/{FOOD}/history", "admin").data["history"]
    assert [h["reason"] for h in history if h["action"] == "update"] == [f"编辑{winner}"]


def test_chalices_own_405_comes_as_json_with_allow(stack):
    answer = stack.client.http.request("DELETE", "/health")
    assert answer.status_code == 405
    import json
    assert json.loads(answer.body)["error"]["code"] == "method_not_allowed"
    assert answer.headers["Allow"] == "GET, OPTIONS"
