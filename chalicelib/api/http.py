"""What every route shares: the caller, the JSON body, the JSON error shape."""
import functools
import inspect
import json
import logging
import re

from chalice import Response

from .. import config, logs
from ..adapters import tokens
from ..contract import errors
from ..contract.models import free_text_fields
from ..contract.openapi import OPERATIONS, Operation
from ..domain import documents, identity, masking, payload
from ..domain.errors import (
    DomainError,
    NotAcceptable,
    PayloadTooLarge,
    Unauthorized,
    ValidationError,
)
from ..domain.masking import mask_text
from ..services import audit, guides

log = logging.getLogger("onewindow")

# The largest request body taken (413 above it): a case record with its form and
# materials must stay well inside DynamoDB's 400 KB item limit.
MAX_BODY_BYTES = 256 * 1024
MAX_PARAM_CHARS = 200
# A cursor carries an index's whole key (an applicant's lookup hash, a timestamp, the
# table key) and its signature.
MAX_CURSOR_CHARS = 512
# A whole number in a query: digits, or as a JSON Schema client may write an integer it
# holds as a float ("2.0": JSON Schema counts a number without a fraction an integer).
_WHOLE_NUMBER = re.compile(r"(?P<digits>[0-9]{1,9})(?:\.0+)?")


def _no_constants(name: str):
    raise ValueError(f"{name} is not a JSON number")


def _json_number(text: str) -> int | float:
    """A JSON number with a fraction or exponent: an int when it is whole (`2.0`, `1e3`),
    as JSON Schema counts it an integer, so that a field declared integer takes it; else
    the float (an infinity is refused later, by payload.check)."""
    value = float(text)
    return int(value) if value.is_integer() else value


# What a view may name among its parameters to be given it, beside the path's: the
# caller, and the request's body as the route's `body` model checked it — typed (the
# model's struct) or, for a service that still takes one, as the JSON object.
CALLER, BODY, DOCUMENT = "caller", "body", "document"


def route(bp, method: str, path: str, *, op: str, summary: str, tag: str, returns,
          roles: tuple[str, ...] = (), **spec):
    """Register a view with Chalice and its operation in the OpenAPI document: what it
    takes (`body` model, `query`, `headers`), what it answers (`returns` model at
    `status`) and which `errors` beyond those every route can give.

    Who may call it is checked before the view reads anything: a route that is not
    `public` needs a valid token (401), and one with `roles` a caller in one of them
    (403) — so no caller learns more than that from a body or an id it sends.

    The view names what it takes beside the path's parameters, and is given it: `body`,
    the request's body as an instance of the route's `body` model (its free text
    masked, `typed_body`); `document`, the same as the JSON object (`body` below); then
    `caller`, the principal (None on a public route called without a token). A body the
    route takes `body_required=False` is None when none came. So a route names its model
    once, in its registration."""
    public = spec.get("public", False)
    model = spec.get("body")
    # A body the route may go without (`body_required=False`): None when none came.
    optional = not spec.get("body_required", True)

    def register(view):
        OPERATIONS.append(Operation(method=method.lower(), path=path, operation_id=op,
                                    summary=summary, tag=tag, returns=returns,
                                    roles=roles, **spec))
        wanted = inspect.signature(view).parameters
        if (BODY in wanted or DOCUMENT in wanted) and model is None:
            raise TypeError(f"{op}: the view takes a body but the route names no model")

        @functools.wraps(view)
        def guarded(**path_parameters):
            request = bp.current_request
            if not public or roles:
                caller = principal(request)
                if caller is None and not public:
                    raise Unauthorized("a bearer token is required", field="Authorization")
                if roles:
                    identity.require_role(caller, *roles)
            given = {}
            # The body before the caller: a public route's body is refused (400) before
            # a bad token is (401), as when each view read them itself.
            absent = optional and not request.raw_body
            if BODY in wanted:
                given[BODY] = None if absent else typed_body(request, model)
            if DOCUMENT in wanted:
                given[DOCUMENT] = None if absent else body(request, model)
            if CALLER in wanted:
                given[CALLER] = principal(request)
            return view(**path_parameters, **given)
        return bp.route(path, methods=[method.upper()])(guarded)
    return register


def limit_query(default: int, high: int = 100) -> tuple:
    return ("limit", {"type": "integer", "minimum": 1, "maximum": high, "default": default},
            False, "page size")


CURSOR_QUERY = ("cursor", {"type": "string", "maxLength": MAX_CURSOR_CHARS}, False,
                "the `next` of the previous page")


def cached(request, representation, max_age: int) -> Response:
    """A public representation: 304 when the caller's If-None-Match names its ETag,
    else 200 with it; Cache-Control lets API Gateway, a CDN or the browser serve repeats
    for `max_age` seconds."""
    headers = {"ETag": representation.etag,
               "Cache-Control": f"public, max-age={max_age}" if max_age > 0 else "no-cache"}
    asked = request.headers.get("if-none-match")
    if asked and (asked.strip() == "*" or representation.etag in
                  [tag.strip().removeprefix("W/") for tag in asked.split(",")]):
        return Response(body="", status_code=304, headers=headers)
    headers["Content-Type"] = representation.content_type
    return Response(body=representation.body, status_code=200, headers=headers)


_UNSET = object()


def principal(request):
    """The caller of this request (None without a token), verified once per request."""
    known = getattr(request, "_onewindow_principal", _UNSET)
    if known is _UNSET:
        known = tokens.verify(request.headers.get("authorization"))
        request._onewindow_principal = known
    return known


def source_ip(request) -> str | None:
    """The caller's address as API Gateway saw it."""
    return ((request.context or {}).get("identity") or {}).get("sourceIp")


def require_accept(request, media_type: str) -> None:
    """A binary representation goes out to a caller whose Accept takes its type: names it,
    or a wildcard covering it (`*/*`, what generated clients and browsers send), with a
    quality above 0 (`;q=0` means "not this"). API Gateway passes the bytes through
    whatever the Accept (binary media types `*/*`, infra/package.py); Chalice itself needs
    an Accept header, so a request without one is told to send it."""
    if not accepts(request.headers.get("accept"), media_type):
        raise NotAcceptable(f"send Accept: {media_type} to receive this representation",
                            field="Accept")


_QUALITY = re.compile(r"0(\.[0-9]{0,3})?|1(\.0{0,3})?")


def accepts(header: str | None, media_type: str) -> bool:
    """Whether an Accept header (RFC 9110 §12.5.1) takes `media_type` with a quality above
    0: the most specific entries that cover it decide (the type itself, then `type/*`,
    then `*/*`); any of those with q=0 refuses it; a malformed q counts as 0."""
    return _preference(header, media_type)[0] > 0


def prefers(header: str | None, media_type: str, over: str) -> bool:
    """Whether an Accept header asks for `media_type` rather than `over`: a higher quality,
    or the same one by a more specific entry — a browser's navigation (`text/html, …,
    */*;q=0.8`) prefers text/html to JSON; `*/*`, no header or `application/json` does
    not."""
    wanted = _preference(header, media_type)
    return wanted[0] > 0 and wanted > _preference(header, over)


def _preference(header: str | None, media_type: str) -> tuple[float, int]:
    """The quality an Accept header gives `media_type` and how specific the entries that
    decide it are (3: the type named, 2: `type/*`, 1: `*/*`; (0, 0): not covered)."""
    kind = media_type.split("/")[0]
    covering = {media_type: 3, f"{kind}/*": 2, "*/*": 1}
    found: dict[int, list[float]] = {}
    for entry in (header or "").split(","):
        name, *parameters = [part.strip() for part in entry.split(";")]
        rank = covering.get(name.lower())
        if rank is None:
            continue
        quality = 1.0
        for parameter in parameters:
            key, _, value = parameter.partition("=")
            if key.strip().lower() == "q":
                value = value.strip()
                quality = float(value) if _QUALITY.fullmatch(value) else 0.0
        found.setdefault(rank, []).append(quality)
    if not found:
        return 0.0, 0
    return min(found[max(found)]), max(found)


def json_body(request, model=None):
    """The request's JSON body: at most MAX_BODY_BYTES, strict JSON (no NaN or Infinity, no
    number too large for a float), nested at most payload.MAX_DEPTH levels, every string
    valid Unicode, no text holding a control or format character; with `model`, the body
    conforms to it (parse_json_body)."""
    return parse_json_body(request.raw_body, model)


def parse_json_body(raw: bytes | None, model=None):
    """The JSON body of `raw`; with its contract `model`, checked against it too: a hidden
    character inside what the model leaves free-form (any JSON, by the document) is a 422,
    not the 400 of a request the document does not admit (domain/payload.py)."""
    if not raw:
        raise ValidationError("a JSON request body is required", field="body")
    if len(raw) > MAX_BODY_BYTES:
        raise PayloadTooLarge(f"the request body is larger than {MAX_BODY_BYTES} bytes",
                              field="body")
    try:
        value = json.loads(raw, parse_constant=_no_constants, parse_float=_json_number)
    except RecursionError:
        raise ValidationError(f"the request body is nested deeper than {payload.MAX_DEPTH} "
                              "levels", field="body") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValidationError(f"the request body is not valid JSON: {exc}",
                              field="body") from None
    if model is None:
        payload.check(value)
        return value
    payload.check_structure(value)
    try:
        documents.conform(value, model)
    except ValidationError:
        # Not admitted either way: a hidden character is named first, so that no error
        # quotes one back (a misspelt key holding one).
        payload.check_texts(value)
        raise
    payload.check_texts(value, documents.free_form(value, model))
    return value


def query_param(request, name: str) -> str | None:
    value = (request.query_params or {}).get(name)
    limit = MAX_CURSOR_CHARS if name == "cursor" else MAX_PARAM_CHARS
    if value is not None and (len(value) > limit or payload.has_surrogate(value)):
        raise ValidationError(f"{name} must be text of at most {limit} characters",
                              field=name)
    if value is not None:
        payload.check_text(value, name, payload.NAME_ALLOWS)
    return value


def int_param(request, name: str, default: int, low: int, high: int) -> int:
    raw = query_param(request, name)
    if raw is None:
        return default
    whole = _WHOLE_NUMBER.fullmatch(raw)
    if not whole or not low <= int(whole["digits"]) <= high:
        raise ValidationError(f"{name} must be a whole number from {low} to {high}",
                              field=name)
    return int(whole["digits"])


def body(request, model):
    """The request's JSON body, checked against its contract model (chalicelib/contract):
    a ValidationError naming the first offending field, or the parsed value with its free
    text (the model's FREE_TEXT fields: opinions, reasons, notes…) masked, so that no ID or
    phone number typed into one is stored or published in clear."""
    value = json_body(request, model)
    return masking.mask_fields(value, free_text_fields(model))


def typed_body(request, model):
    """The request's body as an instance of its contract model: `body`, masked, taken as
    the model's struct (masking keeps each text's length and leaves no field blank, so
    what conformed still does)."""
    return documents.conform(body(request, model), model)


def error_response(error: DomainError, headers=None) -> Response:
    return error_json(error.status, error.code, field=error.field, detail=error.message,
                      headers=headers, retry_after=getattr(error, "retry_after", None))


# Seconds a 429 asks the caller to wait when its cause names no time of its own.
DEFAULT_RETRY_AFTER = 1


def error_json(status: int, code: str, *, field=None, detail=None, headers=None,
               retry_after: int | None = None) -> Response:
    """The JSON error: the catalogue's message in the caller's language, the field, what
    exactly is wrong, and the request id. A 401 says how to authenticate
    (WWW-Authenticate), a 429 when to come back (Retry-After); the message depends on
    Accept-Language, so every cache keeps one per language (Vary)."""
    request_headers = headers or {}
    lang = errors.language(request_headers.get("accept-language"))
    answer = errors.body(code, lang, field=field, detail=detail,
                         request_id=logs.current_request_id())
    response_headers = {"Content-Type": "application/json; charset=utf-8",
                        "Content-Language": "zh-CN" if lang == "zh" else "en",
                        "Vary": "Accept-Language"}
    if status == 401:
        response_headers["WWW-Authenticate"] = bearer_challenge(
            request_headers.get("authorization"))
    if status == 429:
        response_headers["Retry-After"] = str(retry_after or DEFAULT_RETRY_AFTER)
    return Response(body=json.dumps(answer, ensure_ascii=False, separators=(",", ":")),
                    status_code=status, headers=response_headers)


def bearer_challenge(authorization: str | None) -> str:
    """The WWW-Authenticate of a 401 (RFC 6750 §3): no error code when no credentials
    came, `invalid_token` for a bearer token refused (malformed, expired, not ours),
    `invalid_request` for another scheme."""
    challenge = 'Bearer realm="onewindow"'
    given = (authorization or "").strip()
    if not given:
        return challenge
    if given.lower().startswith("bearer "):
        return challenge + ', error="invalid_token"'
    return challenge + ', error="invalid_request"'


def answer_domain_errors(app) -> None:
    """Wrap every route's view so that a DomainError becomes its JSON error response.

    Chalice turns any exception a view raises into a bare 500 before middleware sees it
    (bar its own ChaliceUnhandledError); converting here keeps the domain free of Chalice.
    """
    for methods in app.routes.values():
        for entry in methods.values():
            entry.view_function = _answering_domain_errors(app, entry.view_function)


def _answering_domain_errors(app, view):
    @functools.wraps(view)
    def answering(*args, **kwargs):
        try:
            return view(*args, **kwargs)
        except DomainError as error:
            request = app.current_request
            log.info("rejected %s %s: %s", request.method, request.path,
                     mask_text(error.message))
            if audit.audited(error):
                _audit(request, error)
            return error_response(error, request.headers)
    return answering


def _audit(request, error: DomainError) -> None:
    """Write a refused access down (services/audit.py): who, if the token was good."""
    try:
        caller = principal(request)
    except DomainError:
        caller = None
    path = request.path  # the route's template: the concrete path is what was asked for
    for name, value in (request.uri_params or {}).items():
        path = path.replace("{" + name + "}", value)
    audit.record(error, method=request.method, path=path, principal=caller,
                 source_ip=source_ip(request),
                 user_agent=request.headers.get("user-agent"),
                 request_id=logs.current_request_id())


def handle_errors(event, get_response):
    """Chalice http middleware: Chalice's own errors (405, 415, 500 …) in our JSON error
    shape, JSON bodies as UTF-8."""
    response = get_response(event)
    if response.status_code >= 400 and isinstance(response.body, dict) \
            and "Code" in response.body:
        status = response.status_code if response.status_code in errors.BY_STATUS else 500
        detail = None if status == 500 else response.body.get("Message")
        if status == 500:
            log.error("internal error on %s %s", event.method, event.path)
        headers = {k: v for k, v in response.headers.items()
                   if k.lower() not in ("content-type", "content-length", "vary")}
        error = error_json(status, errors.BY_STATUS[status], detail=detail,
                           headers=event.headers)
        error.headers.update(headers)
        varies = [v.strip() for v in (response.headers.get("Vary") or "").split(",")]
        error.headers["Vary"] = ", ".join(dict.fromkeys(
            [error.headers["Vary"], *(v for v in varies if v)]))
        error.headers["Cache-Control"] = "no-store"
        error.headers["X-Content-Type-Options"] = "nosniff"
        return error
    # No answer is taken for another type than it says (an upload's name, a form value
    # shown back): browsers must not sniff.
    response.headers["X-Content-Type-Options"] = "nosniff"
    if response.headers.get("Content-Type", "").lower().startswith("text/html"):
        response.headers.update(guides.page_headers())
    # Anything not marked cacheable (cases, tasks, licenses: personal data) is kept by
    # no shared or browser cache.
    response.headers.setdefault("Cache-Control", "no-store")
    if isinstance(response.body, (dict, list)):
        # UTF-8 JSON: names and opinions stay readable Chinese, not \uXXXX escapes.
        response.body = json.dumps(response.body, ensure_ascii=False, separators=(",", ":"))
        response.headers["Content-Type"] = "application/json; charset=utf-8"
    return response


def base_url(request) -> str:
    """Where this API is reached from outside: the configured public address, else the
    host the request came to (with the stage, on API Gateway's own execute-api host)."""
    configured = config.get().public_base_url
    if configured:
        return configured
    host = request.headers.get("host", "localhost")
    scheme = request.headers.get("x-forwarded-proto", "https")
    stage = (request.context or {}).get("stage")
    if stage and ".execute-api." in host:
        return f"{scheme}://{host}/{stage}"
    return f"{scheme}://{host}"


def page_or_json(request, body: dict, page) -> Response:
    """A public status a QR code's address serves people and programs alike: a browser
    that scanned it (an Accept preferring text/html) gets `page(body)`, a readable page;
    an API client (application/json, */*, no Accept) the JSON."""
    if prefers(request.headers.get("accept"), "text/html", over="application/json"):
        return Response(body=page(body), status_code=200,
                        headers={"Content-Type": "text/html; charset=utf-8", "Vary": "Accept"})
    return Response(body=body, status_code=200, headers={"Vary": "Accept"})
