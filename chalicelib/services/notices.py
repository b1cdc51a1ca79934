"""Notifications (消息通知): each lifecycle event that matters to a person becomes one
notification per recipient, exactly once, kept in their in-app inbox and published on the
notifications topic for the channels they chose (SMS, mini-program, e-mail).

Once: a notification's id is derived from the event and the recipient, so a redelivered
event finds it. Publishing is claimed first, by the delivering queue message (a lease of a
minute): deliveries of other messages at once leave it to the claimant; a publish that
fails releases the claim and fails the delivery, so the queue delivers that message again
(and, after repeated failures, to its dead-letter queue); the same message delivered again
is the claimant and publishes at once, even after a delivery that died between claim and
publish. Subscribers drop a repeat by `notificationId`. Every text is masked
(ID and phone numbers) before it is stored or sent.
"""
import hashlib
import logging
import uuid
from datetime import timedelta
from functools import cache
from pathlib import Path
from string import Template

from .. import config
from ..adapters import notifier
from ..adapters.models import (
    CaseRecord,
    NotificationPrefs,
    NotificationRecord,
    put_if_absent,
    update_if,
)
from ..domain import identity, notices, ratings, worktime
from ..domain.errors import NotFound, UnprocessableEntity
from ..domain.masking import mask_text
from . import clock, timeline
from .cases import META
from .catalogue import departments
from .pagination import decode_cursor, encode_cursor

log = logging.getLogger("onewindow")

TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "notifications"
KEEP_DAYS = 400
LEASE = timedelta(minutes=1)
EVENT_PREFIX = timeline.DETAIL_TYPE.format("")  # onewindow.case.
PREFS = "PREFS"  # the sort key of a recipient's preferences


@cache
def template(name: str) -> Template:
    return Template((TEMPLATES / f"{name}.txt").read_text("utf-8").strip())


def notification_id(at: str, event_id: str, recipient: str) -> str:
    """Sortable by time, the same for the same event and recipient, safe in a URL."""
    moment = worktime.parse(at).strftime("%Y%m%dT%H%M%S%fZ")
    digest = hashlib.sha256(f"{event_id}|{recipient}".encode()).hexdigest()[:16]
    return f"{moment}-{digest}"


# A department's inbox takes a notification for every new task of the department (every
# application's acceptance, for the counter's): its notifications are spread over SPREAD
# partitions (`dept:ZWFW#0` … `#7`, by the notification's id) and read merged, newest
# first — 3 writes of each, on eight keys, not one (docs/capacity.md).
SPREAD = 8


def _partitions(key: str) -> list[str]:
    """Where an inbox's notifications are stored."""
    return [f"{key}#{part}" for part in range(SPREAD)] if key.startswith("dept:") else [key]


def _read_from(key: str) -> list[str]:
    """Where an inbox's notifications are read from: its partitions, and a department's
    own key, where its notifications were stored before they were spread."""
    found = _partitions(key)
    return found if found == [key] else [*found, key]


def _partition(key: str, note_id: str) -> str:
    """The partition one notification of an inbox is stored in."""
    found = _partitions(key)
    return found[int(note_id.rsplit("-", 1)[1], 16) % len(found)]


def deliver(envelope: dict, delivery: str | None = None) -> int:
    """The notifications one lifecycle event (as EventBridge delivers it) becomes; how
    many were published now. `delivery` names the queue message delivering it (the same
    on every delivery of that message): its claims are its own to publish."""
    delivery = delivery or uuid.uuid4().hex
    detail = envelope["detail"]
    kind = envelope["detail-type"].removeprefix(EVENT_PREFIX)
    wanted = notices.notices_for(kind, detail)
    if not wanted:
        return 0
    case = CaseRecord.get(detail["caseNo"], META)
    values = _values(case, detail)
    sent = 0
    for notice in wanted:
        for recipient in _recipients(notice, case):
            sent += _send(recipient, notice, kind, values, detail, delivery)
    return sent


def _local(moment: str | None) -> str:
    if not moment:
        return ""
    return worktime.parse(moment).astimezone(clock.zone()).strftime("%Y-%m-%d %H:%M")


def _values(case: CaseRecord, detail: dict) -> dict:
    materials = (case.supplement or {}).get("materials") or []
    license_line = f"电子证照编号 {case.licenseId}，可在“我的证照”中查看和出示。" \
        if case.licenseId and detail.get("status") in (11, 12) else ""
    return {"caseNo": case.pk, "itemName": case.itemName, "promisedBy": case.promisedBy,
            "opinion": detail.get("opinion") or case.opinion or "",
            "materials": "、".join(m if isinstance(m, str) else m.get("name", "")
                                  for m in materials),
            "licenseLine": license_line, "dept": _department_name(detail.get("dept")),
            "taskKind": notices.TASK_KINDS.get(detail.get("kind"), ""),
            "deadline": _local(detail.get("deadline")),
            "scopeName": notices.SCOPE_NAMES.get(detail.get("scope"), ""),
            "dueAt": _local(detail.get("dueAt")),
            "levelName": notices.LEVEL_NAMES.get(detail.get("level"))
            or ratings.LEVELS.get(detail.get("level"), ""),
            "callbackDue": _local(detail.get("callbackDue")),
            "rectifyDue": _local(detail.get("rectifyDue")),
            "decisionName": notices.DECISIONS.get(detail.get("decision"), ""),
            "deadlineName": notices.DEADLINES.get(detail.get("missed"), "")}


def _department_name(code: str | None) -> str:
    """A department as people know it (深圳市市场监督管理局), not by its code; the code
    only if the registry does not know it."""
    if not code:
        return ""
    return departments().get(code, {}).get("name") or code


def _recipients(notice: notices.Notice, case: CaseRecord) -> list[str]:
    """Inbox keys: a signed-in applicant or agent by subject (a counter applicant who
    never signed in by the keyed hash of the ID number), a department, the operators."""
    if notice.audience == notices.APPLICANT:
        found = [f"sub:{case.applicant.sub}" if case.applicant.sub else f"owner:{case.owner}"]
        if case.agent and case.agent.get("sub"):
            found.append(f"sub:{case.agent['sub']}")
        return found
    if notice.audience == notices.DEPARTMENT:
        return [f"dept:{notice.dept}"]
    return ["ops"]


def _preferred(recipient: str) -> list[str] | None:
    try:
        return list(NotificationPrefs.get(recipient, PREFS).channels)
    except NotificationPrefs.DoesNotExist:
        return None


def _send(recipient: str, notice: notices.Notice, kind: str, values: dict,
          detail: dict, delivery: str) -> int:
    note_id = notification_id(detail["at"], detail["eventId"], recipient)
    now = clock.now()
    record = NotificationRecord(
        _partition(recipient, note_id), note_id, caseNo=detail["caseNo"],
        template=notice.template, event=kind,
        eventId=detail["eventId"], text=mask_text(template(notice.template)
                                                  .safe_substitute(values)),
        channels=notices.channels_for(notice.audience, _preferred(recipient)),
        audience=notice.audience, createdAt=worktime.utc_precise_text(now),
        expiresAt=int((now + timedelta(days=KEEP_DAYS)).timestamp()))
    if not put_if_absent(record):
        record = NotificationRecord.get(record.recipient, note_id, consistent_read=True)
        if record.sentAt:
            return 0  # published by an earlier delivery
    if not _claim(record, now, delivery):
        return 0  # another delivery is publishing it
    try:
        notifier.publish(config.get().notifications_topic_arn, {
            "type": f"notification.{record.template}", "notificationId": note_id,
            "recipient": recipient, "caseNo": record.caseNo, "event": kind,
            "text": record.text, "channels": list(record.channels)},
            channels=list(record.channels), audience=record.audience)
    except Exception:
        _release(record, delivery)
        raise
    record.update(actions=[NotificationRecord.sentAt.set(worktime.utc_precise_text(
        clock.now()))])
    return 1


def _claim(record: NotificationRecord, now, delivery: str) -> bool:
    """Claim the publishing for `delivery`: unclaimed, its lease run out, or claimed by
    this same delivery before (a retry of the message that claimed it)."""
    stale = worktime.utc_precise_text(now - LEASE)
    return update_if(record, [NotificationRecord.claimedAt.set(worktime.utc_precise_text(now)),
                              NotificationRecord.claimedBy.set(delivery)],
                     NotificationRecord.sentAt.does_not_exist()
                     & (NotificationRecord.claimedAt.does_not_exist()
                        | (NotificationRecord.claimedAt < stale)
                        | (NotificationRecord.claimedBy == delivery)))


def _release(record: NotificationRecord, delivery: str) -> None:
    """Give the claim back after a failed publish, if it is still this delivery's: the
    next delivery of any message publishes at once instead of waiting out the lease."""
    update_if(record, [NotificationRecord.claimedAt.remove(),
                       NotificationRecord.claimedBy.remove()],
              NotificationRecord.sentAt.does_not_exist()
              & (NotificationRecord.claimedBy == delivery))


# -- the in-app inbox (GET /me/notifications) -----------------------------------------------

def inbox_key(principal: identity.Principal) -> str:
    """Whose notifications a caller reads: a department's staff their department's,
    supervisors and admins the operators', anyone else their own."""
    if principal.role in (identity.CLERK, identity.REVIEWER) and principal.dept:
        return f"dept:{principal.dept}"
    if principal.role in identity.READS_EVERY_CASE:
        return "ops"
    return f"sub:{principal.sub}"


def view(record: NotificationRecord) -> dict:
    found = {"id": record.id, "caseNo": record.caseNo, "type": record.template,
             "event": record.event, "text": record.text, "channels": list(record.channels),
             "createdAt": record.createdAt, "read": record.readAt is not None,
             "readAt": record.readAt}
    return {k: v for k, v in found.items() if v is not None}


def my_notifications(principal: identity.Principal | None, *, unread: bool = False,
                     limit: int = 20, cursor: str | None = None) -> dict:
    """The caller's inbox, newest first, paged: its partitions' pages merged."""
    principal = identity.require(principal)
    key = inbox_key(principal)
    listing = f"notifications/{key}"
    before = (decode_cursor(cursor, listing) or {}).get("before", PREFS)
    if not isinstance(before, str):
        raise UnprocessableEntity("cursor is not one this listing returned", field="cursor",
                                  code="invalid_cursor")
    found, horizon = [], None
    for partition in _read_from(key):
        page = NotificationRecord.query(
            partition, NotificationRecord.id < before, scan_index_forward=False,
            limit=limit, filter_condition=NotificationRecord.readAt.does_not_exist()
            if unread else None)
        found += list(page)
        if page.last_evaluated_key:
            # This partition may hold more, older than where its page stopped: nothing
            # older than that is shown before the next page has read on. Every
            # partition has read all it holds at or above the newest such stop.
            stop = page.last_evaluated_key["id"]["S"]
            horizon = stop if horizon is None else max(horizon, stop)
    found.sort(key=lambda record: record.id, reverse=True)
    shown = [r for r in found if horizon is None or r.id >= horizon][:limit]
    # A full page goes on below its last; a short one showed everything at or above the
    # horizon, and goes on below it (or ends).
    after = shown[-1].id if len(shown) == limit else horizon
    return {"notifications": [view(record) for record in shown],
            "next": encode_cursor({"before": after} if after else None, listing)}


def mark_read(principal: identity.Principal | None, note_id: str) -> dict:
    """Mark one of the caller's notifications read (again: it stays as first read)."""
    principal = identity.require(principal)
    key = inbox_key(principal)
    try:
        if "-" not in note_id:
            raise NotificationRecord.DoesNotExist
        try:
            record = NotificationRecord.get(_partition(key, note_id), note_id)
        except NotificationRecord.DoesNotExist:
            record = NotificationRecord.get(key, note_id)   # stored before the spread
    except (NotificationRecord.DoesNotExist, ValueError):
        raise NotFound(f"no notification {note_id}", field="id") from None
    if record.readAt is None:
        # Read at once elsewhere: it stays as first read.
        update_if(record, [NotificationRecord.readAt.set(worktime.utc_precise_text(
            clock.now()))], NotificationRecord.readAt.does_not_exist())
        record.refresh(consistent_read=True)
    return view(record)


def set_preferences(principal: identity.Principal | None, body: dict) -> dict:
    """The channels the caller's notifications go out on (in-app always)."""
    principal = identity.require(principal)
    key = inbox_key(principal)
    channels = sorted(set(body["channels"]) | {"inapp"})
    NotificationPrefs(key, PREFS, channels=channels,
                      updatedAt=worktime.utc_precise_text(clock.now())).save()
    return {"channels": channels}


def preferences(principal: identity.Principal | None) -> dict:
    principal = identity.require(principal)
    key = inbox_key(principal)
    chosen = _preferred(key)
    audience = notices.APPLICANT if key.startswith("sub:") else \
        notices.DEPARTMENT if key.startswith("dept:") else notices.OPERATORS
    return {"channels": notices.channels_for(audience, chosen)}
