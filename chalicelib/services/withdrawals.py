"""Ending a case from outside its workflow: withdrawal by the applicant (撤件 2 before
acceptance, 撤回 14 after) and revocation by a supervisor (撤销 15).

One transaction closes the case and cancels its open tasks (a decision on one is then a
409); the stream handler stops the execution (services/progress.py).
"""
from pynamodb.exceptions import TransactWriteError

from ..adapters.models import transact_write
from ..domain import identity
from ..domain.errors import Conflict, Forbidden
from ..domain.lifecycle import Status, withdrawal_status
from . import casefile, clock
from .cases import load, owner_id, require_readable


def withdraw(principal: identity.Principal | None, case_no: str, body: dict,
             channel: str = "api") -> dict:
    principal = identity.require(principal)
    case, _, tasks = load(case_no)
    require_readable(principal, case, tasks)
    if not identity.owns(principal, case.applicant.sub, owner_id(case)):
        raise Forbidden("only the applicant withdraws an application")
    target = withdrawal_status(accepted=case.acceptedAt is not None)
    return _close(case, tasks, target, principal, channel, body["reason"],
                  "withdrawn by the applicant")


def revoke(principal: identity.Principal | None, case_no: str, body: dict,
           channel: str = "api") -> dict:
    principal = identity.require_role(principal, identity.SUPERVISOR, identity.ADMIN)
    case, _, tasks = load(case_no)
    return _close(case, tasks, Status.REVOKED, principal, channel, body["reason"],
                  "revoked by a supervisor")


def _close(case, tasks, target: Status, principal, channel: str, reason: str,
           why: str) -> dict:
    now = clock.now()
    actions = casefile.status_actions(case, target, principal.sub, principal.role, channel,
                                      reason, now, actor_name=identity.staff_name(principal))
    try:
        with transact_write() as transaction:
            transaction.update(case, actions=actions)
            cancelled = casefile.cancel_open_tasks(tasks, why, now, transaction)
    except TransactWriteError:
        raise Conflict(f"case {case.pk} changed meanwhile; read it again",
                       code="case_changed") from None
    return {"caseNo": case.pk, "status": int(target), "cancelledTasks": cancelled}
