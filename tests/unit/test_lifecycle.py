import pytest

from chalicelib.domain.errors import Conflict
from chalicelib.domain.lifecycle import (
    ACCEPTANCE_DECISIONS,
    TERMINAL,
    TRANSITIONS,
    Status,
    allowed_from,
    check_transition,
    withdrawal_status,
)


@pytest.mark.parametrize("current,target", [
    (1, 3), (1, 5), (1, 6), (6, 7), (7, 3), (3, 8), (8, 11), (8, 13), (8, 9), (9, 10),
    (10, 11), (11, 15), (12, 11), (1, 2), (3, 14), (8, 6), (7, 8), (10, 8), (6, 14),
    (9, 15), (1, 15), (3, 11)])
def test_legal_transitions(current, target):
    assert check_transition(current, target) == Status(target)


@pytest.mark.parametrize("current,target", [
    (1, 8), (1, 11), (3, 13), (1, 14), (8, 2), (13, 15), (7, 11), (8, 3), (11, 13), (13, 11),
    (5, 3), (2, 1), (6, 3), (9, 11)])
def test_illegal_transitions_are_conflicts_naming_both_statuses(current, target):
    with pytest.raises(Conflict) as raised:
        check_transition(current, target)
    assert raised.value.code == "illegal_transition"
    assert str(current) in raised.value.message and str(target) in raised.value.message


def test_terminal_statuses_lead_nowhere():
    assert {Status.WITHDRAWN_BEFORE_ACCEPTANCE, Status.NOT_ACCEPTED,
                        Status.REFUSED, Status.DENIED, Status.WITHDRAWN, Status.REVOKED} == TERMINAL


def test_allowed_from_is_the_inverse_of_transitions():
    for target in Status:
        for source in allowed_from(target):
            assert target in TRANSITIONS[source]
    assert allowed_from(Status.ACCEPTED) == {Status.RECEIVED, Status.SUPPLEMENT_SUPPLIED}


def test_every_acceptance_decision_is_legal_from_received():
    for target in ACCEPTANCE_DECISIONS.values():
        check_transition(Status.RECEIVED, target)


def test_withdrawal_is_2_before_acceptance_and_14_after():
    assert withdrawal_status(accepted=False) == Status.WITHDRAWN_BEFORE_ACCEPTANCE
    assert withdrawal_status(accepted=True) == Status.WITHDRAWN
