"""Rule breaches the timeline shows (电子监察: 规则违规), found from one change of a case or
task as the cases table's stream delivers it (old and new images). Pure: no AWS.

- `second_supplement`: the applicant asked for materials a second time on one case — the
  rule is to say everything missing at once (一次性告知);
- `late_acceptance`: an acceptance decided after its time limit (受理超时);
- `no_opinion`: a review approved without an opinion (办结无意见).
"""
from dataclasses import dataclass
from typing import Any

from . import task_states, worktime

KINDS = ("second_supplement", "late_acceptance", "no_opinion")


@dataclass(frozen=True)
class Breach:
    kind: str
    ref: str          # what it is about: the request's moment, the task's id
    dept: str
    at: str           # when it happened (the change's own timestamp)
    taskId: str | None = None
    detail: dict[str, Any] | None = None


def found(old: dict[str, Any] | None, new: dict[str, Any] | None) -> list[Breach]:
    if not new:
        return []
    if new.get("rt") == "case":
        asked, before = new.get("supplement") or {}, (old or {}).get("supplement") or {}
        if asked and before and asked.get("requestedAt") != before.get("requestedAt"):
            return [Breach("second_supplement", asked["requestedAt"], asked["dept"],
                           asked["requestedAt"], taskId=asked.get("taskId"),
                           detail={"first": before.get("requestedAt"),
                                   "materials": asked.get("materials")})]
        return []
    if not task_states.decided_in(old, new):
        return []
    if new.get("taskKind") == "acceptance" and new.get("deadline") and \
            worktime.parse(new["decidedAt"]) > worktime.parse(new["deadline"]):
        return [Breach("late_acceptance", new["taskId"], new["dept"], new["decidedAt"],
                       taskId=new["taskId"], detail={"deadline": new["deadline"],
                                                     "decision": new.get("decision")})]
    if new.get("taskKind") == "review" and new.get("decision") == "approve" and \
            not (new.get("opinion") or "").strip():
        return [Breach("no_opinion", new["taskId"], new["dept"], new["decidedAt"],
                       taskId=new["taskId"])]
    return []
