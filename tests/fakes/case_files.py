"""Case files in memory: the `CaseFiles` of chalicelib/services/case_files.py with the
DynamoDB implementation's semantics (chalicelib/adapters/case_files.py), no AWS.

The records and their commits are tests/fakes/records.py's; as in DynamoDB, every change of
a versioned record (the case) bumps its version, named or not.
"""
from __future__ import annotations

import copy
from typing import Any

from chalicelib.domain.case_file import MARKERS, META, CaseFile, task_key
from chalicelib.domain.changes import Create

from .records import RecordStore


class FakeCaseFiles(RecordStore):
    def __init__(self, *records: Any):
        super().__init__(unnamed_version_bumps=True)
        for record in records:
            self.put(record)

    # -- test set-up --------------------------------------------------------------------

    def put(self, record: Any) -> Any:
        """Store a record as it is (no condition), as a test's given state."""
        return self.keep((record.pk, record.sk), record)

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

    def get_with_task(self, task_id: str) -> tuple[Any | None, Any | None]:
        return self.stored((task_key(task_id)[0], META)), self.stored(task_key(task_id))

    def get_marker(self, key: tuple[str, str], *, consistent: bool = False) -> Any | None:
        if key[1] not in MARKERS:
            raise ValueError(f"{key} is not a marker's key")
        return self.stored(key)

    def create(self, create: Create) -> None:
        self.commit([create])
