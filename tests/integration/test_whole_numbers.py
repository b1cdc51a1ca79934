"""A number without a fraction is an integer in JSON Schema (`2.0` is 2): wherever the
contract declares an integer the API takes it, in a body or a query, and still refuses
a fraction, NaN or an infinity."""
import hashlib

DATA = b"%PDF-1.7 whole numbers"


def _declaration(size_literal: str) -> bytes:
    digest = hashlib.sha256(DATA).hexdigest()
    return ('{"name":"plan.pdf","contentType":"application/pdf","size":' + size_literal
            + ',"sha256":"' + digest + '"}').encode()


def test_a_whole_valued_number_is_taken_where_the_body_declares_an_integer(stack):
    for literal in (f"{len(DATA)}.0", f"{len(DATA)}.000", f"{len(DATA) / 10}e1"):
        answer = stack.call("POST", "/materials", "company", _declaration(literal))
        assert answer.status_code in (200, 201), (literal, answer.data)
        assert answer.data["materialId"].startswith("M")
        # stored as the integer it is: the read says 22, not 22.0
        stored = stack.call("GET", f"/materials/{answer.data['materialId']}", "company")
        assert stored.data["size"] == len(DATA) and isinstance(stored.data["size"], int)


def test_a_fraction_nan_or_infinity_is_still_refused_for_an_integer(stack):
    for literal, field in ((f"{len(DATA)}.5", "size"), ("NaN", "body"),
                           ("Infinity", "body"), ("1e999", "size")):
        answer = stack.call("POST", "/materials", "company", _declaration(literal))
        assert answer.status_code == 400, (literal, answer.data)
        assert answer.data["error"]["field"] == field, (literal, answer.data)


def test_a_whole_valued_number_is_taken_where_a_query_declares_an_integer(stack):
    for query in ("limit=2.0", "limit=2"):
        answer = stack.call("GET", f"/items?{query}")
        assert answer.status_code == 200, (query, answer.data)
        assert len(answer.data["items"]) == 2
    ratings = stack.call("GET", "/ratings?level=5.0", "scjg")
    assert ratings.status_code == 200, ratings.data
    for query in ("limit=2.5", "limit=2.", "limit=2e0", "limit=NaN"):
        answer = stack.call("GET", f"/items?{query}")
        assert (answer.status_code, answer.data["error"]["field"]) == (400, "limit"), query
