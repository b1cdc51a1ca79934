"""A polling inbox: GET /tasks carries an ETag of the page as the caller asked for it and
answers 304 to it while no task on the page changed; a claim, a release or a decision on
any task on the page changes it; another caller or another filter never shares it."""
import itertools

from .harness import FOOD, another
from .test_concurrency import race

_DISTINCT = itertools.count(100)


def _in_review(stack):
    case_no = stack.call("POST", "/cases", "company", another(FOOD, next(_DISTINCT))
                         ).data["caseNo"]
    stack.decide(stack.open_task(case_no, "ZWFW", "clerk")["taskId"], "clerk", "accept", "受理")
    return stack.open_task(case_no, "SCJG", "scjg")


def _poll(stack, user, query="", etag=None):
    return stack.call("GET", f"/tasks{query}", user,
                      headers={"If-None-Match": etag} if etag else None)


def test_an_unchanged_page_answers_304_and_any_change_on_it_a_new_etag(stack):
    task = _in_review(stack)
    first = _poll(stack, "scjg")
    etag = first.headers["ETag"]
    assert first.status_code == 200 and etag.startswith('"')
    assert first.headers["Cache-Control"] == "no-store"   # private: the poller keeps it
    # Concurrent polls of an unchanged page: each told 304, with no body.
    answers = race(6, lambda i: _poll(stack, "scjg", etag=etag))
    assert {(a.status_code, a.body in (b"", ""), a.headers["ETag"]) for a in answers} == {
        (304, True, etag)}
    assert _poll(stack, "scjg", etag='"stale", ' + etag).status_code == 304

    seen = {etag}
    for step in ("claim", "release", "claim"):
        assert stack.call("POST", f"/tasks/{task['taskId']}/claim" if step == "claim"
                          else f"/tasks/{task['taskId']}/release", "scjg").status_code == 200
        now = _poll(stack, "scjg", etag=etag)
        assert now.status_code == 200, step
        assert now.headers["ETag"] not in seen, step   # each change a new ETag
        seen.add(now.headers["ETag"])
        etag = now.headers["ETag"]
        claimed = [t.get("claimedBy") for t in now.data["tasks"]
                   if t["taskId"] == task["taskId"]]
        assert claimed == (["staff:wang-scjg"] if step == "claim" else [None])
    assert stack.decide(task["taskId"], "scjg", "approve", "同意").status_code == 200
    after = _poll(stack, "scjg", etag=etag)
    assert after.status_code == 200 and after.headers["ETag"] != etag
    assert task["taskId"] not in [t["taskId"] for t in after.data["tasks"]]


def test_the_etag_is_the_callers_and_the_filters_own(stack):
    _in_review(stack)
    mine = _poll(stack, "scjg").headers["ETag"]
    colleague = _poll(stack, "scjg2")
    assert colleague.data["tasks"] == _poll(stack, "scjg").data["tasks"]  # the same page …
    assert colleague.headers["ETag"] != mine                         # … not the same ETag
    assert _poll(stack, "scjg2", etag=mine).status_code == 200
    for query in ("?state=open", "?overdue=false", f"?item={FOOD}", "?limit=1", "?mine=true",
                  "?dueAfter=2020-01-01T00:00:00%2B08:00"):
        filtered = _poll(stack, "scjg", query, etag=mine)
        assert filtered.status_code == 200 and filtered.headers["ETag"] != mine, query
        assert _poll(stack, "scjg", query, etag=filtered.headers["ETag"]).status_code == 304


def test_a_change_off_the_page_leaves_the_page_unchanged(stack):
    _in_review(stack)
    _in_review(stack)
    page = _poll(stack, "scjg", "?limit=1")
    assert page.data["next"]
    shown = page.data["tasks"][0]["taskId"]
    other = next(t["taskId"] for t in _poll(stack, "scjg").data["tasks"] if t["taskId"] != shown)
    assert stack.call("POST", f"/tasks/{other}/claim", "scjg").status_code == 200
    assert _poll(stack, "scjg", "?limit=1", etag=page.headers["ETag"]).status_code == 304
    assert stack.call("POST", f"/tasks/{shown}/claim", "scjg2").status_code == 200
    assert _poll(stack, "scjg", "?limit=1", etag=page.headers["ETag"]).status_code == 200
