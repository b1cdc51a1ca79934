"""No input reaches a 500: each gets a JSON 4xx naming the field and writes nothing."""
import boto3
import pytest

from tests.hostile import CASES

from .harness import REGION


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
