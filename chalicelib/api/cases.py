
from chalice import Blueprint, Response

from ..services import cases
from . import http

bp = Blueprint(__name__)


@bp.route("/cases", methods=["POST"])
def apply():
    request = bp.current_request
    created, replayed = cases.apply(http.principal(request), http.json_body(request),
                                    request.headers.get("idempotency-key"))
    headers = {"Location": f"/cases/{created['caseNo']}"}
    if replayed:
        headers["Idempotent-Replayed"] = "true"
    return Response(body=created, status_code=201, headers=headers)


@bp.route("/cases/{case_no}", methods=["GET"])
def get_case(case_no):
    request = bp.current_request
    return cases.view(http.principal(request), case_no,
                      password=request.headers.get("x-query-password"))
