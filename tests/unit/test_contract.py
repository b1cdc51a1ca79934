"""The contract's pure parts: the error catalogue (code, status, messages, docs), the
language choice, msgspec's error paths as field names, and the OpenAPI document's shape."""
import ast
import re
from pathlib import Path

import msgspec
import pytest

from chalicelib.contract import errors, models
from chalicelib.domain import errors as domain_errors
from chalicelib.domain.documents import field_of

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("header, expected", [
    (None, "zh"), ("", "zh"), ("zh-CN", "zh"), ("en", "en"), ("en-US,en;q=0.9", "en"),
    ("zh-CN,zh;q=0.9,en;q=0.8", "zh"), ("en;q=0.3, zh-TW;q=0.9", "zh"),
    ("fr-FR, en;q=0.5", "en"), ("fr", "zh"), ("en;q=abc", "zh"), ("*", "zh"),
    (",,,;;;q=", "zh"), ("EN-gb", "en"),
])
def test_the_language_is_chinese_unless_english_is_preferred(header, expected):
    assert errors.language(header) == expected


@pytest.mark.parametrize("message, field", [
    ("Object missing required field `itemCode`", "itemCode"),
    ("Object missing required field `ref` - at `$.materials[0]`", "materials.0.ref"),
    ("Expected `str`, got `int` - at `$.applicant.idNumber`", "applicant.idNumber"),
    ("Object contains unknown field `opnion`", "opnion"),
    ("Invalid enum value 'x' - at `$.item.process.stages[2].rule`",
     "item.process.stages.2.rule"),
    ("Expected `object`, got `array`", None),
])
def test_msgspec_errors_name_the_field_as_a_dotted_path(message, field):
    assert field_of(message)[0] == field


def test_contract_errors_from_real_models_name_their_field():
    with pytest.raises(msgspec.ValidationError) as raised:
        msgspec.convert({"itemCode": "X" * 40, "applicant": {
            "type": "legal", "name": "a", "idNumber": "1", "phone": "123"}},
            models.Application)
    assert field_of(str(raised.value))[0] == "applicant.phone"


def _raised_codes() -> dict[str, int]:
    """Every error code the package raises (explicit `code=` or the class's own), with
    the status of the class raising it."""
    classes = {cls.__name__: cls for cls in vars(domain_errors).values()
               if isinstance(cls, type) and issubclass(cls, domain_errors.DomainError)}
    found = {cls.code: cls.status for cls in classes.values()}
    for path in (ROOT / "chalicelib").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and \
                    node.func.id in classes:
                for keyword in node.keywords:
                    if keyword.arg == "code" and isinstance(keyword.value, ast.Constant):
                        found[keyword.value.value] = classes[node.func.id].status
    return found


def test_every_code_raised_is_in_the_catalogue_with_its_status():
    raised = _raised_codes()
    assert len(raised) > 15
    for code, status in raised.items():
        assert code in errors.CATALOGUE, code
        assert errors.CATALOGUE[code].status == status, code


def test_the_catalogue_has_both_languages_and_a_code_per_status():
    for code, kind in errors.CATALOGUE.items():
        assert re.fullmatch(r"[a-z_]+", code)
        assert re.search(r"[\u4e00-\u9fff]", kind.zh), code
        assert kind.en.isascii() and kind.en[0].isupper(), code
    for status, code in errors.BY_STATUS.items():
        assert errors.CATALOGUE[code].status == status


def test_docs_list_exactly_the_catalogue():
    rows = re.findall(r"^\| (\d{3}) \| `([a-z_]+)` \| (.+?) \| (.+?) \|$",
                      (ROOT / "docs" / "errors.md").read_text("utf-8"), re.M)
    documented = {code: (int(status), zh, en) for status, code, zh, en in rows}
    assert documented == {code: tuple(kind) for code, kind in errors.CATALOGUE.items()}


def test_an_error_body_matches_the_error_model():
    body = errors.body("not_found", "en", field="caseNo", detail="no case", request_id="r")
    error = msgspec.convert(body, models.Error)
    assert (error.error.code, error.error.message, error.requestId) == \
        ("not_found", "No such resource", "r")


def test_the_openapi_document_names_every_operation_once_and_declares_500():
    import app  # noqa: F401  (registers the routes)
    from chalicelib.contract.openapi import document
    doc = document()
    assert doc["openapi"] == "3.1.0"
    ids = [op["operationId"] for item in doc["paths"].values() for op in item.values()]
    assert len(ids) == len(set(ids))
    for path, item in doc["paths"].items():
        for method, op in item.items():
            success = [s for s in op["responses"] if s.startswith("2")]
            assert success, (method, path)
            if method != "options":
                assert "500" in op["responses"], (method, path)
            if "requestBody" in op:
                assert {"400", "413", "415"} <= set(op["responses"]), (method, path)
            if op.get("security") != []:
                assert {"401", "403"} <= set(op["responses"]), (method, path)
    # A declaration answers 201, or 200 when the same file was declared before.
    assert {"200", "201"} <= set(doc["paths"]["/materials"]["post"]["responses"])
    # Every schema the document names exists.
    text = str(doc)
    for name in set(re.findall(r"#/components/schemas/(\w+)", text)):
        assert name in doc["components"]["schemas"], name


def test_the_openapi_document_declares_the_bearer_token_and_the_stages_provider():
    import app  # noqa: F401  (registers the routes)
    from chalicelib.contract.openapi import document
    doc = document("https://uias.example.gov.cn/oidc")
    schemes = doc["components"]["securitySchemes"]
    assert schemes["bearer"] == {**schemes["bearer"], "type": "http", "scheme": "bearer",
                                 "bearerFormat": "JWT"}
    assert schemes["oidc"]["openIdConnectUrl"] == \
        "https://uias.example.gov.cn/oidc/.well-known/openid-configuration"
    assert doc["security"] == [{"bearer": []}]
    assert doc["paths"]["/health"]["get"]["security"] == []
    assert "oidc" not in document()["components"]["securitySchemes"]


def _document() -> dict:
    import app  # noqa: F401  (registers the routes)
    from chalicelib.contract.openapi import document
    return document()


def test_an_item_version_has_one_type_everywhere_and_identifiers_their_real_format():
    from chalicelib.domain.identifiers import parse_license_identifier
    doc = _document()
    schemas = doc["components"]["schemas"]
    assert schemas["ItemSummary"]["properties"]["version"]["type"] == "integer"
    for model in ("Case", "CaseCreated"):
        assert schemas[model]["properties"]["itemVersion"]["type"] == "integer", model
    versions = [p["schema"] for item in doc["paths"].values()
                for method, op in item.items() if method != "options"
                for p in op.get("parameters", []) if p["name"] == "version"]
    assert versions and all(s["type"] == "integer" for s in versions)
    # The example a client copies is an identifier the server could have issued.
    example = schemas["MaterialRef"]["properties"]["licenseId"]["anyOf"][0]["examples"][0]
    assert parse_license_identifier(example)["serial"]
    # Generators name the package after the title: ASCII; the Chinese name is described.
    assert doc["info"]["title"].isascii() and "一网通办" in doc["info"]["description"]


def _examples(node, at=""):
    """Every example in the document: (where, the schema it is given for, the example)."""
    if isinstance(node, dict):
        for example in node.get("examples", []) if isinstance(node.get("examples"),
                                                                list) else []:
            yield at, {k: v for k, v in node.items() if k != "examples"}, example
        if "schema" in node and "example" in node:
            yield at, node["schema"], node["example"]
        for key, value in node.items():
            yield from _examples(value, f"{at}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _examples(value, f"{at}/{index}")


def test_every_example_in_the_document_validates_against_its_own_schema():
    import jsonschema
    doc = _document()
    root = jsonschema.Draft202012Validator(doc)   # resolves #/components/… refs
    found = list(_examples(doc))
    assert len(found) > 100
    failures = [(at, error.message) for at, schema, example in found
                for error in root.evolve(schema=schema).iter_errors(example)]
    assert failures == []


def test_the_document_states_the_rules_the_server_checks_on_materials_and_decisions():
    import jsonschema
    doc = _document()
    root = jsonschema.Draft202012Validator(doc)

    def valid(name, value):
        return root.evolve(schema={"$ref": f"#/components/schemas/{name}"}).is_valid(value)

    upload = "M" + "0" * 32
    assert valid("MaterialRef", {"name": "营业执照", "materialId": upload})
    assert valid("MaterialRef", {"name": "营业执照", "licenseId": "1.2.156.3005.2.x",
                                 "materialId": None})
    assert not valid("MaterialRef", {"name": "营业执照"})
    assert not valid("MaterialRef", {"name": "营业执照", "materialId": upload,
                                     "licenseId": "1.2.156.3005.2.x"})
    assert valid("Decision", {"decision": "approve"})
    assert valid("Decision", {"decision": "deny", "opinion": "不符合条件"})
    assert not valid("Decision", {"decision": "deny"})
    assert not valid("Decision", {"decision": "refuse", "opinion": "  "})
    assert not valid("Decision", {"decision": "approve", "materials": ["营业执照"]})
    assert valid("Decision", {"decision": "supplement", "opinion": "请补充",
                              "materials": ["营业执照"]})
    assert not valid("Decision", {"decision": "deny", "opinion": "否",
                                  "pendingMaterials": ["营业执照"]})


def test_the_document_states_the_rules_the_server_checks_on_ratings_departments_reasons():
    """What schemathesis's positive_data_acceptance found the server refusing with a 400
    though the document admitted it: now stated, so a 400 is the document's own answer."""
    import jsonschema
    doc = _document()
    root = jsonschema.Draft202012Validator(doc)

    def valid(name, value):
        return root.evolve(schema={"$ref": f"#/components/schemas/{name}"}).is_valid(value)

    assert valid("RatingIn", {"scope": "stage", "stage": 1, "level": 3})
    assert not valid("RatingIn", {"scope": "stage", "level": 3})
    assert not valid("RatingIn", {"scope": "stage", "stage": None, "level": 3})
    assert valid("RatingIn", {"scope": "case", "level": 3, "indicators": {"once": 5}})
    assert not valid("RatingIn", {"scope": "case", "level": 3, "indicators": {"speed": 5}})
    assert valid("RectificationResponse", {"accept": True})
    assert valid("RectificationResponse", {"accept": False, "reason": "未整改"})
    assert not valid("RectificationResponse", {"accept": False})
    assert not valid("RectificationResponse", {"accept": False, "reason": None})
    assert not valid("ReasonOnly", {"reason": "\r"})
    department = {"name": "深圳市税务局", "uscc": "11440300007542808J", "code": "SWJ"}
    assert valid("DepartmentChange", {"department": department, "reason": "新设"})
    assert not valid("DepartmentChange", {"department": {**department, "name": "  "},
                                          "reason": "新设"})


def test_no_object_in_the_document_is_free_form_without_saying_so():
    """`type: object` with no properties and no `additionalProperties: true` becomes
    `Record<string, never>` in generated TypeScript: nothing could be put in it."""
    empty = []

    def walk(node, at):
        if isinstance(node, dict):
            if node.get("type") == "object" and "properties" not in node and \
                    node.get("additionalProperties") in (None, False):
                empty.append(at)
            for key, value in node.items():
                walk(value, f"{at}/{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, f"{at}/{index}")

    doc = _document()
    walk(doc, "")
    assert empty == []
    schemas = doc["components"]["schemas"]
    # What the services return is described field by field.
    assert schemas["SignedLicense"]["properties"]["license"] == \
        {"$ref": "#/components/schemas/License"}
    assert {"identifier", "holder", "validTo", "trustLevel"} <= \
        set(schemas["License"]["properties"])
    materials = schemas["Case"]["properties"]["materials"]["anyOf"][0]["items"]
    assert materials == {"$ref": "#/components/schemas/CaseMaterial"}
    # An application's form is the item version's: open.
    assert schemas["Application"]["properties"]["form"]["additionalProperties"] is True
