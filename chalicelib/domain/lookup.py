"""Keyed hashes of personal identifiers, for lookups: a case is found by its applicant's
ID number without the number itself being an index key anyone could read or enumerate."""
import hashlib
import hmac


def id_key(secret: str, id_number: str) -> str:
    """The lookup key of an ID number (公民身份号码 or USCC): HMAC-SHA256 under the stage's
    lookup secret, upper-cased first (the check character may be x or X)."""
    if not secret:
        raise RuntimeError("no lookup secret")
    digest = hmac.new(secret.encode(), id_number.strip().upper().encode(), hashlib.sha256)
    return "ID#" + digest.hexdigest()[:40]
