from datetime import date

from chalicelib.domain.catalogue import workflow_input
from chalicelib.domain.workdays import add_workdays, is_workday


def test_weekends_are_skipped():
    assert add_workdays(date(2026, 11, 20), 1) == date(2026, 11, 23)  # Fri -> Mon


def test_national_day_holidays_and_make_up_days_follow_the_state_council_schedule():
    # 2026-10-01..07 are holidays; Saturday 2026-10-10 is a make-up working day.
    assert not is_workday(date(2026, 10, 1))
    assert is_workday(date(2026, 10, 10))
    assert add_workdays(date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert add_workdays(date(2026, 10, 9), 1) == date(2026, 10, 10)


def test_unknown_years_fall_back_to_monday_to_friday():
    assert add_workdays(date(2031, 1, 3), 1) == date(2031, 1, 6)


ITEM = {"code": "X", "version": "2", "process": {
    "acceptanceDept": "ZWFW", "acceptanceDays": 1,
    "stages": [{"name": "a", "days": 2, "departments": ["A"]},
               {"name": "b", "days": 3, "departments": ["B", "C"]}]},
    "result": {"licenseType": "11100000MB0143028R001"}}


def test_workflow_input_plans_cumulative_stage_deadlines_in_working_days():
    plan = workflow_input("C1", ITEM, date(2026, 11, 20))
    assert plan["acceptance"] == {"dept": "ZWFW", "deadline": "2026-11-23"}
    assert plan["stages"][0]["departments"] == [
        {"dept": "A", "deadline": "2026-11-25", "veto": True}]
    assert plan["stages"][1]["departments"] == [
        {"dept": "B", "deadline": "2026-11-30", "veto": True},
        {"dept": "C", "deadline": "2026-11-30", "veto": True}]
    assert plan["issueLicense"] is True and plan["attempt"] == {"n": 1}
    assert workflow_input("C1", {**ITEM, "result": {}}, date(2026, 11, 20))["issueLicense"] is False


def test_under_the_lead_rule_only_the_lead_department_can_end_review():
    lead = {**ITEM, "process": {**ITEM["process"], "stages": [
        {"name": "joint", "days": 2, "departments": ["B", "C"], "rule": "lead", "lead": "C"}]}}
    departments = workflow_input("C1", lead, date(2026, 11, 20))["stages"][0]["departments"]
    assert [(d["dept"], d["veto"]) for d in departments] == [("B", False), ("C", True)]
