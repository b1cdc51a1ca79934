"""The local server's request handler: Chalice's, answering what the standard library or
Chalice would answer in HTML, with a traceback or not at all, as the API answers
everything — a JSON error in the catalogue's shape (chalicelib/contract/errors.py):

- a method it has no `do_` for (TRACE, CONNECT, made-up ones): 405 `method_not_allowed`
  with `Allow`, as API Gateway does, not the standard library's HTML 501;
- a request line over 64 KB: 414 `uri_too_long`; a header line over 64 KB or more than 100
  headers: 431 `headers_too_large` (the standard library's limits; it answered in HTML);
- a `Content-Length` that is not a whole number of bytes (`abc`, `-5`, `1_0`, `+7`), two
  that differ, a `Transfer-Encoding` (this server reads bodies by length only): 400
  naming the header (Chalice's `int()` raised, and the connection dropped without an
  answer; a negative length read until the client gave up);
- a body shorter than its `Content-Length` (the client sent less and waits): 400 naming
  `Content-Length` once no byte came for `BODY_TIMEOUT_SECONDS`, instead of a thread
  waiting for ever; a longer one leaves bytes that are not a request, answered 400 as
  the next request;
- a `Content-Length` over API Gateway's 10 MB payload limit: 413, without reading it.

After any of these the connection is closed: its framing can no longer be trusted.

What API Gateway answers itself — a path no route takes (Chalice's local gateway says
403 "Missing Authentication Token", as API Gateway does by default), a body over its
limit — is answered as the stage's gateway responses answer it (infra/gateway_responses.py:
the same status, body and headers). Every answer made here carries what the app's errors
carry: X-Request-Id, `Cache-Control: no-store`, `X-Content-Type-Options: nosniff`, and for
a stage with browser origins the gateway's CORS headers.
"""
import json
import re
import sys
import threading
import uuid

from chalice.local import ChaliceRequestHandler, ForbiddenError, NotAuthorizedError

from chalicelib import config
from chalicelib.api import cors
from chalicelib.contract import errors
from infra import gateway_responses

# API Gateway's payload limit: a body over it is refused unread (the app's own limit,
# 256 KB, is checked by the app as in AWS).
MAX_BODY_BYTES = 10 * 1024 * 1024
# How long a body may pause before the request is answered as shorter than announced.
BODY_TIMEOUT_SECONDS = 10.0
_LENGTH = re.compile(r"[0-9]{1,12}")
# What the standard library's send_error answers, as the catalogue's code and the part
# of the request at fault.
_STATUS_FIELDS = {414: "path", 431: "headers"}


class FramingError(Exception):
    """The request's framing is wrong: answered with a JSON error, connection closed."""

    def __init__(self, status: int, field: str, detail: str):
        super().__init__(detail)
        self.status, self.field, self.detail = status, field, detail


class InFlight:
    """Requests being answered, so a stop can wait for them before moto goes;
    `answered` is called after each (the event pump's nudge: what a request wrote is
    delivered at once)."""

    def __init__(self, answered=None):
        self._count = 0
        self._idle = threading.Condition()
        self._answered = answered

    def __enter__(self):
        with self._idle:
            self._count += 1

    def __exit__(self, *_):
        with self._idle:
            self._count -= 1
            if not self._count:
                self._idle.notify_all()
        if self._answered:
            self._answered()

    def wait_idle(self, timeout: float) -> bool:
        with self._idle:
            return self._idle.wait_for(lambda: not self._count, timeout)


class LocalRequestHandler(ChaliceRequestHandler):
    """Chalice's request handler with the answers above; `handler_class` gives each
    server its own subclass, counting that server's requests in flight."""
    # The stock handler writes headers and body separately; with Nagle on, every
    # keep-alive response waits ~40 ms for the delayed ACK.
    disable_nagle_algorithm = True
    requests_in_flight: InFlight

    def __getattr__(self, name: str):
        if name.startswith("do_"):
            return self._method_not_allowed
        raise AttributeError(name)

    def log_message(self, format: str, *args) -> None:
        # The standard library prints each request line as sent: its query string
        # (?for=<USCC>, ?q=, a phone number) would reach the terminal unmasked.
        sys.stderr.write(access_line(self.address_string(), self.log_date_time_string(),
                                     format % args))

    # -- every method Chalice serves ------------------------------------------
    def _answer(self) -> None:
        with self.requests_in_flight:
            try:
                ChaliceRequestHandler._generic_handle(self)
            except FramingError as error:
                self._send_framing_error(error)

    do_GET = do_PUT = do_POST = do_HEAD = do_DELETE = do_PATCH = do_OPTIONS = _answer

    def _parse_payload(self):
        length = self._content_length()
        body = self._read_body(length) if length else None
        return dict(self.headers), body

    def _content_length(self) -> int:
        if self.headers.get("Transfer-Encoding") is not None:
            raise FramingError(400, "Transfer-Encoding",
                               "this server reads a body by its Content-Length only; "
                               "send the body with a Content-Length")
        values = {value.strip() for value in self.headers.get_all("Content-Length", [])}
        if not values:
            return 0
        if len(values) > 1:
            raise FramingError(400, "Content-Length",
                               "Content-Length is given twice with different values")
        value = values.pop()
        if not _LENGTH.fullmatch(value):
            raise FramingError(400, "Content-Length",
                               f"Content-Length must be a whole number of bytes, "
                               f"got {value[:40]!r}")
        length = int(value)
        if length > MAX_BODY_BYTES:
            raise FramingError(413, "Content-Length",
                               f"the body ({length} bytes) is larger than "
                               f"{MAX_BODY_BYTES} bytes")
        return length

    def _read_body(self, length: int) -> bytes:
        self.connection.settimeout(BODY_TIMEOUT_SECONDS)
        chunks, received = [], 0
        try:
            while received < length:
                chunk = self.rfile.read1(min(length - received, 1 << 16))
                if not chunk:
                    break
                chunks.append(chunk)
                received += len(chunk)
        except TimeoutError:
            pass
        finally:
            self.connection.settimeout(None)
        if received < length:
            raise FramingError(400, "Content-Length",
                               f"the body ended after {received} of the {length} bytes "
                               "its Content-Length announced")
        return b"".join(chunks)

    # -- what the standard library answers itself -----------------------------
    def send_error(self, code, message=None, explain=None) -> None:
        """The standard library's error answers (a bad request line, 414, 431, an
        HTTP version it does not speak) as the API's JSON errors."""
        status = int(code)
        self.log_error("code %d, message %s", status, message)
        if status == 414 or status == 431:
            self._discard_pending_input()
        detail = "; ".join(str(part) for part in (message, explain) if part) or None
        if errors.BY_STATUS.get(status) is None:
            status = 400  # a request this server cannot read
        self._send_json_error(status, self._code(status),
                              _STATUS_FIELDS.get(status, "request"), detail)

    def _discard_pending_input(self) -> None:
        """Read what is left of an over-long request line or header (up to 1 MB), so
        closing the connection does not reset it before the client reads the answer."""
        self.connection.settimeout(0.2)
        try:
            left = 1 << 20
            while left > 0:
                chunk = self.rfile.read1(min(left, 1 << 16))
                if not chunk:
                    break
                left -= len(chunk)
        except OSError:
            pass
        finally:
            self.connection.settimeout(None)

    def _method_not_allowed(self) -> None:
        with self.requests_in_flight:
            try:
                length = self._content_length()
            except FramingError as error:
                self._send_framing_error(error)
                return
            if length <= 1 << 20:
                try:
                    self._read_body(length)
                except FramingError:
                    self.close_connection = True
            else:
                self.close_connection = True
            allow = self._allowed_methods()
            self._send_json_error(405, "method_not_allowed", "method",
                                  f"Unsupported method: {self.command}",
                                  {"Allow": allow} if allow else {})

    def _allowed_methods(self) -> str | None:
        # Chalice's own gateway keeps its route matcher and app private; this is
        # development-only code, pinned with Chalice in requirements-dev.txt.
        gateway = self.local_gateway
        try:
            route = gateway.event_converter._route_matcher.match_route(self.path).route
        except ValueError:
            return None
        return ", ".join(sorted(gateway._app_object.routes[route]))

    def _send_framing_error(self, error: FramingError) -> None:
        if error.status == 413:  # over API Gateway's limit: the gateway answers
            self.close_connection = True
            self._send_gateway_answer("REQUEST_TOO_LARGE")
        else:
            self._send_json_error(error.status, self._code(error.status), error.field,
                                  error.detail)

    def _send_error_response(self, error) -> None:
        """What Chalice's local gateway raises instead of calling the app: a path no
        route takes (ForbiddenError, API Gateway's MISSING_AUTHENTICATION_TOKEN), or
        an authorizer's refusal (this API has none)."""
        kind = "MISSING_AUTHENTICATION_TOKEN" if isinstance(error, ForbiddenError) \
            else "UNAUTHORIZED" if isinstance(error, NotAuthorizedError) \
            else "DEFAULT_5XX" if error.CODE >= 500 else "DEFAULT_4XX"
        self._send_gateway_answer(kind)

    def _send_gateway_answer(self, kind: str) -> None:
        status, headers, body = gateway_responses.local(
            kind, str(uuid.uuid4()), cors=bool(config.get().cors_origins))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    @staticmethod
    def _code(status: int) -> str:
        return errors.BY_STATUS.get(status, "validation_error")

    def _send_json_error(self, status: int, code: str, field: str | None,
                         detail: str | None, headers: dict | None = None) -> None:
        request_id = str(uuid.uuid4())
        request_headers = getattr(self, "headers", None)
        lang = errors.language(request_headers.get("accept-language")
                               if request_headers is not None else None)
        body = json.dumps(errors.body(code, lang, field=field, detail=detail,
                                      request_id=request_id),
                          ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        if status != 405:
            self.close_connection = True
        if getattr(self, "request_version", None) in (None, "", "HTTP/0.9"):
            # An unreadable request line leaves the standard library answering as to
            # HTTP/0.9 (a bare body): answer with a status line and headers.
            self.request_version = self.protocol_version
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Language", "zh-CN" if lang == "zh" else "en")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Request-Id", request_id)
        # As the app's errors: the message follows Accept-Language, nothing is kept.
        self.send_header("Vary", "Accept-Language")
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        if config.get().cors_origins:  # as the gateway's own answers (no Origin check)
            self.send_header("Access-Control-Allow-Origin", "*")
            self.send_header("Access-Control-Expose-Headers", cors.EXPOSE_HEADERS)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def handler_class(in_flight: InFlight | None = None) -> type[LocalRequestHandler]:
    """The request handler of one server (the requests it counts in flight are that
    server's)."""
    return type("RequestHandler", (LocalRequestHandler,),
                {"requests_in_flight": in_flight or InFlight()})


def access_line(address: str, when: str, message: str) -> str:
    """One line of the local access log: the request line decoded (percent-escapes, so a
    number cannot hide in %31%33%38…), its personal data masked as in every log line, and
    anything unprintable escaped (a %0A cannot forge a second line)."""
    from urllib.parse import unquote_plus

    from chalicelib.domain.masking import mask_text
    shown = mask_text(unquote_plus(message, errors="replace"))
    shown = "".join(c if c.isprintable() else f"\\x{ord(c):02x}" if ord(c) < 256
                    else f"\\u{ord(c):04x}" for c in shown)
    return f"{address} - - [{when}] {shown}\n"
