"""The caller: who they are, and an applicant's own cases."""
import functools

from chalice import Blueprint

from .. import wiring
from ..contract import models
from ..domain.errors import ValidationError
from ..services import materials, notices
from ..services import me as me_service
from . import http

bp = Blueprint(__name__)


@http.route(bp, "GET", "/me", op="getMe", summary="who am I: subject, role, departments",
            tag="me", returns=models.Me)
def me(caller):
    return me_service.me(caller)


FOR_COMPANY = ("for", {"type": "string", "maxLength": 18}, False,
               "a company (USCC) the caller is an authorised agent of")


def _holders_page(path: str, op: str, summary: str, returns, page_size: int, list_page):
    """GET /me/<what>: a page of what the caller (or the company of `?for=`) holds,
    newest first."""
    def view(caller):
        request = bp.current_request
        return list_page(caller,
                         limit=http.int_param(request, "limit", page_size, 1, 100),
                         cursor=http.query_param(request, "cursor"),
                         for_company=http.query_param(request, "for"))
    view.__name__ = list_page.__name__  # the name Chalice registers the view by
    return http.route(bp, "GET", path, op=op, summary=summary, tag="me", returns=returns,
                      errors=(403,), query=(FOR_COMPANY, http.limit_query(page_size),
                                            http.CURSOR_QUERY))(view)


my_cases = _holders_page(
    "/me/cases", "listMyCases",
    "my cases (an applicant's, by the ID number of its token), newest first",
    models.MyCases, 20, me_service.my_cases)
def _in_the_library(list_page):
    """`list_page` given the license library the composition root built (wiring.py)."""
    @functools.wraps(list_page)
    def listed(caller, **page):
        return list_page(wiring.stores().licenses, caller, **page)
    return listed


my_licenses = _holders_page(
    "/me/licenses", "listMyLicenses",
    "the licenses I hold (or a company I am an agent of), newest first, with their status",
    models.MyLicenses, 20, _in_the_library(me_service.my_licenses))
my_materials = _holders_page(
    "/me/materials", "listMyMaterials",
    "my materials (我的材料), or a company's I am an agent of, newest first",
    models.MyMaterials, 20, materials.mine)
my_access_log = _holders_page(
    "/me/access-log", "listMyAccessLog",
    "who viewed, verified or used my licenses and data, for what, when (用证记录), "
    "newest first", models.AccessLog, 50, me_service.my_access_log)


@http.route(bp, "GET", "/me/notifications", op="listMyNotifications",
            summary="my in-app notifications (a department's staff: the department's), "
                    "newest first", tag="me", returns=models.NotificationPage,
            query=(("unread", {"type": "string", "enum": ["true", "false"]}, False,
                    "only those not read yet"), http.limit_query(20), http.CURSOR_QUERY))
def my_notifications(caller):
    request = bp.current_request
    unread = http.query_param(request, "unread")
    if unread not in (None, "true", "false"):
        raise ValidationError("unread must be true or false", field="unread")
    return notices.my_notifications(caller, unread=unread == "true",
                                    limit=http.int_param(request, "limit", 20, 1, 100),
                                    cursor=http.query_param(request, "cursor"))


@http.route(bp, "POST", "/me/notifications/{notification_id}/read", op="readNotification",
            summary="mark one of my notifications read", tag="me",
            returns=models.Notification, errors=(404,))
def read_notification(notification_id, caller):
    return notices.mark_read(caller, notification_id)


@http.route(bp, "GET", "/me/notification-preferences", op="getNotificationPreferences",
            summary="the channels my notifications go out on", tag="me",
            returns=models.NotificationPreferences)
def notification_preferences(caller):
    return notices.preferences(caller)


@http.route(bp, "PUT", "/me/notification-preferences", op="setNotificationPreferences",
            summary="choose the channels my notifications go out on (in-app always)",
            tag="me", returns=models.NotificationPreferences,
            body=models.NotificationChoice)
def set_notification_preferences(caller, document):
    return notices.set_preferences(caller, document)
