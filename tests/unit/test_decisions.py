"""The decision table (chalicelib/domain/decisions.py): what `parse` checks of a
decision's body, with the errors and fields it always had, and what is derived from it —
the contract's decision literal and body rules, lifecycle's lists, the state machine's
named errors."""
import json
import typing
from pathlib import Path

import msgspec
import pytest

from chalicelib.contract import models
from chalicelib.domain import decisions, lifecycle
from chalicelib.domain.case_status import Status
from chalicelib.domain.errors import UnprocessableEntity, ValidationError
from chalicelib.domain.task_states import TaskState

ROOT = Path(__file__).resolve().parents[2]


def _body(fields: dict) -> decisions.Decision:
    """A decision's body as the route gives it (typed; not checked against the model:
    a decision the contract does not list reaches `parse` only so)."""
    return decisions.Decision(**fields)


@pytest.mark.parametrize("kind, decision", [
    ("acceptance", "approve"), ("acceptance", "deny"), ("review", "accept"),
    ("review", "refuse"), ("review", "not_accept"), ("review", None),
    ("acceptance", "maybe")])
def test_a_decision_another_kind_takes_is_unprocessable(kind, decision):
    with pytest.raises(UnprocessableEntity) as raised:
        decisions.parse(kind, _body({"decision": decision, "opinion": "因为"}))
    assert raised.value.field == "decision"
    allowed = ", ".join(decisions.BY_KIND[kind])
    assert raised.value.message == f"decision must be one of {allowed} for a {kind} task"


@pytest.mark.parametrize("kind, decision", [
    ("acceptance", "refuse"), ("acceptance", "not_accept"), ("acceptance", "supplement"),
    ("review", "deny"), ("review", "supplement")])
@pytest.mark.parametrize("opinion", [None, "", "  \n"])
def test_the_decisions_that_say_why_need_an_opinion(kind, decision, opinion):
    with pytest.raises(ValidationError) as raised:
        decisions.parse(kind, _body({"decision": decision, "opinion": opinion}))
    assert (raised.value.field, raised.value.message) == (
        "opinion", f"an opinion is required to {decision}")


@pytest.mark.parametrize("kind, decision", [("acceptance", "accept"), ("review", "approve")])
def test_an_acceptance_or_approval_needs_no_opinion(kind, decision):
    decided = decisions.parse(kind, _body({"decision": decision}))
    assert (decided.decision, decided.opinion) == (decision, None)
    assert (decided.materials, decided.pending_materials) == ([], [])


@pytest.mark.parametrize("kind, decision", [
    ("acceptance", "accept"), ("acceptance", "refuse"), ("review", "approve"),
    ("review", "deny")])
def test_materials_go_only_with_a_supplement(kind, decision):
    with pytest.raises(ValidationError) as raised:
        decisions.parse(kind, _body({"decision": decision, "opinion": "因为",
                               "materials": ["营业执照"]}))
    assert (raised.value.field, raised.value.message) == (
        "materials", "materials are named only when asking for a supplement")
    # An empty list names nothing.
    assert decisions.parse(kind, _body({"decision": decision, "opinion": "因为",
                                  "materials": []})).decision == decision


@pytest.mark.parametrize("kind, decision", [
    ("acceptance", "accept"), ("acceptance", "supplement"), ("review", "deny"),
    ("review", "supplement")])
def test_pending_materials_go_only_with_an_approval(kind, decision):
    with pytest.raises(ValidationError) as raised:
        decisions.parse(kind, _body({"decision": decision, "opinion": "因为",
                               "pendingMaterials": ["营业执照"]}))
    assert (raised.value.field, raised.value.message) == (
        "pendingMaterials", "pendingMaterials go only with an approval")


def test_the_checks_come_in_order_kind_opinion_materials():
    with pytest.raises(UnprocessableEntity):
        decisions.parse("review", _body({"decision": "accept", "materials": ["x"]}))
    with pytest.raises(ValidationError) as raised:
        decisions.parse("review", _body({"decision": "deny", "materials": ["x"]}))
    assert raised.value.field == "opinion"


def test_a_supplement_and_an_approval_carry_what_they_name():
    asked = decisions.parse("review", _body({"decision": "supplement", "opinion": "补充",
                                       "materials": ["营业执照", "平面图"]}))
    assert asked.materials == ["营业执照", "平面图"] and asked.opinion == "补充"
    assert asked.rule.task_state == TaskState.SUPPLEMENT
    approved = decisions.parse("review", _body({"decision": "approve",
                                          "pendingMaterials": ["平面图"]}))
    assert approved.pending_materials == ["平面图"]
    assert approved.rule.task_state == TaskState.DECIDED


def test_what_each_decision_does_to_the_case():
    outcome = {key: (rule.outcome_for(False), rule.outcome_for(True))
               for key, rule in decisions.RULES.items()}
    assert outcome[("acceptance", "accept")][0] == (Status.ACCEPTED, None)
    assert outcome[("acceptance", "refuse")][0] == (Status.REFUSED, "Case.NotAccepted")
    assert outcome[("acceptance", "not_accept")][0] == (Status.NOT_ACCEPTED,
                                                         "Case.NotAccepted")
    assert outcome[("review", "approve")] == ((None, None), (None, None))
    # Only a department with veto ends review by denying.
    assert outcome[("review", "deny")] == ((None, None), (Status.DENIED, "Review.Denied"))
    for kind in decisions.KINDS:
        assert outcome[(kind, "supplement")][0] == (Status.SUPPLEMENT_REQUESTED, None)


def test_every_status_a_decision_reaches_is_a_legal_step():
    """Acceptance from intake (1), review from review (8)."""
    for rule in decisions.TABLE:
        source = Status.RECEIVED if rule.kind == "acceptance" else Status.IN_REVIEW
        for veto in (False, True):
            target = rule.outcome_for(veto).status
            if target is not None:
                lifecycle.check_transition(source, target)


def test_the_named_errors_are_the_ones_the_state_machine_catches():
    machine = json.loads((ROOT / "statemachines" / "case_approval.asl.json").read_text())
    caught = set()
    stack = [machine]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for catcher in node.get("Catch", []):
                caught.update(catcher["ErrorEquals"])
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    named = {o.fails_with for rule in decisions.TABLE for o in (rule.outcome, rule.with_veto)
             if o is not None and o.fails_with}
    assert named == {"Case.NotAccepted", "Review.Denied"} and named <= caught


def test_the_name_literal_is_the_tables_decisions_in_order():
    assert tuple(dict.fromkeys(rule.decision for rule in decisions.TABLE)) == decisions.NAMES
    assert len(decisions.RULES) == len(decisions.TABLE)  # one row per kind and decision


@pytest.mark.parametrize("attribute", ["needs_opinion", "names_materials", "names_pending"])
def test_what_the_contract_states_of_a_decision_holds_in_every_kind(attribute):
    """The body does not say which kind of task it decides: the contract can state a
    rule of a decision only if it is the same for that decision in every kind."""
    for name in decisions.NAMES:
        assert len({getattr(rule, attribute) for rule in decisions.TABLE
                    if rule.decision == name}) == 1, name


def test_lifecycle_lists_are_derived_from_the_table():
    assert lifecycle.ACCEPTANCE_DECISIONS == {
        "accept": Status.ACCEPTED, "refuse": Status.REFUSED,
        "not_accept": Status.NOT_ACCEPTED, "supplement": Status.SUPPLEMENT_REQUESTED}
    assert lifecycle.REVIEW_DECISIONS == ("approve", "deny", "supplement")


def test_the_contract_derives_its_decision_literal_and_rules_from_the_table():
    field = next(f for f in msgspec.structs.fields(models.Decision) if f.name == "decision")
    literal, meta = typing.get_args(field.type)
    assert typing.get_args(literal) == decisions.NAMES
    assert meta.description == ("acceptance: accept | refuse | not_accept | supplement; "
                                "review: approve | deny | supplement")
    rules = models.SCHEMA_RULES["Decision"]["allOf"]
    assert rules[0]["if"]["properties"]["decision"]["enum"] == [
        "refuse", "not_accept", "supplement", "deny"]
    assert rules[1]["then"]["properties"]["decision"] == {"const": "supplement"}
    assert rules[2]["then"]["properties"]["decision"] == {"const": "approve"}
