from chalice import Blueprint

from ..services import tasks
from . import http

bp = Blueprint(__name__)


@bp.route("/tasks", methods=["GET"])
def inbox():
    request = bp.current_request
    return tasks.inbox(http.principal(request), http.query_param(request, "dept"),
                       limit=http.int_param(request, "limit", 50, 1, 100),
                       cursor=http.query_param(request, "cursor"))


@bp.route("/tasks/{task_id}/decision", methods=["POST"])
def decide(task_id):
    request = bp.current_request
    channel = request.headers.get("x-channel", "api")
    return tasks.decide(http.principal(request), task_id, http.json_body(request),
                        channel=channel if channel in ("web", "miniprogram", "api", "counter")
                        else "api")
