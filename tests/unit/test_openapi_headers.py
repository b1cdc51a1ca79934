"""The OpenAPI document declares the headers every answer carries (X-Request-Id,
X-Correlation-Id) and those of a status (WWW-Authenticate on 401, Retry-After on 429),
so that generated clients can read them."""
import app  # noqa: F401  (registers the routes)
from chalicelib.contract.openapi import document


def _responses(doc):
    """Every response of the document with its status, $refs resolved."""
    components = doc["components"]["responses"]
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            for status, response in operation["responses"].items():
                if "$ref" in response:
                    response = components[response["$ref"].rsplit("/", 1)[1]]
                yield f"{method} {path} {status}", int(status), response


def test_every_response_declares_the_request_and_correlation_ids():
    doc = document()
    headers = doc["components"]["headers"]
    assert headers["X-Correlation-Id"]["schema"] == {"type": "string"}
    seen = 0
    for where, _, response in _responses(doc):
        declared = response.get("headers", {})
        for name in ("X-Request-Id", "X-Correlation-Id"):
            assert declared.get(name) == {"$ref": f"#/components/headers/{name}"}, \
                (where, name)
        seen += 1
    assert seen > 200


def test_every_401_declares_the_challenge_and_every_429_when_to_retry():
    doc = document()
    statuses = {401: "WWW-Authenticate", 429: "Retry-After"}
    counted = {401: 0, 429: 0}
    for where, status, response in _responses(doc):
        for other, name in statuses.items():
            assert (name in response.get("headers", {})) == (status == other), where
        if status in counted:
            counted[status] += 1
    assert counted[401] > 50 and counted[429] >= 1
    assert doc["components"]["headers"]["Retry-After"]["schema"]["type"] == "integer"
