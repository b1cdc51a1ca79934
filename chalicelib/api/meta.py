"""Health, the OpenAPI document and the local stack's demo tokens."""
from chalice import Blueprint

from .. import config
from ..adapters import tokens
from ..contract import models
from ..domain.errors import NotFound
from . import http

bp = Blueprint(__name__)


@http.route(bp, "GET", "/health", op="getHealth", summary="liveness", tag="meta",
            returns=models.Health, public=True, example={"status": "ok"})
def health():
    return {"status": "ok"}


@http.route(bp, "GET", "/openapi.json", op="getOpenApi", summary="this document (OpenAPI 3.1)",
            tag="meta", returns=None, public=True, description="the OpenAPI 3.1 document",
            media_type="application/json")
def openapi():
    from ..contract.openapi import document
    return document()


@http.route(bp, "POST", "/auth/dev-token", op="issueDevToken",
            summary="demo bearer token (the local stack only; 404 elsewhere)", tag="meta",
            returns=models.DevToken, public=True, body=models.DevTokenRequest, errors=(404,))
def dev_token():
    cfg = config.get()
    if not cfg.dev_tokens:
        raise NotFound("dev tokens are only issued by the local stack", field="path")
    body = http.body(bp.current_request, models.DevTokenRequest)
    token = tokens.issue(cfg.token_secret, sub=body["sub"], role=body["role"],
                         dept=body.get("dept"), name=body.get("name"),
                         id_number=body.get("idNumber"), lead=body.get("lead", False))
    return {"token": token, "expiresIn": tokens.LIFETIME}
