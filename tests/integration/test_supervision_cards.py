"""Supervision cards: the sweep warns, then cards yellow and red — the task, its
department's part of the stage and the case, each once — on a clock the test controls;
a task waiting on the applicant gets none; done work resolves its cards."""
import json

import pytest

from chalicelib import config, wiring
from chalicelib.adapters import aws
from chalicelib.adapters.models import CardRecord
from chalicelib.domain import worktime
from chalicelib.services import casefile, clock

from .harness import FOOD, sweep
from .test_claims_and_clock import NOTHING_ELSE, _review
from .test_concurrency import race


def _cards(case_no: str) -> dict[tuple[str, str], str]:
    return {(card.scope, card.level): card.state for card in
            CardRecord.query(case_no, CardRecord.sk.startswith("CARD#"), consistent_read=True)}


def _moment(due, minutes: int):
    """`minutes` working minutes after (or, negative, before) `due`."""
    zone = clock.zone()
    return worktime.add_minutes(due, minutes, zone) if minutes >= 0 \
        else worktime.sub_minutes(due, -minutes, zone)


@pytest.fixture
def region_rules(monkeypatch):
    """This region warns one working day ahead (never by share) and cards red two working
    days past the deadline."""
    monkeypatch.setenv("OW_CARD_RULES", json.dumps({"warning_share": 0,
                                                    "red_working_days": 2}))
    config.reset()
    yield
    monkeypatch.undo()
    config.reset()


def test_a_review_left_undecided_is_warned_then_carded_yellow_then_red(stack, region_rules):
    # 食品经营许可: the review and the case are both due at the close of the fifth
    # working day; a working day before, both are warned.
    case_no, task = _review(stack)
    due = worktime.parse(task["deadline"])
    assert stack.case(case_no)["clock"]["promisedDueAt"] == task["deadline"]
    assert sweep(_moment(due, -481)) == {"tasks": 0, "cases": 0, "cards": 0, **NOTHING_ELSE}
    assert _cards(case_no) == {}

    warned = sweep(_moment(due, -480))
    assert warned == {"tasks": 0, "cases": 0, "cards": 3, **NOTHING_ELSE}
    assert _cards(case_no) == {("task", "warning"): "issued", ("stage", "warning"): "issued",
                               ("case", "warning"): "issued"}
    assert sweep(_moment(due, -1)) == {"tasks": 0, "cases": 0, "cards": 0, **NOTHING_ELSE}

    # Past the deadline, four sweeps at once: each card once, the task and the case
    # marked overdue once.
    late = _moment(due, 10)
    runs = race(4, lambda i: sweep(late))
    assert sum(run["cards"] for run in runs) == 3
    assert sum(run["tasks"] for run in runs) == 1 and sum(run["cases"] for run in runs) == 1
    view = stack.case(case_no)
    assert view["overdue"] == ["promised"]
    assert [t["overdue"] for t in view["tasks"] if t["taskId"] == task["taskId"]] == \
        [worktime.utc_text(late)]
    red = _moment(due, 2 * 480 + 1)
    assert sweep(_moment(due, 2 * 480 - 1))["cards"] == 0
    assert sweep(red)["cards"] == 3
    assert set(_cards(case_no)) == {(scope, level) for scope in ("task", "stage", "case")
                                    for level in ("warning", "yellow", "red")}
    # What is left to come is the statutory deadline; then the case leaves the watch.
    assert sweep(_moment(due, 100 * 480)) == {"tasks": 0, "cases": 1, "cards": 0,
                                                      **NOTHING_ELSE}
    assert stack.case(case_no)["overdue"] == ["promised", "statutory"]
    assert sweep(_moment(due, 200 * 480)) == {"tasks": 0, "cases": 0, "cards": 0,
                                                      **NOTHING_ELSE}

    # Each card is on the timeline, for staff only; the applicant does not see them.
    assert stack.pump.run_until(lambda: len([e for e in stack.case(case_no)["timeline"]
                                             if e["action"] == "card_issued"]) == 9)
    issued = [e for e in stack.case(case_no)["timeline"] if e["action"] == "card_issued"]
    assert {(e["detail"]["scope"], e["detail"]["level"]) for e in issued} == set(_cards(case_no))
    assert {e["dept"] for e in issued} == {"SCJG"}
    assert not [e for e in stack.case(case_no, "company")["timeline"]
                if e["action"].startswith("card_")]

    # The work gets done: the task's and the stage's cards are resolved with the
    # decision, the case's when it concludes.
    stack.decide(task["taskId"], "scjg", "approve", "同意")
    stack.wait_status(case_no, 11)
    assert stack.pump.run_until(lambda: set(_cards(case_no).values()) == {"resolved"})
    assert stack.pump.run_until(lambda: len([e for e in stack.case(case_no)["timeline"]
                                             if e["action"] == "card_resolved"]) == 9)


def test_a_task_waiting_on_the_applicant_is_not_carded(stack):
    case_no, task = _review(stack)
    stack.call("POST", f"/tasks/{task['taskId']}/decision", "scjg", {
        "decision": "supplement", "opinion": "补正", "materials": ["营业执照"]})
    due = worktime.parse(task["deadline"])
    assert sweep(_moment(due, 30 * 480)) == {"tasks": 0, "cases": 0, "cards": 0,
                                                     **NOTHING_ELSE}
    assert _cards(case_no) == {}
    # Back with the materials: its clock runs on from where it stopped (its deadline
    # moved on by the working time the pause lasted), and the sweep cards it once late —
    # yellow straight away, the warning it never needed left out.
    assert stack.call("POST", f"/cases/{case_no}/supplement", "company", {
        "materials": [{"name": "营业执照",
                       "materialId": stack.upload("company")["materialId"]}]
    }).status_code == 200
    stack.pump.run_until(lambda: stack.case(case_no)["status"] == 8)
    moved = worktime.parse(stack.case(case_no)["clock"]["promisedDueAt"])
    assert sweep(_moment(moved, 10))["cards"] == 3
    assert _cards(case_no) == {(scope, "yellow"): "issued" for scope in ("task", "stage", "case")}


def test_the_sweep_reads_only_what_is_due(stack):
    for _ in range(3):
        _review(stack)
    calls = []

    def count(model, **_):
        calls.append(model.name)
    client = aws.client("dynamodb")
    from chalicelib.adapters import models
    shared = models.connection().client
    shared.meta.events.register("before-call.dynamodb", count)
    try:
        assert sweep(clock.now()) == {"tasks": 0, "cases": 0, "cards": 0, **NOTHING_ELSE}
    finally:
        shared.meta.events.unregister("before-call.dynamodb", count)
    del client
    # One query of each watch shard, nothing else: no case read, no Scan.
    assert calls == ["Query"] * casefile.WATCH_SHARDS


def _carded(stack):
    """A food case whose review is a working day late: yellow cards for the review, the
    stage and the case (and the warnings before them)."""
    case_no, task = _review(stack)
    due = worktime.parse(task["deadline"])
    sweep(_moment(due, -480))
    sweep(_moment(due, 10))
    return case_no, task


def test_cards_by_department_item_state_and_level(stack):
    case_no, _ = _carded(stack)
    mine = stack.call("GET", "/supervision/cards", "scjg").data
    assert mine["dept"] == "SCJG" and mine["next"] is None
    assert {(c["scope"], c["level"]) for c in mine["cards"]} == {
        (scope, level) for scope in ("task", "stage", "case") for level in ("warning", "yellow")}
    assert [c["issuedAt"] for c in mine["cards"]] == sorted(
        [c["issuedAt"] for c in mine["cards"]], reverse=True)  # newest first
    yellow = stack.call("GET", f"/supervision/cards?level=yellow&state=issued&item={FOOD}",
                        "scjg").data["cards"]
    assert {c["scope"] for c in yellow} == {"task", "stage", "case"}
    assert stack.call("GET", "/supervision/cards?item=X", "scjg").data["cards"] == []
    # Paged: two at a time, all of them once.
    seen, cursor = [], ""
    while cursor is not None:
        page = stack.call("GET", f"/supervision/cards?limit=2&cursor={cursor}", "scjg").data
        seen += [c["cardId"] for c in page["cards"]]
        cursor = page["next"]
    assert sorted(seen) == sorted(c["cardId"] for c in mine["cards"])
    # Another department's cards are not a reviewer's to read; a supervisor's, named.
    assert stack.call("GET", "/supervision/cards?dept=SCJG", "wsjk").status_code == 403
    assert len(stack.call("GET", "/supervision/cards?dept=SCJG", "supervisor")
               .data["cards"]) == 6
    refused = stack.call("GET", "/supervision/cards", "supervisor")
    # Optional in the document, required of a caller with no department: 422.
    assert refused.status_code == 422 and refused.data["error"]["field"] == "dept"
    assert stack.call("GET", "/supervision/cards?state=lost", "scjg").status_code == 400
    assert stack.call("GET", "/supervision/cards", "company").status_code == 403

    view = stack.call("GET", f"/cases/{case_no}/supervision", "supervisor").data
    assert view["overdue"] == ["promised"] and view["cardLevel"] == "yellow"
    assert len(view["cards"]) == 6
    assert [t["cardLevel"] for t in view["tasks"] if t["dept"] == "SCJG"] == ["yellow"]
    assert stack.call("GET", f"/cases/{case_no}/supervision", "scjg").status_code == 200
    assert stack.call("GET", f"/cases/{case_no}/supervision", "rsj").status_code == 404
    assert stack.call("GET", f"/cases/{case_no}/supervision", "company").status_code == 403


def test_acknowledged_appealed_and_decided_once_however_many_try_at_once(stack):
    case_no, task = _carded(stack)
    cards = {(c["scope"], c["level"]): c["cardId"] for c in
             stack.call("GET", "/supervision/cards", "scjg").data["cards"]}
    card = cards[("task", "yellow")]
    base = f"/supervision/cards/{card}"

    answers = race(6, lambda i: stack.call("POST", f"{base}/acknowledge", ("scjg", "scjg2")[
        i % 2], {"note": "已督促经办人今日办结"}))
    assert sorted(a.status_code for a in answers) == [200] + [409] * 5
    assert {a.data["error"]["code"] for a in answers if a.status_code == 409} <= {
        "card_acknowledged", "card_changed"}
    assert stack.call("POST", f"{base}/acknowledge", "wsjk", {}).status_code == 404
    assert stack.call("POST", f"{base}/acknowledge", "supervisor", {}).status_code == 403

    # Only the department's lead appeals, with a reason; a warning is not appealable.
    reason = {"reason": "系统故障导致超期，已附运维记录"}
    assert stack.call("POST", f"{base}/appeal", "scjg", reason).status_code == 403
    empty = stack.call("POST", f"{base}/appeal", "scjg_lead", {"reason": " "})
    assert empty.status_code == 400 and empty.data["error"]["field"] == "reason"
    warning = stack.call("POST", f"/supervision/cards/{cards[('task', 'warning')]}/appeal",
                         "scjg_lead", reason)
    assert warning.status_code == 409 and warning.data["error"]["code"] == "not_appealable"
    answers = race(4, lambda i: stack.call("POST", f"{base}/appeal", "scjg_lead", reason))
    assert sorted(a.status_code for a in answers) == [200, 409, 409, 409]

    # A supervisor decides, once: racing decisions have one winner and it is what stands.
    bad = stack.call("POST", f"{base}/appeal/decision", "supervisor", {"decision": "maybe",
                                                                       "opinion": "x"})
    assert bad.status_code == 400 and bad.data["error"]["field"] == "decision"
    assert stack.call("POST", f"{base}/appeal/decision", "scjg_lead", {
        "decision": "upheld", "opinion": "自己裁决"}).status_code == 403
    answers = race(4, lambda i: stack.call("POST", f"{base}/appeal/decision", "supervisor", {
        "decision": ("upheld", "rejected")[i % 2], "opinion": "经核查"}))
    won = [a for a in answers if a.status_code == 200]
    assert len(won) == 1 and {a.status_code for a in answers} == {200, 409}
    decided = won[0].data
    assert decided["appeal"]["decision"] in ("upheld", "rejected")
    assert decided["state"] == ("withdrawn" if decided["appeal"]["decision"] == "upheld"
                                else "acknowledged")
    other = stack.call("POST", f"/supervision/cards/{cards[('stage', 'yellow')]}/appeal/decision",
                       "supervisor", {"decision": "upheld", "opinion": "x"})
    assert other.status_code == 409 and other.data["error"]["code"] == "no_appeal"
    assert stack.call("POST", "/supervision/cards/nonsense/acknowledge", "scjg",
                      {}).status_code == 404

    expected = ["card_acknowledged", "card_appealed", "card_appeal_decided"] + (
        ["card_withdrawn"] if decided["state"] == "withdrawn" else [])
    assert stack.pump.run_until(lambda: [e["action"] for e in stack.case(case_no)["timeline"]
                                         if e.get("detail", {}).get("cardId") == card
                                         and e["action"] != "card_issued"] == expected)


def test_rule_breaches_the_timeline_shows_are_flagged_once(stack, monkeypatch):
    from datetime import timedelta

    from chalicelib.services import supervision

    from .harness import application
    # Materials asked for twice at acceptance: 一次性告知 broken, by the acceptance office.
    case_no = stack.call("POST", "/cases", "company", application(FOOD)).data["caseNo"]
    accept = stack.open_task(case_no, "ZWFW", "clerk")
    for materials in (["营业执照"], ["经营场所平面图和设备布局图"]):
        stack.call("POST", f"/tasks/{accept['taskId']}/decision", "clerk", {
            "decision": "supplement", "opinion": "请补正", "materials": materials})
        stack.call("POST", f"/cases/{case_no}/supplement", "company", {
            "materials": [{"name": materials[0],
                           "materialId": stack.upload("company")["materialId"]}]})
    # Accepted days after its limit, then approved without an opinion.
    late = clock.now() + timedelta(days=8)
    monkeypatch.setattr(clock, "now", lambda: late)
    stack.decide(accept["taskId"], "clerk", "accept")
    review = stack.open_task(case_no, "SCJG", "scjg")
    stack.decide(review["taskId"], "scjg", "approve")
    stack.wait_status(case_no, 11)

    def kinds(user="supervisor"):
        view = stack.call("GET", f"/cases/{case_no}/supervision", user).data
        return sorted((b["kind"], b["dept"]) for b in view["breaches"])
    expected = [("late_acceptance", "ZWFW"), ("no_opinion", "SCJG"),
                ("second_supplement", "ZWFW")]
    assert stack.pump.run_until(lambda: kinds() == expected)
    listed = stack.call("GET", "/supervision/breaches?kind=second_supplement", "clerk").data
    assert [(b["caseNo"], b["kind"]) for b in listed["breaches"]] == [
        (case_no, "second_supplement")]
    assert [b["kind"] for b in stack.call("GET", "/supervision/breaches?dept=SCJG",
                                          "supervisor").data["breaches"]] == ["no_opinion"]
    assert stack.call("GET", "/supervision/breaches?dept=SCJG", "clerk").status_code == 403
    assert stack.call("GET", "/supervision/breaches?kind=rude", "clerk").status_code == 400
    assert stack.pump.run_until(lambda: sorted(
        e["detail"]["kind"] for e in stack.case(case_no)["timeline"]
        if e["action"] == "rule_breach") == [k for k, _ in expected])
    assert not [e for e in stack.case(case_no, "company")["timeline"]
                if e["action"] == "rule_breach"]
    # The same change delivered again flags nothing more.
    decided = stack.case(case_no)["tasks"]
    review_task = next(t for t in decided if t["kind"] == "review")
    old = {"rt": "task", "pk": case_no, "state": "open", "taskKind": "review",
           "taskId": review_task["taskId"], "dept": "SCJG"}
    new = {**old, "state": "decided", "decision": "approve",
           "decidedAt": review_task["decidedAt"]}
    assert supervision.flag_breaches(old, new, wiring.stores().supervision) == 0
    assert kinds() == expected


def test_a_supervisor_lists_the_appeals_waiting_for_a_decision(stack):
    """`appeal=pending` is the supervisor's worklist (the workbench's 监察处理): the cards
    appealed and not yet decided, then — once decided — under the decision."""
    _carded(stack)
    cards = {(c["scope"], c["level"]): c["cardId"] for c in
             stack.call("GET", "/supervision/cards", "scjg").data["cards"]}
    appealed, other = cards[("task", "yellow")], cards[("case", "yellow")]

    def listed(query: str) -> list[str]:
        answer = stack.call("GET", f"/supervision/cards?dept=SCJG&{query}", "supervisor")
        assert answer.status_code == 200, answer.data
        return [c["cardId"] for c in answer.data["cards"]]

    assert listed("appeal=pending") == []
    for card in (appealed, other):
        assert stack.call("POST", f"/supervision/cards/{card}/appeal", "scjg_lead",
                          {"reason": "系统故障导致超期"}).status_code == 200
    assert sorted(listed("appeal=pending")) == sorted([appealed, other])
    assert stack.call("POST", f"/supervision/cards/{appealed}/appeal/decision", "supervisor",
                      {"decision": "upheld", "opinion": "情况属实"}).status_code == 200
    assert listed("appeal=pending") == [other]
    assert listed("appeal=upheld") == [appealed]
    assert listed("appeal=rejected") == []
    # The department's own staff filter theirs the same way; a state not of an appeal: 400.
    assert [c["cardId"] for c in stack.call("GET", "/supervision/cards?appeal=pending",
                                            "scjg").data["cards"]] == [other]
    bad = stack.call("GET", "/supervision/cards?dept=SCJG&appeal=lost", "supervisor")
    assert bad.status_code == 400 and bad.data["error"]["field"] == "appeal"
