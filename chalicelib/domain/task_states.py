"""A task's state and the transitions between them (beside the case's, lifecycle.py).

A task is what the workflow waits on: the counter's acceptance, a department's review.
The states are stored as their strings (a StrEnum: `task.state == TaskState.OPEN` holds of
the stored "open", and a write condition or a stream image compares as it always did).

    (recorded) -> open | upcoming | cancelled
    upcoming   -> open (the stages before it decided) | cancelled
    open       -> supplement | special | decided | cancelled
    supplement -> open (the applicant supplied) | cancelled
    special    -> open (the procedure ended) | cancelled
    decided, cancelled: final
"""
from enum import StrEnum
from typing import Any, Literal

from .errors import Conflict


class TaskState(StrEnum):
    UPCOMING = "upcoming"      # a later stage's review, out of the inbox until its turn
    OPEN = "open"              # in its department's inbox, to be decided
    SUPPLEMENT = "supplement"  # waits on the applicant's supplement (the clock stopped)
    SPECIAL = "special"        # in a special procedure (the clock stopped)
    DECIDED = "decided"
    CANCELLED = "cancelled"    # its case closed (withdrawn, revoked, a vetoing denial)


# The states as the contract lists them (tests/unit/test_task_states.py keeps them the
# enum's): a static type for the contract's models.
Name = Literal["upcoming", "open", "supplement", "special", "decided", "cancelled"]

T = TaskState
# What a new task is recorded as: open, or upcoming for a stage after the first, or
# cancelled when its case closed while the workflow's message travelled.
RECORDED_AS = frozenset({T.OPEN, T.UPCOMING, T.CANCELLED})
TRANSITIONS: dict[TaskState, frozenset[TaskState]] = {
    T.UPCOMING: frozenset({T.OPEN, T.CANCELLED}),
    T.OPEN: frozenset({T.SUPPLEMENT, T.SPECIAL, T.DECIDED, T.CANCELLED}),
    T.SUPPLEMENT: frozenset({T.OPEN, T.CANCELLED}),
    T.SPECIAL: frozenset({T.OPEN, T.CANCELLED}),
}
FINAL = tuple(state for state in TaskState if not TRANSITIONS.get(state))
# Not final yet: what a closing case cancels and what still holds a case open (in a
# fixed order: a write's condition reads the same every time).
ACTIVE = tuple(TRANSITIONS)
# Where the department sees it (its inbox) and may claim it; the inbox's `state` filter.
IN_INBOX = (T.OPEN, T.SUPPLEMENT, T.SPECIAL)
# Waiting on someone outside the department: the case's clock stands.
PAUSED = frozenset({T.SUPPLEMENT, T.SPECIAL})


def can_become(current: str, target: str) -> bool:
    return TaskState(target) in TRANSITIONS.get(TaskState(current), frozenset())


def allowed_from(target: str) -> frozenset[TaskState]:
    """The states from which a task may become `target` (a write's condition)."""
    return frozenset(src for src, targets in TRANSITIONS.items() if TaskState(target) in targets)


def check_transition(current: str, target: str) -> TaskState:
    """`target`, when a task in `current` may become it; else a Conflict naming both."""
    if not can_become(current, target):
        raise Conflict(f"a {current} task cannot become {target}",
                       code="illegal_transition", field="state")
    return TaskState(target)


def became(old: dict[str, Any] | None, new: dict[str, Any] | None, target: str) -> bool:
    """Whether a change of a recorded task (its stream images) made it `target`."""
    if not old or not new:
        return False
    return bool(old.get("state") != target and new.get("state") == target)


def decided_in(old: dict[str, Any] | None, new: dict[str, Any] | None) -> bool:
    """Whether a change of the cases table (stream images) is a task being decided."""
    return bool(new and new.get("rt") == "task") and became(old, new, TaskState.DECIDED)
