"""Each rule of an implementation document, and the field its error names."""
import copy

import pytest

from chalicelib.domain.catalogue import (
    check_entry,
    check_form_titles,
    check_implementation,
    check_publishable,
    diff,
    dry_run,
    implementation_code,
    split_implementation_code,
)
from chalicelib.domain.errors import DomainError, ValidationError
from infra.local import demo

DEPARTMENTS = {d["code"]: {"name": d["name"], "uscc": d["uscc"]} for d in demo.departments()}
ENTRIES = {e["baseCode"]: {**e, "status": "active", "parentCode": e.get("parentCode")}
           for e in demo.catalogue_entries()}
FOOD = next(i for i in demo.items() if i["baseCode"] == "000201012000")


def check(doc):
    return check_implementation(doc, DEPARTMENTS, ENTRIES)


def test_every_shipped_item_passes_and_gets_its_code():
    for item in demo.items():
        checked = check(item)
        uscc = DEPARTMENTS[item["implementingDept"]]["uscc"]
        assert checked["code"] == item["baseCode"] + "440300000000" + uscc + "01"


def test_every_shipped_item_is_publishable_with_a_chinese_title_on_every_field():
    for item in demo.items():
        check_publishable(check(item))
        schema = item["formSchema"]
        assert all(field.get("title") for field in schema["properties"].values())


NESTED = {"title": "申请表", "type": "object", "properties": {
    "address": {"title": "地址", "type": "object", "properties": {
        "street": {"title": "街道", "type": "string"},
        "room": {"title": "门牌号", "type": "string"}}},
    "staff": {"title": "从业人员", "type": "array", "items": {
        "title": "人员", "type": "object", "properties": {
            "name": {"title": "姓名", "type": "string"}}}},
    "pair": {"title": "坐标", "type": "array", "prefixItems": [
        {"title": "经度", "type": "number"}, {"title": "纬度", "type": "number"}]},
    "extra": {"title": "其他", "type": "object",
              "additionalProperties": {"title": "说明", "type": "string"}}}}

UNTITLED = [
    ("title", None, "item.formSchema.title"),
    ("title", "Application", "item.formSchema.title"),          # not Chinese
    ("title", "  ", "item.formSchema.title"),
    ("properties.address.title", None, "item.formSchema.properties.address.title"),
    ("properties.address.properties.room.title", None,
     "item.formSchema.properties.address.properties.room.title"),
    ("properties.address.properties.room.title", 12,
     "item.formSchema.properties.address.properties.room.title"),
    ("properties.staff.items.title", None, "item.formSchema.properties.staff.items.title"),
    ("properties.staff.items.properties.name.title", "name",
     "item.formSchema.properties.staff.items.properties.name.title"),
    ("properties.pair.prefixItems.1.title", None,
     "item.formSchema.properties.pair.prefixItems.1.title"),
    ("properties.extra.additionalProperties.title", None,
     "item.formSchema.properties.extra.additionalProperties.title"),
]


@pytest.mark.parametrize("path,value,field", UNTITLED, ids=[u[2] for u in UNTITLED])
def test_a_form_schema_without_a_chinese_title_somewhere_is_not_publishable(path, value,
                                                                             field):
    schema = copy.deepcopy(NESTED)
    check_form_titles(schema)                  # titled throughout: publishable
    *parents, last = path.split(".")
    node = schema
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    if value is None:
        del node[last]
    else:
        node[last] = value
    with pytest.raises(DomainError) as raised:
        check_form_titles(schema)
    assert (raised.value.status, raised.value.code, raised.value.field) == (
        422, "form_title_missing", field)


def test_a_draft_may_lack_titles_but_publishing_refuses_it():
    doc = copy.deepcopy(FOOD)
    del doc["formSchema"]["properties"]["address"]["title"]
    checked = check(doc)                        # a draft: any valid JSON Schema
    with pytest.raises(DomainError) as raised:
        check_publishable(checked)
    assert raised.value.field == "item.formSchema.properties.address.title"


def test_implementation_code_round_trip():
    code = implementation_code("000201012000", "440300000000", "11440300007542808J", "01")
    assert split_implementation_code(code) == ("000201012000", "440300000000",
                                               "11440300007542808J", "01")
    with pytest.raises(ValidationError):
        split_implementation_code("SHORT")


def _set(doc, path, value):
    *parents, last = path.split(".")
    node = doc
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    if isinstance(node, list):
        node[int(last)] = value
    elif value is _DELETE:
        del node[last]
    else:
        node[last] = value


_DELETE = object()
BROKEN = [
    ("baseCode", "bad code!", "item.baseCode"),
    ("areaCode", "4403", "item.areaCode"),
    ("implementingDept", "NOPE", "item.implementingDept"),
    ("sequence", "1", "item.sequence"),
    ("code", "000201012000440300000000X", "item.code"),
    ("name", "", "item.name"),
    ("kind", "07", "item.kind"),                    # not the entry's kind
    ("legalBasis", _DELETE, "item.legalBasis"),
    ("baseCode", "000999999000", "item.baseCode"),   # not in the catalogue
    ("coDepts", ["SCJG"], "item.coDepts.0"),
    ("coDepts", ["GHOST"], "item.coDepts.0"),
    ("audience", ["robots"], "item.audience.0"),
    ("audience", [], "item.audience"),
    ("channels", ["fax"], "item.channels.0"),
    ("statutoryLimit", {"value": 20, "unit": "weeks"}, "item.statutoryLimit.unit"),
    ("promisedLimit", {"value": 0, "unit": "workdays"}, "item.promisedLimit.value"),
    ("promisedLimit", {"value": 25, "unit": "workdays"}, "item.promisedLimit"),
    ("fees", {"charged": True, "standard": "100元"}, "item.fees.basis"),
    ("fees", {}, "item.fees.charged"),
    ("onlineDepth", 5, "item.onlineDepth"),
    ("visits", 3, "item.visits"),
    ("contacts", "", "item.contacts"),
    ("contacts", "   ", "item.contacts"),             # blank is not text
    ("conditions", 42, "item.conditions"),
    ("unknownField", "x", "item.unknownField"),       # a misspelt field is named
    ("themes", ["开办餐厅", "开办餐厅"], "item.themes"),
    ("faq", [{"q": "只有问题"}], "item.faq.0.a"),
    ("materials.0.mandatory", "yes", "item.materials.0.mandatory"),
    ("materials.0.form", "fax", "item.materials.0.form"),
    ("materials.1.replacedBy", [{"licenseType": "X", "trustLevels": ["A"]}],
     "item.materials.1.replacedBy.0.licenseType"),
    ("materials.1.replacedBy", [{"licenseType": "11100000MB0143028R002",
                                 "trustLevels": ["E"]}],
     "item.materials.1.replacedBy.0.trustLevels.0"),
    ("process.acceptanceDept", "GHOST", "item.process.acceptanceDept"),
    ("process.stages", [], "item.process.stages"),
    ("process.stages.0.departments", [], "item.process.stages.0.departments"),
    ("process.stages.0.departments", ["GHOST"], "item.process.stages.0.departments.0"),
    ("process.stages.0.departments", ["SCJG", "SCJG"], "item.process.stages.0.departments"),
    ("process.stages.0.days", 0, "item.process.stages.0.days"),
    ("process.stages.0.days", 9, "item.process.stages"),  # 1 + 9 > promised 5
    ("process.stages.0.rule", "majority", "item.process.stages.0.rule"),
    ("process.stages.0.rule", "lead", "item.process.stages.0.lead"),
    ("formSchema", {"type": "array"}, "item.formSchema"),
    ("formSchema", {"type": "object", "properties": {"x": {"type": "nonsense"}}},
     "item.formSchema"),
    ("result", {"licenseType": "12", "licenseName": "x"}, "item.result.licenseType"),
    ("result", {"licenseType": "11100000MB0143028R001"}, "item.result.licenseName"),
]


@pytest.mark.parametrize("path,value,field", BROKEN, ids=[f"{b[0]}->{b[2]}" for b in BROKEN])
def test_each_rule_names_its_field(path, value, field):
    doc = copy.deepcopy(FOOD)
    _set(doc, path, value)
    with pytest.raises(DomainError) as raised:   # 400 for the shape, 422 for a rule
        check(doc)
    assert raised.value.field == field, raised.value.message
    assert (raised.value.status, raised.value.code) in ((400, "validation_error"),
                                                        (422, "item_not_valid"))


def test_an_immediate_item_may_have_no_review_stage_and_zero_promised_days():
    immediate = copy.deepcopy(FOOD)
    immediate.update(immediate=True, promisedLimit={"value": 0, "unit": "workdays"})
    immediate["process"] = {"acceptanceDept": "ZWFW", "acceptanceDays": 0, "stages": []}
    check(immediate)


def test_working_hours_count_as_eighths_of_a_day():
    doc = copy.deepcopy(FOOD)
    doc["promisedLimit"] = {"value": 40, "unit": "workhours"}  # 5 working days
    check(doc)
    doc["promisedLimit"] = {"value": 200, "unit": "workhours"}  # 25 days > statutory 20
    with pytest.raises(DomainError) as raised:
        check(doc)
    assert (raised.value.status, raised.value.field) == (422, "item.promisedLimit")


def test_diff_reports_changed_fields_and_ignores_bookkeeping():
    new = copy.deepcopy(FOOD)
    new["process"]["stages"][0]["days"] = 3
    new["name"] = "食品经营许可（新办）（试行）"
    assert diff({**FOOD, "version": 1}, {**new, "version": 2}) == [
        {"field": "name", "from": FOOD["name"], "to": new["name"]},
        {"field": "process.stages", "from": FOOD["process"]["stages"],
         "to": new["process"]["stages"]}]


def test_dry_run_lays_out_deadlines_in_working_days():
    from datetime import date
    run = dry_run({**FOOD, "code": "X", "version": 1}, date(2026, 9, 30))
    assert run["acceptance"]["deadline"] == "2026-10-08"   # over the National Day holiday
    assert run["stages"][0]["departments"][0]["deadline"] == "2026-10-13"
    assert run["promisedBy"] == "2026-10-13" and run["issuesLicense"] is True


def test_an_abolished_entry_takes_no_implementation():
    entries = {**ENTRIES, "000201012000": {**ENTRIES["000201012000"], "status": "abolished"}}
    with pytest.raises(DomainError) as raised:
        check_implementation(copy.deepcopy(FOOD), DEPARTMENTS, entries)
    assert (raised.value.status, raised.value.field) == (422, "item.baseCode")


def test_a_sub_item_inherits_its_entry_relation():
    assert check(copy.deepcopy(FOOD))["parentCode"] is None
    sub_entries = {**ENTRIES, "000201012000": {**ENTRIES["000201012000"],
                                               "parentCode": "000201012001"}}
    assert check_implementation(copy.deepcopy(FOOD), DEPARTMENTS, sub_entries)[
        "parentCode"] == "000201012001"


GOOD_ENTRY = {"baseCode": "000201012003", "name": "食品经营许可（注销）", "kind": "01",
              "legalBasis": "《食品经营许可和备案管理办法》",
              "definingDept": "国家市场监督管理总局",
              "parentCode": "000201012000"}


@pytest.mark.parametrize("change,field", [
    ({"baseCode": "x y"}, "entry.baseCode"),
    ({"name": ""}, "entry.name"),
    ({"kind": "42"}, "entry.kind"),
    ({"kind": "07"}, "entry.kind"),                 # a sub-item has its main item's kind
    ({"legalBasis": None}, "entry.legalBasis"),
    ({"definingDept": ""}, "entry.definingDept"),
    ({"parentCode": "000999999000"}, "entry.parentCode"),
    ({"parentCode": "000201012001"}, "entry.parentCode"),   # a sub-item is not a main item
    ({"parentCode": "000201012003"}, "entry.parentCode"),   # not its own main item
    ({"status": "paused"}, "entry.status")])
def test_entry_rules(change, field):
    assert check_entry(GOOD_ENTRY, ENTRIES)["status"] == "active"
    with pytest.raises(DomainError) as raised:   # 400 for the shape, 422 for a rule
        check_entry({**GOOD_ENTRY, **change}, ENTRIES)
    assert raised.value.field == field
    assert raised.value.status == (422 if change.get("parentCode") or
                                   change.get("kind") == "07" else 400)
