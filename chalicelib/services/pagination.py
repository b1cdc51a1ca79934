"""Opaque page cursors: DynamoDB's LastEvaluatedKey, base64url-encoded JSON."""
import base64
import json

from ..domain.errors import ValidationError


def encode_cursor(last_evaluated_key: dict | None) -> str | None:
    if not last_evaluated_key:
        return None
    raw = json.dumps(last_evaluated_key, separators=(",", ":"), sort_keys=True)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> dict | None:
    if not cursor:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        key = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if not isinstance(key, dict):
            raise ValueError
        return key
    except ValueError:
        raise ValidationError("cursor is not one this API returned", field="cursor") from None
