"""The audit trail of refused access, for supervisors."""
from chalice import Blueprint

from ..contract import models
from ..domain import identity
from ..services import audit as audit_service
from . import http

bp = Blueprint(__name__)


@http.route(bp, "GET", "/audit", op="listAudit",
            summary="refused accesses of one day, in time order (supervisors)",
            tag="supervision", returns=models.AuditPage, errors=(403,),
            roles=(identity.SUPERVISOR, identity.ADMIN),
            query=(("day", {"type": "string", "format": "date"}, True,
                    "the day (UTC), YYYY-MM-DD"), http.limit_query(50), http.CURSOR_QUERY))
def audit(caller):
    request = bp.current_request
    return audit_service.entries(caller, http.query_param(request, "day"),
                                 limit=http.int_param(request, "limit", 50, 1, 100),
                                 cursor=http.query_param(request, "cursor"))
