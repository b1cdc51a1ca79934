"""Public catalogue reads are served from the function's cache with ETag / 304 and
Cache-Control; a change made by this container shows at once; private answers are never
cacheable."""
import threading

import botocore.handlers
import pytest

from .harness import FOOD
from .test_concurrency import race


@pytest.fixture
def dynamodb_calls():
    """How many DynamoDB calls this thread makes (PynamoDB and boto3 alike)."""
    counted = threading.local()
    counted.n = 0
    me = threading.get_ident()

    def count(**_):
        if threading.get_ident() == me:
            counted.n += 1

    botocore.handlers.BUILTIN_HANDLERS.append(("before-call.dynamodb", count))
    from chalicelib import wiring
    wiring.configure()  # new clients, which take the handler just added
    yield lambda: counted.n
    botocore.handlers.BUILTIN_HANDLERS.remove(("before-call.dynamodb", count))


PUBLIC = [f"/items/{FOOD}", f"/items/{FOOD}/versions/1", f"/items/{FOOD}/guide.html",
          "/items?q=spjy", "/catalogue?limit=5", "/catalogue/000201012000", "/directory"]


@pytest.mark.parametrize("path", PUBLIC)
def test_public_reads_carry_an_etag_and_answer_304_to_it(stack, path):
    first = stack.client.http.get(path)
    assert first.status_code == 200
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "public, max-age=30"
    again = stack.client.http.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.body in (b"", "")
    assert again.headers["ETag"] == etag
    other = stack.client.http.get(path, headers={"If-None-Match": '"stale", "older"'})
    assert other.status_code == 200 and other.body == first.body


def test_repeats_cost_no_database_call_and_a_change_here_shows_at_once(stack, dynamodb_calls):
    first = stack.call("GET", f"/items/{FOOD}")
    after_first = dynamodb_calls()
    assert after_first > 0
    for _ in range(5):
        assert stack.call("GET", f"/items/{FOOD}").data == first.data
    assert dynamodb_calls() == after_first

    assert stack.call("POST", f"/admin/items/{FOOD}/suspend", "admin",
                      {"reason": "整改"}).data["status"] == "suspended"
    now = stack.call("GET", f"/items/{FOOD}")
    assert now.data["status"] == "suspended"
    assert now.headers["ETag"] != first.headers["ETag"]


def test_applications_read_the_table_not_the_cache(stack):
    from .harness import application
    assert stack.call("GET", f"/items/{FOOD}").data["status"] == "published"
    # Another container suspends the item: this one's cache still says published …
    from chalicelib.services import read_cache
    clear = read_cache.catalogue.clear
    read_cache.catalogue.clear = lambda: None
    try:
        stack.call("POST", f"/admin/items/{FOOD}/suspend", "admin", {"reason": "整改"})
        assert stack.call("GET", f"/items/{FOOD}").data["status"] == "published"
        # … but an application is refused at once.
        refused = stack.call("POST", "/cases", "company", application(FOOD))
        assert (refused.status_code, refused.data["error"]["field"]) == (422, "itemCode")
    finally:
        read_cache.catalogue.clear = clear


def test_concurrent_reads_during_a_publish_end_on_the_new_version(stack):
    stack.call("POST", f"/admin/items/{FOOD}/versions", "admin", {"reason": "新版"})

    def read_or_publish(i):
        if i == 0:
            return stack.call("POST", f"/admin/items/{FOOD}/versions/2/publish", "admin",
                              {"reason": "发布"})
        return stack.call("GET", f"/items/{FOOD}")

    answers = race(8, read_or_publish)
    assert answers[0].status_code == 200
    assert all(a.status_code == 200 for a in answers)
    assert {a.data["version"] for a in answers[1:]} <= {1, 2}
    assert stack.call("GET", f"/items/{FOOD}").data["version"] == 2


@pytest.mark.parametrize("path, user", [("/cases/440300202611250000001X", "company"),
                                        ("/tasks?dept=ZWFW", "clerk"),
                                        ("/admin/departments", "admin")])
def test_private_answers_are_never_cacheable(stack, path, user):
    answer = stack.call("GET", path, user)
    assert answer.headers["Cache-Control"] == "no-store"
    # No cache keeps them; the inbox alone carries an ETag, for its own poller to quote
    # (If-None-Match → 304 while nothing on the page changed: docs/api.md).
    assert ("ETag" in answer.headers) == path.startswith("/tasks")
