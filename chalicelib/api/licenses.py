from chalice import Blueprint

from ..services import licenses
from . import http

bp = Blueprint(__name__)


@bp.route("/licenses/keys", methods=["GET"])
def public_keys():
    return licenses.public_keys()


@bp.route("/licenses/verify", methods=["POST"])
def verify():
    return licenses.verify(http.json_body(bp.current_request))


@bp.route("/licenses/{license_id}", methods=["GET"])
def get_license(license_id):
    return licenses.get(http.principal(bp.current_request), license_id)
