"""Business dates are the region's (Asia/Shanghai), whatever the server's clock zone:
at 00:30 Beijing time it is already tomorrow for case numbers and licenses. Deadlines
counted on a provisional holiday calendar say so, and are logged."""
from datetime import UTC, datetime

import pytest

from chalicelib.services import clock

from .harness import FOOD, another, application

# 2026-11-24 16:30 UTC is 2026-11-25 00:30 in Beijing.
JUST_AFTER_MIDNIGHT = datetime(2026, 11, 24, 16, 30, tzinfo=UTC)


@pytest.fixture
def at(monkeypatch):
    def set_clock(moment: datetime):
        monkeypatch.setattr(clock, "now", lambda: moment)
    return set_clock


def test_at_half_past_midnight_beijing_time_case_and_license_carry_the_local_date(stack, at):
    at(JUST_AFTER_MIDNIGHT)
    created = stack.call("POST", "/cases", "company", application(FOOD)).data
    assert created["caseNo"][6:14] == "20261125"
    case_no = created["caseNo"]
    accept = stack.open_task(case_no, "ZWFW", "clerk")
    stack.decide(accept["taskId"], "clerk", "accept", "受理")
    review = stack.open_task(case_no, "SCJG", "scjg")
    stack.decide(review["taskId"], "scjg", "approve", "同意")
    case = stack.wait_status(case_no, 11)
    signed = stack.call("GET", f"/licenses/{case['licenseId']}", "company").data
    assert signed["license"]["issueDate"] == signed["license"]["validFrom"] == "2026-11-25"
    assert signed["license"]["validTo"] == "2031-11-25"


def test_deadlines_on_a_provisional_calendar_are_shown_and_logged(stack, at, log_lines):
    lines = log_lines("onewindow")
    at(datetime(2026, 12, 28, 2, 0, tzinfo=UTC))
    created = stack.call("POST", "/cases", "company", application(FOOD)).data
    assert created["deadlineBasis"] == "provisional"
    assert stack.case(created["caseNo"])["deadlineBasis"] == "provisional"
    assert any(created["caseNo"] in line and "provisional" in line for line in lines)

    at(datetime(2026, 11, 2, 2, 0, tzinfo=UTC))
    assert stack.call("POST", "/cases", "company", another(FOOD)).data[
        "deadlineBasis"] == "official"
