"""Statistics: lifecycle events counted into monthly counters per department, item and
channel, once each under redelivery; every aggregate equals a recount from the raw
records after a random workload; GET /stats and the evaluators' export."""
import csv
import io
import json
import random
from collections import Counter, defaultdict
from datetime import timedelta

import boto3

from chalicelib.adapters.models import (
    CardRecord,
    CaseRecord,
    CasesTableRecord,
    RatingRecord,
    TimelineEvent,
)
from chalicelib.domain import statistics as rules
from chalicelib.domain import worktime
from chalicelib.services import catalogue, clock, statistics

from .harness import FOOD, HYGIENE, REGION, another, application, sweep
from .test_concurrency import race


def _month() -> str:
    return clock.local_date(clock.now()).strftime("%Y-%m")


def _drained(stack) -> bool:
    """Nothing left in the statistics queue (the pump ran it all)."""
    sqs = boto3.client("sqs", region_name=REGION)
    attributes = sqs.get_queue_attributes(
        QueueUrl=stack.env["OW_STATISTICS_QUEUE_URL"],
        AttributeNames=["ApproximateNumberOfMessages",
                        "ApproximateNumberOfMessagesNotVisible"])["Attributes"]
    return not any(int(v) for v in attributes.values())


def test_figures_follow_the_cases_and_only_their_readers_see_them(stack):
    # Two 食品经营许可 cases on the mini-program: one approved, one refused at acceptance;
    # a 公共场所卫生许可 case approved; the approved food case rated 5, the other 1.
    approved = stack.call("POST", "/cases", "company",
                          application(FOOD, channel="miniprogram")).data["caseNo"]
    accept = stack.open_task(approved, "ZWFW", "clerk")
    stack.decide(accept["taskId"], "clerk", "accept", "受理")
    review = stack.open_task(approved, "SCJG", "scjg")
    stack.decide(review["taskId"], "scjg", "approve", "同意")
    refused = stack.call("POST", "/cases", "company",
                         another(FOOD, channel="miniprogram")).data["caseNo"]
    stack.decide(stack.open_task(refused, "ZWFW", "clerk")["taskId"], "clerk", "refuse",
                 "不属于本机关职权范围")
    hygiene = stack.approve_in_parallel()["caseNo"]
    stack.wait_status(approved, 11)
    stack.wait_status(refused, 5)
    for case_no, level in ((approved, 5), (hygiene, 1)):
        assert stack.call("POST", f"/cases/{case_no}/ratings", "company",
                          {"scope": "case", "level": level}).status_code == 201
    month = _month()

    def food():
        return stack.call("GET", f"/stats?item={FOOD}", "supervisor").data
    assert stack.pump.run_until(lambda: food()["total"]["ratings"] == 1)
    figures = food()
    assert figures["dimension"] == f"item#{FOOD}" and figures["from"] == month
    total = figures["total"]
    assert (total["received"], total["accepted"], total["refused"], total["concluded"]) == \
        (2, 1, 1, 1)
    assert (total["onTime"], total["onTimeRate"], total["satisfaction"]) == (1, 1.0, 1.0)
    assert total["averageWorkingDays"] is not None and total["p90WorkingDays"] is not None
    assert figures["months"] == [{"month": month, **total}]
    # `from` alone reads up to this month; `to` alone that month only.
    year, number = int(month[:4]), int(month[5:])
    before = f"{year - (number == 1):04d}-{(number - 2) % 12 + 1:02d}"
    since = stack.call("GET", f"/stats?item={FOOD}&from={before}", "supervisor").data
    assert [m["month"] for m in since["months"]] == [before, month]
    assert since["total"] == total and since["months"][0]["received"] == 0
    assert [m["month"] for m in stack.call("GET", f"/stats?to={before}", "supervisor")
            .data["months"]] == [before]
    assert stack.pump.run_until(lambda: stack.call("GET", "/stats", "evaluator").data[
        "total"]["rectifications"] == 1)
    everything = stack.call("GET", "/stats", "evaluator").data["total"]
    assert (everything["received"], everything["concluded"], everything["ratings"],
            everything["satisfied"], everything["satisfaction"]) == (3, 2, 2, 1, 0.5)
    # Ratings by level are counted with the others, so they follow the months asked.
    assert everything["ratingsByLevel"] == [1, 0, 0, 0, 1]
    assert stack.call("GET", f"/stats?to={before}", "evaluator").data["total"][
        "ratingsByLevel"] == [0] * 5
    assert (everything["rectifications"], everything["rectified"],
            everything["rectificationRate"]) == (1, 0, 0.0)
    # The channel and the department are dimensions of their own.
    mini = stack.call("GET", "/stats?channel=miniprogram", "admin").data["total"]
    assert (mini["received"], mini["refused"]) == (2, 1)
    mine = stack.call("GET", "/stats", "scjg").data
    assert mine["dimension"] == "dept#SCJG" and mine["total"]["received"] == 2
    # Who may read what.
    assert stack.call("GET", "/stats?dept=WSJK", "scjg").status_code == 403
    assert stack.call("GET", f"/stats?item={FOOD}", "scjg").data["dimension"] == f"item#{FOOD}"
    assert stack.call("GET", "/stats", "company").status_code == 403
    # A month the document's pattern refuses is a 400; what it cannot state of the
    # parameters together (one dimension, from before to, at most 24 months) a 422.
    assert stack.call("GET", "/stats?dept=SCJG&item=x", "supervisor").status_code == 422
    for query, field, status in (("from=2026-13", "from", 400),
                                 ("from=2026-11&to=2026-01", "from", 422),
                                 ("from=2020-01&to=2026-01", "to", 422)):
        refused_query = stack.call("GET", f"/stats?{query}", "supervisor")
        assert (refused_query.status_code, refused_query.data["error"]["field"]) == \
            (status, field)

    # The evaluators' export: every dimension of the month, JSON Lines and CSV alike.
    lines = stack.call("GET", f"/stats/{month}/export.jsonl", "evaluator")
    assert lines.headers["Content-Type"].startswith("application/x-ndjson")
    rows = [json.loads(line) for line in lines.body.decode().splitlines()]
    by_dimension = {row["dimension"]: row for row in rows}
    assert {"all", "dept#SCJG", f"item#{FOOD}", f"item#{HYGIENE}", "channel#miniprogram"} <= \
        set(by_dimension)
    assert by_dimension["all"]["received"] == 3
    table = stack.call("GET", f"/stats/{month}/export.csv", "evaluator")
    parsed = list(csv.DictReader(io.StringIO(table.body.decode())))
    assert [(r["dimension"], int(r["received"])) for r in parsed] == \
        [(r["dimension"], r["received"]) for r in rows]
    assert stack.call("GET", f"/stats/{month}/export.csv", "scjg").status_code == 403


def test_another_departments_figures_are_refused_403_and_audited(stack):
    from chalicelib.services import clock as clock_service
    asked = [("dept=WSJK", "dept"), (f"item={HYGIENE}", "item"),
             ("item=000000000000000000000000", "item"), ("channel=web", "channel")]
    requests = set()
    for query, field in asked:
        refused = stack.call("GET", f"/stats?{query}", "scjg")
        assert (refused.status_code, refused.data["error"]["code"],
                refused.data["error"]["field"]) == (403, "forbidden", field), query
        requests.add(refused.data["requestId"])
    # Its own department's item is its own.
    assert stack.call("GET", f"/stats?item={FOOD}", "scjg").status_code == 200
    day = clock_service.now().strftime("%Y-%m-%d")
    written = [e for e in stack.audit(day) if e.get("requestId") in requests]
    assert [(e["status"], e["sub"], e["path"]) for e in written] == \
        [(403, "staff:wang-scjg", "/stats")] * 4
    assert any(HYGIENE in e["reason"] for e in written)


# -- the recount -----------------------------------------------------------------------------

def _workload(stack, rng: random.Random) -> list[str]:
    """Cases on random paths and channels, rated at random."""
    case_nos = []
    paths = ["refuse", "refuse", "deny", "deny", "open", "open", *["approve"] * 5]
    rng.shuffle(paths)
    levels = iter(rng.sample([1, 1, 2, 2, 3, 4, 5, 5, 4], 9))
    steps = iter(["rectified", "voided", "open", "rectified", "voided", "open"])
    for path in paths:
        item = rng.choice((FOOD, HYGIENE))
        channel = rng.choice(("web", "miniprogram"))
        case_no = stack.call("POST", "/cases", "company",
                             another(item, len(case_nos), channel=channel)).data["caseNo"]
        case_nos.append(case_no)
        accept = stack.open_task(case_no, "ZWFW", "clerk")
        if path == "refuse":
            stack.decide(accept["taskId"], "clerk", "refuse", "材料不符合法定形式")
            stack.wait_status(case_no, 5)
            continue
        stack.decide(accept["taskId"], "clerk", "accept", "受理")
        if path == "open":  # left with its reviewers
            stack.open_task(case_no, "SCJG" if item == FOOD else "WSJK",
                            "scjg" if item == FOOD else "wsjk")
            continue
        reviews = (("SCJG", "scjg"),) if item == FOOD else (("WSJK", "wsjk"), ("XFJY", "xfjy"))
        for dept, user in reviews:
            stack.decide(stack.open_task(case_no, dept, user)["taskId"], user,
                         path if path == "approve" else "deny", "审查意见")
            if path == "deny":
                break
        stack.wait_status(case_no, 11 if path == "approve" else 13)
        level = next(levels)
        rating = stack.call("POST", f"/cases/{case_no}/ratings", "company",
                            {"scope": "case", "level": level}).data
        if level > 2:
            continue
        rid, dept_user = rating["ratingId"], {"SCJG": "scjg", "WSJK": "wsjk"}[rating["dept"]]
        step = next(steps)
        if step == "rectified":
            stack.call("POST", f"/ratings/{rid}/callback", dept_user,
                       {"verified": True, "note": "已回访"})
            stack.call("POST", f"/ratings/{rid}/rectification", dept_user,
                       {"measures": "整改", "answer": "已整改"})
        elif step == "voided":
            lead = "scjg_lead" if rating["dept"] == "SCJG" else "admin"
            stack.call("POST", f"/ratings/{rid}/contest", lead,
                       {"reason": "恶意差评", "evidence": ["录音"]})
            stack.call("POST", f"/ratings/{rid}/contest/decision", "supervisor",
                       {"decision": "upheld", "opinion": "属实"})
    return case_nos


def _recount(case_nos: list[str]) -> dict[tuple[str, str], dict[str, int]]:
    """The counters as the raw records of the cases say they should be."""
    zone = clock.zone()
    expected: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)

    def add(moment: str, dept: str, case: CaseRecord, **counts):
        month = rules.month_of(moment, zone)
        for key in ("all", f"dept#{dept}", f"item#{case.itemCode}",
                    f"channel#{case.appliedVia}"):
            rules.add(expected[(month, key)], counts)

    for case_no in case_nos:
        records = list(CasesTableRecord.query(case_no, consistent_read=True))
        case = next(r for r in records if isinstance(r, CaseRecord))
        events = [r for r in records if isinstance(r, TimelineEvent)]
        dept = catalogue.pinned_version(case.itemCode, case.itemVersion)["implementingDept"]
        _recount_case(add, case, events, dept)
        for card in (r for r in records if isinstance(r, CardRecord)):
            add(card.issuedAt, card.dept, case, **{"cards" + card.level.capitalize(): 1})
        for rating in (r for r in records if isinstance(r, RatingRecord)):
            _recount_rating(add, case, rating, events)
    return {key: {k: v for k, v in counts.items() if v} for key, counts in expected.items()}


def _recount_case(add, case: CaseRecord, events: list[TimelineEvent], dept: str) -> None:
    """What the case's own steps count (for its department)."""
    add(case.createdAt, dept, case, received=1)
    if case.acceptedAt:
        add(case.acceptedAt, dept, case, accepted=1)
    if case.status in (4, 5):
        add(case.closedAt, dept, case, refused=1)
    if case.status in (11, 12, 13):
        zone = clock.zone()
        taken = worktime.clock_view(
            worktime.utc_text(worktime.parse(case.createdAt)), case.due, case.pauses or [],
            worktime.utc_text(worktime.parse(case.closedAt)), clock.now(), zone)
        online = case.appliedVia in rules.ONLINE and \
            not [e for e in events if e.channel == "counter"]
        add(case.closedAt, dept, case, concluded=1,
            onTime=int(taken["promisedRemainingMinutes"] >= 0),
            workMinutes=taken["elapsedMinutes"], fullyOnline=int(online),
            **{f"wd{rules.tenths(taken['elapsedMinutes'])}": 1})
    for event in events:
        if event.action == "overdue" and not event.taskId and \
                event.detail["deadline"] == "promised":
            add(event.at, dept, case, overdue=1)


def _recount_rating(add, case: CaseRecord, rating: RatingRecord,
                    events: list[TimelineEvent]) -> None:
    """What a rating and its rectification count (for the rated department)."""
    add(rating.at, rating.dept, case, rated=1, satisfied=int(rating.level >= 4),
        ratingSum=rating.level, **{f"rating{rating.level}": int(not rating.excluded)})
    rectification = rating.rectification
    if rectification:
        add(rating.at, rating.dept, case, rectOpened=1,
            rectRectified=int("rectified" in rectification),
            rectVoided=int(rectification["state"] == "voided"),
            excluded=int(bool(rating.excluded)))
    late = [e for e in events if e.action == "rectification_overdue"
            and e.detail["ratingId"] == rating.ratingId]
    if late:
        add(rating.at, rating.dept, case, rectLate=len(late))


def _counted(stack) -> dict[tuple[str, str], dict[str, int]]:
    """Every dimension's counters in the statistics table (markers left out), the rows a
    dimension is spread over (`all~0` …) summed."""
    table = boto3.resource("dynamodb", region_name=REGION).Table(
        stack.env["OW_STATISTICS_TABLE"])
    found: dict[tuple[str, str], dict[str, int]] = {}
    for row in table.scan()["Items"]:
        if row["month"].startswith(("EVENT#", rules.CASES_PREFIX)):
            continue
        rules.add(found.setdefault((row["month"], rules.dimension_of(row["dimension"])), {}),
                  {k: int(v) for k, v in row.items() if k not in ("month", "dimension")})
    return {key: {k: v for k, v in counts.items() if v} for key, counts in found.items()}


def test_every_aggregate_equals_a_recount_after_a_random_workload_and_redeliveries(
        stack, bus_events):
    rng = random.Random(20261125)
    case_nos = _workload(stack, rng)
    # The open ones are carded and marked overdue a month on.
    assert sweep(clock.now() + timedelta(days=30))["cards"]
    assert stack.pump.run_until(lambda: _counted(stack) == _recount(case_nos), 60), (
        _counted(stack), _recount(case_nos))
    envelopes = bus_events()
    assert len(envelopes) > 50
    # Every event delivered again — once each straight to the consumer, four at once for
    # some, and through the queue again — adds nothing.
    counted = _counted(stack)
    assert not [e for e in envelopes if statistics.count(e)]
    assert not [added for added in race(4, lambda i: statistics.count(envelopes[i % 3]))
                if added]
    sqs = boto3.client("sqs", region_name=REGION)
    for envelope in envelopes[:20]:
        sqs.send_message(QueueUrl=stack.env["OW_STATISTICS_QUEUE_URL"],
                         MessageBody=json.dumps(envelope))
    assert stack.pump.run_until(lambda: _drained(stack))
    assert _counted(stack) == counted == _recount(case_nos)
    listed = _listed(stack)
    assert any("late" in m for m in listed.values()) or any(
        "overdue" in m for m in listed.values())
    assert listed == _listed_by_counters(counted)

    # Counted again from nothing in batches, as the queue's consumer counts them (one
    # transaction a batch, each row written once with its sum): every batch twice and
    # overlapping the next, all at once. Each event adds once; the rows are the recount.
    table = boto3.resource("dynamodb", region_name=REGION).Table(
        stack.env["OW_STATISTICS_TABLE"])
    with table.batch_writer() as batch:
        for row in table.scan()["Items"]:
            batch.delete_item(Key={"month": row["month"], "dimension": row["dimension"]})
    batches = [envelopes[i:i + 10] for i in range(0, len(envelopes), 10)]
    given = [batches[i % len(batches)] + batches[(i + 1) % len(batches)][:3]
             for i in range(2 * len(batches))]
    results = race(len(given), lambda i: statistics.count_all(given[i]))
    added = Counter(envelope["detail"]["eventId"] for batch, result in zip(given, results,
                                                                       strict=True)
                    for envelope, new in zip(batch, result, strict=True) if new)
    assert added and max(added.values()) == 1
    assert _counted(stack) == counted
    assert _listed(stack) == listed


def _listed(stack) -> dict[tuple[str, str], dict[str, int]]:
    """How many cases GET /stats/cases lists per (month, dept or item) and measure."""
    table = boto3.resource("dynamodb", region_name=REGION).Table(
        stack.env["OW_STATISTICS_TABLE"])
    found: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)
    for row in table.scan()["Items"]:
        if row["month"].startswith(rules.CASES_PREFIX):
            month, dimension = row["month"][len(rules.CASES_PREFIX):].split("#", 1)
            rules.add(found[(month, dimension)], {row["dimension"].split("#")[0]: 1})
    return dict(found)


def _listed_by_counters(counted) -> dict[tuple[str, str], dict[str, int]]:
    """What the counters say each list should hold: every case concluded, on time, late,
    fully online, found overdue."""
    expected = {}
    for (month, dimension), counts in counted.items():
        if not dimension.startswith(("dept#", "item#")):
            continue
        listed = {"concluded": counts.get("concluded", 0), "onTime": counts.get("onTime", 0),
                  "late": counts.get("concluded", 0) - counts.get("onTime", 0),
                  "online": counts.get("fullyOnline", 0), "overdue": counts.get("overdue", 0)}
        listed = {k: v for k, v in listed.items() if v}
        if listed:
            expected[(month, dimension)] = listed
    return expected
