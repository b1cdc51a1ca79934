"""Whose name a case and its license carry: the verified identity's, never the name an
applicant typed; and no name (nor any other text) holds a control or format character."""
import json

import boto3
import pytest

from infra.local import demo

from .harness import COMPANY, HYGIENE, REGION, application

COMPANY_NAME = "深圳小吃有限公司"
SOCIAL_CARD = demo.code_of("000220015000", "RSJ")   # 社会保障卡申领, natural persons
ZHANG_SAN = {"type": "natural", "name": "张三", "idNumber": "11010519491231002X"}


def _social_card(name: str) -> dict:
    return {"itemCode": SOCIAL_CARD, "channel": "web", "applicant": {**ZHANG_SAN, "name": name},
            "form": {"mailingAddress": "北京市西城区1号"}}


def _case_items(stack) -> list[dict]:
    table = boto3.resource("dynamodb", region_name=REGION).Table(stack.env["OW_CASES_TABLE"])
    return [i for i in table.scan()["Items"] if not str(i["pk"]).startswith("SEQ#")]


def _named(typed: str) -> dict:
    return application(HYGIENE, applicant={**COMPANY, "name": typed})


def _license_of(stack, case_no: str, applicant_user: str) -> dict:
    accept = stack.open_task(case_no, "ZWFW", "clerk")
    stack.decide(accept["taskId"], "clerk", "accept", "受理")
    for dept, reviewer in (("WSJK", "wsjk"), ("XFJY", "xfjy")):
        review = stack.open_task(case_no, dept, reviewer)
        stack.decide(review["taskId"], reviewer, "approve", "同意")
    license_id = stack.wait_status(case_no, 11)["licenseId"]
    return stack.call("GET", f"/licenses/{license_id}", applicant_user).data


@pytest.mark.parametrize("typed", ["深圳大鹏湾实业有限公司", "<script>alert(1)</script>"])
def test_the_case_and_its_license_carry_the_signed_in_companys_name(stack, typed):
    created = stack.call("POST", "/cases", "company", _named(typed))
    assert created.status_code == 201, created.data
    case_no = created.data["caseNo"]
    assert stack.case(case_no, "company")["applicant"]["name"] == COMPANY_NAME
    signed = _license_of(stack, case_no, "company")
    assert signed["license"]["holder"] == COMPANY_NAME
    assert typed not in json.dumps(_case_items(stack), ensure_ascii=False, default=str)


def test_an_agent_applies_in_the_name_its_delegation_gives_the_company(stack):
    created = stack.call("POST", "/cases", "agent", _named("深圳大鹏湾实业有限公司"))
    assert created.status_code == 201, created.data
    assert stack.case(created.data["caseNo"], "agent")["applicant"]["name"] == COMPANY_NAME


def test_without_a_verified_name_an_applicant_cannot_apply(stack):
    """A delegation of the old form (a bare USCC) still lets the agent read the company's
    cases, but gives no name to make a case out in; nor does a token without a name."""
    old_form = stack.token("agent", acts_for=["91440300MA5FXK7Q3T"])
    nameless = stack.token("applicant", name=None)
    for token, body in ((old_form, _named(COMPANY_NAME)),
                        (nameless, _social_card("张三"))):
        refused = stack.call("POST", "/cases", body=body,
                             headers={"Authorization": f"Bearer {token}"})
        assert refused.status_code == 403, refused.data
        assert (refused.data["error"]["code"], refused.data["error"]["field"]) == \
            ("unverified_holder_name", "applicant.name")
    assert _case_items(stack) == []
    # The old form still counts for what the agent may read.
    assert stack.call("GET", "/me/cases?for=91440300MA5FXK7Q3T",
                      headers={"Authorization": f"Bearer {old_form}"}).status_code == 200


def test_a_natural_person_applies_in_the_name_the_token_gives(stack):
    created = stack.call("POST", "/cases", "applicant", _social_card("李四"))
    assert created.status_code == 201, created.data
    assert stack.case(created.data["caseNo"], "applicant")["applicant"]["name"] == "张三"


@pytest.mark.parametrize("typed,character", [
    ("深圳小吃\u0000有限公司", "U+0000"), ("深圳小吃\u202e司公限有", "U+202E"),
    ("深圳小吃\u200b有限公司", "U+200B"), ("深圳小吃\n有限公司", "U+000A")])
@pytest.mark.parametrize("user", ["company", "clerk"])
def test_a_name_with_a_control_or_format_character_is_refused(stack, user, typed, character):
    body = {**_named(typed), "channel": "counter" if user == "clerk" else "web"}
    refused = stack.call("POST", "/cases", user, body)
    assert refused.status_code == 400, refused.data
    assert refused.data["error"]["field"] == "applicant.name"
    assert character in refused.data["error"]["detail"]
    assert _case_items(stack) == []


def test_free_text_refuses_control_and_format_characters_but_keeps_line_breaks(stack):
    hidden = stack.call("POST", "/cases", "company", application(
        HYGIENE, form={"placeName": "悦来\u202e馆宾", "address": "深圳市福田区深南大道2号",
                       "placeType": "住宿"}))
    # Inside the form (any JSON, by the document): refused all the same, as a 422.
    assert (hidden.status_code, hidden.data["error"]["code"], hidden.data["error"]["field"]) \
        == (422, "hidden_character", "form.placeName")
    assert _case_items(stack) == []
    case_no = stack.call("POST", "/cases", "company", application(HYGIENE)).data["caseNo"]
    accept = stack.open_task(case_no, "ZWFW", "clerk")
    nul = stack.decide(accept["taskId"], "clerk", "accept", "受理\u0000")
    assert (nul.status_code, nul.data["error"]["field"]) == (400, "opinion")
    query = stack.call("GET", "/items?q=%E9%A3%9F%E2%80%AE", None)   # 食 U+202E
    assert (query.status_code, query.data["error"]["field"]) == (400, "q")
    assert stack.decide(accept["taskId"], "clerk", "accept",
                        "材料齐全，\n予以受理").status_code == 200


def test_a_name_the_clerk_enters_is_printed_as_text_not_markup(stack):
    """At the counter the clerk enters the applicant's name: whatever it holds, the
    printable license shows it escaped."""
    typed = '<script>alert("x")</script>小吃'
    created = stack.call("POST", "/cases", "clerk", {**_named(typed), "channel": "counter"})
    assert created.status_code == 201, created.data
    signed = _license_of(stack, created.data["caseNo"], "company")
    assert signed["license"]["holder"] == typed
    page = stack.call("GET", f"/licenses/{signed['license']['identifier']}/print.html",
                      "company").body.decode("utf-8")
    assert "<script>" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;小吃" in page
