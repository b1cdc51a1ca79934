"""Records in memory, changed by typed changes as DynamoDB changes them: the store every
fake repository (case files, license library, supervision store, catalogue items) builds
on, as every DynamoDB repository writes through chalicelib/adapters/typed_changes.py.

Records are the PynamoDB model instances the views read, kept by key and copied in and
out (a use case changing the instance it read changes nothing stored, as in DynamoDB).
Conditions and versions are checked by domain/changes.py's `check`, changes made by its
`applied`; a commit checks every change before making any (all or nothing) and refuses
what the DynamoDB translator refuses:
- a record written twice in one commit (DynamoDB refuses two writes of one item in a
  transaction);
- a version named for a record that has none;
- a versioned record changed without its version, unless the repository lets every change
  bump it (`unnamed_version_bumps`, the case files: the case record).
A new versioned record is stored at version 1, as PynamoDB's first save leaves it.
"""
from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from typing import Any

from chalicelib.domain.changes import Change, ConditionFailed, Create, applied, check


def _versioned(record: Any) -> bool:
    return getattr(type(record), "_version_attribute_name", None) is not None


def _first_stored(record: Any) -> Any:
    """A copy of a new record as its first write leaves it."""
    stored = copy.deepcopy(record)
    if _versioned(stored) and stored.version is None:
        stored.version = 1
    return stored


class RecordStore:
    def __init__(self, *, unnamed_version_bumps: bool = False):
        self.records: dict[tuple[str, str], Any] = {}
        # Every commit made, in order: a test sees what a use case wrote, and how (one
        # change, or one transaction of several).
        self.commits: list[list[Change | Create]] = []
        # Another writer's work, done just before the next commit is checked: the race a
        # use case loses between its read and its write.
        self.meanwhile: list[Callable[[], None]] = []
        self._unnamed_version_bumps = unnamed_version_bumps

    def keep(self, key: tuple[str, str], record: Any) -> Any:
        """Store a record as it is (no condition), as a test's given state; a new
        versioned one is at version 1 afterwards, as PynamoDB's save leaves the instance."""
        if _versioned(record) and record.version is None:
            record.version = 1
        self.records[key] = copy.deepcopy(record)
        return record

    def stored(self, key: tuple[str, str]) -> Any | None:
        """A record as stored now (a copy; None: no such record)."""
        return copy.deepcopy(self.records.get(key))

    def commit(self, changes: Sequence[Change | Create]) -> None:
        if not changes:
            return
        if self.meanwhile:
            self.meanwhile.pop(0)()
        written: dict[tuple[str, str], Any] = {}
        for change in changes:
            if change.key in written:
                raise ValueError(f"{change.key} written twice in one commit")
            written[change.key] = self._written(change)
        self.records.update(written)
        self.commits.append(list(changes))

    def _written(self, change: Change | Create) -> Any:
        """The record as `change` leaves it, or ConditionFailed."""
        current = self.records.get(change.key)
        if isinstance(change, Create):
            if current is not None:
                raise ConditionFailed(change.key, "exists already")
            return _first_stored(change.record)
        if current is not None:
            if change.version is not None and not _versioned(current):
                raise ValueError(f"{change.key} has no version to check")
            if change.version is None and _versioned(current) \
                    and not self._unnamed_version_bumps:
                raise ValueError(f"{change.key} is versioned: change it with its version")
        check(current, change)
        record = applied(current, change)
        if _versioned(record) and change.version is None:
            record.version = (current.version or 0) + 1
        return record
