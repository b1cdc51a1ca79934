"""One open case per application: the same owner (by the keyed hash of the ID number)
applying for the same item with the same form while such a case is open is told so —
409 `duplicate_open_case`, naming the open case — unless the item version sets
`allowParallelCases`.

An OpenApplication record keyed by owner, item and form names the case; it is written in
the case's own transaction, on condition that it is absent or still names the case it
was read naming (a closed one). Of any number of identical applications at once exactly
one transaction writes it; the others fail and find it naming an open case. Closing a case
(withdrawn, refused, concluded, revoked — wherever that happens) releases nothing: a
record naming a closed case counts as free, and the next application overwrites it.
"""
from dataclasses import dataclass

from ..adapters import secrets
from ..adapters.models import CaseRecord, OpenApplication
from ..domain import lookup
from ..domain.errors import Conflict
from ..domain.lifecycle import CLOSED, LABELS, Status

SK = "OPEN"


@dataclass(frozen=True)
class Guard:
    """The record an application's case must write, and on what condition."""
    key: str
    held_by: str | None   # the closed case it names now; None: absent

    def claim(self, case_no: str) -> tuple:
        """(record, condition) for the new case's transaction."""
        return (OpenApplication(self.key, SK, caseNo=case_no),
                OpenApplication.pk.does_not_exist() if self.held_by is None
                else OpenApplication.caseNo == self.held_by)


def guard(item: dict, owner_key: str, form: dict) -> Guard | None:
    """What the new case's transaction must claim, or None for an item that allows
    parallel cases. Refuses (409) while an identical case is open — before a case number
    is drawn."""
    if item.get("allowParallelCases"):
        return None
    key = "OPEN#" + lookup.application_key(secrets.lookup(), owner_key, item["code"], form)
    holder = _holder(key)
    if holder is not None:
        _refuse_if_open(holder.caseNo)
    return Guard(key, holder.caseNo if holder is not None else None)


def refuse_if_taken(claimed: Guard | None) -> None:
    """After the case's transaction failed: 409 if an identical application's case took
    the record meanwhile and is open."""
    if claimed is None:
        return
    holder = _holder(claimed.key)
    if holder is not None and holder.caseNo != claimed.held_by:
        _refuse_if_open(holder.caseNo)


def _holder(key: str) -> OpenApplication | None:
    try:
        return OpenApplication.get(key, SK, consistent_read=True)
    except OpenApplication.DoesNotExist:
        return None


def _refuse_if_open(case_no: str) -> None:
    try:
        status = Status(CaseRecord.get(case_no, "META", consistent_read=True).status)
    except CaseRecord.DoesNotExist:   # never: the record is written with its case
        return
    if status not in CLOSED:
        raise Conflict(f"an identical application (same applicant, item and form) is open "
                       f"as case {case_no} ({LABELS[status]}): follow that case, or withdraw "
                       f"it before applying again", field="itemCode",
                       code="duplicate_open_case")
