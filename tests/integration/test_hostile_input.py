"""No input reaches a 500: each gets a JSON 4xx naming the field and writes nothing."""
import boto3
import pytest

from tests.hostile import CASES

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


def test_a_cursor_pages_only_the_listing_that_returned_it(stack):
    """A genuine cursor of one listing handed to another (another index, another
    department, another facet) is a 400 naming the cursor, never a 500."""
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
        assert (answer.status_code, answer.data["error"]["field"]) == (400, "cursor"), path
    # Each still pages its own listing.
    assert stack.call("GET", f"/tasks?dept=ZWFW&limit=1&cursor={tasks_cursor}",
                      "clerk").status_code == 200
    assert stack.call("GET", f"/items?limit=1&cursor={items_cursor}").status_code == 200
