"""Applications (统一申报) and the case view."""
from chalice import Blueprint, Response

from ..contract import models
from ..services import cases
from . import http

bp = Blueprint(__name__)


@http.route(bp, "POST", "/cases", op="apply", summary="apply for a service (统一申报)",
            tag="cases", returns=models.CaseCreated, status=201, body=models.Application,
            errors=(422,), response_headers=("Location", "Idempotent-Replayed"),
            headers=(("Idempotency-Key", {"type": "string", "minLength": 1,
                                          "maxLength": 128},
                      "a retry with the same key and body answers the same case"),
                     ("X-Channel", {"type": "string"}, "the front end calling")),
            description="created (or, with a reused Idempotency-Key, replayed)")
def apply():
    request = bp.current_request
    created, replayed = cases.apply(http.principal(request),
                                    http.body(request, models.Application),
                                    request.headers.get("idempotency-key"))
    headers = {"Location": f"/cases/{created['caseNo']}"}
    if replayed:
        headers["Idempotent-Replayed"] = "true"
    return Response(body=created, status_code=201, headers=headers)


@http.route(bp, "GET", "/cases/{case_no}", op="getCase",
            summary="a case with its full timeline (owner, staff, or anyone with the "
                    "query password: masked)", tag="cases", returns=models.Case,
            public=True, errors=(401, 403, 404),
            headers=(("X-Query-Password", {"type": "string"},
                      "the case's 6-digit query password (查询密码), for anonymous callers"),))
def get_case(case_no):
    request = bp.current_request
    return cases.view(http.principal(request), case_no,
                      password=request.headers.get("x-query-password"))
