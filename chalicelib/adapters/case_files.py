"""Case files in DynamoDB: the `CaseFiles` of chalicelib/services/case_files.py over the
cases table's PynamoDB models.

Typed changes are written by adapters/typed_changes.py, as every repository's are; the
case record keeps PynamoDB's VersionAttribute semantics exactly: a change naming the
version read is conditioned on it, and every change of the case, naming it or not, adds
one to it (PynamoDB's own `ADD version 1`).
"""
from __future__ import annotations

import random
import time
from collections.abc import Sequence
from typing import Any

from pynamodb.exceptions import TransactGetError
from pynamodb.models import Model

from ..domain.case_file import IDEMPOTENCY, MARKERS, META, OPEN_APPLICATION, CaseFile, task_key
from ..domain.changes import Change, Create
from . import typed_changes
from .models import (
    CaseRecord,
    CasesTableRecord,
    IdempotencyRecord,
    OpenApplication,
    TaskRecord,
    TaskToken,
    TimelineEvent,
    cancellation_codes,
    get_or_none,
    transact_get,
)

# How many times a snapshot read of a task and its case is tried while transactions are
# writing them, before it is read as two reads.
SNAPSHOT_TRIES = 3
# Why DynamoDB refuses such a snapshot for the moment (not a fault of the request): a
# transaction writing one of the items, or throttling.
SNAPSHOT_REFUSALS = frozenset({"TransactionConflict", "ThrottlingError",
                               "ProvisionedThroughputExceeded"})
# The record types of a case file, by the prefix of their sort key.
RECORD_TYPES: tuple[tuple[str, type[Model]], ...] = (
    ("TASK#", TaskRecord), ("EV#", TimelineEvent), ("TOKEN#", TaskToken))
# The markers written with a new case, by their sort key (domain/case_file.py).
MARKER_TYPES: dict[str, type[Model]] = {OPEN_APPLICATION: OpenApplication,
                                        IDEMPOTENCY: IdempotencyRecord}


def _found(future) -> Any | None:
    """A transaction's read: the record, or None where there was none."""
    try:
        return future.get()
    except future._model_cls.DoesNotExist:
        return None


def model_of(key: tuple[str, str]) -> type[Model]:
    """The model of the record a key names."""
    if key[1] == META:
        return CaseRecord
    if key[1] in MARKER_TYPES:
        return MARKER_TYPES[key[1]]
    for prefix, model in RECORD_TYPES:
        if key[1].startswith(prefix):
            return model
    raise ValueError(f"no record type of a case file has the key {key}")


def case_partition(case_no: str, *, consistent: bool = False
                   ) -> tuple[CaseRecord | None, list[CasesTableRecord]]:
    """The case record and every other record of its partition (timeline, tasks, cards,
    ratings…): one Query. None for the case when there is no case record."""
    case, others = None, []
    for record in CasesTableRecord.query(case_no, consistent_read=consistent):
        if isinstance(record, CaseRecord):
            case = record
        else:
            others.append(record)
    return case, others


class DynamoCaseFiles:
    """`CaseFiles` in the cases table (the models bound by wiring.configure)."""

    def get(self, case_no: str, *, consistent: bool = False) -> CaseRecord | None:
        return get_or_none(CaseRecord, case_no, META, consistent=consistent)

    def load(self, case_no: str, *, consistent: bool = False) -> CaseFile | None:
        case, others = case_partition(case_no, consistent=consistent)
        if case is None:
            return None
        return CaseFile(case, [r for r in others if isinstance(r, TimelineEvent)],
                        [r for r in others if isinstance(r, TaskRecord)])

    def get_task(self, task_id: str, *, consistent: bool = False) -> TaskRecord | None:
        return get_or_none(TaskRecord, *task_key(task_id), consistent=consistent)

    def get_with_task(self, task_id: str) -> tuple[CaseRecord | None, TaskRecord | None]:
        # TransactGetItems: both items as one serializable snapshot, one round trip.
        # DynamoDB refuses it while a transaction is writing either (or throttled):
        # tried again after a short random wait, then read as two reads, the case first
        # (a decision racing this one then shows as the task decided).
        case_no, sk = task_key(task_id)
        for attempt in range(SNAPSHOT_TRIES):
            try:
                with transact_get() as snapshot:
                    case = snapshot.get(CaseRecord, case_no, META)
                    task = snapshot.get(TaskRecord, case_no, sk)
                return _found(case), _found(task)
            except TransactGetError as error:
                if not SNAPSHOT_REFUSALS & set(cancellation_codes(error)):
                    raise
                time.sleep(random.uniform(0, 0.01 * 2 ** attempt))
        read = self.get(case_no)
        return read, self.get_task(task_id) if read is not None else None

    def get_marker(self, key: tuple[str, str], *, consistent: bool = False) -> Any | None:
        if key[1] not in MARKERS:
            raise ValueError(f"{key} is not a marker's key")
        return get_or_none(MARKER_TYPES[key[1]], *key, consistent=consistent)

    def create(self, create: Create) -> None:
        self.commit([create])

    def commit(self, changes: Sequence[Change | Create]) -> None:
        # Many writers change the case without reading it (a card's level, a stage):
        # those changes still bump its version, so a change naming it sees them.
        typed_changes.write(changes, model_of, unnamed_version_bumps=True)
