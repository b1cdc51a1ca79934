"""Opaque page cursors: DynamoDB's LastEvaluatedKey as base64url JSON, signed.

A cursor is handed straight back to DynamoDB as ExclusiveStartKey, so one we did not issue
(a forged `{"foo": "bar"}`, a key of another index) must never get that far: each cursor
carries an HMAC of its content, and one that does not verify is a 400.
"""
import base64
import hashlib
import hmac
import json

from ..adapters import secrets
from ..domain.errors import ValidationError

_MAX_CHARS = 2048


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode((text + "=" * (-len(text) % 4)).encode("ascii"))


def _mac(raw: bytes) -> bytes:
    secret = secrets.cursor().encode()
    return hmac.new(secret, b"cursor:" + raw, hashlib.sha256).digest()[:16]


def encode_cursor(last_evaluated_key: dict | None) -> str | None:
    if not last_evaluated_key:
        return None
    raw = json.dumps(last_evaluated_key, separators=(",", ":"), sort_keys=True).encode()
    return f"{_b64(raw)}.{_b64(_mac(raw))}"


def decode_cursor(cursor: str | None) -> dict | None:
    if not cursor:
        return None
    try:
        if len(cursor) > _MAX_CHARS or not cursor.isascii():
            raise ValueError
        body, _, mac = cursor.partition(".")
        raw = _unb64(body)
        if not hmac.compare_digest(_unb64(mac), _mac(raw)):
            raise ValueError
        key = json.loads(raw)
        if not isinstance(key, dict):
            raise ValueError
        return key
    except ValueError:  # bad base64, bad signature, not JSON: not one of ours
        raise ValidationError("cursor is not one this API returned", field="cursor") from None
