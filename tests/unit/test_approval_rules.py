"""Instant approval's rules (CEL): what holds, what does not, and never an exception."""
import pytest

from chalicelib.domain import approval_rules as rules
from chalicelib.domain.errors import UnprocessableEntity

ELDER = [{"id": "age", "name": "年满80周岁", "expression": "population.age >= 80"},
         {"id": "resident", "name": "户籍在本市",
          "expression": 'population.registeredArea.startsWith("4403")'},
         {"id": "first", "name": "未领取过", "expression": "history.approved == 0"}]


def _facts(**population):
    return {"population": {"age": 84, "registeredArea": "440305", "name": "王桂英",
                           **population},
            "history": {"approved": 0}, "form": {}}


def test_every_rule_holding_is_a_yes_with_a_trace_of_each_rule_and_its_inputs():
    verdict = rules.evaluate(rules.parse_rules(ELDER), _facts())
    assert verdict.held
    assert [(step["id"], step["held"]) for step in verdict.trace] == \
        [("age", True), ("resident", True), ("first", True)]
    assert verdict.trace[0]["inputs"] == {"population.age": 84}
    assert verdict.trace[1]["inputs"] == {"population.registeredArea": "440305"}
    assert "why" not in verdict.trace[0]


def test_one_rule_failing_is_a_no_naming_that_rule():
    verdict = rules.evaluate(rules.parse_rules(ELDER), _facts(age=79))
    assert not verdict.held
    failed = [step for step in verdict.trace if not step["held"]]
    assert [step["id"] for step in failed] == ["age"]
    assert failed[0]["why"] == "条件不满足"
    assert failed[0]["inputs"] == {"population.age": 79}


@pytest.mark.parametrize("facts", [
    {},                                                   # no registry answered
    {"population": {}},                                   # a record without the field
    {"population": {"age": None, "registeredArea": None}},
    {"population": {"age": "eighty", "registeredArea": 440305}},   # wrong types
    {"population": {"age": 84, "registeredArea": "440305"}, "history": {}},
])
def test_missing_or_odd_data_never_approves_and_never_raises(facts):
    verdict = rules.evaluate(rules.parse_rules(ELDER), facts)
    assert not verdict.held
    assert all("why" in step for step in verdict.trace if not step["held"])


def test_a_missing_fact_is_named_in_the_reason():
    verdict = rules.evaluate(rules.parse_rules(ELDER), {"history": {"approved": 0}})
    assert verdict.trace[0]["why"] == "数据缺失：population.age"


def test_a_rule_that_fails_to_compute_does_not_hold():
    parsed = rules.parse_rules([{"id": "div", "name": "除法", "expression": "1 / form.n == 1"}])
    verdict = rules.evaluate(parsed, {"form": {"n": 0}})
    assert not verdict.held and verdict.trace[0]["why"].startswith("规则无法计算")


def test_a_rule_that_yields_no_yes_or_no_does_not_hold():
    parsed = rules.parse_rules([{"id": "num", "name": "数", "expression": "form.n + 1"}])
    verdict = rules.evaluate(parsed, {"form": {"n": 1}})
    assert not verdict.held and verdict.trace[0]["why"] == "规则未得出是或否"


def test_names_identifiers_and_addresses_are_masked_in_the_trace():
    parsed = rules.parse_rules([
        {"id": "who", "name": "姓名", "expression": 'population.name != ""'},
        {"id": "rep", "name": "法人", "expression":
            'legalPerson.legalRepresentative != "" && legalPerson.uscc != ""'},
        {"id": "addr", "name": "地址", "expression":
            'population.registeredAddress.contains("深圳")'}])
    verdict = rules.evaluate(parsed, {
        "population": {"name": "王桂英", "registeredAddress": "广东省深圳市福田区福中路1号"},
        "legalPerson": {"legalRepresentative": "张三", "uscc": "91440300MA5FXK7Q3T"}})
    assert verdict.held
    assert verdict.trace[0]["inputs"] == {"population.name": "王**"}
    assert verdict.trace[1]["inputs"] == {"legalPerson.legalRepresentative": "张*",
                                          "legalPerson.uscc": "914403********7Q3T"}
    assert verdict.trace[2]["inputs"] == {"population.registeredAddress": "广东省深圳市…"}


def test_registries_read_are_those_the_rules_name():
    assert rules.registries_read(rules.parse_rules(ELDER)) == ["population"]
    assert rules.registries_read(rules.parse_rules([
        {"id": "a", "name": "无失信", "expression": "!credit.dishonest"},
        {"id": "b", "name": "存续", "expression": 'legalPerson.status == "存续"'}])) == \
        ["legalPerson", "credit"]


@pytest.mark.parametrize("raw, field", [
    ([], "item.instantApproval.rules"),
    ([{"id": "a", "name": "x", "expression": "population.age >="}],
     "item.instantApproval.rules.0.expression"),
    ([{"id": "a", "name": "x", "expression": "secrets.key == 1"}],
     "item.instantApproval.rules.0.expression"),
    ([{"id": "a", "name": "x", "expression": "true"},
      {"id": "a", "name": "y", "expression": "true"}], "item.instantApproval.rules.1.id"),
    ([{"id": "a", "name": " ", "expression": "true"}], "item.instantApproval.rules.0.name"),
    ([{"id": "a", "name": "x", "expression": "x" * 501}],
     "item.instantApproval.rules.0.expression"),
])
def test_bad_rules_are_refused_naming_the_field(raw, field):
    with pytest.raises(UnprocessableEntity) as refused:
        rules.parse_rules(raw)
    assert refused.value.field == field and refused.value.code == "rule_not_valid"


def test_a_macro_over_a_list_is_bounded_by_the_data():
    parsed = rules.parse_rules([{"id": "none", "name": "无失信记录",
                                 "expression": "credit.flags.all(f, f != \"失信\")"}])
    assert rules.evaluate(parsed, {"credit": {"flags": ["经营异常"]}}).held
    assert not rules.evaluate(parsed, {"credit": {"flags": ["失信"]}}).held


def test_checking_rules_leaves_the_recursion_limit_as_it_was():
    """cel-python raises it when an environment is made; the API's guard against deeply
    nested JSON relies on the usual one."""
    import sys
    before = sys.getrecursionlimit()
    rules.parse_rules([{"id": "fresh", "name": "新", "expression": "form.x == 123456789"}])
    assert sys.getrecursionlimit() == before


def test_a_rule_reads_a_registry_not_the_form_field_filled_from_it():
    from chalicelib.domain import data_use
    item = {"formSchema": {"properties": {
                "address": {"x-source": "population.registeredAddress"},
                "payout": {"type": "string"}}},
            "dataUse": {"purpose": "核验"},
            "instantApproval": {"rules": [
                {"id": "pay", "name": "发放方式", "expression": 'form.payout != ""'},
                {"id": "addr", "name": "户籍", "expression": 'form.address.contains("深圳")'}]}}
    with pytest.raises(UnprocessableEntity) as refused:
        data_use.check_sources(item)
    assert refused.value.field == "item.instantApproval.rules.1.expression"
    item["instantApproval"]["rules"][1]["expression"] = \
        'population.registeredAddress.contains("深圳")'
    data_use.check_sources(item)   # the registry itself: taken


def test_text_a_trace_does_not_know_shows_only_its_beginning():
    parsed = rules.parse_rules([
        {"id": "born", "name": "出生", "expression": 'population.birthDate < "1946-01-01"'},
        {"id": "area", "name": "户籍", "expression": 'population.registeredArea == "440304"'}])
    verdict = rules.evaluate(parsed, {"population": {"birthDate": "1942-03-15",
                                                     "registeredArea": "440304"}})
    assert verdict.held
    assert verdict.trace[0]["inputs"] == {"population.birthDate": "19…"}
    assert verdict.trace[1]["inputs"] == {"population.registeredArea": "440304"}
