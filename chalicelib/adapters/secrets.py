"""The stage's secrets, read from Secrets Manager when first needed and kept for the
life of the container.

The configuration names each secret (`OW_*_SECRET_ID`: a Secrets Manager name or ARN, or
`ssm:<parameter>` for an SSM SecureString parameter); the value itself never passes through
the environment, the template or the logs. None of them rotates on a schedule: a new
query-password secret would change every password applicants were given, a new lookup
secret would lose every case from `GET /me/cases` (docs/configuration.md).
"""
import threading

from .. import config
from . import aws

_values: dict[str, str] = {}
_lock = threading.Lock()


class SecretMissing(RuntimeError):
    pass


def value(secret_id: str, setting: str) -> str:
    """The secret `secret_id` names; `setting` is the variable that named it (errors)."""
    if not secret_id:
        raise SecretMissing(f"{setting} is not set")
    cached = _values.get(secret_id)
    if cached is not None:
        return cached
    with _lock:
        if secret_id not in _values:
            _values[secret_id] = _read(secret_id, setting)
        return _values[secret_id]


def _read(secret_id: str, setting: str) -> str:
    if secret_id.startswith("ssm:"):
        text = aws.client("ssm").get_parameter(
            Name=secret_id[len("ssm:"):], WithDecryption=True)["Parameter"]["Value"]
    else:
        text = aws.client("secretsmanager").get_secret_value(
            SecretId=secret_id).get("SecretString", "")
    # A short secret is a mistake (a placeholder left in the store), not a key.
    if len(text) < 32:
        raise SecretMissing(f"the secret {setting} names holds fewer than 32 characters")
    return text


def cursor() -> str:
    """Signs page cursors (services/pagination.py)."""
    return value(config.get().cursor_secret_id, "OW_CURSOR_SECRET_ID")


def query_password() -> str:
    """Each case's query password is derived from it (services/query_passwords.py)."""
    return value(config.get().query_password_secret_id, "OW_QUERY_PASSWORD_SECRET_ID")


def lookup() -> str:
    """Keys the hashes ID numbers are looked up by (domain/lookup.py)."""
    return value(config.get().lookup_secret_id, "OW_LOOKUP_SECRET_ID")


def data_exchange() -> str:
    """Signs every query to the base-data registries (adapters/registries.py)."""
    return value(config.get().data_exchange_secret_id, "OW_DATA_EXCHANGE_SECRET_ID")


def forget() -> None:
    """Read every secret again on next use (the tests and the local stack re-wire)."""
    with _lock:
        _values.clear()
