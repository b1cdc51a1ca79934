"""Departments' inboxes, claims, decisions and special procedures."""
import functools

from chalice import Blueprint, Response

from .. import wiring
from ..contract import models
from ..domain import identity, task_states
from ..domain.errors import ValidationError
from ..services import tasks
from . import http
from .cases import CHANNEL_HEADER, channel_of

bp = Blueprint(__name__)
# The inbox is read by staff (an admin any department's); a task is acted on only by its
# department's own clerks and reviewers (and their lead).
staff_route = functools.partial(http.route, roles=identity.STAFF)
department_route = functools.partial(http.route, roles=identity.DEPARTMENT_STAFF)


def _flag(request, name: str) -> bool | None:
    raw = http.query_param(request, name)
    if raw is None:
        return None
    if raw not in ("true", "false"):
        raise ValidationError(f"{name} must be true or false", field=name)
    return raw == "true"


@staff_route(bp, "GET", "/tasks", op="listTasks",
            summary="a department's tasks still to be done, soonest deadline first (supervisors "
                    "and admins read any department's)",
            tag="tasks", returns=models.TaskPage,
            query=(("dept", {"type": "string", "maxLength": http.MAX_PARAM_CHARS}, False,
                    "the department (default: the caller's own)"),
                   ("state", {"type": "string", "enum": list(task_states.IN_INBOX)}, False,
                    "only tasks in this state"),
                   ("item", {"type": "string", "maxLength": http.MAX_PARAM_CHARS}, False,
                    "only tasks of this item (implementation code)"),
                   ("overdue", {"type": "string", "enum": ["true", "false"]}, False,
                    "only overdue (true) or only not overdue (false) tasks"),
                   ("mine", {"type": "string", "enum": ["true", "false"]}, False,
                    "only tasks the caller has claimed"),
                   ("dueAfter", {"type": "string", "format": "date-time"}, False,
                    "only tasks due at or after this moment (ISO 8601 with offset)"),
                   ("dueBefore", {"type": "string", "format": "date-time"}, False,
                    "only tasks due before this moment (a bucket of GET "
                    "/supervision/open-work: its dueAfter and dueBefore)"),
                   http.limit_query(50), http.CURSOR_QUERY),
            response_headers=("ETag",),
            headers=(("If-None-Match", {"type": "string"},
                      "the ETag of the page as last read: 304 while no task on it changed "
                      "(what a polling inbox sends)"),))
def inbox(caller):
    request = bp.current_request
    answer, etag = tasks.inbox(caller, http.query_param(request, "dept"),
                       state=http.query_param(request, "state"),
                       item=http.query_param(request, "item"),
                       overdue=_flag(request, "overdue"), mine=bool(_flag(request, "mine")),
                       limit=http.int_param(request, "limit", 50, 1, 100),
                       cursor=http.query_param(request, "cursor"),
                       due_after=http.query_param(request, "dueAfter"),
                       due_before=http.query_param(request, "dueBefore"))
    # Private (no-store: no cache keeps it); the poller quotes the ETag itself.
    asked = request.headers.get("if-none-match")
    if asked and etag in [tag.strip().removeprefix("W/") for tag in asked.split(",")]:
        return Response(body="", status_code=304, headers={"ETag": etag})
    return Response(body=answer, status_code=200, headers={"ETag": etag})


@department_route(bp, "GET", "/tasks/assignees", op="listAssignees",
                  summary="whom the department's lead may hand its tasks to: its staff seen "
                          "acting in it lately, with their names", tag="tasks",
                  returns=models.Assignees,
                  query=(("dept", {"type": "string", "maxLength": http.MAX_PARAM_CHARS}, False,
                          "the department (default: the caller's own; only its lead asks)"),))
def assignees(caller):
    return tasks.assignees(caller, http.query_param(bp.current_request, "dept"))


@department_route(bp, "POST", "/tasks/{task_id}/claim", op="claimTask",
            summary="claim a task: from now on only the claimant decides it", tag="tasks",
            returns=models.Decided, errors=(404, 409))
def claim(task_id, caller):
    return tasks.claim(wiring.stores().case_files, caller, task_id)


@department_route(bp, "POST", "/tasks/{task_id}/release", op="releaseTask",
            summary="give a claimed task back (the claimant, or the department's lead)",
            tag="tasks", returns=models.Decided, errors=(404, 409))
def release(task_id, caller):
    return tasks.release(wiring.stores().case_files, caller, task_id)


@department_route(bp, "POST", "/tasks/{task_id}/assign", op="assignTask",
            summary="the department's lead hands a task to one of its staff", tag="tasks",
            returns=models.Decided, body=models.Assignment, errors=(404, 409))
def assign(task_id, caller, document):
    return tasks.assign(wiring.stores().case_files, caller, task_id, document)


@department_route(bp, "POST", "/tasks/{task_id}/decision", op="decideTask",
            summary="decide a task once; resumes the workflow", tag="tasks",
            returns=models.Decided, body=models.Decision, errors=(404, 409, 422),
            headers=CHANNEL_HEADER)
def decide(task_id, caller, document):
    return tasks.decide(wiring.stores().case_files, caller, task_id, document,
                        channel=channel_of(bp.current_request))


@department_route(bp, "POST", "/tasks/{task_id}/special-procedure", op="startSpecialProcedure",
            summary="start a special procedure (听证, 专家评审, 现场勘验…): case 9, clock stopped",
            tag="tasks", returns=models.Decided, body=models.SpecialProcedureStart,
            errors=(404, 409, 422), headers=CHANNEL_HEADER)
def start_special_procedure(task_id, caller, document):
    return tasks.start_special_procedure(wiring.stores().case_files, caller, task_id, document,
                                         channel=channel_of(bp.current_request))


@department_route(bp, "POST", "/tasks/{task_id}/special-procedure/end", op="endSpecialProcedure",
            summary="record the special procedure's result: case 10, back in review",
            tag="tasks", returns=models.Decided, body=models.SpecialProcedureEnd,
            errors=(404, 409), headers=CHANNEL_HEADER)
def end_special_procedure(task_id, caller, document):
    return tasks.end_special_procedure(wiring.stores().case_files, caller, task_id, document,
                                       channel=channel_of(bp.current_request))
