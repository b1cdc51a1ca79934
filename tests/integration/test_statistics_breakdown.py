"""GET /stats/breakdown: every department's (or item's) figures for a range of months in
one call — one Query per month of the statistics table, a page of rows in code order —
read as GET /stats is; and GET /stats/cases kept from evaluators (a third party)."""
from chalicelib import config
from chalicelib.adapters import counters
from chalicelib.services import clock

from .harness import FOOD, HYGIENE


def _put(event_id: str, updates: dict) -> None:
    assert counters.add_once(config.get().statistics_table, event_id, updates, 2 ** 31 - 1)


def test_every_departments_figures_in_one_call_per_range(stack, monkeypatch):
    # Counters as the statistics handler leaves them: two months, four departments,
    # two items; a month with no row for one of them.
    _put("e1", {("2026-07", "dept#SCJG"): {"concluded": 2, "onTime": 1, "cardsRed": 1,
                                           "rated": 1, "rating5": 1},
                ("2026-08", "dept#SCJG"): {"concluded": 1, "onTime": 1, "rated": 2,
                                           "rating1": 1, "rating4": 1},
                ("2026-08", "dept#WSJK"): {"cardsYellow": 3},
                ("2026-07", "dept#XFJY"): {"received": 1},
                ("2026-09", "dept#RSJ"): {"received": 9},       # outside the range
                ("2026-07", f"item#{FOOD}"): {"concluded": 2, "workMinutes": 960},
                ("2026-08", f"item#{HYGIENE}"): {"concluded": 1},
                ("2026-07", "all"): {"concluded": 2},
                ("2026-07", "channel#web"): {"received": 4}})
    queried = []
    original = counters.dimensions
    monkeypatch.setattr(counters, "dimensions",
                        lambda *args, **kw: queried.append(args[1]) or original(*args, **kw))
    answer = stack.call("GET", "/stats/breakdown?from=2026-07&to=2026-08&by=dept",
                        "supervisor")
    assert answer.status_code == 200, answer.data
    found = answer.data
    assert (found["by"], found["from"], found["to"], found["next"]) == \
        ("dept", "2026-07", "2026-08", None)
    assert [row["code"] for row in found["rows"]] == ["SCJG", "WSJK", "XFJY"]
    scjg = found["rows"][0]
    assert [m["month"] for m in scjg["months"]] == ["2026-07", "2026-08"]
    assert (scjg["total"]["concluded"], scjg["total"]["onTime"]) == (3, 2)
    assert scjg["total"]["cards"] == {"warning": 0, "yellow": 0, "red": 1}
    assert scjg["total"]["ratingsByLevel"] == [1, 0, 0, 1, 1]
    assert scjg["months"][1]["ratingsByLevel"] == [1, 0, 0, 1, 0]
    assert found["rows"][1]["months"][0]["cards"]["yellow"] == 0
    assert found["rows"][1]["total"]["cards"]["yellow"] == 3
    assert sorted(queried) == ["2026-07", "2026-08"]   # one Query per month
    # The same figures as GET /stats of the department.
    one = stack.call("GET", "/stats?from=2026-07&to=2026-08&dept=SCJG", "supervisor").data
    assert one["total"] == scjg["total"] and one["months"] == scjg["months"]
    items = stack.call("GET", "/stats/breakdown?from=2026-07&to=2026-08&by=item",
                       "evaluator").data
    assert [row["code"] for row in items["rows"]] == sorted([FOOD, HYGIENE])
    # A department's staff: their own row only (their department's items).
    mine = stack.call("GET", "/stats/breakdown?from=2026-07&to=2026-08", "scjg").data
    assert [row["code"] for row in mine["rows"]] == ["SCJG"]
    own_items = stack.call("GET", "/stats/breakdown?from=2026-07&to=2026-08&by=item",
                           "scjg").data
    assert [row["code"] for row in own_items["rows"]] == [FOOD]
    assert stack.call("GET", "/stats/breakdown", "company").status_code == 403


def test_many_rows_come_a_page_at_a_time_each_complete(stack):
    # Thirty departments, some in one month only: each page's rows carry every month.
    updates = {}
    for n in range(30):
        code = f"D{n:02d}"
        updates[("2026-07" if n % 2 else "2026-08", f"dept#{code}")] = {"received": 1}
        if n % 3 == 0:   # and in the other month too
            updates[("2026-08" if n % 2 else "2026-07", f"dept#{code}")] = {"received": 10}
    _put("e2", updates)
    rows, cursor, pages = [], None, 0
    while True:
        query = "from=2026-07&to=2026-08&by=dept&limit=7" + (f"&cursor={cursor}" if cursor else "")
        page = stack.call("GET", f"/stats/breakdown?{query}", "admin").data
        rows += page["rows"]
        pages += 1
        cursor = page["next"]
        if not cursor:
            break
    assert pages >= 5
    assert [row["code"] for row in rows] == [f"D{n:02d}" for n in range(30)]
    for n, row in enumerate(rows):
        expected = 1 + (10 if n % 3 == 0 else 0)
        assert row["total"]["received"] == expected, row["code"]


def test_bad_parameters_are_named(stack):
    for query, status, field in (("by=channel", 400, "by"), ("from=2026-13", 400, "from"),
                                 ("from=2026-11&to=2026-01", 422, "from"),
                                 ("cursor=forged", 422, "cursor")):
        refused = stack.call("GET", f"/stats/breakdown?{query}", "supervisor")
        assert (refused.status_code, refused.data["error"]["field"]) == (status, field), query


def test_evaluators_read_figures_not_individual_cases(stack):
    month = clock.local_date(clock.now()).strftime("%Y-%m")
    refused = stack.call("GET", f"/stats/cases?month={month}&dept=SCJG", "evaluator")
    assert (refused.status_code, refused.data["error"]["code"]) == (403, "forbidden")
    written = [e for e in stack.audit(clock.now().strftime("%Y-%m-%d"))
               if e.get("requestId") == refused.data["requestId"]]
    assert [(e["status"], e["path"]) for e in written] == [(403, "/stats/cases")]
    for reader in ("supervisor", "admin", "scjg"):
        assert stack.call("GET", f"/stats/cases?month={month}&dept=SCJG",
                          reader).status_code == 200, reader
    assert stack.call("GET", f"/stats?to={month}", "evaluator").status_code == 200
    assert stack.call("GET", f"/stats/{month}/export.csv", "evaluator").status_code == 200
