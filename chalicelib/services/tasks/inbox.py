"""A department's inbox: its tasks still to be done, soonest deadline first, with filters,
and the page's ETag."""
import hashlib
import json
from datetime import timedelta

from ...adapters.models import TaskRecord, all_of, update_if
from ...domain import identity, inbox_filters, worktime
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
    and the page's ETag (inbox_etag).

    A page is one bounded read whatever the inbox holds: of the inbox itself, or of the
    narrowest filter's own index (domain/inbox_filters.py) and then its tasks by key. The
    filters that read did not narrow by (a second filter, "not overdue") are applied to
    what it found, so such a page may hold fewer than `limit` tasks and still have a next
    one."""
    principal = identity.require_role(principal, *identity.STAFF)
    dept = identity.department_read(principal, dept)
    if dept == principal.dept:
        roster.saw(principal)
    if state is not None and state not in IN_INBOX:
        raise ValidationError(f"state must be one of {', '.join(IN_INBOX)}", field="state")
    deadlines = _deadline_range(_due(due_after, "dueAfter"), _due(due_before, "dueBefore"))
    mine_of = principal.sub if mine else None
    index = inbox_filters.index_for(dept, mine=mine_of, overdue=overdue, state=state,
                                    item=item)
    listing = f"tasks/{dept}" if index is None else f"tasks/{dept}/{index[0]}={index[1]}"
    start = decode_cursor(cursor, listing)
    if index is None:
        page = TaskRecord.inbox.query(dept, deadlines, limit=limit, last_evaluated_key=start)
        records = list(page)
    else:
        page = _FILTER_INDEXES[index[0]].query(index[1], deadlines, limit=limit,
                                               last_evaluated_key=start)
        records = _tasks_by_key([(entry.pk, entry.sk) for entry in page])
    # What was read as it is now (a task read by key may have moved on since the index
    # page), with every filter asked for.
    records = [task for task in records if task.dept == dept and task.state in IN_INBOX
               and state in (None, task.state) and item in (None, task.itemCode)
               and (not mine or task.claimedBy == mine_of)
               and (overdue is None or bool(task.overdue) == overdue)]
    answer = {"dept": dept, "tasks": [task_view(task) for task in records],
              "next": encode_cursor(page.last_evaluated_key, listing)}
    return answer, inbox_etag(principal.sub, [dept, state, item, overdue, mine, limit, cursor,
                                              due_after, due_before], records, answer["next"])


# Filter key attribute -> its index on the task records.
_FILTER_INDEXES = {"mineKey": TaskRecord.inbox_mine, "stateKey": TaskRecord.inbox_state,
                   "itemKey": TaskRecord.inbox_item, "overdueKey": TaskRecord.inbox_overdue}


def _tasks_by_key(keys: list[tuple[str, str]]) -> list[TaskRecord]:
    """The tasks an index page named, in its order, by one batch read (a page is at most
    100 tasks: one request); one decided and gone meanwhile is left out."""
    if not keys:
        return []
    found = {(task.pk, task.sk): task for task in TaskRecord.batch_get(keys)}
    return [found[key] for key in keys if key in found]


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


def reindex() -> dict[str, int]:
    """Every task in an inbox given the filter keys it should carry (`make reindex-inbox`:
    tasks written before the filters had indexes are not in them until then). Reads the
    inbox index once; writes only a task whose keys are not as they should be, and only
    while its state, claim and overdue mark are as read — a writer that changed one of
    those meanwhile set the keys itself. Safe to run again, and beside live traffic."""
    counts = {"tasks": 0, "indexed": 0}
    for task in TaskRecord.inbox.scan():
        counts["tasks"] += 1
        wanted = inbox_filters.keys_of(task)
        if all(getattr(task, name) == value for name, value in wanted.items()):
            continue
        actions = [getattr(TaskRecord, name).set(value) if value
                   else getattr(TaskRecord, name).remove() for name, value in wanted.items()]
        as_read = [TaskRecord.state == task.state]
        for name in ("claimedBy", "overdue"):
            value = getattr(task, name)
            attribute = getattr(TaskRecord, name)
            as_read.append(attribute == value if value else attribute.does_not_exist())
        counts["indexed"] += update_if(task, actions, all_of(*as_read))
    return counts
