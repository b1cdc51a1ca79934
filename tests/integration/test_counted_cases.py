"""GET /stats/cases: the cases behind a month's figures, listed by the statistics handler
beside its counters, once each under redelivery; read as GET /stats is (issue 26)."""
from datetime import timedelta
from urllib.parse import urlencode

import boto3

from chalicelib.domain import statistics as rules
from chalicelib.services import clock, statistics

from .harness import FOOD, HYGIENE, REGION, another, sweep
from .test_statistics import _drained


def _month(moment) -> str:
    return clock.local_date(moment).strftime("%Y-%m")


def _listed(stack, user: str = "supervisor", **query) -> list[dict]:
    """Every page of GET /stats/cases."""
    found, cursor = [], None
    while True:
        page = stack.call("GET", "/stats/cases?" + urlencode(
            {**query, "limit": 1, **({"cursor": cursor} if cursor else {})}), user)
        assert page.status_code == 200, page.data
        found += page.data["cases"]
        cursor = page.data["next"]
        if not cursor:
            return found


def _case_nos(stack, **query) -> list[str]:
    return [c["caseNo"] for c in _listed(stack, **query)]


def _entries(stack) -> list[dict]:
    table = boto3.resource("dynamodb", region_name=REGION).Table(
        stack.env["OW_STATISTICS_TABLE"])
    return [row for row in table.scan(ConsistentRead=True)["Items"]
            if row["month"].startswith(rules.CASES_PREFIX)]


def _approved(stack, case_no: str) -> None:
    stack.decide(stack.open_task(case_no, "SCJG", "scjg")["taskId"], "scjg", "approve", "同意")
    stack.wait_status(case_no, 11)


def test_cases_on_time_and_late_are_listed_under_their_measures_once(
        stack, bus_events, monkeypatch):
    # Two 食品经营许可 cases concluded on time, one accepted then left past its promised
    # deadline (found overdue) and concluded late, and a 公共场所卫生许可 case (WSJK).
    on_time = []
    for n in range(2):
        case_no = stack.call("POST", "/cases", "company", another(FOOD, n)).data["caseNo"]
        stack.decide(stack.open_task(case_no, "ZWFW", "clerk")["taskId"], "clerk", "accept",
                     "受理")
        _approved(stack, case_no)
        on_time.append(case_no)
    late = stack.call("POST", "/cases", "company", another(FOOD, 9)).data["caseNo"]
    stack.decide(stack.open_task(late, "ZWFW", "clerk")["taskId"], "clerk", "accept", "受理")
    stack.open_task(late, "SCJG", "scjg")
    hygiene = stack.approve_in_parallel()["caseNo"]
    now = clock.now()
    later = now + timedelta(days=40)
    monkeypatch.setattr(clock, "now", lambda: later)
    sweep(later)
    _approved(stack, late)
    assert stack.pump.run_until(lambda: _drained(stack) and stack.call(
        "GET", f"/stats?dept=SCJG&from={_month(now)}&to={_month(later)}",
        "supervisor").data["total"]["concluded"] == 3)
    this, next_ = _month(now), _month(later)

    assert _case_nos(stack, month=this, dept="SCJG") == on_time      # concluded, by default
    assert _case_nos(stack, month=this, dept="SCJG", measure="onTime") == on_time
    assert _case_nos(stack, month=this, dept="SCJG", measure="late") == []
    assert _case_nos(stack, month=this, dept="SCJG", measure="online") == on_time
    assert _case_nos(stack, month=next_, dept="SCJG", measure="late") == [late]
    assert _case_nos(stack, month=next_, dept="SCJG", measure="onTime") == []
    assert _case_nos(stack, month=next_, dept="SCJG", measure="overdue") == [late]
    assert _case_nos(stack, month=this, item=FOOD, measure="concluded") == on_time
    assert _case_nos(stack, month=this, dept="WSJK") == [hygiene]
    assert _case_nos(stack, month=this, item=HYGIENE) == [hygiene]
    first = _listed(stack, month=this, dept="SCJG")[0]
    assert {k: first[k] for k in ("caseNo", "itemCode", "itemName", "dept", "channel",
                                  "outcome", "onTime", "online")} == {
        "caseNo": on_time[0], "itemCode": FOOD, "itemName": stack.case(on_time[0])["itemName"],
        "dept": "SCJG",
        "channel": "web", "outcome": "approved", "onTime": True, "online": True}
    assert first["concludedAt"] == first["at"] and first["workingDays"] >= 0
    [was_late] = _listed(stack, month=next_, dept="SCJG", measure="late")
    assert was_late["onTime"] is False and was_late["workingDays"] > 5
    [found_overdue] = _listed(stack, month=next_, dept="SCJG", measure="overdue")
    assert found_overdue["outcome"] is None and found_overdue["concludedAt"] is None
    # The lists agree with the figures.
    figures = {m["month"]: m for m in stack.call(
        "GET", f"/stats?dept=SCJG&from={this}&to={next_}", "supervisor").data["months"]}
    for month in (this, next_):
        assert len(_listed(stack, month=month, dept="SCJG", measure="onTime")) == \
            figures[month]["onTime"]
        assert len(_listed(stack, month=month, dept="SCJG")) == figures[month]["concluded"]
        assert len(_listed(stack, month=month, dept="SCJG", measure="overdue")) == \
            figures[month]["overdue"]

    # Every event delivered again writes nothing new.
    before = _entries(stack)
    # Per concluded case, under its department and its item: concluded, on time or late,
    # online (all four applied online); the overdue one, twice more.
    assert len(before) == 4 * 2 * 3 + 2
    envelopes = bus_events()
    assert len(envelopes) > 20
    assert not [e for e in envelopes if statistics.count(e)]
    assert sorted(map(str, _entries(stack))) == sorted(map(str, before))


def test_a_departments_staff_read_only_their_own_cases(stack):
    month = _month(clock.now())
    assert stack.call("GET", f"/stats/cases?month={month}", "scjg").data["dimension"] == \
        "dept#SCJG"
    assert stack.call("GET", f"/stats/cases?month={month}&item={FOOD}",
                      "scjg").status_code == 200
    requests = set()
    for query, field in (("dept=WSJK", "dept"), (f"item={HYGIENE}", "item")):
        refused = stack.call("GET", f"/stats/cases?month={month}&{query}", "scjg")
        assert (refused.status_code, refused.data["error"]["code"],
                refused.data["error"]["field"]) == (403, "forbidden", field), query
        requests.add(refused.data["requestId"])
    written = [e for e in stack.audit(clock.now().strftime("%Y-%m-%d"))
               if e.get("requestId") in requests]
    assert sorted((e["status"], e["path"]) for e in written) == [(403, "/stats/cases")] * 2
    assert stack.call("GET", f"/stats/cases?month={month}&dept=WSJK",
                      "supervisor").status_code == 200
    assert stack.call("GET", f"/stats/cases?month={month}&dept=SCJG",
                      "company").status_code == 403
    for query, status, field in (("", 400, "month"), ("month=2026-13&dept=SCJG", 400, "month"),
                                 (f"month={month}&dept=SCJG&measure=fast", 400, "measure"),
                                 (f"month={month}", 422, "dept"),
                                 (f"month={month}&dept=SCJG&item={FOOD}", 422, "item")):
        refused = stack.call("GET", f"/stats/cases?{query}", "supervisor")
        assert (refused.status_code, refused.data["error"]["field"]) == (status, field), query
