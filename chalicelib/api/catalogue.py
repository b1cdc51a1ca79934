from chalice import Blueprint

from ..services import catalogue
from . import http

bp = Blueprint(__name__)


@bp.route("/items", methods=["GET"])
def list_items():
    request = bp.current_request
    return catalogue.list_items(limit=http.int_param(request, "limit", 20, 1, 100),
                                cursor=http.query_param(request, "cursor"))


@bp.route("/items/{code}", methods=["GET"])
def get_item(code):
    return catalogue.get_item(code)
