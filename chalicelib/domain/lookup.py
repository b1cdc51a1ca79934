"""Keyed hashes of personal identifiers, for lookups: a case is found by its applicant's
ID number without the number itself being an index key anyone could read or enumerate."""
import hashlib
import hmac
import json
from typing import Any


def id_key(secret: str, id_number: str) -> str:
    """The lookup key of an ID number (公民身份号码 or USCC): HMAC-SHA256 under the stage's
    lookup secret, upper-cased first (the check character may be x or X)."""
    if not secret:
        raise RuntimeError("no lookup secret")
    digest = hmac.new(secret.encode(), id_number.strip().upper().encode(), hashlib.sha256)
    return "ID#" + digest.hexdigest()[:40]


def application_key(secret: str, owner_key: str, item_code: str, form: dict[str, Any]) -> str:
    """What makes two applications the same (services/open_applications.py): the same
    owner, item and form content, as a keyed hash — a form may hold personal data, so
    its plain hash could be tested against guesses."""
    if not secret:
        raise RuntimeError("no lookup secret")
    content = json.dumps([owner_key, item_code, form], sort_keys=True, ensure_ascii=False,
                         separators=(",", ":"))
    return "APP#" + hmac.new(secret.encode(), content.encode(), hashlib.sha256).hexdigest()[:40]
