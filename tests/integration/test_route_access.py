"""Access rules over the whole route table (the same list the OpenAPI document is made
from): every route that is not public refuses a missing or bad token with 401, and every
staff or admin route refuses an applicant with 403 — before it reads or writes anything."""
import re

import pytest

import app  # noqa: F401  (registers the routes)
from chalicelib.contract.openapi import OPERATIONS

from .harness import FOOD

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
    for headers in ({}, {"Authorization": "Bearer not.a.token"},
                    {"Authorization": f"Bearer {expired}"},
                    {"Authorization": f"Bearer {foreign}"}):
        answer = _call(stack, op, headers)
        assert answer.status_code == 401, (op.path, headers, answer.data)
        assert answer.data["error"]["field"] == "Authorization"


STAFF_ONLY = [op for op in PROTECTED
              if op.tag in ("admin", "tasks", "supervision") or op.path.endswith("/revoke")]


@pytest.mark.parametrize("op", STAFF_ONLY, ids=[f"{o.method} {o.path}" for o in STAFF_ONLY])
def test_an_applicant_is_refused_on_every_staff_route(stack, op):
    answer = _call(stack, op, {"Authorization": f"Bearer {stack.token('company')}"})
    assert answer.status_code == 403, (op.path, answer.data)
    assert answer.data["error"]["code"] == "forbidden"
