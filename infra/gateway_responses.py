"""What API Gateway answers itself, before or instead of the app: an unknown path (it says
403 "Missing Authentication Token"), throttling, a body over its 10 MB limit, a function
that failed or timed out. Each answer comes in the API's error shape
(chalicelib/contract/errors.py) with the request id, as the app's own errors do.

Declared once here and used twice: `infra/package.py` puts them into the stage's API as
gateway responses (SAM `GatewayResponses`, so they are part of the API's definition and
deployed with it), and the local server (`infra/local/request_handler.py`) answers what
stands for the gateway's part in the same words and headers.

What the gateway cannot do, and so neither does the local server for these answers:
- choose a language: the message is the catalogue's Chinese one (`Content-Language:
  zh-CN`), whatever `Accept-Language` asks; `detail` is English, as always;
- check an `Origin` against the stage's list: a stage that allows origins at all lets any
  origin read these answers (`Access-Control-Allow-Origin: *`, no credentials) — they
  hold nothing but the error and the request id.
"""
import json
from typing import NamedTuple

from chalicelib.api.cors import EXPOSE_HEADERS
from chalicelib.contract import errors

# Where API Gateway puts a request's id: the same id the app returns as X-Request-Id
# (chalicelib/logs.py reads it from the request context).
REQUEST_ID = "$context.requestId"
# Seconds a throttled client waits: the stage's token bucket refills every second.
RETRY_AFTER_SECONDS = 1


class GatewayAnswer(NamedTuple):
    status: int
    code: str                  # in the error catalogue
    field: str | None
    detail: str


# API Gateway's response types (REST APIs) and what each answers. The types that keep
# their 4xx status are named one by one, so that DEFAULT_4XX (what is left: 403s from
# signatures, API keys and WAF, which this API does not use) can say 403 truthfully.
RESPONSES: dict[str, GatewayAnswer] = {
    "MISSING_AUTHENTICATION_TOKEN": GatewayAnswer(
        404, "not_found", "path", "no operation of the API answers this method on this path "
        "(GET /openapi.json lists them)"),
    "RESOURCE_NOT_FOUND": GatewayAnswer(404, "not_found", "path",
                                        "no operation of the API answers this path"),
    "BAD_REQUEST_BODY": GatewayAnswer(400, "validation_error", "body",
                                      "API Gateway could not read the request body"),
    "BAD_REQUEST_PARAMETERS": GatewayAnswer(400, "validation_error", None,
                                            "API Gateway could not read the request's "
                                            "parameters"),
    "UNAUTHORIZED": GatewayAnswer(401, "unauthorized", "Authorization",
                                  "a bearer token is required"),
    "REQUEST_TOO_LARGE": GatewayAnswer(413, "payload_too_large", "Content-Length",
                                       "the request is larger than API Gateway's 10 MB "
                                       "limit"),
    "UNSUPPORTED_MEDIA_TYPE": GatewayAnswer(415, "unsupported_media_type", "Content-Type",
                                            "API Gateway does not take this Content-Type"),
    "THROTTLED": GatewayAnswer(429, "too_many_requests", None,
                               "the stage's request rate is exceeded"),
    "QUOTA_EXCEEDED": GatewayAnswer(429, "too_many_requests", None,
                                    "the client's request quota is exceeded"),
    "DEFAULT_4XX": GatewayAnswer(403, "forbidden", None, "API Gateway refused the request"),
    "INTEGRATION_TIMEOUT": GatewayAnswer(504, "gateway_timeout", None,
                                         "the API did not answer within API Gateway's "
                                         "time limit"),
    "DEFAULT_5XX": GatewayAnswer(500, "internal_error", None,
                                 "API Gateway could not get an answer from the API"),
}


def body_template(answer: GatewayAnswer) -> str:
    """The answer's JSON body with API Gateway's request-id variable in it, ASCII only
    (the Chinese message escaped): whatever charset a client assumes, it reads the same."""
    return json.dumps(errors.body(answer.code, "zh", field=answer.field, detail=answer.detail,
                                  request_id=REQUEST_ID), separators=(",", ":"))


def headers(answer: GatewayAnswer, cors: bool) -> dict[str, str]:
    """The answer's headers (X-Request-Id's value is REQUEST_ID); `cors`: the stage
    allows browser origins."""
    found = {"X-Request-Id": REQUEST_ID, "Content-Language": "zh-CN",
             "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}
    if answer.status == 429:
        found["Retry-After"] = str(RETRY_AFTER_SECONDS)
    if answer.status == 401:
        found["WWW-Authenticate"] = 'Bearer realm="onewindow"'
    if cors:
        found["Access-Control-Allow-Origin"] = "*"
        found["Access-Control-Expose-Headers"] = EXPOSE_HEADERS
    return found


def sam(cors: bool) -> dict:
    """The `GatewayResponses` of the stage's AWS::Serverless::Api."""
    return {kind: {
        "StatusCode": str(answer.status),
        "ResponseParameters": {"Headers": {
            name: "context.requestId" if value == REQUEST_ID else f"'{value}'"
            for name, value in headers(answer, cors).items()}},
        "ResponseTemplates": {"application/json": body_template(answer)}}
        for kind, answer in RESPONSES.items()}


def local(kind: str, request_id: str, cors: bool) -> tuple[int, dict[str, str], bytes]:
    """What the gateway answers for `kind`, as the local server sends it: status,
    headers (with Content-Type) and body, `request_id` in place of the gateway's."""
    answer = RESPONSES[kind]
    found = {name: request_id if value == REQUEST_ID else value
             for name, value in headers(answer, cors).items()}
    found["Content-Type"] = "application/json"
    body = body_template(answer).replace(REQUEST_ID, request_id).encode("ascii")
    return answer.status, found, body
