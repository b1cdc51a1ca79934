"""The case timeline, built from the cases table's stream.

Every status change of a case record and every task decision becomes one timeline event.
The event's sort key is derived from the change itself (time + case version, or time +
task id), and it is written only if absent, so a redelivered stream record never adds a
second event.
"""
from datetime import date, datetime, timezone

from ..adapters.models import TimelineEvent, put_if_absent
from ..domain.lifecycle import Status
from . import clock
from .tasks import task_decided

CONCLUDED = {Status.APPROVED: "approved",
             Status.APPROVED_PENDING_MATERIALS: "approved_pending_materials",
             Status.DENIED: "denied"}
NOT_ACCEPTED = (Status.NOT_ACCEPTED, Status.REFUSED)


def _moment(value: str) -> datetime:
    """A timestamp of any writer (Step Functions writes `…Z`), as an aware datetime."""
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def utc_timestamp(value: str) -> str:
    """One sortable form for every writer's timestamps (Step Functions writes `…Z` with
    milliseconds, Python `+00:00` with microseconds): `YYYY-MM-DDTHH:MM:SS.ffffffZ`."""
    return _moment(value).astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _status_changed(old: dict | None, new: dict) -> bool:
    return new.get("rt") == "case" and not (old and old.get("status") == new.get("status"))


def _event_for(old: dict | None, new: dict | None) -> TimelineEvent | None:
    if not new:
        return None
    if _status_changed(old, new):
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


def metrics_of(old: dict | None, new: dict | None) -> list[tuple]:
    """The metrics (name, value, unit, dimensions) the timeline event of a change stands
    for: cases received / accepted / not accepted / concluded, and for a decision its
    latency and whether it came after the deadline (a day in office time)."""
    if not new:
        return []
    if _status_changed(old, new):
        status = int(new["status"])
        if status == Status.RECEIVED:
            return [("CasesReceived", 1, "Count", {"channel": new.get("appliedVia", "api")})]
        if status == Status.ACCEPTED:
            return [("CasesAccepted", 1, "Count", {})]
        if status in NOT_ACCEPTED:
            return [("CasesNotAccepted", 1, "Count", {})]
        if status in CONCLUDED:
            return [("CasesConcluded", 1, "Count", {"outcome": CONCLUDED[status]})]
        return []
    if not task_decided(old, new):
        return []
    dept = {"dept": new.get("dept", "unknown")}
    found = []
    created, decided = new.get("createdAt"), new.get("decidedAt")
    if created and decided:
        seconds = (_moment(decided) - _moment(created)).total_seconds()
        found.append(("DecisionLatency", round(max(seconds, 0.0), 3), "Seconds", dept))
    deadline = new.get("deadline")
    if deadline and decided and \
            clock.local_date(_moment(decided)) > date.fromisoformat(deadline):
        found.append(("OverdueDecisions", 1, "Count", dept))
    return found
