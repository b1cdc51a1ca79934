"""One open case per application: the same owner (by the keyed hash of the ID number)
applying for the same item with the same form while such a case is open is told so —
409 `duplicate_open_case`, naming the open case — unless the item version sets
`allowParallelCases`.

An OpenApplication marker keyed by owner, item and form names the case; it is written in
the case's own commit (services/case_files.py), on condition that it is absent — nothing
is read first, so an application costs no read for it — or, after that commit failed
because a marker was there, that it still names the closed case it was then read naming.
Of any number of identical applications at once exactly one commit writes it; the others
fail and find it naming an open case. Closing a case (withdrawn, refused, concluded,
revoked — wherever that happens) releases nothing: a marker naming a closed case counts as
free, and the next application takes it over.
"""
from dataclasses import dataclass

from ..adapters import secrets
from ..adapters.models import OpenApplication
from ..domain import lookup
from ..domain.case_file import open_application_key
from ..domain.changes import Change, Create, Equals
from ..domain.errors import Conflict
from ..domain.lifecycle import CLOSED, LABELS, Status
from .case_files import CaseFiles


@dataclass(frozen=True)
class Guard:
    """The marker an application's case must write, and on what condition."""
    key: tuple[str, str]
    held_by: str | None   # the closed case it names now; None: absent

    def claim(self, case_no: str) -> Change | Create:
        """The marker's write, in the new case's commit: created where there is none,
        else moved from the closed case it was read naming (and from no other)."""
        if self.held_by is None:
            return Create(self.key, OpenApplication(*self.key, caseNo=case_no))
        return Change(self.key, set={"caseNo": case_no},
                      expect=(Equals("caseNo", self.held_by),))


def guard(item: dict, owner_key: str, form: dict) -> Guard | None:
    """What the new case's commit must claim — the marker, expected absent — or None for
    an item that allows parallel cases."""
    if item.get("allowParallelCases"):
        return None
    return Guard(open_application_key(
        lookup.application_key(secrets.lookup(), owner_key, item["code"], form)), None)


def retake(case_files: CaseFiles, claimed: Guard | None) -> Guard | None:
    """After the case's commit failed: the claim to try again with — the marker held by a
    closed case, taken over from it — or None when the marker is not what failed it.
    409 `duplicate_open_case` while the marker names an open case."""
    if claimed is None:
        return None
    holder = case_files.get_marker(claimed.key, consistent=True)
    if holder is None or holder.caseNo == claimed.held_by:
        return None   # as it was claimed: another condition failed the commit
    _refuse_if_open(case_files, holder.caseNo)
    return Guard(claimed.key, holder.caseNo)


def _refuse_if_open(case_files: CaseFiles, case_no: str) -> None:
    case = case_files.get(case_no, consistent=True)
    if case is None:   # never: the marker is written with its case
        raise RuntimeError(f"open-application marker names no case {case_no}")
    status = Status(case.status)
    if status not in CLOSED:
        raise Conflict(f"an identical application (same applicant, item and form) is open "
                       f"as case {case_no} ({LABELS[status]}): follow that case, or withdraw "
                       f"it before applying again", field="itemCode",
                       code="duplicate_open_case")
