"""Cases: applying (统一申报), reading a case with its timeline, who may read it, and the
view each caller may see — one module per concern.

- applying: an application becomes a case on the case files (services/case_files.py),
  its steps in eligibility (who for whom, which item), idempotency (the
  Idempotency-Key), numbering (the case number) and new_case (the record first written);
- the loader (the case and its other records in one Query) and who may read a case live
  below this package, in services/case_access.py, and whose a case is in
  services/holders.py: materials and licenses ask them without importing applying;
- views: the case as its owner, staff, or a holder of its query password sees it.

This package's names, for the API and the other services:
"""
from ..case_access import META, load, load_records, may_read, require_readable
from ..holders import names_id, owner_id
from .applying import apply
from .new_case import planned_due
from .views import (
    CARD_EVENTS,
    applicant_in_clear,
    case_view,
    clock_of,
    created_view,
    event_view,
    public_view,
    task_view,
    view,
)

__all__ = ["CARD_EVENTS", "META", "applicant_in_clear", "apply", "case_view", "clock_of",
           "created_view", "event_view", "load", "load_records", "may_read", "names_id",
           "owner_id", "planned_due", "public_view", "require_readable", "task_view",
           "view"]
