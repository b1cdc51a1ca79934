import pytest

from chalicelib.domain import identity, masking, payload
from chalicelib.domain.applications import parse_application, password_matches, query_password
from chalicelib.domain.canonical import canonical_bytes
from chalicelib.domain.catalogue import validate_form
from chalicelib.domain.errors import DomainError, Forbidden, UnprocessableEntity, ValidationError
from chalicelib.domain.masking import mask_id, mask_phone, mask_text

GOOD = {"itemCode": "X", "applicant": {"type": "natural", "name": "张三",
                                       "idNumber": "11010519491231002x"}}


def test_a_good_application_is_normalised():
    application = parse_application(GOOD)
    assert application.applicant == {"type": "natural", "name": "张三", "idType": "111",
                                     "idNumber": "11010519491231002X"}
    assert application.channel == "api"


@pytest.mark.parametrize("change,field", [
    ({"itemCode": 5}, "itemCode"),
    ({"applicant": None}, "applicant"),
    ({"applicant": {"type": "robot", "name": "x", "idNumber": "1"}}, "applicant.type"),
    ({"applicant": {"type": "legal", "name": "x", "idNumber": "11010519491231002X"}},
     "applicant.idNumber"),
    ({"applicant": {"type": "natural", "name": "", "idNumber": "11010519491231002X"}},
     "applicant.name"),
    ({"applicant": {**GOOD["applicant"], "phone": "12345"}}, "applicant.phone"),
    ({"form": []}, "form"), ({"materials": {}}, "materials"), ({"channel": "x"}, "channel")])
def test_each_bad_field_is_named(change, field):
    with pytest.raises(DomainError) as raised:
        parse_application({**GOOD, **change})
    assert raised.value.field == field
    # A check character is no rule of the document's: 422; the shape's rules are 400.
    assert raised.value.status == (422 if change.get("applicant", {}) and
                                   change["applicant"].get("type") == "legal" else 400)


def test_form_errors_name_the_form_field():
    schema = {"type": "object", "required": ["a"],
              "properties": {"a": {"type": "string"}, "b": {"type": "integer"}}}
    validate_form(schema, {"a": "ok", "b": 1})
    for form, field in (({}, "form.a"), ({"a": "x", "b": "y"}, "form.b")):
        with pytest.raises(UnprocessableEntity) as raised:
            validate_form(schema, form)
        assert (raised.value.status, raised.value.code, raised.value.field) == \
            (422, "form_not_valid", field)


def test_canonical_bytes_ignore_key_order_but_not_content():
    a = canonical_bytes({"b": 1, "a": "证照"})
    assert a == canonical_bytes({"a": "证照", "b": 1}) == '{"a":"证照","b":1}'.encode()
    assert a != canonical_bytes({"a": "证照 ", "b": 1})


def test_query_password_is_six_digits_and_tied_to_the_case():
    password = query_password("s", "C1")
    assert len(password) == 6 and password.isdigit()
    assert password == query_password("s", "C1") != query_password("s", "C2")
    assert password_matches("s", "C1", password) and not password_matches("s", "C1", None)


def test_masking():
    assert mask_id("11010519491231002X") == "110105********002X"
    assert mask_phone("13800138000") == "138****8000"
    assert mask_text("id 11010519491231002X tel 13800138000") == \
        "id 110105********002X tel 138****8000"


def test_personal_data_typed_into_a_form_is_masked_and_put_back_by_pointer():
    form = {"address": "深圳市南山区科技园1号 联系电话13800138000",
            "people": [{"name": "王五", "id": "11010519491231002X"}, {"name": "赵六"}],
            "a/b": "负责人 440305199003070014", "seats": 40, "ok": "没有号码"}
    masked, found = masking.split_personal(form)
    assert masked == {"address": "深圳市南山区科技园1号 联系电话138****8000",
                      "people": [{"name": "王五", "id": "110105********002X"}, {"name": "赵六"}],
                      "a/b": "负责人 440305********0014", "seats": 40, "ok": "没有号码"}
    assert found == {"/address": form["address"], "/people/0/id": "11010519491231002X",
                     "/a~1b": form["a/b"]}
    assert masking.restore_personal(masked, found) == form
    assert masking.restore_personal(masked, None) == masked
    assert masking.split_personal({"seats": 40, "name": "小吃店"}) == (
        {"seats": 40, "name": "小吃店"}, {})


@pytest.mark.parametrize("text,allowed,found", [
    ("深圳小吃有限公司", payload.NAME_ALLOWS, None),
    ("ＡＢＣ　公司（深圳）", payload.NAME_ALLOWS, None),      # full-width, ideographic space
    ("a\u0000b", payload.FREE_TEXT_ALLOWS, "\u0000"),
    ("a\u001bb", payload.FREE_TEXT_ALLOWS, "\u001b"),
    ("a\u0085b", payload.FREE_TEXT_ALLOWS, "\u0085"),           # C1 control
    ("abc\u202e", payload.FREE_TEXT_ALLOWS, "\u202e"),          # right-to-left override
    ("\u2066abc\u2069", payload.FREE_TEXT_ALLOWS, "\u2066"),    # isolates
    ("\u200fabc", payload.FREE_TEXT_ALLOWS, "\u200f"),          # right-to-left mark
    ("\ufeffabc", payload.FREE_TEXT_ALLOWS, "\ufeff"),          # BOM
    ("同意\n予以受理\t。", payload.FREE_TEXT_ALLOWS, None),       # free text: lines
    ("同意\n予以受理", payload.NAME_ALLOWS, "\n"),                 # a name: one line
    ("👨\u200d👩\u200d👧", payload.FREE_TEXT_ALLOWS, None),        # emoji joiners
    ("👨\u200d👩", payload.NAME_ALLOWS, "\u200d"),
])
def test_control_and_format_characters_are_found(text, allowed, found):
    assert payload.hidden_character(text, allowed) == found


def test_a_body_with_a_hidden_character_is_refused_naming_the_field():
    with pytest.raises(ValidationError) as refused:
        payload.check({"form": {"people": ["王五", "赵\u202e六"]}})
    assert refused.value.field == "form.people.1" and "U+202E" in refused.value.message
    with pytest.raises(ValidationError) as refused:
        payload.check({"form": {"a\u0000": 1}})
    assert refused.value.field == "form"
    payload.check({"opinion": "材料齐全，\r\n予以受理"})


def _principal(**claims):
    return identity.Principal(**{"sub": "s", "role": "applicant", **claims})


@pytest.mark.parametrize("principal,applicant,name", [
    # Applying in one's own name: the token's name, whatever was typed.
    (_principal(name="张三", id_number="11010519491231002X"),
     {"name": "李四", "idNumber": "11010519491231002X"}, "张三"),
    # For a company: the name its delegation gives.
    (_principal(name="陈代办", id_number="440305198807150023",
                acts_for=("91440300MA5FXK7Q3T",),
                company_names=(("91440300MA5FXK7Q3T", "深圳小吃有限公司"),)),
     {"name": "<b>别家公司</b>", "idNumber": "91440300MA5FXK7Q3T"}, "深圳小吃有限公司"),
    # At the counter, the clerk's entry.
    (_principal(role="clerk", dept="ZWFW", name="李窗口"),
     {"name": "王五", "idNumber": "11010519491231002X"}, "王五"),
])
def test_a_case_is_made_out_in_the_verified_name(principal, applicant, name):
    assert identity.holder_name(principal, applicant) == name


@pytest.mark.parametrize("principal", [
    _principal(id_number="11010519491231002X"),                       # no name claim
    _principal(name="张\u202e三", id_number="11010519491231002X"),
    _principal(name="陈代办", id_number="440305198807150023",
               acts_for=("11010519491231002X",)),                      # a bare delegation
])
def test_without_a_verified_name_there_is_no_case(principal):
    with pytest.raises(Forbidden) as refused:
        identity.holder_name(principal, {"name": "张三", "idNumber": "11010519491231002X"})
    assert (refused.value.code, refused.value.field) == ("unverified_holder_name",
                                                         "applicant.name")


def test_a_hidden_character_in_free_form_json_is_a_422_and_in_stated_text_a_400():
    """domain/payload.check_texts: where the document states the rule (a declared text
    field, an open object's own keys) a 400; inside what it admits as any JSON a 422."""
    from chalicelib.domain import documents
    body = {"itemCode": "X", "applicant": {"type": "legal", "name": "某公司", "idNumber": "1"},
            "form": {"people": ["王五", "赵\u202e六"], "nested": {"a\u0000": 1}},
            "materials": [{"name": "营业执照", "license": {"license": {"k": "v\u200b"}}}]}
    free = documents.free_form(body, documents.Application)
    assert ("form", "people") in free and ("form", "nested") in free
    assert ("materials", 0, "license", "license") in free
    assert ("form",) not in free and ("applicant", "name") not in free
    with pytest.raises(UnprocessableEntity) as refused:
        payload.check_texts(body, free)
    assert refused.value.code == "hidden_character"
    assert refused.value.field in ("form.people.1", "form.nested",
                                   "materials.0.license.license.k")
    # A key of the form itself is stated (propertyNames): a 400, and it wins.
    with pytest.raises(ValidationError) as refused:
        payload.check_texts({**body, "form": {**body["form"], "b\u202e": 1}}, free)
    assert refused.value.field == "form"
    with pytest.raises(ValidationError) as refused:
        payload.check_texts({**body, "applicant": {**body["applicant"], "name": "某\u202e"}},
                            free)
    assert refused.value.field == "applicant.name"
    payload.check_texts({**body, "form": {"people": ["王五"]}, "materials": []}, free)
