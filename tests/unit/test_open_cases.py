"""An item's open cases summarised for the change simulation (domain/open_cases.py)."""
from chalicelib.domain.open_cases import OpenTask, summarise, task_departments

NOW = "2026-12-10T02:00:00Z"


def test_a_case_with_several_open_tasks_is_counted_once_in_the_state_that_holds_it_up():
    tasks = [OpenTask("A", "review", "open", "2026-12-14T10:00:00Z", "SCJG"),
             OpenTask("A", "review", "supplement", "2026-12-16T10:00:00Z", "WSJK"),
             OpenTask("B", "review", "open", "2026-12-15T10:00:00Z", "SCJG"),
             OpenTask("B", "review", "open", "2026-12-11T10:00:00Z", "WSJK"),
             OpenTask("C", "acceptance", "open", "2026-12-09T10:00:00Z", "ZWFW"),
             OpenTask("D", "review", "special", "2026-12-01T10:00:00Z", "SCJG"),
             OpenTask("gone", "review", "open", "2026-12-01T10:00:00Z", "SCJG")]
    found = summarise(tasks, {"A": 1, "B": 2, "C": 2, "D": 1}, NOW, soonest=3)
    assert found["count"] == 4     # a task whose case is not found is left out
    assert found["byState"] == {"acceptance": 1, "review": 1, "supplement": 1, "special": 1}
    assert found["byVersion"] == {"1": 2, "2": 2}
    assert found["overdue"] == 1   # C; D is paused, its deadline moves on
    assert [(c["caseNo"], c["state"], c["deadline"], c["dept"], c["paused"])
            for c in found["soonest"]] == [
        ("C", "acceptance", "2026-12-09T10:00:00Z", "ZWFW", False),
        ("B", "review", "2026-12-11T10:00:00Z", "WSJK", False),
        ("D", "special", "2026-12-01T10:00:00Z", "SCJG", True)]


def test_versions_are_listed_in_numeric_order():
    tasks = [OpenTask(str(n), "acceptance", "open", "2026-12-20T10:00:00Z", "ZWFW")
             for n in range(3)]
    assert list(summarise(tasks, {"0": 10, "1": 9, "2": 10}, NOW)["byVersion"]) == ["9", "10"]


def test_the_departments_are_the_acceptance_and_every_stages():
    item = {"implementingDept": "SCJG", "process": {"acceptanceDept": "ZWFW", "stages": [
        {"departments": ["SCJG", "WSJK"]}, {"departments": ["XFJY"]}]}}
    assert task_departments(item) == {"ZWFW", "SCJG", "WSJK", "XFJY"}
