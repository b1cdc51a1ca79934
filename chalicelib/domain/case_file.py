"""A case file: the case with every timeline event and task of it, as one read found them.

The records are whatever the store keeps (PynamoDB model instances today, in DynamoDB and
in the in-memory fake alike): the views that read them are the same either way.
"""
from __future__ import annotations

from typing import Any, NamedTuple

# The case record's sort key; a task's is `TASK#<task id>`, under its case's number.
META = "META"


def case_key(case_no: str) -> tuple[str, str]:
    return case_no, META


def task_key(task_id: str) -> tuple[str, str]:
    """A task's key: its case number is the task id's first part."""
    return task_id.split("-", 1)[0], f"TASK#{task_id}"


class CaseFile(NamedTuple):
    """The case, its timeline events and its tasks (events and tasks in key order)."""
    case: Any
    events: list[Any]
    tasks: list[Any]


# Records written with a new case, beside its file (under their own partition keys), by
# their sort keys: the marker of the one open case per identical application
# (services/open_applications.py) and the record of an Idempotency-Key's first use.
OPEN_APPLICATION = "OPEN"
IDEMPOTENCY = "IDEMP"
MARKERS = (OPEN_APPLICATION, IDEMPOTENCY)


def open_application_key(application_key: str) -> tuple[str, str]:
    """The marker of an application's open case: `application_key` is domain/lookup.py's
    keyed hash of its owner, item and form."""
    return f"OPEN#{application_key}", OPEN_APPLICATION


def idempotency_key(sub: str, key: str) -> tuple[str, str]:
    """The record of the Idempotency-Key `key` as the identity `sub` used it."""
    return f"IDEMP#{sub}#{key}", IDEMPOTENCY
