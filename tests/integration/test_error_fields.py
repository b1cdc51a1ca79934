"""An error's `field` is one notation everywhere — a dotted path for the body (`materials.0.
materialId`, never `materials[0]`), a name for a parameter or header — and its `detail`,
to a caller that asked for English, holds no Chinese."""
import re

from .harness import FOOD, application

DOTTED = re.compile(r"[^.\[\]\s]+(\.[^.\[\]\s]+)*")
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
ENGLISH = {"Accept-Language": "en"}


def _bad_bodies():
    """(body, the field it names, the status) — one of each producer: the contract
    (msgspec), the payload check, the form's JSON Schema, the materials of an application
    (400 where the document says it, 422 where only the item or the applicant's materials
    do)."""
    return [
        ({**application(FOOD), "applicant": {"type": "legal", "name": "某公司"}},
         "applicant.idNumber", 400),
        ({**application(FOOD), "materials": [{"name": "营业执照\u202e"}]}, "materials.0.name",
         400),
        ({**application(FOOD), "form": {**application(FOOD)["form"], "category": "烧烤"}},
         "form.category", 422),
        ({**application(FOOD), "materials": [{"name": "不存在的材料",
                                              "materialId": "M" + "0" * 32}]},
         "materials.0.name", 422),
        ({**application(FOOD), "materials": [{"name": "营业执照"}]}, "materials.0", 400),
        ({**application(FOOD), "materials": [
            {"name": "营业执照", "licenseId": "1.2.156.3005.2.11100000MB0143028R0019"}]},
         "materials.0.licenseId", 422),
    ]


def test_every_field_is_a_dotted_path_and_english_details_hold_no_chinese(stack):
    for body, field, status in _bad_bodies():
        chinese = stack.call("POST", "/cases", "company", body)
        english = stack.call("POST", "/cases", "company", body, headers=ENGLISH)
        for answer in (chinese, english):
            assert answer.status_code == status, (field, answer.data)
            assert answer.data["error"]["field"] == field, answer.data
            assert DOTTED.fullmatch(answer.data["error"]["field"]), answer.data
        detail = english.data["error"]["detail"]
        assert not CJK.search(detail) and detail.isascii(), detail


def test_what_an_english_detail_quotes_in_chinese_is_escaped_not_lost(stack):
    body = {**application(FOOD), "form": {**application(FOOD)["form"], "category": "烧烤"}}
    chinese = stack.call("POST", "/cases", "company", body).data["error"]["detail"]
    english = stack.call("POST", "/cases", "company", body,
                         headers=ENGLISH).data["error"]["detail"]
    assert "烧烤" in chinese and "餐饮服务" in chinese
    assert "\\u70e7\\u70e4" in english     # 烧烤, as JSON would escape it
    assert english.encode().decode("unicode_escape") == chinese


def test_a_supplement_names_its_materials_in_the_same_notation(stack):
    case_no = stack.call("POST", "/cases", "company", application(FOOD)).data["caseNo"]
    stack.open_task(case_no, "ZWFW", "clerk")
    stack.decide(f"{case_no}-A1", "clerk", "accept", "受理")
    stack.open_task(case_no, "SCJG", "scjg")
    asked = stack.call("POST", f"/tasks/{case_no}-R1-SCJG/decision", "scjg",
                       {"decision": "supplement", "opinion": "请补充管理制度",
                        "materials": ["食品安全管理制度文本"]})
    assert asked.status_code == 200, asked.data
    stack.wait_status(case_no, 6)
    for materials, field, status in (
            ([{"name": "食品安全管理制度文本"}], "materials.0", 400),
            ([{"name": "食品安全管理制度文本", "materialId": "M" + "0" * 32}],
             "materials.0.materialId", 422),
            # only a clerk's application at the counter says a material was checked there
            ([{"name": "食品安全管理制度文本", "checkedAtCounter": "original"}],
             "materials.0.checkedAtCounter", 422)):
        answer = stack.call("POST", f"/cases/{case_no}/supplement", "company",
                            {"materials": materials}, headers=ENGLISH)
        assert (answer.status_code, answer.data["error"]["field"]) == (status, field), \
            answer.data
        assert answer.data["error"]["detail"].isascii()
    # At the counter the clerk takes the paper for the applicant and says how it was checked.
    supplied = stack.call("POST", f"/cases/{case_no}/supplement", "clerk", {"materials": [
        {"name": "食品安全管理制度文本", "checkedAtCounter": "original"}]},
        headers={"X-Channel": "counter"})
    assert supplied.status_code == 200, supplied.data
    assert {"name": "食品安全管理制度文本", "checkedAtCounter": "original"} in \
        stack.case(case_no)["materials"]
