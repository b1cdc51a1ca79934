"""An item's open cases as a catalogue admin sees them before publishing a new version
(the change simulation): how many, in which state, on which version, and the soonest
deadlines among them. Pure rules: no AWS.

A case is open here while it has a task in a department's inbox: its acceptance, a review,
or a review waiting on the applicant (补正) or in a special procedure (特别程序). A case
has several open tasks in a parallel stage; it is counted once, in the state that holds
it up most: a paused task (its clock stopped) before a running one, a review before the
acceptance. Every case keeps the item version it applied under (cases pin their version),
so publishing moves none of these deadlines.
"""
from dataclasses import dataclass
from typing import Any

from . import task_states

# The states a case is counted in, in the order a summary lists them.
STATES = ("acceptance", "review", "supplement", "special")
# The states whose clock is stopped: their deadline moves on by the pause when they resume.
# A paused task holds its case in the task's own state.
PAUSED = task_states.PAUSED
# A case with several open tasks is in the first of these its tasks are in.
_PRECEDENCE = ("supplement", "special", "review", "acceptance")
# How many cases the soonest list names.
SOONEST = 5


@dataclass(frozen=True)
class OpenTask:
    """What the inbox index gives of one open task."""
    case_no: str
    kind: str        # acceptance | review
    state: str       # open | supplement | special
    deadline: str    # UTC text, sortable
    dept: str


def task_state(task: OpenTask) -> str:
    """The state a task holds its case in."""
    return task.state if task.state in PAUSED else task.kind


def task_departments(item: dict[str, Any]) -> set[str]:
    """The departments whose inboxes a case of this item version has tasks in: its
    acceptance department and every review stage's departments."""
    process = item["process"]
    return {process["acceptanceDept"],
            *(dept for stage in process["stages"] for dept in stage["departments"])}


def summarise(tasks: list[OpenTask], versions: dict[str, int], now: str,
              soonest: int = SOONEST) -> dict[str, Any]:
    """The open cases behind `tasks` (each counted once) with the version each applied
    under (`versions`, by case number; a task whose case is not there is left out).
    Each case's deadline is its open tasks' earliest; `now` (UTC text) tells the overdue
    apart. The soonest list puts cases whose clock runs first, soonest deadline first,
    then the paused ones (waiting on the applicant or a special procedure), whose
    deadlines move on by the pause when they resume."""
    by_case: dict[str, list[OpenTask]] = {}
    for task in tasks:
        if task.case_no in versions:
            by_case.setdefault(task.case_no, []).append(task)
    cases: list[dict[str, Any]] = []
    for case_no, own in by_case.items():
        states = {task_state(task) for task in own}
        state = next(s for s in _PRECEDENCE if s in states)
        # A paused task stops the case's clock: every deadline of it moves on resuming.
        first = min(own, key=lambda task: task.deadline)
        paused = state in PAUSED
        cases.append({"caseNo": case_no, "state": state, "deadline": first.deadline,
                      "dept": first.dept, "version": versions[case_no], "paused": paused,
                      "overdue": not paused and first.deadline < now})
    by_state = dict.fromkeys(STATES, 0)
    by_version: dict[str, int] = {}
    for case in cases:
        by_state[case["state"]] += 1
        key = str(case["version"])
        by_version[key] = by_version.get(key, 0) + 1
    cases.sort(key=lambda case: (case["paused"], case["deadline"], case["caseNo"]))
    return {"count": len(cases), "byState": by_state,
            "byVersion": dict(sorted(by_version.items(), key=lambda kv: int(kv[0]))),
            "overdue": sum(case["overdue"] for case in cases),
            "soonest": cases[:soonest]}
