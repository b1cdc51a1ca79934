"""The case timeline, built from the cases table's stream.

Every status change of a case record and every task decision becomes one timeline event.
The event's sort key is derived from the change itself (time + case version, or time +
task id), and it is written only if absent, so a redelivered stream record never adds a
second event.
"""
from pynamodb.exceptions import PutError

from ..adapters.models import TimelineEvent


def _event_for(old: dict | None, new: dict | None) -> TimelineEvent | None:
    if not new:
        return None
    kind = new.get("rt")
    if kind == "case":
        if old and old.get("status") == new.get("status"):
            return None
        version = int(new.get("version", 0))
        return TimelineEvent(
            new["pk"], f"EV#{new['updatedAt']}#v{version:05d}", at=new["updatedAt"],
            action="status", status=int(new["status"]),
            fromStatus=int(old["status"]) if old else None,
            actor=new.get("actor", "system"), actorRole=new.get("actorRole", "system"),
            channel=new.get("channel", "system"), opinion=new.get("opinion"))
    if kind == "task" and old and old.get("state") == "open" and new.get("state") == "decided":
        return TimelineEvent(
            new["pk"], f"EV#{new['decidedAt']}#{new['taskId']}", at=new["decidedAt"],
            action="decision", actor=new.get("decidedBy"), actorRole=new.get("decidedRole"),
            channel=new.get("decidedVia", "api"), opinion=new.get("opinion"),
            taskId=new["taskId"], decision=new.get("decision"), dept=new.get("dept"))
    return None


def record_change(old: dict | None, new: dict | None) -> bool:
    """Turn one change of the cases table into a timeline event; True if one was added."""
    event = _event_for(old, new)
    if event is None:
        return False
    try:
        event.save(condition=TimelineEvent.pk.does_not_exist())
    except PutError as exc:
        if exc.cause_response_code == "ConditionalCheckFailedException":
            return False
        raise
    return True
