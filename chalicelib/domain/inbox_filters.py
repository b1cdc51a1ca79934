"""The inbox's filters as index keys: each filter a department's staff narrow their inbox
by (whose claim, which state, which item, overdue) is a sparse index of its own, so a
filtered page is one bounded read of the tasks that match — never the whole inbox read and
most of it thrown away.

A task in its department's inbox (open, waiting on a supplement or in a special procedure)
carries one key per filter it matches, `<dept>#<value>` (overdue: the department alone);
a task that leaves the inbox carries none. The state's index holds only the tasks that
wait (on a supplement, a special procedure): most of an inbox is open, so "open" reads the
inbox itself, and a task that goes from open to decided never writes that index.

The keys follow from the task's own attributes, so every write that changes those (its
state, its claim, the sweep's overdue mark) sets them again from the task as it will be:
`indexed` adds them to that write.
"""
from typing import Any

from .changes import Change, merged
from .task_states import IN_INBOX, PAUSED

# Index key attribute -> index name (adapters/models/cases.py).
INDEXES = {"mineKey": "inboxMine", "stateKey": "inboxState", "itemKey": "inboxItem",
           "overdueKey": "inboxOverdue"}
KEYS = tuple(INDEXES)
# Each key's own source: while a task stays in the inbox, a change rewrites only the keys
# whose source it changes (the item never changes).
SOURCE_OF = {"mineKey": "claimedBy", "stateKey": "state", "overdueKey": "overdue"}
SOURCES = frozenset(SOURCE_OF.values())


def filter_keys(dept: str, item: str, state: str | None, claimed_by: str | None,
                overdue: str | None) -> dict[str, str | None]:
    """Each filter's key for a task with these attributes (None: not in that index)."""
    if state not in IN_INBOX:
        return dict.fromkeys(KEYS)
    return {"mineKey": f"{dept}#{claimed_by}" if claimed_by else None,
            "stateKey": f"{dept}#{state}" if state in PAUSED else None,
            "itemKey": f"{dept}#{item}",
            "overdueKey": dept if overdue else None}


def keys_of(task: Any) -> dict[str, str | None]:
    """The filter keys a task (a record, or anything with its attributes) should carry."""
    return filter_keys(task.dept, task.itemCode, task.state, task.claimedBy, task.overdue)


def indexed(task: Any, change: Change) -> Change:
    """`change` of `task` (as read) with the filter keys it changes.

    A task entering the inbox gets every key it matches, and one leaving it loses all
    four (removing a key it never had is harmless, so a mark another writer made after the
    read never outlives the task's leaving). A task that stays in it has only the keys
    rewritten whose own source the change sets: a claim its `mineKey`, a wait its
    `stateKey`. A key whose source another writer changed after the read — the sweep's
    overdue mark beside a claim, a reassignment beside a supplement given — is that
    writer's to set, and stays as it set it. The writes that change the state hold it as
    read (a condition), so "entering" and "leaving" are what they seem. A change that
    touches neither state, claim nor overdue mark is returned as it is."""
    touched = SOURCES & (set(change.set) | change.remove)
    if not touched:
        return change
    after = {name: change.set.get(name, getattr(task, name, None)) for name in SOURCES}
    for name in change.remove & SOURCES:
        after[name] = None
    wanted = filter_keys(task.dept, task.itemCode, after["state"], after["claimedBy"],
                         after["overdue"])
    was_in, stays_in = task.state in IN_INBOX, after["state"] in IN_INBOX
    if was_in and stays_in:
        wanted = {key: value for key, value in wanted.items()
                  if SOURCE_OF.get(key) in touched}
    return merged(change, Change(
        change.key, set={k: v for k, v in wanted.items() if v is not None},
        remove=frozenset(k for k, v in wanted.items() if v is None)))


def index_for(dept: str, *, mine: str | None = None, overdue: bool | None = None,
              state: str | None = None, item: str | None = None) -> tuple[str, str] | None:
    """The index (and its key) a filtered inbox page is read from: the narrowest filter
    asked for — whose claim, then overdue, then a waiting state, then item. None: read the
    inbox itself (no filter, or only filters most tasks match: "open", "not overdue")."""
    if mine:
        return "mineKey", f"{dept}#{mine}"
    if overdue:
        return "overdueKey", dept
    if state in PAUSED:
        return "stateKey", f"{dept}#{state}"
    if item:
        return "itemKey", f"{dept}#{item}"
    return None
