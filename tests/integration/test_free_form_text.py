"""A control or format character is refused in any text (domain/payload.py), but what the
refusal answers follows what /openapi.json states: in a declared text field or an open
object's own keys it is a request the document does not admit (400 validation_error);
inside an open object's values — an application's form, a license as signed, a merge's or
split's fields, an item's formSchema: any JSON, by the document — it is a 422
hidden_character naming the field. Either way nothing is written."""
import copy

from infra.local import demo

from .harness import FOOD, HYGIENE, RESTAURANT, _moto_table, application

RLO = "\u202e"  # right-to-left override: makes a text read otherwise than it is stored


def _stored(stack) -> dict:
    """Every record of the cases, items and licenses tables, as moto holds them."""
    return {name: copy.deepcopy(dict(_moto_table(stack.env[name]).items))
            for name in ("OW_CASES_TABLE", "OW_ITEMS_TABLE", "OW_LICENSES_TABLE")}


def _item(**changes) -> dict:
    doc = copy.deepcopy(next(i for i in demo.items() if i["baseCode"] == "000201012000"))
    doc.update({"sequence": "02", "name": "食品经营许可（延续）", **changes})
    return doc


def _refused(stack, method, path, user, body, status, code, field):
    answer = stack.call(method, path, user, body)
    assert (answer.status_code, answer.data["error"]["code"],
            answer.data["error"]["field"]) == (status, code, field), (path, answer.data)
    assert "U+202E" in answer.data["error"]["detail"] or \
        "control or format" in answer.data["error"]["detail"], answer.data


def test_a_hidden_character_inside_an_application_form_is_a_422_and_no_case(stack):
    before = _stored(stack)
    form = application(FOOD)["form"]
    for body, status, code, field in (
            # A value of the form: the document admits any JSON there.
            (application(FOOD, form={**form, "businessName": f"小吃{RLO}店"}), 422,
             "hidden_character", "form.businessName"),
            (application(FOOD, form={**form, "owners": [{"name": "王五"},
                                                        {"name": f"赵{RLO}六"}]}),
             422, "hidden_character", "form.owners.1.name"),
            # A key nested in a form value: the document states no rule there either.
            (application(FOOD, form={**form, "extra": {f"a{RLO}": 1}}), 422,
             "hidden_character", "form.extra"),
            # The form's own keys and a declared field: the document refuses them.
            (application(FOOD, form={**form, f"a{RLO}": 1}), 400, "validation_error",
             "form"),
            (application(FOOD, applicant={**application(FOOD)["applicant"],
                                          "name": f"深圳{RLO}小吃有限公司"}),
             400, "validation_error", "applicant.name"),
            # Stated and unstated at once: the request is not admitted, a 400.
            (application(FOOD, form={**form, "businessName": f"小吃{RLO}店"},
                         applicant={**application(FOOD)["applicant"],
                                    "name": f"深圳{RLO}小吃有限公司"}),
             400, "validation_error", "applicant.name")):
        _refused(stack, "POST", "/cases", "company", body, status, code, field)
    assert _stored(stack) == before
    # Without the character the same application is taken.
    taken = stack.call("POST", "/cases", "company",
                       application(FOOD, form={**form, "businessName": "小吃店"}))
    assert taken.status_code == 201, taken.data


def test_a_hidden_character_inside_a_signed_license_is_a_422(stack):
    signature = {"keyId": "alias/license", "value": "c2ln"}
    for body, field in (
            ({"license": {"holder": f"深圳{RLO}小吃有限公司"}, "signature": signature},
             "license.holder"),
            ({"license": {"scope": {f"餐饮{RLO}": True}}, "signature": signature},
             "license.scope"),
            ({"license": {"holder": "深圳小吃有限公司"}, "signature": signature,
              "annotation": {"purpose": f"开户{RLO}"}}, "annotation.purpose")):
        _refused(stack, "POST", "/licenses/verify?purpose=%E5%BC%80%E6%88%B7", "clerk",
                 body, 422, "hidden_character", field)
    # A license as signed, in place of a material in an application.
    before = _stored(stack)
    body = application(FOOD, materials=[{"name": "营业执照", "license": {
        "license": {"holder": f"深圳{RLO}小吃有限公司"}, "signature": signature}}])
    _refused(stack, "POST", "/cases", "company", body, 422, "hidden_character",
             "materials.0.license.license.holder")
    assert _stored(stack) == before


def test_a_hidden_character_inside_an_items_form_schema_is_a_422_and_no_item(stack):
    before = _stored(stack)
    schema = _item()["formSchema"]
    hidden = {**schema, "title": f"申请表{RLO}"}
    _refused(stack, "POST", "/admin/items", "admin", {"item": _item(formSchema=hidden),
                                                      "reason": "新增延续事项"},
             422, "hidden_character", "item.formSchema.title")
    _refused(stack, "PUT", f"/admin/items/{FOOD}/versions/1", "admin",
             {"item": _item(formSchema=hidden, sequence="01"), "reason": "改"},
             422, "hidden_character", "item.formSchema.title")
    assert _stored(stack) == before


def test_a_hidden_character_in_a_merge_or_split_target_is_a_422_and_no_draft(stack):
    before = _stored(stack)
    _refused(stack, "POST", f"/admin/items/{FOOD}/split", "admin", {
        "reason": "按经营类别拆分",
        "into": [{"sequence": "11", "name": f"食品经营许可{RLO}（食品销售）"},
                 {"sequence": "12", "name": "食品经营许可（餐饮服务）"}]},
             422, "hidden_character", "into.0.name")
    _refused(stack, "POST", "/admin/items/merge", "admin", {
        "reason": "卫生与消防合并办理", "from": [HYGIENE, RESTAURANT],
        "into": {"sequence": "21", "name": f"公共场所{RLO}开业联合审批"}},
             422, "hidden_character", "into.name")
    assert _stored(stack) == before


def test_a_split_target_that_makes_no_item_is_a_422_not_a_400(stack):
    """The document admits any object as a target; one whose fields are no item's is a
    catalogue rule broken (item_not_valid), not a shape."""
    before = _stored(stack)
    answer = stack.call("POST", f"/admin/items/{FOOD}/split", "admin", {
        "reason": "拆分", "into": [{"sequence": "11"}, {"sequence": "12", "colour": "red"}]})
    assert (answer.status_code, answer.data["error"]["code"],
            answer.data["error"]["field"]) == (422, "item_not_valid", "into.1.colour"), \
        answer.data
    assert _stored(stack) == before
