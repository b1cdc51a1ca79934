"""What every route shares: the caller, the JSON body, the JSON error shape."""
import json
import logging
import re

from chalice import Response

from .. import config
from ..adapters import tokens
from ..domain import payload
from ..domain.errors import DomainError, PayloadTooLarge, ValidationError
from ..domain.masking import mask_text

log = logging.getLogger("onewindow")

# The largest request body taken (413 above it): a case record with its form and
# materials must stay well inside DynamoDB's 400 KB item limit.
MAX_BODY_BYTES = 256 * 1024
MAX_PARAM_CHARS = 200
_WHOLE_NUMBER = re.compile(r"[0-9]{1,9}")


def _no_constants(name: str):
    raise ValueError(f"{name} is not a JSON number")


def principal(request):
    return tokens.verify(config.get().token_secret, request.headers.get("authorization"))


def json_body(request):
    """The request's JSON body: at most MAX_BODY_BYTES, strict JSON (no NaN or Infinity),
    nested at most payload.MAX_DEPTH levels, every string valid Unicode."""
    return parse_json_body(request.raw_body)


def parse_json_body(raw: bytes | None):
    if not raw:
        raise ValidationError("a JSON request body is required", field="body")
    if len(raw) > MAX_BODY_BYTES:
        raise PayloadTooLarge(f"the request body is larger than {MAX_BODY_BYTES} bytes",
                              field="body")
    try:
        value = json.loads(raw, parse_constant=_no_constants)
    except RecursionError:
        raise ValidationError(f"the request body is nested deeper than {payload.MAX_DEPTH} "
                              "levels", field="body") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValidationError(f"the request body is not valid JSON: {exc}",
                              field="body") from None
    payload.check(value)
    return value


def query_param(request, name: str) -> str | None:
    value = (request.query_params or {}).get(name)
    if value is not None and (len(value) > MAX_PARAM_CHARS or payload.has_surrogate(value)):
        raise ValidationError(f"{name} must be text of at most {MAX_PARAM_CHARS} characters",
                              field=name)
    return value


def int_param(request, name: str, default: int, low: int, high: int) -> int:
    raw = query_param(request, name)
    if raw is None:
        return default
    if not _WHOLE_NUMBER.fullmatch(raw) or not low <= int(raw) <= high:
        raise ValidationError(f"{name} must be a whole number from {low} to {high}",
                              field=name)
    return int(raw)


def error_response(error: DomainError) -> Response:
    return Response(body=json.dumps(error.to_json(), ensure_ascii=False),
                    status_code=error.status,
                    headers={"Content-Type": "application/json; charset=utf-8"})


def answer_domain_errors(app) -> None:
    """Wrap every route's view so that a DomainError becomes its JSON error response.

    Chalice turns any exception a view raises into a bare 500 before middleware sees it
    (bar its own ChaliceUnhandledError); converting here keeps the domain free of Chalice.
    """
    for methods in app.routes.values():
        for entry in methods.values():
            entry.view_function = _answering_domain_errors(app, entry.view_function)


def _answering_domain_errors(app, view):
    import functools

    @functools.wraps(view)
    def answering(*args, **kwargs):
        try:
            return view(*args, **kwargs)
        except DomainError as error:
            request = app.current_request
            log.info("rejected %s %s: %s", request.method, request.path,
                     mask_text(error.message))
            return error_response(error)
    return answering


def handle_errors(event, get_response):
    """Chalice http middleware: Chalice's own errors in our JSON error shape, JSON bodies
    as UTF-8."""
    response = get_response(event)
    if response.status_code >= 400 and isinstance(response.body, dict) \
            and "Code" in response.body:
        # Chalice's own errors (415 unsupported media type, 500 …) in our error shape.
        if response.status_code == 500:
            code, message = "internal_error", "an internal error occurred"
        else:
            code = re.sub(r"(?<!^)(?=[A-Z])", "_", response.body["Code"]).lower()
            message = response.body.get("Message", "")
        response.body = {"error": {"code": code, "message": message}}
    if isinstance(response.body, (dict, list)):
        # UTF-8 JSON: names and opinions stay readable Chinese, not \uXXXX escapes.
        response.body = json.dumps(response.body, ensure_ascii=False, separators=(",", ":"))
        response.headers["Content-Type"] = "application/json; charset=utf-8"
    return response
