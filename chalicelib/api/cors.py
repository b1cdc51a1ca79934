"""CORS for the region's browser front ends (allowed origins per stage: OW_CORS_ORIGINS).

Every path answers the preflight (OPTIONS) itself, in Lambda as locally, so the allowed
origins are the stage's configuration, not something baked into API Gateway.
"""
from chalice import Response

from .. import config

ALLOW_HEADERS = ("Authorization, Content-Type, Accept-Language, Idempotency-Key, If-Match, "
                 "If-None-Match, X-Query-Password, X-Correlation-Id, X-Request-Id, X-Channel")
# What a browser script may read beyond the safelisted headers: ids to quote, the ETag to
# send back, a download's file name, when to retry (429), how to authenticate (401).
EXPOSE_HEADERS = ("X-Request-Id, X-Correlation-Id, ETag, Location, Idempotent-Replayed, "
                  "Content-Language, Content-Disposition, Retry-After, WWW-Authenticate")
MAX_AGE = "600"


def allowed(origin: str | None) -> bool:
    return bool(origin) and origin.rstrip("/") in config.get().cors_origins


def middleware(event, get_response):
    """Chalice http middleware: the CORS headers on every answer to an allowed origin."""
    response = get_response(event)
    origin = event.headers.get("origin")
    # The answer depends on the Origin asked with, for every cache on the way.
    vary = response.headers.get("Vary")
    if not vary:
        response.headers["Vary"] = "Origin"
    elif "Origin" not in vary:
        response.headers["Vary"] = f"{vary}, Origin"
    if allowed(origin):
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Expose-Headers"] = EXPOSE_HEADERS
    return response


def add_preflight(app) -> None:
    """An OPTIONS route on every path that has none: 204 with the methods the path takes
    (the allowed origin itself is added by `middleware`)."""
    for path, methods in list(app.routes.items()):
        if "OPTIONS" in methods:
            continue
        allow = ", ".join(sorted(methods) + ["OPTIONS"])

        def preflight(*_, _allow=allow, **__):
            headers = {"Allow": _allow}
            if allowed(app.current_request.headers.get("origin")):
                headers.update({"Access-Control-Allow-Methods": _allow,
                                "Access-Control-Allow-Headers": ALLOW_HEADERS,
                                "Access-Control-Max-Age": MAX_AGE})
            return Response(body="", status_code=204, headers=headers)

        preflight.__name__ = "preflight"
        app.route(path, methods=["OPTIONS"])(preflight)
