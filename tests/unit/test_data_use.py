"""A query's statement and an item version's use of data: what is refused, by field."""
import pytest

from chalicelib.domain import data_use
from chalicelib.domain.errors import UnprocessableEntity

ITEM = ("ITEM", 1)


@pytest.mark.parametrize("args, field, code", [
    ((None, "sys", "核验", "consent:C1"), "requester", "requester_required"),
    (("robot", "sys", "核验", "consent:C1"), "requester", "requester_required"),
    (("system", "", "核验", "consent:C1"), "requester", "requester_required"),
    (("system", "system", " ", "consent:C1"), "purpose", "purpose_required"),
    (("system", "system", "x" * 201, "consent:C1"), "purpose", "purpose_required"),
    (("system", "system", "核验", None), "basis", "basis_required"),
    (("system", "system", "核验", "consent:"), "basis", "basis_required"),
    (("system", "system", "核验", "law: "), "basis", "basis_required"),
    (("system", "system", "核验", "because"), "basis", "basis_required"),
])
def test_a_query_without_who_why_or_basis_is_refused(args, field, code):
    with pytest.raises(UnprocessableEntity) as refused:
        data_use.stated(*args, item=ITEM)
    assert (refused.value.field, refused.value.code) == (field, code)


def test_a_query_on_a_consent_names_its_item_version_a_law_need_not():
    with pytest.raises(UnprocessableEntity):
        data_use.stated("system", "system", "核验", "consent:C1")
    stated = data_use.stated("department", "SCJG", "执法检查", "law:《食品安全法》第一百一十条")
    assert stated.consent_id is None and stated.item is None
    assert data_use.stated("person", "p:1", "自动填写", "consent:C9", item=ITEM).consent_id \
        == "C9"


def test_an_item_version_reads_the_registries_its_fields_materials_and_rules_name():
    item = {"formSchema": {"properties": {"name": {"x-source": "legalPerson.name"},
                                          "last": {"x-source": "lastCase.last"}}},
            "materials": [{"name": "户口簿", "fromData": "population"}],
            "instantApproval": {"rules": [{"id": "c", "name": "无失信",
                                           "expression": "!credit.dishonest"}]},
            "dataUse": {"purpose": "核验"}}
    assert data_use.registries_of(item) == ["population", "legalPerson", "credit"]
    data_use.check_sources(item)
    without_purpose = {**item, "dataUse": None}
    with pytest.raises(UnprocessableEntity) as refused:
        data_use.check_sources(without_purpose)
    assert refused.value.field == "item.dataUse.purpose"


@pytest.mark.parametrize("source", ["nowhere.field", "population", "license.onlytype"])
def test_a_field_mapped_to_an_unknown_source_is_refused(source):
    item = {"formSchema": {"properties": {"x": {"x-source": source}}}}
    with pytest.raises(UnprocessableEntity) as refused:
        data_use.check_sources(item)
    assert refused.value.field == "item.formSchema.properties.x.x-source"
