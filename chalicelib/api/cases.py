"""Applications (统一申报), the case view, and what the applicant or a supervisor does to a
case outside the departments' tasks: withdrawal, supplement, revocation."""
import typing

from chalice import Blueprint, Response

from .. import wiring
from ..contract import models
from ..domain import documents, identity
from ..services import cases, supplements, withdrawals
from . import http

bp = Blueprint(__name__)
CHANNELS = typing.get_args(documents.Channel)
CHANNEL_HEADER = (("X-Channel", {"type": "string"}, "web, miniprogram, api or counter"),)


@http.route(bp, "POST", "/cases", op="apply", summary="apply for a service (统一申报)",
            tag="cases", returns=models.CaseCreated, status=201, body=models.Application,
            errors=(409, 422), roles=(identity.APPLICANT, identity.CLERK),
            response_headers=("Location", "Idempotent-Replayed"),
            headers=(("Idempotency-Key", {"type": "string", "minLength": 1,
                                          "maxLength": 128},
                      "a retry with the same key and body answers the same case"),
                     ("X-Channel", {"type": "string"}, "the front end calling")),
            description="created (or, with a reused Idempotency-Key, replayed)")
def apply(caller, document):
    stores = wiring.stores()
    created, replayed = cases.apply(stores.case_files, stores.licenses, caller, document,
                                    bp.current_request.headers.get("idempotency-key"))
    headers = {"Location": f"/cases/{created['caseNo']}"}
    if replayed:
        headers["Idempotent-Replayed"] = "true"
    return Response(body=created, status_code=201, headers=headers)


@http.route(bp, "GET", "/cases/{case_no}", op="getCase",
            summary="a case with its full timeline (owner, staff, or anyone with the "
                    "query password: masked)", tag="cases", returns=models.Case,
            public=True, errors=(401, 403, 404, 429),
            headers=(("X-Query-Password", {"type": "string"},
                      "the case's 6-digit query password (查询密码), for anonymous callers"),))
def get_case(case_no, caller):
    request = bp.current_request
    return cases.view(caller, case_no,
                      password=request.headers.get("x-query-password"),
                      source=http.source_ip(request))


def channel_of(request) -> str:
    channel = request.headers.get("x-channel", "api")
    return channel if channel in CHANNELS else "api"


@http.route(bp, "POST", "/cases/{case_no}/withdraw", op="withdrawCase",
            summary="the applicant withdraws (撤件 2 before acceptance, 撤回 14 after)",
            tag="cases", returns=models.Closed, body=models.CaseClosing, errors=(404, 409),
            headers=CHANNEL_HEADER)
def withdraw(case_no, caller, document):
    return withdrawals.withdraw(wiring.stores().case_files, caller, case_no, document,
                                channel_of(bp.current_request))


@http.route(bp, "POST", "/cases/{case_no}/revoke", op="revokeCase",
            summary="a supervisor revokes a case (撤销 15), its license with it",
            tag="cases", returns=models.Closed, body=models.CaseClosing, errors=(404, 409),
            headers=CHANNEL_HEADER, roles=(identity.SUPERVISOR, identity.ADMIN))
def revoke(case_no, caller, document):
    return withdrawals.revoke(wiring.stores().case_files, caller, case_no, document,
                              channel_of(bp.current_request))


@http.route(bp, "POST", "/cases/{case_no}/supplement", op="supplyMaterials",
            summary="the applicant supplies what was asked for (补正 6 -> 7) or the "
                    "materials an approval let follow (容缺 12 -> 11)",
            tag="cases", returns=models.Supplied, body=models.Supply, errors=(404, 409, 422),
            headers=CHANNEL_HEADER)
def supply(case_no, caller, document):
    stores = wiring.stores()
    return supplements.supply(stores.case_files, stores.licenses, caller, case_no, document,
                              channel_of(bp.current_request))
