"""Access rules over the whole route table (the same list the OpenAPI document is made
from): every route that is not public refuses a missing or bad token with 401, and every
staff or admin route refuses an applicant with 403 — before it reads or writes anything."""
import re
from datetime import timedelta

import pytest

import app  # noqa: F401  (registers the routes)
from chalicelib.contract.openapi import OPERATIONS
from chalicelib.services import clock

from .harness import FOOD, application, sweep

PROTECTED = [op for op in OPERATIONS if not op.public]
# Values for path parameters that exist in shape (a route must not answer 404 first).
SAMPLES = {"caseNo": "440300202611240000001X", "taskId": "440300202611240000001X-A1",
           "code": FOOD, "version": "1", "baseCode": "000201012000",
           "licenseId": "1.2.156.3005.2.x"}


def _path(op) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: SAMPLES.get(m.group(1), "x"), op.path)


def _call(stack, op, headers):
    body = {} if op.method in ("post", "put") else None
    return stack.call(op.method.upper(), _path(op), body=body, headers=headers)


@pytest.mark.parametrize("op", PROTECTED, ids=[f"{o.method} {o.path}" for o in PROTECTED])
def test_no_token_or_a_bad_one_is_401_on_every_protected_route(stack, op):
    expired = stack.token("supervisor", exp=1)
    foreign = stack.token("supervisor", iss="https://evil.example")
    # Each 401 says how to authenticate (RFC 6750 §3): no error code without credentials,
    # invalid_token for a refused bearer token, invalid_request for another scheme.
    challenge = 'Bearer realm="onewindow"'
    for headers, expected in (
            ({}, challenge),
            ({"Authorization": "Bearer not.a.token"}, f'{challenge}, error="invalid_token"'),
            ({"Authorization": f"Bearer {expired}"}, f'{challenge}, error="invalid_token"'),
            ({"Authorization": f"Bearer {foreign}"}, f'{challenge}, error="invalid_token"'),
            ({"Authorization": "Basic dXNlcjpwYXNz"}, f'{challenge}, error="invalid_request"')):
        answer = _call(stack, op, headers)
        assert answer.status_code == 401, (op.path, headers, answer.data)
        assert answer.data["error"]["field"] == "Authorization"
        assert answer.headers["WWW-Authenticate"] == expected, (op.path, headers)
        assert "Accept-Language" in answer.headers["Vary"]


STAFF_ONLY = [op for op in PROTECTED
              if op.tag in ("admin", "tasks", "supervision") or (
                  op.path.endswith("/revoke") and not op.path.startswith("/me/"))]


@pytest.mark.parametrize("op", STAFF_ONLY, ids=[f"{o.method} {o.path}" for o in STAFF_ONLY])
def test_an_applicant_is_refused_on_every_staff_route(stack, op):
    answer = _call(stack, op, {"Authorization": f"Bearer {stack.token('company')}"})
    assert answer.status_code == 403, (op.path, answer.data)
    assert answer.data["error"]["code"] == "forbidden"


# Every route that names a case, a task or a license, with a body it would take.
OBJECT_ROUTES = [op for op in PROTECTED
                 if re.search(r"\{(case_no|task_id|license_id|card_id|rating_id)\}",
                              op.path)]
BODIES = {
    "/cases/{case_no}/withdraw": {"reason": "不办了"},
    "/cases/{case_no}/revoke": {"reason": "以欺骗手段取得"},
    "/cases/{case_no}/supplement": {"materials": [{"name": "营业执照",
                                                   "materialId": "M" + "0" * 32}]},
    "/tasks/{task_id}/assign": {"to": "staff:zhou-rsj"},
    "/tasks/{task_id}/decision": {"decision": "accept", "opinion": "受理"},
    "/tasks/{task_id}/special-procedure": {"type": "inspection", "reason": "需现场核查"},
    "/tasks/{task_id}/special-procedure/end": {"result": "合格"},
    "/supervision/cards/{card_id}/acknowledge": {"note": "已阅"},
    "/supervision/cards/{card_id}/appeal": {"reason": "系统故障"},
    "/supervision/cards/{card_id}/appeal/decision": {"decision": "upheld", "opinion": "属实"},
    "/cases/{case_no}/ratings": {"scope": "acceptance", "level": 1},
    "/ratings/{rating_id}/callback": {"verified": True, "note": "已回访"},
    "/ratings/{rating_id}/rectification": {"measures": "培训", "answer": "已整改"},
    "/ratings/{rating_id}/response": {"accept": True},
    "/ratings/{rating_id}/review/decision": {"decision": "upheld", "opinion": "维持"},
    "/ratings/{rating_id}/contest": {"reason": "恶意差评", "evidence": ["录音"]},
    "/ratings/{rating_id}/contest/decision": {"decision": "upheld", "opinion": "属实"},
    "/licenses/{license_id}/suspend": {"reason": "停业整顿"},
    "/licenses/{license_id}/resume": {"reason": "整改完成"},
    "/licenses/{license_id}/revoke": {"reason": "以欺骗手段取得"},
    "/licenses/{license_id}/reissue": {"changes": {"holder": "深圳大吃有限公司"},
                                       "reason": "名称变更"},
    "/licenses/{license_id}/annotated-copy": {"purpose": "开户", "validUntil": "2030-01-01"},
    "/cases/{case_no}/documents/{document_id}/correct": {
        "reason": "笔误", "corrections": [{"wrong": "本区", "right": "本市"}]},
    "/cases/{case_no}/documents/{document_id}/correction-request": {"reason": "有误"},
    "/cases/{case_no}/documents/{document_id}/correction-request/refusal": {"reason": "无误"},
}
# Signed in, and nothing to do with the case: another applicant, a clerk and a reviewer of
# departments the case never reached.
STRANGERS = ("lisi", "rsj", "cgj")


def _objects(stack, op) -> tuple[str, dict]:
    """The path of an existing object of the company's for `op`, and the case it is of."""
    if "{license_id}" in op.path:
        case = stack.approve_in_parallel()
        return op.path.replace("{license_id}", case["licenseId"]), case
    case_no = stack.call("POST", "/cases", "company", application(FOOD)).data["caseNo"]
    task = stack.open_task(case_no, "ZWFW", "clerk")
    if "{rating_id}" in op.path:  # the acceptance rated 1: a rectification is open
        stack.decide(task["taskId"], "clerk", "accept", "受理")
        rating = stack.call("POST", f"/cases/{case_no}/ratings", "company",
                            {"scope": "acceptance", "level": 1}).data["ratingId"]
        return op.path.replace("{rating_id}", rating), stack.case(case_no)
    if "{document_id}" in op.path:  # refused: its 不予受理决定书
        stack.decide(task["taskId"], "clerk", "refuse", "经营场所不在本区")
        documents = f"/cases/{case_no}/documents"
        assert stack.pump.run_until(lambda: stack.call("GET", documents, "company")
                                    .data["items"])
        document = stack.call("GET", documents, "company").data["items"][0]["documentId"]
        return (op.path.replace("{case_no}", case_no)
                .replace("{document_id}", document), stack.case(case_no))
    card = ""
    if "{card_id}" in op.path:  # the acceptance a month late: red cards
        sweep(clock.now() + timedelta(days=30))
        card = next(c["cardId"] for c in stack.call("GET", "/supervision/cards?level=red",
                                                     "clerk").data["cards"]
                    if c["caseNo"] == case_no and c["scope"] == "task")
    return (op.path.replace("{case_no}", case_no).replace("{task_id}", task["taskId"])
            .replace("{card_id}", card), stack.case(case_no))


def _state(stack, case_no: str) -> tuple:
    case = stack.case(case_no)
    cards = stack.call("GET", f"/cases/{case_no}/supervision", "supervisor").data["cards"]
    rated = stack.call("GET", f"/cases/{case_no}/ratings", "supervisor").data["ratings"]
    documents = stack.call("GET", f"/cases/{case_no}/documents", "supervisor").data["items"]
    return case["status"], [(t["taskId"], t["state"], t.get("claimedBy"))
                            for t in case["tasks"]], cards, rated, documents


@pytest.mark.parametrize("op", OBJECT_ROUTES,
                         ids=[f"{o.method} {o.path}" for o in OBJECT_ROUTES])
def test_someone_elses_case_task_or_license_does_not_exist_for_a_stranger(stack, op):
    """Another subject's object, or one of a department the caller's never worked on, is
    404 — as a missing one would be — on every route that names one; a stranger whose role
    may not call the route at all is 403 first. Nothing changes, and every 404 that hid
    something is in the audit trail."""
    path, case = _objects(stack, op)
    before = _state(stack, case["caseNo"])
    body = BODIES.get(op.path, {}) if op.method == "post" else None
    accept = {"Accept": op.media_type}     # a PDF route answers only a caller asking for one
    for user in STRANGERS:
        role = stack.issuer.users[user]["role"]
        answer = stack.call(op.method.upper(), path, user, body, headers=accept)
        expected = 403 if op.roles and role not in op.roles else 404
        assert answer.status_code == expected, (user, path, answer.data)
        code = answer.data["error"]["code"]
        assert code == ("forbidden" if expected == 403 else "not_found"), (user, code)
    assert _state(stack, case["caseNo"]) == before
    audited = {(e["path"], e.get("sub"), e["status"])
               for e in stack.audit(clock.now().strftime("%Y-%m-%d"))}
    for user in STRANGERS:
        role = stack.issuer.users[user]["role"]
        status = 403 if op.roles and role not in op.roles else 404
        assert (path, stack.issuer.users[user]["sub"], status) in audited, user
