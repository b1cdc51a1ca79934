"""Departments' inboxes and decisions."""
import typing

from chalice import Blueprint

from ..contract import models
from ..domain import documents
from ..services import tasks
from . import http

bp = Blueprint(__name__)
CHANNELS = typing.get_args(documents.Channel)


@http.route(bp, "GET", "/tasks", op="listTasks",
            summary="a department's open tasks, by deadline", tag="tasks",
            returns=models.TaskPage,
            query=(("dept", {"type": "string", "maxLength": http.MAX_PARAM_CHARS}, True,
                    "the department (the caller's own)"),
                   http.limit_query(50), http.CURSOR_QUERY))
def inbox():
    request = bp.current_request
    return tasks.inbox(http.principal(request), http.query_param(request, "dept"),
                       limit=http.int_param(request, "limit", 50, 1, 100),
                       cursor=http.query_param(request, "cursor"))


@http.route(bp, "POST", "/tasks/{task_id}/decision", op="decideTask",
            summary="decide a task once; resumes the workflow", tag="tasks",
            returns=models.Decided, body=models.Decision, errors=(404, 409),
            headers=(("X-Channel", {"type": "string"}, "web, miniprogram, api or counter"),))
def decide(task_id):
    request = bp.current_request
    channel = request.headers.get("x-channel", "api")
    return tasks.decide(http.principal(request), task_id,
                        http.body(request, models.Decision),
                        channel=channel if channel in CHANNELS else "api")
