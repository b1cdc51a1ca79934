"""Health and the OpenAPI document."""
from chalice import Blueprint

from .. import config
from ..contract import models
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
    return document(config.get().oidc_issuer)
