"""The case and its other records, read in one Query (the reader most services still use;
the case-file repository, services/case_files.py, is the one the rewritten use cases take)."""
from ...adapters.models import CaseRecord, CasesTableRecord, TaskRecord, TimelineEvent
from ...domain.case_file import META
from ...domain.errors import NotFound
from ...domain.identifiers import is_valid_case_number

__all__ = ["META", "load", "load_records"]


def load_records(case_no: str, consistent: bool = False
                 ) -> tuple[CaseRecord, list[CasesTableRecord]]:
    """The case and every other record of it (timeline, tasks, cards, ratings…): one
    Query."""
    if not is_valid_case_number(case_no):
        raise NotFound(f"no case {case_no}", field="caseNo")
    case, others = None, []
    for record in CasesTableRecord.query(case_no, consistent_read=consistent):
        if isinstance(record, CaseRecord):
            case = record
        else:
            others.append(record)
    if case is None:
        raise NotFound(f"no case {case_no}", field="caseNo")
    return case, others


def load(case_no: str, consistent: bool = False
         ) -> tuple[CaseRecord, list[TimelineEvent], list[TaskRecord]]:
    """The case with its timeline and tasks: one Query."""
    case, others = load_records(case_no, consistent)
    return case, [r for r in others if isinstance(r, TimelineEvent)], \
        [r for r in others if isinstance(r, TaskRecord)]
