"""Catalogue administration (admin role only): drafts, versions, lifecycle, lineage,
simulation, history."""
from chalice import Blueprint, Response

from ..domain import identity
from ..services import catalogue
from . import http

bp = Blueprint(__name__)


def _admin():
    return identity.require_role(http.principal(bp.current_request), identity.ADMIN)


def _body():
    return http.json_body(bp.current_request)


@bp.route("/admin/departments", methods=["GET"])
def departments():
    _admin()
    return {"departments": [{"code": code, **dept}
                            for code, dept in sorted(catalogue.departments().items())]}


@bp.route("/admin/catalogue", methods=["POST"])
def create_entry():
    admin = _admin()
    return Response(body=catalogue.save_entry(admin, _body()), status_code=201)


@bp.route("/admin/catalogue/{base_code}", methods=["PUT"])
def update_entry(base_code):
    admin = _admin()
    return catalogue.save_entry(admin, _body(), base_code)


@bp.route("/admin/items", methods=["POST"])
def create_item():
    admin = _admin()
    return Response(body=catalogue.create_draft(admin, _body()), status_code=201)


@bp.route("/admin/items/merge", methods=["POST"])
def merge_items():
    admin = _admin()
    return Response(body=catalogue.merge(admin, _body()), status_code=201)


@bp.route("/admin/items/{code}/versions", methods=["GET"])
def list_versions(code):
    _admin()
    return catalogue.versions(code)


@bp.route("/admin/items/{code}/versions", methods=["POST"])
def new_version(code):
    admin = _admin()
    return Response(body=catalogue.new_version(admin, code, _body()), status_code=201)


@bp.route("/admin/items/{code}/versions/{version}", methods=["GET"])
def get_version(code, version):
    _admin()
    return catalogue.get_item_version(code, version, include_drafts=True)


@bp.route("/admin/items/{code}/versions/{version}", methods=["PUT"])
def update_version(code, version):
    admin = _admin()
    return catalogue.update_draft(admin, code, version, _body())


@bp.route("/admin/items/{code}/versions/{version}/publish", methods=["POST"])
def publish(code, version):
    admin = _admin()
    return catalogue.publish(admin, code, version, _body())


@bp.route("/admin/items/{code}/versions/{version}/simulate", methods=["POST"])
def simulate(code, version):
    _admin()
    raw = bp.current_request.raw_body
    return catalogue.simulate(code, version, _body() if raw else None)


@bp.route("/admin/items/{code}/suspend", methods=["POST"])
def suspend(code):
    admin = _admin()
    return catalogue.suspend(admin, code, _body())


@bp.route("/admin/items/{code}/resume", methods=["POST"])
def resume(code):
    admin = _admin()
    return catalogue.resume(admin, code, _body())


@bp.route("/admin/items/{code}/cancel", methods=["POST"])
def cancel(code):
    admin = _admin()
    return catalogue.cancel(admin, code, _body())


@bp.route("/admin/items/{code}/split", methods=["POST"])
def split(code):
    admin = _admin()
    return Response(body=catalogue.split(admin, code, _body()), status_code=201)


@bp.route("/admin/items/{code}/history", methods=["GET"])
def history(code):
    _admin()
    request = bp.current_request
    return catalogue.history(code, limit=http.int_param(request, "limit", 50, 1, 100),
                             cursor=http.query_param(request, "cursor"))
