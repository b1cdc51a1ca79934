from datetime import date

import pytest

from chalicelib.domain import workdays
from chalicelib.domain.catalogue import workflow_input
from chalicelib.domain.errors import ValidationError
from chalicelib.domain.workdays import add_workdays, is_workday, span_basis


@pytest.fixture(autouse=True)
def no_overrides():
    workdays.set_schedules(None)
    yield
    workdays.set_schedules(None)


def test_weekends_are_skipped():
    assert add_workdays(date(2026, 11, 20), 1) == date(2026, 11, 23)  # Fri -> Mon


def test_national_day_holidays_and_make_up_days_follow_the_state_council_schedule():
    # 2026-10-01..07 are holidays; Saturday 2026-10-10 is a make-up working day.
    assert not is_workday(date(2026, 10, 1))
    assert is_workday(date(2026, 10, 10))
    assert add_workdays(date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert add_workdays(date(2026, 10, 9), 1) == date(2026, 10, 10)


def test_statutory_holidays_are_computed_for_years_without_a_published_schedule():
    # A deadline crossing into 2027 does not count New Year's Day as a working day.
    assert not is_workday(date(2027, 1, 1))
    assert add_workdays(date(2026, 12, 31), 1) == date(2027, 1, 4)
    # Lunar holidays of any year: Spring Festival 2035 falls on 8 February, Mid-Autumn
    # 2031 on 1 October (with National Day), Dragon Boat 2030 on 5 June.
    assert not is_workday(date(2035, 2, 8))
    assert not is_workday(date(2030, 6, 5))
    assert not is_workday(date(2031, 10, 2))
    assert is_workday(date(2031, 1, 3))


def test_a_deadline_is_official_only_where_every_year_it_crosses_has_a_schedule():
    assert workdays.basis(2026) == "official" and workdays.basis(2027) == "provisional"
    assert span_basis(date(2026, 11, 20), date(2026, 12, 30)) == "official"
    assert span_basis(date(2026, 12, 28), date(2027, 1, 8)) == "provisional"
    plan = workflow_input("C1", ITEM, date(2026, 12, 28))
    assert plan["calendar"] == "provisional"
    assert workflow_input("C1", ITEM, date(2026, 11, 20))["calendar"] == "official"


def test_a_regions_override_makes_an_announced_year_official_with_its_make_up_days():
    workdays.set_schedules({"2027": {
        "holidays": ["2027-01-01", "2027-02-05", "2027-02-08", "2027-02-09", "2027-02-10",
                     "2027-02-11", "2027-02-12"],
        "workdays": ["2027-02-13"]}})
    assert workdays.basis(2027) == "official"
    assert span_basis(date(2026, 12, 28), date(2027, 1, 8)) == "official"
    assert is_workday(date(2027, 2, 13))          # a Saturday worked (调休)
    assert not is_workday(date(2027, 2, 12))      # a Friday off
    assert is_workday(date(2027, 10, 4)) is True  # not in the override: Monday, worked
    assert add_workdays(date(2027, 2, 4), 1) == date(2027, 2, 13)


def test_a_malformed_override_names_its_year():
    with pytest.raises(ValidationError) as raised:
        workdays.set_schedules({"2027": {"holidays": ["27-1-1"]}})
    assert raised.value.field == "calendar.2027"
    with pytest.raises(ValidationError):
        workdays.set_schedules({"2027": {"holidays": ["2028-01-01"]}})


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
    assert plan["issueLicense"] is True
    assert workflow_input("C1", {**ITEM, "result": {}}, date(2026, 11, 20))["issueLicense"] is False


def test_under_the_lead_rule_only_the_lead_department_can_end_review():
    lead = {**ITEM, "process": {**ITEM["process"], "stages": [
        {"name": "joint", "days": 2, "departments": ["B", "C"], "rule": "lead", "lead": "C"}]}}
    departments = workflow_input("C1", lead, date(2026, 11, 20))["stages"][0]["departments"]
    assert [(d["dept"], d["veto"]) for d in departments] == [("B", False), ("C", True)]


def test_a_region_calendar_ships_under_chalicelib_calendars_and_loads_by_relative_path(
        tmp_path, monkeypatch):
    """OW_CALENDAR_FILE names a file of the package (`chalicelib/calendars/…`) relative to
    its root, as docs/deploy.md and the runbook say, whatever the working directory."""
    from types import SimpleNamespace

    from chalicelib import config, wiring
    assert (config.PACKAGE_ROOT / "chalicelib" / "calendars").is_dir()
    calendars = tmp_path / "chalicelib" / "calendars"
    calendars.mkdir(parents=True)
    (calendars / "2027.json").write_text(
        '{"2027": {"holidays": ["2027-01-01"], "workdays": ["2027-02-13"]}}', "utf-8")
    monkeypatch.setattr(config, "PACKAGE_ROOT", tmp_path)
    monkeypatch.chdir(tmp_path.parent)  # not the package root
    wiring._load_calendar(SimpleNamespace(calendar_file="chalicelib/calendars/2027.json"))
    assert workdays.is_workday(date(2027, 2, 13))       # a Saturday worked (调休)
    assert not workdays.is_workday(date(2027, 1, 1))
