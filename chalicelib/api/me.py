"""The caller: who they are, and an applicant's own cases."""
from chalice import Blueprint

from ..contract import models
from ..services import me as me_service
from ..services import notices
from ..domain.errors import ValidationError
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


FOR_COMPANY = ("for", {"type": "string", "maxLength": 18}, False,
               "a company (USCC) the caller is an authorised agent of")


@http.route(bp, "GET", "/me/licenses", op="listMyLicenses",
            summary="the licenses I hold (or a company I am an agent of), newest first, "
                    "with their status", tag="me", returns=models.MyLicenses, errors=(403,),
            query=(FOR_COMPANY, http.limit_query(20), http.CURSOR_QUERY))
def my_licenses():
    request = bp.current_request
    return me_service.my_licenses(http.principal(request),
                                  limit=http.int_param(request, "limit", 20, 1, 100),
                                  cursor=http.query_param(request, "cursor"),
                                  for_company=http.query_param(request, "for"))


@http.route(bp, "GET", "/me/access-log", op="listMyAccessLog",
            summary="who viewed, verified or used my licenses and data, for what, when "
                    "(用证记录), newest first", tag="me", returns=models.AccessLog,
            errors=(403,), query=(FOR_COMPANY, http.limit_query(50), http.CURSOR_QUERY))
def my_access_log():
    request = bp.current_request
    return me_service.my_access_log(http.principal(request),
                                    limit=http.int_param(request, "limit", 50, 1, 100),
                                    cursor=http.query_param(request, "cursor"),
                                    for_company=http.query_param(request, "for"))


@http.route(bp, "GET", "/me/notifications", op="listMyNotifications",
            summary="my in-app notifications (a department's staff: the department's), "
                    "newest first", tag="me", returns=models.NotificationPage,
            query=(("unread", {"type": "string", "enum": ["true", "false"]}, False,
                    "only those not read yet"), http.limit_query(20), http.CURSOR_QUERY))
def my_notifications():
    request = bp.current_request
    unread = http.query_param(request, "unread")
    if unread not in (None, "true", "false"):
        raise ValidationError("unread must be true or false", field="unread")
    return notices.my_notifications(http.principal(request), unread=unread == "true",
                                    limit=http.int_param(request, "limit", 20, 1, 100),
                                    cursor=http.query_param(request, "cursor"))


@http.route(bp, "POST", "/me/notifications/{notification_id}/read", op="readNotification",
            summary="mark one of my notifications read", tag="me",
            returns=models.Notification, errors=(404,))
def read_notification(notification_id):
    return notices.mark_read(http.principal(bp.current_request), notification_id)


@http.route(bp, "GET", "/me/notification-preferences", op="getNotificationPreferences",
            summary="the channels my notifications go out on", tag="me",
            returns=models.NotificationPreferences)
def notification_preferences():
    return notices.preferences(http.principal(bp.current_request))


@http.route(bp, "PUT", "/me/notification-preferences", op="setNotificationPreferences",
            summary="choose the channels my notifications go out on (in-app always)",
            tag="me", returns=models.NotificationPreferences,
            body=models.NotificationChoice)
def set_notification_preferences():
    request = bp.current_request
    return notices.set_preferences(http.principal(request),
                                   http.body(request, models.NotificationChoice))
