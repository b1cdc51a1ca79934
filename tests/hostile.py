"""Inputs that once reached a 500 (or stored a case that could never be served again):
each must get a JSON 4xx naming the field and change nothing. Shared by the in-process
integration test and the e2e test against the local stack."""
import base64
import json

from infra.local import demo

FOOD = demo.code_of("000201012000", "SCJG")
COMPANY_ID = "91440300MA5FXK7Q3T"


def application(**overrides) -> dict:
    body = {"itemCode": FOOD, "channel": "web",
            "applicant": {"type": "legal", "name": "深圳小吃有限公司", "idNumber": COMPANY_ID},
            "form": {"businessName": "小吃店", "address": "深圳市南山区科技园1号",
                     "category": "餐饮服务"}}
    body.update(overrides)
    return body


def _text(value) -> str:
    return json.dumps(value, ensure_ascii=False)


DEEP = "[" * 1200 + "]" * 1200
FORGED_CURSOR = base64.urlsafe_b64encode(b'{"foo":"bar"}').decode().rstrip("=")

# (method, path, raw body or None, extra headers, who calls, status, field)
CASES = [
    ("POST", "/cases", '{"itemCode": ' + DEEP + "}", {"Idempotency-Key": "deep"},
     "company", 400, "body"),
    ("POST", "/licenses/verify", '{"license": ' + DEEP + "}", {}, None, 400, "body"),
    ("GET", "/items?limit=%C2%B2", None, {}, None, 400, "limit"),
    ("GET", "/items?cursor=" + FORGED_CURSOR, None, {}, None, 422, "cursor"),
    ("GET", "/tasks?dept=ZWFW&cursor=" + FORGED_CURSOR, None, {}, "clerk", 422, "cursor"),
    ("GET", "/catalogue?cursor=" + FORGED_CURSOR, None, {}, None, 422, "cursor"),
    ("POST", "/cases", _text(application(materials=[{"name": "材料" * 50, "licenseId": "L" * 64}]
                                         * 1000)), {}, "company", 413, "body"),
    ("POST", "/cases", _text(application()).replace('"小吃店"', "NaN"),
     {"Idempotency-Key": "nan"}, "company", 400, "body"),
    ("POST", "/cases", _text(application()).replace("深圳小吃有限公司", "\\ud800"), {},
     "company", 400, "applicant.name"),
    ("POST", "/cases", _text(application()).replace("小吃店", "小吃\\udfff店"), {},
     "company", 400, "form.businessName"),
    # A number too large for a float read as an infinity was stored as Infinity (201), and
    # the case could not be served again; the retry with its key was a 500.
    ("POST", "/cases", _text(application(form={**application()["form"], "areaSqm": 0}))
     .replace('"areaSqm": 0', '"areaSqm": 1e999'), {"Idempotency-Key": "overflow"},
     "company", 400, "form.areaSqm"),
    # Control and format characters (NUL, a right-to-left override) in a name.
    ("POST", "/cases", _text(application()).replace("深圳小吃有限公司", "深圳小吃\\u0000"), {},
     "company", 400, "applicant.name"),
    ("POST", "/cases", _text(application()).replace("深圳小吃有限公司", "深圳\u202e司公"), {},
     "company", 400, "applicant.name"),
    ("GET", "/items/" + "A" * 3000, None, {}, None, 404, "code"),
    ("GET", "/items/" + FOOD + "/versions/%EF%BC%91", None, {}, None, 404, "version"),
    ("GET", "/licenses/1.2.156.3005.2." + "X" * 3000, None, {}, "company", 404, "licenseId"),
    ("POST", "/tasks/440300202611240000001X-A" + "1" * 2000 + "/decision",
     '{"decision": "accept"}', {}, "clerk", 404, "taskId"),
    ("GET", "/items?q=" + "%E9%A3%9F" * 300, None, {}, None, 400, "q"),
    # Anonymous callers never learn whether a case exists: a missing one is a wrong
    # password too.
    ("GET", "/cases/440300202611240000001X", None, {"X-Query-Password": "１２３４５６"}, None,
     403, "password"),
]
