"""The case file: a case with its timeline and tasks, as the use cases read and change it.

`CaseFiles` is the seam between the use cases and storage. A use case reads the case and
its tasks, works out what changes on which conditions as typed values
(chalicelib/domain/changes.py) and hands them to `commit`; it never builds a storage
expression. The DynamoDB implementation is chalicelib/adapters/case_files.py; the
in-memory fake, with the same version and condition semantics, tests/fakes/case_files.py.
The composition root (chalicelib/wiring.py) builds the one the handlers pass in.

What a commit promises, whatever the implementation:
- one change is one conditional write; several are one transaction, all or nothing;
- a change is made only to a record that exists, and only while every condition in its
  `expect` holds; a change that names the case's `version` holds only while the case is
  still at that version;
- every change to the case record bumps its version, named or not: the workflow's own
  writes (`ADD version 1`) and every other writer of the case see each other's;
- a condition that does not hold raises `ConditionFailed` (nothing was written): the use
  case answers the conflict (409) it means.

A new case is written with its markers (domain/case_file.py's MARKERS: the open
application it is, the Idempotency-Key it was made with) in one commit; `get_marker` reads
them back, and a `Change` of a marker is made as of any record.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol

from ..domain.case_file import META, CaseFile, case_key, task_key
from ..domain.changes import Change, Create

if TYPE_CHECKING:
    from ..adapters.models import CaseRecord, TaskRecord

__all__ = ["META", "CaseFile", "CaseFiles", "case_key", "task_key"]


class CaseFiles(Protocol):
    """Where case files are kept (see the module's docstring for what a commit means)."""

    def get(self, case_no: str, *, consistent: bool = False) -> CaseRecord | None:
        """The case record alone; None if there is no such case."""
        ...

    def load(self, case_no: str, *, consistent: bool = False) -> CaseFile | None:
        """The case with its timeline and tasks in one read; None if there is no case."""
        ...

    def get_task(self, task_id: str, *, consistent: bool = False) -> TaskRecord | None:
        """One task; None if its case has no such task. `consistent`: as last written
        (what a use case that lost a race reads to say what happened meanwhile)."""
        ...

    def get_with_task(self, task_id: str) -> tuple[CaseRecord | None, TaskRecord | None]:
        """A task and its case as they were at one moment, in one read (what a decision
        reads: never the task as decided and its case not yet moved, nor the other way
        round); None for either that is not there."""
        ...

    def get_marker(self, key: tuple[str, str], *, consistent: bool = False) -> Any | None:
        """A marker written with a new case (an `OpenApplication`, an
        `IdempotencyRecord`) by its key; None if there is none. A key that is not a
        marker's is a mistake (ValueError)."""
        ...

    def create(self, create: Create) -> None:
        """Write a new record; `ConditionFailed` if one has its key already."""
        ...

    def commit(self, changes: Sequence[Change | Create]) -> None:
        """Make every change, or none: `ConditionFailed` when a condition (or a version)
        does not hold."""
        ...
