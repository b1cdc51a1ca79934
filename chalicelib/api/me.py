"""The caller: who they are, and an applicant's own cases."""
from chalice import Blueprint

from ..contract import models
from ..services import me as me_service
from . import http

bp = Blueprint(__name__)


@http.route(bp, "GET", "/me", op="getMe", summary="who am I: subject, role, departments",
            tag="me", returns=models.Me)
def me():
    return me_service.me(http.principal(bp.current_request))


@http.route(bp, "GET", "/me/cases", op="listMyCases",
            summary="my cases (an applicant's, by the ID number of its token), newest first",
            tag="me", returns=models.MyCases, errors=(403,),
            query=(("for", {"type": "string", "maxLength": 18}, False,
                    "a company (USCC) the caller is an authorised agent of"),
                   http.limit_query(20), http.CURSOR_QUERY))
def my_cases():
    request = bp.current_request
    return me_service.my_cases(http.principal(request),
                               limit=http.int_param(request, "limit", 20, 1, 100),
                               cursor=http.query_param(request, "cursor"),
                               for_company=http.query_param(request, "for"))
