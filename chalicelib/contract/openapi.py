"""The OpenAPI 3.1 document of API v1, generated from the operations the API registers
(chalicelib/api/http.py `route`) and the models in chalicelib/contract/models/.

Built on the first request for it, never at import: a cold start does not pay for it.
"""
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from . import errors

# A JSON object of the document (a schema, an operation, a response…).
JsonObject = dict[str, Any]

# Statuses every operation can answer, whatever it does.
ALWAYS = (500,)
# … and those any operation that reads a JSON body can answer.
WITH_BODY = (400, 413, 415)
WITH_TOKEN = (401, 403)


@dataclass
class Operation:
    method: str
    path: str               # OpenAPI style: /items/{code}
    operation_id: str
    summary: str
    tag: str
    returns: type | None    # response model; None: no JSON body (HTML, 204, 304)
    status: int = 200
    also: tuple[tuple[int, str], ...] = ()   # other successes, same body: (status, when)
    body: type | None = None
    body_required: bool = True
    public: bool = False    # no bearer token needed
    errors: tuple[int, ...] = ()
    query: tuple[tuple[str, JsonObject, bool, str], ...] = ()   # (name, schema, required, what)
    headers: tuple[tuple[str, JsonObject, str], ...] = ()       # request headers
    response_headers: tuple[str, ...] = ()
    media_type: str = "application/json"
    also_media: tuple[str, ...] = ()   # the same answer in other types (by Accept)
    example: JsonObject | None = None
    description: str = ""
    extra: JsonObject = field(default_factory=dict)
    roles: tuple[str, ...] = ()   # who may call it (none: any signed-in caller)


OPERATIONS: list[Operation] = []

INFO = {
    # ASCII: generators name the client package after it (one_window_api_client).
    "title": "OneWindow API",
    "version": "1.0.0",
    "description": (
        "一网通办 (OneWindow): apply for government services through one window, approve across "
        "departments, verify electronic licenses.\n\n"
        "Errors are JSON `{error: {code, message, field?, detail?}, requestId}`; `message` "
        "follows Accept-Language (zh-CN by default, en). Every response carries "
        "X-Request-Id. The error catalogue, status codes and events are in the "
        "repository's docs/."),
    "license": {"name": "Apache-2.0", "identifier": "Apache-2.0"},
}

RESPONSE_HEADERS = {
    "X-Request-Id": {"description": "this request's id (also in every log line)",
                     "schema": {"type": "string"}},
    "ETag": {"description": "entity tag of the representation", "schema": {"type": "string"}},
    "Cache-Control": {"description": "how long shared caches may keep it",
                      "schema": {"type": "string"}},
    "Location": {"description": "the created resource", "schema": {"type": "string"}},
    "Vary": {"description": "the request headers the representation was chosen by "
                            "(Accept: JSON or a page)", "schema": {"type": "string"}},
    "Idempotent-Replayed": {"description": "true when an earlier answer is replayed",
                            "schema": {"type": "string", "enum": ["true"]}},
}

_ERROR_DESCRIPTIONS = {
    400: "invalid input; nothing was changed", 401: "no or invalid bearer token",
    403: "not allowed for this caller", 404: "no such resource",
    405: "method not allowed on this path",
    406: "the Accept header does not name the representation's type",
    409: "the resource moved on (see code)",
    412: "If-Match does not match the current ETag; nothing was changed",
    413: "request body over 256 KB; nothing was changed",
    415: "request body is not application/json", 422: "cannot be processed (see code)",
    429: "too many attempts; retry later (see code)",
    500: "internal error; retry later"}


def _codes_for(status: int) -> list[str]:
    return sorted(code for code, kind in errors.CATALOGUE.items() if kind.status == status)


def _error_response(status: int) -> JsonObject:
    codes = _codes_for(status)
    example_code = errors.BY_STATUS.get(status, codes[0])
    return {
        "description": _ERROR_DESCRIPTIONS[status] + " — codes: " + ", ".join(codes),
        "headers": {"X-Request-Id": {"$ref": "#/components/headers/X-Request-Id"}},
        "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/Error"},
            "example": errors.body(example_code, "zh", request_id="c0ffee00-0000-4000-8000-"
                                                                  "000000000000")}}}


def _parameters(op: Operation) -> list[JsonObject]:
    params: list[JsonObject] = []
    for name in _path_names(documented_path(op.path)):
        params.append({"name": name, "in": "path", "required": True,
                       "schema": PATH_SCHEMAS.get(name, PATH_TEXT)})
    for name, schema, required, what in op.query:
        params.append({"name": name, "in": "query", "required": required,
                       "description": what, "schema": _name_text(schema)})
    for name, schema, what in op.headers:
        params.append({"name": name, "in": "header", "required": False,
                       "description": what, "schema": schema})
    params.append({"name": "Accept-Language", "in": "header", "required": False,
                   "description": "zh-CN (default) or en: the language of error messages",
                   "schema": {"type": "string"}})
    return params


PATH_TEXT = {"type": "string", "minLength": 1, "maxLength": 200,
             "not": {"$ref": "#/components/schemas/HiddenInName"}}
MONTH = {"type": "string", "pattern": r"^\d{4}-(0[1-9]|1[0-2])$", "examples": ["2026-11"]}
# Path parameters that are not any text: an item version is the integer its documents
# carry; a month is YYYY-MM.
PATH_SCHEMAS = {"version": {"type": "integer", "minimum": 1},
                "month": MONTH}


def _name_text(schema: JsonObject) -> JsonObject:
    """A parameter's text refuses control and format characters (api/http.query_param)."""
    if schema.get("type") == "string" and "enum" not in schema:
        return {**schema, "not": {"$ref": "#/components/schemas/HiddenInName"}}
    return schema


def _path_names(path: str) -> list[str]:
    return [part[1:-1] for part in path.split("/") if part.startswith("{")]


def documented_path(path: str) -> str:
    """A route's path as documented: parameters in camelCase ({case_no} -> {caseNo})."""
    return re.sub(r"_([a-z])", lambda m: m.group(1).upper(), path)


def _preflight(path: str) -> JsonObject:
    return {"operationId": "preflight" + "".join(
                part.strip("{}")[:1].upper() + part.strip("{}")[1:]
                for part in path.split("/") if part) .replace(".", ""),
            "summary": "CORS preflight: 204, with the CORS headers for an allowed origin",
            "tags": ["meta"], "security": [],
            "parameters": [{"name": name, "in": "path", "required": True,
                            "schema": {"type": "string", "minLength": 1}}
                           for name in _path_names(path)],
            "responses": {"204": {"description": "the methods the path takes, in Allow",
                                  "headers": {"X-Request-Id": {
                                      "$ref": "#/components/headers/X-Request-Id"}}}}}


def _body_schema(media_type: str) -> JsonObject:
    """A body that is not a model: any object for JSON, text for text, bytes otherwise."""
    if media_type == "application/json":
        return {"type": "object", "additionalProperties": True}
    if media_type.startswith("text/"):
        return {"type": "string"}
    # format binary as well: what generators (openapi-python-client) read as a file.
    return {"type": "string", "format": "binary", "contentMediaType": media_type}


def _error_statuses(op: Operation) -> set[int]:
    """The error statuses `op` can answer: its own, and those of what it reads."""
    statuses = set(op.errors) | set(ALWAYS)
    if op.body is not None:
        statuses |= set(WITH_BODY)
    if not op.public:
        statuses |= set(WITH_TOKEN)
    if op.query:
        statuses.add(400)
    if op.body is not None or op.query:
        # What the document admits but cannot state (a check character, a rule of the
        # item version, parameters that exclude each other): 422, never 400.
        statuses.add(422)
    return statuses


def _success(op: Operation, ref: Callable[[type], JsonObject]) -> JsonObject:
    """The response of `op`'s success: its headers, and its body by media type."""
    success_headers = {"X-Request-Id": {"$ref": "#/components/headers/X-Request-Id"}}
    for name in op.response_headers:
        success_headers[name] = {"$ref": f"#/components/headers/{name}"}
    if op.returns is None:
        return {"description": op.description or "OK", "headers": success_headers,
                "content": {op.media_type: {"schema": _body_schema(op.media_type)}}}
    content = {"schema": ref(op.returns)}
    if op.example is not None:
        content["example"] = op.example
    success: JsonObject = {"description": op.description or "OK", "headers": success_headers,
                           "content": {"application/json": content}}
    for media_type in op.also_media:
        success["content"][media_type] = {"schema": _body_schema(media_type)}
    return success


def _responses(op: Operation, ref: Callable[[type], JsonObject]) -> JsonObject:
    """`op`'s responses by status: its successes, 304 for a GET with an ETag, then its
    errors (as references to the shared error responses)."""
    success = _success(op, ref)
    responses = {str(op.status): success}
    for status, when in op.also:
        responses[str(status)] = {**success, "description": when}
    if "ETag" in op.response_headers and op.method == "get":
        responses["304"] = {"description": "not modified (If-None-Match matched)",
                            "headers": {"X-Request-Id": {
                                "$ref": "#/components/headers/X-Request-Id"}}}
    for status in sorted(_error_statuses(op)):
        responses[str(status)] = {"$ref": f"#/components/responses/E{status}"}
    return responses


def _operation(op: Operation, ref: Callable[[type], JsonObject]) -> JsonObject:
    operation = {"operationId": op.operation_id, "summary": op.summary, "tags": [op.tag],
                 "parameters": _parameters(op), "responses": _responses(op, ref)}
    if op.public:
        operation["security"] = []
    if op.roles:
        # Callers in other roles get 403 before anything is read.
        operation["x-roles"] = list(op.roles)
    if op.body is not None:
        operation["requestBody"] = {"required": op.body_required, "content": {
            "application/json": {"schema": ref(op.body)}}}
    operation.update(op.extra)
    return operation


@functools.cache
def document(oidc_issuer: str | None = None) -> JsonObject:
    """The OpenAPI document; `oidc_issuer`: the stage's identity provider, named in the
    security schemes."""
    import msgspec
    models = sorted({m for op in OPERATIONS for m in (op.body, op.returns) if m} |
                    {_error_model()}, key=lambda m: m.__name__)
    refs, components = msgspec.json.schema_components(
        models, ref_template="#/components/schemas/{name}")
    _add_rules(components)
    by_model = dict(zip(models, refs, strict=True))

    def ref(model: type) -> JsonObject:
        return by_model[model]

    paths: dict[str, JsonObject] = {}
    for op in OPERATIONS:
        paths.setdefault(documented_path(op.path), {})[op.method] = _operation(op, ref)
    for path, operations in paths.items():
        operations["options"] = _preflight(path)
    statuses = sorted({int(s) for item in paths.values() for o in item.values()
                       for s in o["responses"] if s not in ("200", "201", "204", "304")})
    return _with_common_headers({
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "info": INFO,
        "servers": [{"url": "/", "description": "this deployment (API Gateway stage)"}],
        "tags": [{"name": t} for t in dict.fromkeys(op.tag for op in OPERATIONS)],
        "security": [{"bearer": []}],
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": _security_schemes(oidc_issuer),
            "headers": RESPONSE_HEADERS,
            "responses": {f"E{s}": _error_response(s) for s in statuses},
        },
    })


# Headers of every response, and those of one status, declared in every response of the
# document (chalicelib/logs.py sends the ids; api/http.py error_json the others).
COMMON_HEADERS = {
    "X-Request-Id": RESPONSE_HEADERS["X-Request-Id"],
    "X-Correlation-Id": {"description": "the caller's X-Correlation-Id echoed, else this "
                                        "request's id", "schema": {"type": "string"}},
}
STATUS_HEADERS = {
    401: {"WWW-Authenticate": {
        "description": 'the bearer challenge (RFC 6750): Bearer realm="onewindow", with '
                       'error="invalid_token" when a token was refused',
        "schema": {"type": "string"}}},
    429: {"Retry-After": {"description": "seconds to wait before trying again",
                          "schema": {"type": "integer", "minimum": 1}}},
}


def _with_common_headers(doc: JsonObject) -> JsonObject:
    """`doc` with COMMON_HEADERS on every response it holds (and STATUS_HEADERS on the
    responses of their status), as components every response refers to."""
    doc["components"]["headers"] = {**doc["components"]["headers"], **COMMON_HEADERS,
                                    **{name: header for headers in STATUS_HEADERS.values()
                                       for name, header in headers.items()}}
    responses = [(int(status), response) for item in doc["paths"].values()
                 for operation in item.values()
                 for status, response in operation["responses"].items()]
    responses += [(int(name[1:]), response)
                  for name, response in doc["components"]["responses"].items()]
    for status, response in responses:
        if "$ref" in response:
            continue
        headers = response.setdefault("headers", {})
        for name in [*COMMON_HEADERS, *STATUS_HEADERS.get(status, {})]:
            headers[name] = {"$ref": f"#/components/headers/{name}"}
    return doc


def _add_rules(components: JsonObject) -> None:
    """The rules msgspec cannot generate (contract/models/schema_rules.py) into their
    schemas; every free-form object left declared open (`additionalProperties: true`), so
    that generated types take its fields instead of none; no text holds a character the
    server refuses (domain/payload.py)."""
    from .models import NAME_FIELDS, SCHEMA_RULES
    for name, rule in SCHEMA_RULES.items():
        components[name].update(rule)
    _open_free_forms(components)
    _no_hidden(components, "#/components/schemas/HiddenInText")
    components["HiddenInText"] = {
        "description": "a control or format character (Unicode Cc, Cf) other than tab, "
                       "line breaks and the zero-width (non-)joiners: refused in any text",
        "type": "string", "pattern": hidden_class(in_text=True)}
    components["HiddenInName"] = {
        "description": "a control or format character: refused in a name, a query or a "
                       "header parameter", "type": "string", "pattern": hidden_class(False)}
    for model, fields in NAME_FIELDS.items():
        for name in fields:
            components[model]["properties"][name]["not"] = {
                "$ref": "#/components/schemas/HiddenInName"}


@functools.cache
def hidden_class(in_text: bool) -> str:
    """A regular expression matching a character domain/payload.py refuses: Unicode Cc
    and Cf, bar FREE_TEXT_ALLOWS in text (as literal characters: one pattern for Python
    and ECMA-262 alike)."""
    import sys
    import unicodedata

    from ..domain import payload
    allowed = payload.FREE_TEXT_ALLOWS if in_text else payload.NAME_ALLOWS
    ranges: list[list[int]] = []
    for point in range(sys.maxunicode + 1):
        if 0xD800 <= point <= 0xDFFF or chr(point) in allowed or \
                unicodedata.category(chr(point)) not in payload.HIDDEN:
            continue
        if ranges and ranges[-1][1] == point - 1:
            ranges[-1][1] = point
        else:
            ranges.append([point, point])
    return "[" + "".join(chr(a) if a == b else f"{chr(a)}-{chr(b)}"
                         for a, b in ranges) + "]"


def _no_hidden(node: object, ref: str) -> None:
    """Every text schema under `node` refuses what `ref` matches (and an open object's
    keys what a name may not hold)."""
    if isinstance(node, dict):
        kinds = node.get("type")
        if (kinds == "string" or isinstance(kinds, list) and "string" in kinds) and \
                "enum" not in node and "const" not in node and "not" not in node and \
                node.get("format") != "binary":
            node["not"] = {"$ref": ref}
        if node.get("additionalProperties") is True:
            node["propertyNames"] = {"not": {"$ref": "#/components/schemas/HiddenInName"}}
        for key, value in node.items():
            if key != "not":
                _no_hidden(value, ref)
    elif isinstance(node, list):
        for value in node:
            _no_hidden(value, ref)


def _open_free_forms(node: object) -> None:
    if isinstance(node, dict):
        if node.get("type") == "object" and "properties" not in node and \
                "additionalProperties" not in node:
            node["additionalProperties"] = True
        for value in node.values():
            _open_free_forms(value)
    elif isinstance(node, list):
        for value in node:
            _open_free_forms(value)


def _security_schemes(issuer: str | None) -> JsonObject:
    """The bearer token every protected operation takes: an OIDC access token (JWT, RS256
    or ES256) from the stage's identity provider, whose discovery document is named too
    so that clients can sign users in."""
    schemes = {"bearer": {
        "type": "http", "scheme": "bearer", "bearerFormat": "JWT",
        "description": "an OIDC access token from this stage's identity provider"
                       + (f" ({issuer})" if issuer else "")}}
    if issuer:
        schemes["oidc"] = {"type": "openIdConnect", "openIdConnectUrl":
                           issuer.rstrip("/") + "/.well-known/openid-configuration",
                           "description": "how to obtain the bearer token"}
    return schemes


def _error_model() -> type:
    from .models import Error
    return Error
