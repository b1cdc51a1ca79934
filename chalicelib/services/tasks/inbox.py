"""A department's inbox: its tasks still to be done, soonest deadline first, with filters,
and the page's ETag."""
import hashlib
import json
from datetime import timedelta

from ...adapters.models import TaskRecord, all_of
from ...domain import identity, worktime
from ...domain.errors import UnprocessableEntity, ValidationError
from ...domain.task_states import IN_INBOX
from .. import roster
from ..cases import task_view
from ..pagination import decode_cursor, encode_cursor


def _due(value: str | None, name: str) -> str | None:
    """A deadline bound as the inbox index stores deadlines (UTC, to the second), rounded
    up: `deadline >= bound` holds of a stored one exactly when it holds of the bound."""
    if value is None:
        return None
    try:
        moment = worktime.parse(value)
        if moment.microsecond:
            moment = moment.replace(microsecond=0) + timedelta(seconds=1)
        return worktime.utc_text(moment)
    except (ValueError, OverflowError):  # not a moment, or one UTC cannot hold (year 1 + 8h)
        raise ValidationError(f"{name} must be a timestamp, ISO 8601 with offset",
                              field=name) from None


def _deadline_range(after: str | None, before: str | None):
    """The inbox index's key condition on deadlines: at or after `after`, before
    `before` (both in the stored form)."""
    if after is not None and before is not None:
        if after >= before:
            raise UnprocessableEntity("dueAfter must be before dueBefore", field="dueAfter")
        last = worktime.utc_text(worktime.parse(before) - timedelta(seconds=1))
        return TaskRecord.deadline.between(after, last)
    if after is not None:
        return TaskRecord.deadline >= after
    if before is not None:
        return TaskRecord.deadline < before
    return None


def inbox(principal: identity.Principal | None, dept: str | None, *, state: str | None = None,
          item: str | None = None, overdue: bool | None = None, mine: bool = False,
          limit: int = 50, cursor: str | None = None, due_after: str | None = None,
          due_before: str | None = None) -> tuple[dict, str]:
    """A department's tasks still to be done, soonest deadline first, with filters
    (deadlines `due_after` ≤ deadline < `due_before`: a dashboard's bucket, days_left);
    and the page's ETag (inbox_etag)."""
    principal = identity.require_role(principal, *identity.STAFF)
    dept = identity.department_read(principal, dept)
    if dept == principal.dept:
        roster.saw(principal)
    if state is not None and state not in IN_INBOX:
        raise ValidationError(f"state must be one of {', '.join(IN_INBOX)}", field="state")
    deadlines = _deadline_range(_due(due_after, "dueAfter"), _due(due_before, "dueBefore"))
    condition = all_of((TaskRecord.state == state) if state else None,
                       (TaskRecord.itemCode == item) if item else None,
                       None if overdue is None else TaskRecord.overdue.exists() if overdue
                       else TaskRecord.overdue.does_not_exist(),
                       (TaskRecord.claimedBy == principal.sub) if mine else None)
    page = TaskRecord.inbox.query(dept, deadlines, filter_condition=condition, limit=limit,
                                  last_evaluated_key=decode_cursor(cursor, f"tasks/{dept}"))
    records = list(page)
    answer = {"dept": dept, "tasks": [task_view(task) for task in records],
              "next": encode_cursor(page.last_evaluated_key, f"tasks/{dept}")}
    return answer, inbox_etag(principal.sub, [dept, state, item, overdue, mine, limit, cursor,
                                              due_after, due_before], records, answer["next"])


def inbox_etag(sub: str, asked: list, records: list[TaskRecord], following: str | None) -> str:
    """The ETag of one page of an inbox as one caller asked for it: every stored attribute
    of every task on it (a claim, a decision, a new deadline or a sweep's mark, even one the
    view leaves out, changes it), the next page's cursor, and who asked with which filters
    — another caller's or another filter's page never shares it (a poller's 304 means "the
    page you hold is still the page")."""
    digest = hashlib.sha256(json.dumps(
        [sub, asked, following, [task.serialize() for task in records]],
        sort_keys=True, default=str, ensure_ascii=False).encode())
    return f'"{digest.hexdigest()[:32]}"'
