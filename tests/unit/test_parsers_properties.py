"""Property tests of what parses untrusted input: whatever arrives, the answer is a value
the system can store and serve, or a DomainError (a JSON 4xx) naming the field — never
any other exception."""
import dataclasses
import json
from types import SimpleNamespace
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib import config  # noqa: E402
from chalicelib.adapters import tokens  # noqa: E402
from chalicelib.api import http  # noqa: E402
from chalicelib.domain import applications, payload  # noqa: E402
from chalicelib.domain.errors import DomainError  # noqa: E402
from chalicelib.services import pagination  # noqa: E402


def _cursor_secret():
    """Cursors are signed with the stage's cursor secret (from Secrets Manager in the
    integration tests); here a fixed one, and no AWS."""
    return mock.patch.object(pagination.secrets, "cursor",
                             return_value="unit-test-cursor-secret-0123456789abcdef")

SETTINGS = settings(max_examples=300, deadline=None)
# Text including lone surrogates, control characters and every plane.
ANY_TEXT = st.text(alphabet=st.characters(exclude_categories=()) |
                   st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF), max_size=40)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | ANY_TEXT,
    lambda children: st.lists(children, max_size=4) |
    st.dictionaries(ANY_TEXT, children, max_size=4), max_leaves=30)


def _servable(value) -> None:
    """What the API stores it serves back as UTF-8 JSON: this must not raise."""
    json.dumps(value, ensure_ascii=False, allow_nan=False).encode("utf-8")


@SETTINGS
@given(st.binary(max_size=300))
def test_any_bytes_as_a_body_parse_or_get_a_json_error(raw):
    try:
        value = http.parse_json_body(raw)
    except DomainError as error:
        assert error.status in (400, 413) and error.field
        return
    _servable(value)


@SETTINGS
@given(JSON)
def test_any_json_value_is_accepted_only_if_it_can_be_stored_and_served(value):
    raw = json.dumps(value, ensure_ascii=True).encode()  # escapes carry lone surrogates
    try:
        parsed = http.parse_json_body(raw)
    except DomainError as error:
        assert error.status in (400, 413) and error.field
        return
    _servable(parsed)
    assert parsed == value


@SETTINGS
@given(st.integers(min_value=33, max_value=3000))
def test_nesting_past_the_limit_is_a_400_not_a_crash(depth):
    for raw in ("[" * depth + "]" * depth, '{"a":' * depth + "1" + "}" * depth):
        try:
            http.parse_json_body(raw.encode())
        except DomainError as error:
            assert error.status == 400 and error.field
        else:
            raise AssertionError(f"depth {depth} accepted")


@SETTINGS
@given(ANY_TEXT)
def test_query_integers_take_ascii_digits_in_range_only(raw):
    request = SimpleNamespace(query_params={"limit": raw})
    try:
        value = http.int_param(request, "limit", 20, 1, 100)
    except DomainError as error:
        assert error.status == 400 and error.field == "limit"
        return
    # ASCII digits, whole-valued (as JSON Schema counts 2.0 an integer: "2.0" is 2).
    digits, _, zeros = raw.partition(".")
    assert 1 <= value <= 100 and value == int(digits)
    assert digits == str(value).zfill(len(digits)) and set(zeros) <= {"0"}


@SETTINGS
@given(ANY_TEXT | st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                          "0123456789-_.=", max_size=200))
def test_cursors_we_did_not_issue_are_refused(cursor):
    try:
        with _cursor_secret():
            key = pagination.decode_cursor(cursor, "tasks/SCJG")
    except DomainError as error:
        assert (error.status, error.code, error.field) == (422, "invalid_cursor", "cursor")
        return
    assert key is None  # only the empty cursor gets through unsigned


@SETTINGS
@given(st.dictionaries(st.text(max_size=10), st.dictionaries(
    st.sampled_from(["S", "N"]), st.text(max_size=20), min_size=1, max_size=1), min_size=1,
    max_size=4))
def test_cursors_we_issued_come_back_as_issued_to_their_listing_only(key):
    with _cursor_secret():
        cursor = pagination.encode_cursor(key, "tasks/SCJG")
        assert pagination.decode_cursor(cursor, "tasks/SCJG") == key
        for other in ("tasks/WSJK", "items/all", "audit/2026-12-03"):
            try:
                pagination.decode_cursor(cursor, other)
            except DomainError as error:
                assert (error.status, error.code, error.field) == (422, "invalid_cursor", "cursor")
            else:
                raise AssertionError(f"a cursor of tasks/SCJG paged {other}")


@SETTINGS
@given(ANY_TEXT)
def test_any_query_password_header_is_just_wrong(given_password):
    assert applications.password_matches("secret", "440300202611240000001X",
                                         given_password) in (True, False)


# Configured, with a key set nobody serves: no header gets past its own checks.
OIDC = dataclasses.replace(config.load(), oidc_issuer="https://idp.example",
                           oidc_audience="onewindow", oidc_jwks_url="http://127.0.0.1:9/jwks")


@SETTINGS
@given(ANY_TEXT)
def test_any_authorization_header_is_a_principal_or_a_401(header):
    try:
        tokens.verify(header, OIDC)
    except DomainError as error:
        assert error.status == 401 and error.field == "Authorization"


@SETTINGS
@given(JSON)
def test_any_application_body_is_an_application_or_a_400(body):
    try:
        payload.check(body)
        applications.parse_application(body)
    except DomainError as error:
        assert error.status == 400 and error.field


@SETTINGS
@given(st.sampled_from(["1e999", "-1e999", "1E400", "-0.5e309", "123456789e302"]),
       st.lists(st.sampled_from(["a", "b", 0, 1]), max_size=4))
def test_a_number_that_overflows_a_float_is_a_400_naming_where_it_is(literal, path):
    """Python's json reads an overflowing literal as an infinity, which the store would keep
    as `Infinity` and never serve as JSON again."""
    marker = "__NUMBER__"
    value = marker
    for step in reversed(path):
        value = {step: value} if isinstance(step, str) else [None] * step + [value]
    raw = json.dumps(value).replace(f'"{marker}"', literal).encode()
    try:
        http.parse_json_body(raw)
    except DomainError as error:
        assert error.status == 400
        assert error.field == (".".join(str(step) for step in path) or "body")
    else:
        raise AssertionError(f"{raw!r} accepted")
    assert http.parse_json_body(raw.replace(literal.encode(), b"1e308")) is not None


@pytest.mark.parametrize("raw, value", [("1.0", 1), ("020", 20), ("100.00", 100)])
def test_a_whole_valued_query_integer_is_taken(raw, value):
    assert http.int_param(SimpleNamespace(query_params={"limit": raw}), "limit", 20, 1,
                          100) == value
