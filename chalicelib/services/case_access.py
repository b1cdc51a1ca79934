"""Reading a case with everything about it, and who may read it.

Cases, materials (a staff member downloads a material used in a case it reads) and the
supervision and task use cases all load cases and ask who may read them; the loader and the
check live here, below services/cases/, so that materials need not import the module
that applies (which imports materials)."""
from ..adapters.case_files import case_partition
from ..adapters.models import CaseRecord, CasesTableRecord, TaskRecord, TimelineEvent
from ..domain import identity
from ..domain.case_file import META
from ..domain.errors import Concealed, NotFound
from ..domain.identifiers import is_valid_case_number
from .holders import owner_id

__all__ = ["META", "load", "load_records", "may_read", "require_readable"]


def load_records(case_no: str, consistent: bool = False
                 ) -> tuple[CaseRecord, list[CasesTableRecord]]:
    """The case and every other record of it (timeline, tasks, cards, ratings…): one
    Query."""
    if not is_valid_case_number(case_no):
        raise NotFound(f"no case {case_no}", field="caseNo")
    case, others = case_partition(case_no, consistent=consistent)
    if case is None:
        raise NotFound(f"no case {case_no}", field="caseNo")
    return case, others


def load(case_no: str, consistent: bool = False
         ) -> tuple[CaseRecord, list[TimelineEvent], list[TaskRecord]]:
    """The case with its timeline and tasks: one Query."""
    case, others = load_records(case_no, consistent)
    return case, [r for r in others if isinstance(r, TimelineEvent)], \
        [r for r in others if isinstance(r, TaskRecord)]


def may_read(principal: identity.Principal | None, case: CaseRecord,
             tasks: list[TaskRecord]) -> bool:
    """Its owner (or the owner's agent), and the staff who may read it."""
    return (identity.owns(principal, case.applicant.sub, owner_id(case))
            or identity.reads_case(principal, {task.dept for task in tasks}))


def require_readable(principal: identity.Principal | None, case: CaseRecord,
                     tasks: list[TaskRecord]) -> None:
    """A case the caller may not read does not exist for it: 404, whatever it asked to
    do (audited as concealed), before any rule about what it may do tells it otherwise."""
    if not may_read(principal, case, tasks):
        raise Concealed(f"no case {case.pk}", field="caseNo")
