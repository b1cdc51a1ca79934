"""Public catalogue: published items, their versions and printable guides."""
from chalice import Blueprint, Response

from ..domain.catalogue import AUDIENCES, KINDS
from ..domain.errors import ValidationError
from ..services import catalogue, guides
from . import http

bp = Blueprint(__name__)


@bp.route("/catalogue", methods=["GET"])
def list_entries():
    request = bp.current_request
    return catalogue.list_entries(limit=http.int_param(request, "limit", 50, 1, 100),
                                  cursor=http.query_param(request, "cursor"))


@bp.route("/catalogue/{base_code}", methods=["GET"])
def get_entry(base_code):
    return catalogue.get_entry(base_code)


@bp.route("/items", methods=["GET"])
def list_items():
    request = bp.current_request
    kind = http.query_param(request, "kind")
    if kind is not None and kind not in KINDS:
        raise ValidationError(f"kind must be one of {', '.join(KINDS)}", field="kind")
    audience = http.query_param(request, "audience")
    if audience is not None and audience not in AUDIENCES:
        raise ValidationError("audience must be natural or legal", field="audience")
    return catalogue.list_items(
        dept=http.query_param(request, "dept"), kind=kind, audience=audience,
        theme=http.query_param(request, "theme"), q=http.query_param(request, "q"),
        limit=http.int_param(request, "limit", 20, 1, 100),
        cursor=http.query_param(request, "cursor"))


@bp.route("/items/{code}", methods=["GET"])
def get_item(code):
    return catalogue.get_item(code)


@bp.route("/items/{code}/versions/{version}", methods=["GET"])
def get_item_version(code, version):
    return catalogue.get_item_version(code, version)


@bp.route("/items/{code}/guide.html", methods=["GET"])
def guide(code):
    return Response(body=guides.render(catalogue.get_item(code), catalogue.departments()),
                    status_code=200, headers={"Content-Type": "text/html; charset=utf-8"})
