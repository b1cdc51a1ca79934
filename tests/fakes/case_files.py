"""Case files in memory: the `CaseFiles` of chalicelib/services/case_files.py with the
DynamoDB implementation's semantics (chalicelib/adapters/case_files.py), no AWS.

Records are the PynamoDB model instances the views read, kept by key and copied in and
out (a use case changing the instance it read changes nothing stored, as in DynamoDB).
Conditions and versions are checked by domain/changes.py's `check`, changes made by its
`applied`; a commit checks every change before making any (all or nothing), and every
change of a versioned record (the case) bumps its version, named or not.
"""
from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from typing import Any

from chalicelib.domain.case_file import MARKERS, META, CaseFile, task_key
from chalicelib.domain.changes import Change, ConditionFailed, Create, applied, check


def _versioned(record: Any) -> bool:
    return getattr(type(record), "_version_attribute_name", None) is not None


class FakeCaseFiles:
    def __init__(self, *records: Any):
        self.records: dict[tuple[str, str], Any] = {}
        # Every commit made, in order: a test sees what a use case wrote, and how (one
        # change, or one transaction of several).
        self.commits: list[list[Change | Create]] = []
        # Another writer's work, done just before the next commit is checked: the race a
        # use case loses between its read and its write.
        self.meanwhile: list[Callable[[], None]] = []
        for record in records:
            self.put(record)

    # -- test set-up --------------------------------------------------------------------

    def put(self, record: Any) -> Any:
        """Store a record as it is (no condition), as a test's given state."""
        if _versioned(record) and record.version is None:
            record.version = 1  # as a first save stores it
        self.records[(record.pk, record.sk)] = copy.deepcopy(record)
        return record

    def stored(self, key: tuple[str, str]) -> Any:
        """A record as stored now (a copy)."""
        return copy.deepcopy(self.records.get(key))

    # -- CaseFiles ----------------------------------------------------------------------

    def get(self, case_no: str, *, consistent: bool = False) -> Any | None:
        return self.stored((case_no, META))

    def load(self, case_no: str, *, consistent: bool = False) -> CaseFile | None:
        case = self.stored((case_no, META))
        if case is None:
            return None
        mine = sorted((key, record) for key, record in self.records.items()
                      if key[0] == case_no and key[1] != META)
        events = [copy.deepcopy(r) for key, r in mine if key[1].startswith("EV#")]
        tasks = [copy.deepcopy(r) for key, r in mine if key[1].startswith("TASK#")]
        return CaseFile(case, events, tasks)

    def get_task(self, task_id: str, *, consistent: bool = False) -> Any | None:
        return self.stored(task_key(task_id))

    def get_marker(self, key: tuple[str, str], *, consistent: bool = False) -> Any | None:
        if key[1] not in MARKERS:
            raise ValueError(f"{key} is not a marker's key")
        return self.stored(key)

    def create(self, create: Create) -> None:
        self.commit([create])

    def commit(self, changes: Sequence[Change | Create]) -> None:
        if not changes:
            return
        if self.meanwhile:
            self.meanwhile.pop(0)()
        written: dict[tuple[str, str], Any] = {}
        for change in changes:
            if change.key in written:
                # DynamoDB refuses two writes of one item in a transaction.
                raise ValueError(f"{change.key} written twice in one commit")
            current = self.records.get(change.key)
            if isinstance(change, Create):
                if current is not None:
                    raise ConditionFailed(change.key, "exists already")
                record = copy.deepcopy(change.record)
                if _versioned(record) and record.version is None:
                    record.version = 1
                written[change.key] = record
                continue
            check(current, change)
            record = applied(current, change)
            if _versioned(record) and change.version is None:
                record.version = (current.version or 0) + 1
            written[change.key] = record
        self.records.update(written)
        self.commits.append(list(changes))
