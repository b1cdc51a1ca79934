"""Behind API Gateway with binary media types `*/*` (infra/package.py: a printed license
goes out as bytes whatever the Accept), every request body reaches the function
base64-encoded (`isBase64Encoded: true`). Chalice decodes it; this drives the Lambda entry
point with such an event, as API Gateway sends it, and finds the JSON body read as sent:
an application made, a bad field named, the answer JSON text (not base64)."""
import base64
import json
import uuid
from types import SimpleNamespace

import app as application_module

from .harness import FOOD, application


def _event(method: str, path: str, token: str, body=None, accept="application/json"):
    raw = json.dumps(body, ensure_ascii=False).encode("utf-8") if body is not None else None
    return {
        "resource": path, "path": path, "httpMethod": method,
        "headers": {"Authorization": f"Bearer {token}", "Accept": accept,
                    "Content-Type": "application/json", "Host": "api.example"},
        "multiValueHeaders": {}, "queryStringParameters": None,
        "multiValueQueryStringParameters": None, "pathParameters": None,
        "stageVariables": None,
        "requestContext": {"resourcePath": path, "httpMethod": method,
                           "requestId": str(uuid.uuid4()), "stage": "api",
                           "identity": {"sourceIp": "203.0.113.9"}},
        "body": base64.b64encode(raw).decode() if raw is not None else None,
        "isBase64Encoded": raw is not None}


def _context():
    return SimpleNamespace(function_name="APIHandler", memory_limit_in_mb=512,
                           invoked_function_arn="arn:aws:lambda:cn-north-1:0:function:x",
                           aws_request_id=str(uuid.uuid4()), log_group_name="x",
                           log_stream_name="x", get_remaining_time_in_millis=lambda: 29000)


def test_a_base64_encoded_json_body_is_read_as_sent(stack):
    token = stack.token("company")
    answer = application_module.app(_event("POST", "/cases", token, application(FOOD)),
                                    _context())
    assert answer["statusCode"] == 201, answer
    made = json.loads(answer["body"])
    assert stack.case(made["caseNo"])["itemCode"] == FOOD

    bad = {**application(FOOD), "applicant": {"type": "legal", "name": "某公司"}}
    answer = application_module.app(_event("POST", "/cases", token, bad), _context())
    assert answer["statusCode"] == 400, answer
    assert json.loads(answer["body"])["error"]["field"] == "applicant.idNumber"
    assert not answer.get("isBase64Encoded")     # JSON goes out as text
