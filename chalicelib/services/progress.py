"""What follows a change of the cases table, off the request path (the stream handler):

- a decided task resumes its workflow, once — with the decision, or failed with the named
  error the decision carries (Case.NotAccepted, Review.Denied) — the transactional outbox
  of `tasks.decide`;
- a case accepted, back from a supplement asked in review, or back from a special
  procedure moves on to department review (8);
- a case withdrawn or revoked has its execution stopped (and a revoked case its license);
- a new case is handed to the starts queue;
- a review decided (or an upcoming one recorded, or a case accepted) opens the next
  stage's reviews or hands the case to the conclude queue (services/stages.py);
- carded work done (a task decided or cancelled, the case closed) resolves its cards, and
  a rule breach the change shows is flagged (services/supervision.py).
"""
import json
import logging


from .. import config
from ..adapters import aws, workflow
from ..adapters.models import CaseRecord, TaskRecord, TaskToken, update_if
from ..domain.lifecycle import MOVES_TO_REVIEW, STOPS_WORKFLOW, Status
from . import casefile, clock, licenses, materials, stages, supervision
from .cases import META
from .tasks import task_decided, token_key

log = logging.getLogger("onewindow")


def after_change(old: dict | None, new: dict | None) -> None:
    resume_decided(old, new)
    supervision.settle(old, new)
    supervision.flag_breaches(old, new)
    if stages.moves_on(old, new):
        outcome = stages.advance(new["pk"])
        log.info("case %s review: %s", new["pk"], outcome)
    if not new or new.get("rt") != "case":
        return
    materials.uses_added(old, new)
    if old is None and new.get("workflow") == "queued":
        enqueue_start(new["pk"])
    if old is not None and old.get("status") != new.get("status"):
        status = Status(int(new["status"]))
        if _moves_to_review(status, new):
            move_to_review(new["pk"], status, int(new["version"]))
        if status in STOPS_WORKFLOW:
            stopped = workflow.stop(config.get().state_machine_arn, new["pk"],
                                    f"case {int(status)}")
            log.info("case %s closed (%s): workflow %s", new["pk"], int(status),
                     "stopped" if stopped else "was not running")
        if status == Status.REVOKED and licenses.revoke_for_case(new):
            log.info("license %s of case %s revoked", new.get("licenseId"), new["pk"])


def _moves_to_review(status: Status, new: dict) -> bool:
    if status in MOVES_TO_REVIEW:
        return True
    return status == Status.SUPPLEMENT_SUPPLIED and \
        (new.get("supplement") or {}).get("context") == "review"


def move_to_review(case_no: str, status: Status, version: int) -> bool:
    """Move the case on to department review, if it is still where the change left it."""
    case = CaseRecord.get(case_no, META, consistent_read=True)
    if case.status != status or case.version != version:
        return False  # it moved on meanwhile (or this is a redelivery)
    # False: someone else moved it (a withdrawal, a concurrent delivery).
    return update_if(case, casefile.status_actions(
        case, Status.IN_REVIEW, "workflow", "workflow", "system", "进入部门办理",
        clock.now()))


def resume_decided(old: dict | None, new: dict | None) -> bool:
    """A task just decided resumes its workflow, once.

    Runs for every committed decision, retried with the stream until it succeeds. After
    the workflow has the decision the task records `resumedAt`, and a redelivered change
    finds it and does nothing (AWS also refuses a spent token; moto does not, so our own
    record is what makes this hold everywhere). Returns whether it resumed now.
    """
    if not task_decided(old, new):
        return False
    task = TaskRecord.get(new["pk"], new["sk"], consistent_read=True)
    if task.resumedAt:
        return False
    tokens = [new["token"]] if new.get("token") else sorted(TaskToken.get(
        new["pk"], token_key(new["taskId"]), consistent_read=True).tokens)
    # Every token the task was sent with: the live one resumes the workflow, a stale one
    # (a retried callback state's first) is refused as spent.
    if new.get("resumeWith"):
        outcomes = [workflow.fail(token, new["resumeWith"]) for token in tokens]
    else:
        outcomes = [workflow.resume(token, {"decision": new["decision"]}) for token in tokens]
    resumed = any(outcomes)
    # Recorded after the resume: a crash in between is retried by the stream, and the
    # token (spent by then) is refused.
    task.update(actions=[TaskRecord.resumedAt.set(clock.now().isoformat())])
    return resumed


def enqueue_start(case_no: str) -> None:
    """Hand a new case to the starts queue (services/starts.py starts its workflow)."""
    aws.client("sqs").send_message(QueueUrl=config.get().starts_queue_url,
                                   MessageBody=json.dumps({"caseNo": case_no}))
