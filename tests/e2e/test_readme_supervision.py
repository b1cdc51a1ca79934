"""The README's supervision walk-through on a stack of its own (it sets the clock ahead):
a case SCJG leaves undecided is warned, carded yellow and red as the clock moves on in
working days; the notifications appear; a bad rating's rectification runs to its end; the
figures show all of it; `make verify-audit` holds, then names the entry edited by hand."""
import json
from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest

from chalicelib.domain import worktime

from .local_stack import Api, started
from .readme_walk import Walk, blocks, commands


@pytest.fixture(scope="module")
def local_stack():
    with started() as stack:
        yield stack
    assert stack.process.returncode == 0, stack.output()


SHENZHEN = ZoneInfo("Asia/Shanghai")  # the demo region's time zone


def _moment(text: str) -> datetime:
    """A UTC time a command printed (…Z), in the region's time."""
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(SHENZHEN)


def _json(output: str) -> dict:
    """What a command printed: one JSON document (logs go to stderr)."""
    return json.loads(output)


def test_the_readme_supervision_walk_through_works_as_written(local_stack):
    walk = Walk(local_stack.url, local_stack.issuer, local_stack.local_dir)
    intake = [(code, comment) for code, comment in
              commands(blocks("## Walk through one case with curl"))
              if "$(tok" in code or code.startswith(("J=", "CASE=", "tok()"))
              or "POST $API/cases " in code or "-A1/decision" in code]
    # Received out of office hours, a case counts from the next working day: applied in
    # office hours (10:00 of the next working day on the stack's clock), the walk-through
    # runs the same whatever the time of day the test runs at, as the README says.
    walk.do('make clock ARGS="advance 1wd"', "")
    walk.run(intake)
    supervision_steps = len(walk.runs)
    walk.run(commands(blocks("### Supervision, notifications, ratings and statistics")))
    case = walk.vars["CASE"]
    api = Api(local_stack.url, local_stack.issuer)
    answers = {what.split("127.0.0.1")[1].split("/", 1)[1]: body
               for what, _, body in walk.answers if "127.0.0.1" in what}

    # Three sweeps, each on the working day the clock was moved to (10:00 there), however
    # long the commands took: warnings, then yellow, then red cards for the review task,
    # its stage and the case.
    sweeps = [_json(out) for code, _, out in walk.runs if code == "make sweep"]
    assert [(s["cards"], s["tasks"], s["cases"]) for s in sweeps] == \
        [(3, 0, 0), (3, 1, 1), (3, 0, 0)]
    moved_to = [_moment(_json(out)["now"]) for code, _, out in walk.runs[supervision_steps:]
                if code.startswith("make clock ARGS=\"advance")]
    assert len(moved_to) == len(sweeps) == 3
    for clock_at, sweep in zip(moved_to, sweeps):
        swept = _moment(sweep["asOf"])
        assert clock_at.time() == time(10)              # the clock moves to 10:00 …
        assert clock_at <= swept < worktime.close_of(clock_at.date(), SHENZHEN)
    assert len({_moment(s["asOf"]).date() for s in sweeps}) == 3  # … of three days
    levels = {(c["scope"], c["level"])
              for c in answers["supervision/cards?level=warning"]["cards"]
              if c["caseNo"] == case}
    assert levels == {("task", "warning"), ("stage", "warning"), ("case", "warning")}
    red = answers["supervision/cards?dept=SCJG&level=red"]["cards"]
    assert {c["scope"] for c in red if c["caseNo"] == case} == {"task", "stage", "case"}
    view = answers[f"cases/{case}/supervision"]
    assert view["cardLevel"] == "red" and "promised" in view["overdue"]
    assert {t["taskId"]: t["cardLevel"] for t in view["tasks"]}[f"{case}-R1-SCJG"] == "red"

    # Notifications: SCJG heard of its task and each level, the operators of the red cards,
    # the applicant of each step of its case and of the answer to its rating.
    def notified(user: str) -> list[str]:
        """The caller's notifications of the case: their type, a card's with its level."""
        found = api.call("GET", "/me/notifications?limit=100",
                         token=api.token(user))[1]["notifications"]
        return sorted(n["type"] + ("".join(f":{level}" for level in ("黄牌", "红牌")
                                           if level in n["text"]))
                      for n in found if n.get("caseNo") == case)
    api.until(lambda: notified("scjg"), lambda found: found == sorted(
        ["task_created", *["warning"] * 3, *["card:黄牌"] * 3, *["card:红牌"] * 3,
         "rectification_opened"]))
    api.until(lambda: notified("supervisor"), lambda found: found == ["red_card:红牌"] * 3)
    api.until(lambda: notified("company"), lambda found: found == sorted(
        ["received", "accepted", "concluded", "rectification_answer"]))

    # The rectification ran to its end.
    rating = answers[f"ratings/{walk.vars['RATING']}/response"]
    assert rating["rectification"]["state"] == "closed"
    assert rating["rectification"]["callback"]["verified"] is True

    # The figures show all of it, once the counters have caught up with the events.
    supervisor = api.token("supervisor")

    def figures() -> dict:
        return api.call("GET", f"/stats?from={walk.vars['M']}&dept=SCJG",
                        token=supervisor)[1]["total"]
    total = api.until(figures, lambda t: t["ratings"] == 1 and t["rectified"] == 1)
    assert (total["received"], total["accepted"], total["concluded"], total["onTime"]) == \
        (1, 1, 1, 0)
    assert total["overdue"] >= 1 and total["cards"] == {"warning": 3, "yellow": 3, "red": 3}
    assert (total["satisfaction"], total["rectifications"], total["rectificationRate"]) == \
        (0.0, 1, 1.0)

    # The record held, then the hand edit was found and named.
    audits = [(status, _json(out)) for code, status, out in walk.runs
              if code == "make verify-audit"]
    assert [(status, found["holds"]) for status, found in audits] == [(0, True), (2, False)]
    assert audits[0][1]["entries"] > 0
    tampered = _json(next(out for code, _, out in walk.runs if "tamper" in code))
    broken = [c for c in audits[1][1]["chains"] if c["broken"]]
    assert [(c["chain"], c["broken"]) for c in broken] == [
        (tampered["chain"], {"seq": 1, "reason": "its content was changed"})]
