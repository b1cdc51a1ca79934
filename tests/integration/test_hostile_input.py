"""No input reaches a 500: each gets a JSON 4xx naming the field and writes nothing."""
import json

import boto3
import pytest

from tests.hostile import CASES
from tests.hostile import application as food_application

from .harness import REGION, application


@pytest.mark.parametrize("method,path,body,headers,user,status,field", CASES,
                         ids=[f"{c[0]} {c[1][:40]}" for c in CASES])
def test_hostile_input_gets_a_json_4xx_and_writes_nothing(stack, method, path, body,
                                                          headers, user, status, field):
    table = boto3.resource("dynamodb", region_name=REGION).Table(stack.env["OW_CASES_TABLE"])
    before = table.scan()["Items"]
    response = stack.call(method, path, user, body.encode("utf-8") if body else None,
                          headers=headers)
    assert (response.status_code, response.data["error"].get("field")) == (status, field), \
        response.data
    assert response.data["error"]["code"] and response.data["error"]["message"]
    # Nothing written, not even a case number drawn from the day's counter.
    assert table.scan()["Items"] == before


OVERFLOWING = ("1e999", "-1e999", "1E400")


def _with_number(place: str, literal: str) -> str:
    """An application whose number at `place` is the literal `literal` (JSON text: Python's
    json.dumps cannot write a number it would read back as an infinity)."""
    body = food_application()
    marker = "__NUMBER__"
    if place == "form.areaSqm":
        body["form"]["areaSqm"] = marker
    elif place == "form.extra.sizes.1":
        body["form"]["extra"] = {"sizes": [1, marker]}
    elif place == "materials.0.license.license.seats":
        body["materials"] = [{"name": "营业执照", "license": {"license": {"seats": marker},
                                                          "signature": {}}}]
    return json.dumps(body, ensure_ascii=False).replace(f'"{marker}"', literal)


@pytest.mark.parametrize("literal", OVERFLOWING)
@pytest.mark.parametrize("place", ["form.areaSqm", "form.extra.sizes.1",
                                   "materials.0.license.license.seats"])
def test_a_number_too_large_for_a_float_is_refused_and_stores_nothing(stack, place, literal):
    """1e999 parsed as an infinity was stored as `Infinity` (201); the case could then not
    be served as JSON, and the retry under the same Idempotency-Key was a 500."""
    table = boto3.resource("dynamodb", region_name=REGION).Table(stack.env["OW_CASES_TABLE"])
    before = table.scan()["Items"]
    raw = _with_number(place, literal)
    key = {"Idempotency-Key": f"overflow-{place}-{literal}"}
    for attempt in range(2):  # the retry is refused the same way, not a 500
        response = stack.call("POST", "/cases", "company", raw.encode("utf-8"), headers=key)
        assert response.status_code == 400, (attempt, response.data)
        assert response.data["error"]["code"] == "validation_error"
        assert response.data["error"]["field"] == place
    # No case, no idempotency record, no case number drawn.
    assert table.scan()["Items"] == before


@pytest.mark.parametrize("path,user,raw,field", [
    ("/licenses/verify", None, '{"license": {"seats": -1e999}, "signature": {}}',
     "license.seats"),
    ("/admin/items", "admin", '{"formSchema": {"maximum": 1E400}}', "formSchema.maximum"),
])
def test_every_json_body_refuses_a_number_too_large_for_a_float(stack, path, user, raw,
                                                                field):
    response = stack.call("POST", path, user, raw.encode())
    assert (response.status_code, response.data["error"]["field"]) == (400, field), \
        response.data


def test_a_cursor_pages_only_the_listing_that_returned_it(stack):
    """A genuine cursor of one listing handed to another (another index, another
    department, another facet) is a 422 naming the cursor, never a 500."""
    for n in range(3):
        body = application()
        body["form"]["placeName"] += str(n)   # three different cases
        assert stack.call("POST", "/cases", "company", body).status_code == 201
    assert stack.pump.run_until(lambda: len(stack.call(
        "GET", "/tasks?dept=ZWFW", "clerk").data["tasks"]) == 3)
    tasks_cursor = stack.call("GET", "/tasks?dept=ZWFW&limit=1", "clerk").data["next"]
    items_cursor = stack.call("GET", "/items?limit=1").data["next"]
    assert tasks_cursor and items_cursor
    for path, user in ((f"/items?cursor={tasks_cursor}", None),
                       (f"/items?dept=SCJG&cursor={items_cursor}", None),
                       (f"/tasks?dept=ZWFW&cursor={items_cursor}", "clerk"),
                       (f"/me/cases?cursor={tasks_cursor}", "company")):
        answer = stack.call("GET", path, user)
        assert (answer.status_code, answer.data["error"]["field"]) == (422, "cursor"), path
    # Each still pages its own listing.
    assert stack.call("GET", f"/tasks?dept=ZWFW&limit=1&cursor={tasks_cursor}",
                      "clerk").status_code == 200
    assert stack.call("GET", f"/items?limit=1&cursor={items_cursor}").status_code == 200
