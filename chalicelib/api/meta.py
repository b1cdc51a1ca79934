from chalice import Blueprint

from .. import config
from ..domain.errors import NotFound
from ..adapters import tokens
from . import http
from .openapi import DOCUMENT

bp = Blueprint(__name__)


@bp.route("/health", methods=["GET"])
def health():
    return {"status": "ok"}


@bp.route("/openapi.json", methods=["GET"])
def openapi():
    return DOCUMENT


@bp.route("/auth/dev-token", methods=["POST"])
def dev_token():
    """Issue a demo bearer token; exists only where OW_DEV_TOKENS=1 (the local stack)."""
    cfg = config.get()
    if not cfg.dev_tokens:
        raise NotFound("dev tokens are only issued by the local stack", field="path")
    body = http.json_body(bp.current_request)
    if not isinstance(body, dict):
        body = {}
    token = tokens.issue(cfg.token_secret, sub=body.get("sub", ""), role=body.get("role", ""),
                         dept=body.get("dept"), name=body.get("name"),
                         id_number=body.get("idNumber"))
    return {"token": token, "expiresIn": tokens.LIFETIME}
