"""Ending a case from outside its workflow: withdrawal by the applicant (撤件 2 before
acceptance, 撤回 14 after) and revocation by a supervisor (撤销 15).

One transaction closes the case and cancels its open tasks (a decision on one is then a
409); the stream handler stops the execution (services/progress.py).
"""
from ..domain import identity
from ..domain.changes import ConditionFailed
from ..domain.errors import Conflict, Forbidden, NotFound
from ..domain.identifiers import is_valid_case_number
from ..domain.lifecycle import Status, withdrawal_status
from . import casefile, clock
from .case_files import CaseFile, CaseFiles
from .cases import owner_id, require_readable


def _load(case_files: CaseFiles, case_no: str) -> CaseFile:
    found = case_files.load(case_no) if is_valid_case_number(case_no) else None
    if found is None:
        raise NotFound(f"no case {case_no}", field="caseNo")
    return found


def withdraw(case_files: CaseFiles, principal: identity.Principal | None, case_no: str,
             body: dict, channel: str = "api") -> dict:
    principal = identity.require(principal)
    case, _, tasks = _load(case_files, case_no)
    require_readable(principal, case, tasks)
    if not identity.owns(principal, case.applicant.sub, owner_id(case)):
        raise Forbidden("only the applicant withdraws an application")
    target = withdrawal_status(accepted=case.acceptedAt is not None)
    return _close(case_files, case, tasks, target, principal, channel, body["reason"],
                  "withdrawn by the applicant")


def revoke(case_files: CaseFiles, principal: identity.Principal | None, case_no: str,
           body: dict, channel: str = "api") -> dict:
    principal = identity.require_role(principal, identity.SUPERVISOR, identity.ADMIN)
    case, _, tasks = _load(case_files, case_no)
    return _close(case_files, case, tasks, Status.REVOKED, principal, channel,
                  body["reason"], "revoked by a supervisor")


def _close(case_files: CaseFiles, case, tasks, target: Status, principal, channel: str,
           reason: str, why: str) -> dict:
    now = clock.now()
    closed = casefile.status_change(case, target, principal.sub, principal.role, channel,
                                    reason, now, actor_name=identity.staff_name(principal))
    cancelled = casefile.cancel_open_tasks(tasks, why, now)
    try:
        case_files.commit([closed, *cancelled])
    except ConditionFailed:
        raise Conflict(f"case {case.pk} changed meanwhile; read it again",
                       code="case_changed") from None
    return {"caseNo": case.pk, "status": int(target),
            "cancelledTasks": [change.key[1].removeprefix("TASK#") for change in cancelled]}
