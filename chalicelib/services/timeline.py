"""The case timeline, built from the cases table's stream.

Every status change of a case record and every task decision becomes one timeline event.
The event's sort key is derived from the change itself (time + case version, or time +
task id), and it is written only if absent, so a redelivered stream record never adds a
second event.
"""
from datetime import datetime, timezone

from ..adapters.models import TimelineEvent, put_if_absent
from .tasks import task_decided


def utc_timestamp(value: str) -> str:
    """One sortable form for every writer's timestamps (Step Functions writes `…Z` with
    milliseconds, Python `+00:00` with microseconds): `YYYY-MM-DDTHH:MM:SS.ffffffZ`."""
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _event_for(old: dict | None, new: dict | None) -> TimelineEvent | None:
    if not new:
        return None
    kind = new.get("rt")
    if kind == "case":
        if old and old.get("status") == new.get("status"):
            return None
        version = int(new.get("version", 0))
        at = utc_timestamp(new["updatedAt"])
        return TimelineEvent(
            new["pk"], f"EV#{at}#v{version:05d}", at=at,
            action="status", status=int(new["status"]),
            fromStatus=int(old["status"]) if old else None,
            actor=new.get("actor", "system"), actorRole=new.get("actorRole", "system"),
            channel=new.get("channel", "system"), opinion=new.get("opinion"))
    if task_decided(old, new):
        at = utc_timestamp(new["decidedAt"])
        return TimelineEvent(
            new["pk"], f"EV#{at}#{new['taskId']}", at=at,
            action="decision", actor=new.get("decidedBy"), actorRole=new.get("decidedRole"),
            channel=new.get("decidedVia", "api"), opinion=new.get("opinion"),
            taskId=new["taskId"], decision=new.get("decision"), dept=new.get("dept"))
    return None


def record_change(old: dict | None, new: dict | None) -> bool:
    """Turn one change of the cases table into a timeline event; True if one was added."""
    event = _event_for(old, new)
    if event is None:
        return False
    return put_if_absent(event)
