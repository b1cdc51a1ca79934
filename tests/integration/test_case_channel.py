"""A case says where it came in (`channel`: web, miniprogram, api, counter), in the
owner's and staff's view and in the query-password view, as its application named it;
the OpenAPI document declares it."""
from .harness import FOOD, another


def test_the_case_view_says_which_channel_the_case_came_in_by(stack):
    for n, (channel, user, headers) in enumerate((
            ("miniprogram", "company", {}), ("counter", "clerk", {"X-Channel": "counter"}))):
        created = stack.call("POST", "/cases", user, another(FOOD, n, channel=channel),
                             headers=headers)
        assert created.status_code == 201, created.data
        case_no = created.data["caseNo"]
        for reader in ("company", "supervisor"):
            assert stack.case(case_no, reader)["channel"] == channel, reader
        public = stack.call("GET", f"/cases/{case_no}", None,
                            headers={"X-Query-Password": created.data["queryPassword"]})
        assert public.status_code == 200 and public.data["channel"] == channel
    case = stack.call("GET", "/openapi.json").data["components"]["schemas"]["Case"]
    assert sorted(case["properties"]["channel"]["anyOf"][0]["enum"]) == [
        "api", "counter", "miniprogram", "web"]
