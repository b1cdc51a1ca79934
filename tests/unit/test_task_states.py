"""A task's states and transitions (chalicelib/domain/task_states.py): the walks the
services make are legal, the others refused, and the contract lists every state."""
import typing

import pytest

from chalicelib.contract import models
from chalicelib.domain import task_states
from chalicelib.domain.errors import Conflict
from chalicelib.domain.task_states import TaskState as T


@pytest.mark.parametrize("current, target", [
    (T.UPCOMING, T.OPEN), (T.UPCOMING, T.CANCELLED), (T.OPEN, T.SUPPLEMENT),
    (T.OPEN, T.SPECIAL), (T.OPEN, T.DECIDED), (T.OPEN, T.CANCELLED),
    (T.SUPPLEMENT, T.OPEN), (T.SUPPLEMENT, T.CANCELLED), (T.SPECIAL, T.OPEN),
    (T.SPECIAL, T.CANCELLED)])
def test_the_services_walks_are_legal(current, target):
    assert task_states.check_transition(current, target) is target


@pytest.mark.parametrize("current, target", [
    (T.UPCOMING, T.DECIDED), (T.UPCOMING, T.SUPPLEMENT), (T.SUPPLEMENT, T.DECIDED),
    (T.SPECIAL, T.DECIDED), (T.SUPPLEMENT, T.SPECIAL), (T.DECIDED, T.OPEN),
    (T.DECIDED, T.CANCELLED), (T.CANCELLED, T.OPEN), (T.OPEN, T.UPCOMING),
    (T.OPEN, T.OPEN)])
def test_other_walks_are_conflicts_naming_both_states(current, target):
    with pytest.raises(Conflict) as raised:
        task_states.check_transition(current, target)
    assert raised.value.code == "illegal_transition"
    assert f"a {current} task cannot become {target}" == raised.value.message


def test_decided_and_cancelled_are_final_and_the_rest_active():
    assert task_states.FINAL == (T.DECIDED, T.CANCELLED)
    assert task_states.ACTIVE == (T.UPCOMING, T.OPEN, T.SUPPLEMENT, T.SPECIAL)
    assert set(task_states.IN_INBOX) == set(task_states.ACTIVE) - {T.UPCOMING}
    assert set(task_states.IN_INBOX) > task_states.PAUSED


def test_allowed_from_is_the_inverse_of_the_transitions():
    assert task_states.allowed_from(T.OPEN) == {T.UPCOMING, T.SUPPLEMENT, T.SPECIAL}
    assert task_states.allowed_from(T.DECIDED) == {T.OPEN}
    assert task_states.allowed_from(T.CANCELLED) == set(task_states.ACTIVE)
    assert task_states.allowed_from(T.UPCOMING) == frozenset()


def test_a_state_no_transition_leads_to_is_one_a_task_is_recorded_in():
    unreachable = {state for state in T if not task_states.allowed_from(state)}
    assert unreachable == {T.UPCOMING} and unreachable <= task_states.RECORDED_AS


def test_states_are_the_stored_strings():
    """Stored, compared and published as before: "open" is TaskState.OPEN."""
    assert T.OPEN == "open" and "decided" in task_states.FINAL
    assert {"open": 1}[T.OPEN] == 1 and f"{T.SUPPLEMENT}" == "supplement"
    assert T("cancelled") is T.CANCELLED


def test_became_is_a_recorded_task_reaching_a_state():
    assert task_states.became({"state": "open"}, {"state": "decided"}, T.DECIDED)
    assert not task_states.became({"state": "decided"}, {"state": "decided"}, T.DECIDED)
    assert not task_states.became(None, {"state": "decided"}, T.DECIDED)
    assert not task_states.became({"state": "open"}, None, T.DECIDED)


def test_the_contract_lists_every_state():
    listed = typing.get_args(typing.get_args(models.TaskState)[0])
    assert listed == typing.get_args(task_states.Name)
    assert set(listed) == {state.value for state in T}
