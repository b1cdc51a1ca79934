"""The base-data registries over HTTP (数据共享交换): the provincial exchange's API, or on
the local stack the demo registries (infra/local/registries.py) — the same client.

A query is `POST <url>/query` with a JSON body (the subject, the fields wanted, and the
statement: requester, purpose, basis, case), signed: `X-OW-Timestamp` (Unix seconds) and
`X-OW-Signature: v1=<hex HMAC-SHA256 of "<timestamp>\\n<body>" under the data-exchange
secret>`. A registry answers 200 `{"subject": <the subject asked>, "record": {...}}`, or
404 when it has no record of the subject; the URL is https (plain http to this machine
only: the local stack). Mutual TLS, where the exchange wants it, comes from the source's settings
(`clientCert`, `clientKey`, `caBundle`). Anything else — a timeout, a refused connection,
another status, a body that is not a record — is `Unavailable`: the caller goes on
without the data, never fails for it.
"""
import functools
import hashlib
import hmac
import json
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from .. import config
from . import secrets

DEFAULT_TIMEOUT = 2.0
MAX_TIMEOUT = 10.0
MAX_ANSWER = 256 * 1024


class Unavailable(Exception):
    """The registry did not answer with a record or a plain 'none' in time."""


@dataclass(frozen=True)
class Source:
    name: str
    url: str
    timeout: float = DEFAULT_TIMEOUT
    client_cert: str | None = None
    client_key: str | None = None
    ca_bundle: str | None = None


# Plain HTTP only to this machine (the local stack's demo registries): a registry's answer
# decides instant approvals, and its question carries an ID number.
LOOPBACK = ("127.0.0.1", "localhost", "::1")


@functools.cache
def _sources(text: str | None) -> dict[str, Source]:
    if not text:
        return {}
    found = {}
    for name, settings in json.loads(text).items():
        timeout = min(float(settings.get("timeoutSeconds", DEFAULT_TIMEOUT)), MAX_TIMEOUT)
        url = urllib.parse.urlsplit(settings["url"])
        if url.scheme != "https" and not (url.scheme == "http" and url.hostname in LOOPBACK):
            raise ValueError(f"OW_DATA_SOURCES: {name} must be an https URL "
                             "(plain http only to 127.0.0.1)")
        found[name] = Source(name, settings["url"].rstrip("/"), timeout,
                             settings.get("clientCert"), settings.get("clientKey"),
                             settings.get("caBundle"))
    return found


def check(text: str | None) -> None:
    """The configured registries' settings (ValueError naming the one that is wrong)."""
    _sources(text)


def source(name: str) -> Source | None:
    """The configured registry `name` (OW_DATA_SOURCES), None when the region has none."""
    return _sources(config.get().data_sources).get(name)


def signature(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode(), timestamp.encode() + b"\n" + body, hashlib.sha256)
    return "v1=" + mac.hexdigest()


def _context(settings: Source) -> ssl.SSLContext | None:
    if not settings.url.startswith("https:"):
        return None
    context = ssl.create_default_context(cafile=settings.ca_bundle)
    if settings.client_cert:
        context.load_cert_chain(settings.client_cert, settings.client_key)
    return context


def query(settings: Source, request: dict[str, Any]) -> dict[str, Any] | None:
    """The subject's record, None when the registry has none; Unavailable otherwise."""
    body = json.dumps(request, ensure_ascii=False, separators=(",", ":")).encode()
    timestamp = str(int(time.time()))
    call = urllib.request.Request(
        f"{settings.url}/query", data=body, method="POST",
        headers={"Content-Type": "application/json", "X-OW-Timestamp": timestamp,
                 "X-OW-Signature": signature(secrets.data_exchange(), timestamp, body)})
    try:
        with urllib.request.urlopen(call, timeout=settings.timeout,  # noqa: S310 - configured URL
                                    context=_context(settings)) as answer:
            raw = answer.read(MAX_ANSWER + 1)
    except urllib.error.HTTPError as error:
        if error.code == 404:
            return None
        raise Unavailable(f"{settings.name} answered {error.code}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise Unavailable(f"{settings.name}: {error}") from None
    try:
        answer_body = json.loads(raw) if len(raw) <= MAX_ANSWER else None
    except ValueError:
        answer_body = None
    record = answer_body.get("record") if isinstance(answer_body, dict) else None
    if not isinstance(record, dict):
        raise Unavailable(f"{settings.name} answered no record")
    if answer_body.get("subject") != request["subject"]:
        # An answer about someone else (a mixed-up response) is no answer.
        raise Unavailable(f"{settings.name} answered about another subject")
    return record
