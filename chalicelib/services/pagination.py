"""Opaque page cursors: DynamoDB's LastEvaluatedKey as base64url JSON, signed.

A cursor is handed straight back to DynamoDB as ExclusiveStartKey, so one we did not issue
(a forged `{"foo": "bar"}`) or issued for another listing (a key of another index, another
department's inbox, another facet) must never get that far: each cursor carries an HMAC of
its content and of the listing it pages (`listing`: what is queried and its partition), and
one that does not verify for the listing asked is a 400.
"""
import base64
import hashlib
import hmac
import json

from ..adapters import secrets
from ..domain.errors import UnprocessableEntity

_MAX_CHARS = 2048


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode((text + "=" * (-len(text) % 4)).encode("ascii"))


def _mac(raw: bytes, listing: str) -> bytes:
    secret = secrets.cursor().encode()
    bound = b"cursor:" + json.dumps(listing).encode() + b":" + raw
    return hmac.new(secret, bound, hashlib.sha256).digest()[:16]


def encode_cursor(last_evaluated_key: dict | None, listing: str) -> str | None:
    """The next page of `listing` (e.g. `tasks/SCJG`) as an opaque cursor."""
    if not last_evaluated_key:
        return None
    raw = json.dumps(last_evaluated_key, separators=(",", ":"), sort_keys=True).encode()
    return f"{_b64(raw)}.{_b64(_mac(raw, listing))}"


def decode_cursor(cursor: str | None, listing: str) -> dict | None:
    if not cursor:
        return None
    try:
        if len(cursor) > _MAX_CHARS or not cursor.isascii():
            raise ValueError
        body, _, mac = cursor.partition(".")
        raw = _unb64(body)
        if not hmac.compare_digest(_unb64(mac), _mac(raw, listing)):
            raise ValueError
        key = json.loads(raw)
        if not isinstance(key, dict):
            raise ValueError
        return key
    except ValueError:  # bad base64, bad signature, not JSON, another listing's
        raise UnprocessableEntity("cursor is not one this listing returned", field="cursor",
                                  code="invalid_cursor") from None
