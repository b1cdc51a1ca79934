"""What follows a change of the cases table, off the request path (the stream handler):

- a decided task resumes its workflow, once — with the decision, or failed with the named
  error the decision carries (Case.NotAccepted, Review.Denied) — the transactional outbox
  of `tasks.decide`;
- a case accepted, back from a supplement asked in review, or back from a special
  procedure moves on to department review (8);
- a case withdrawn or revoked has its execution stopped (and a revoked case its license);
- a decision (or a license revoked or reissued by its department) is written in its
  document (受理通知书, 不予许可决定书…: services/case_documents), signed by the
  department that decided;
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
from ..adapters.models import CaseRecord, TaskRecord, TaskToken
from ..domain.case_documents import made_by as makes_document
from ..domain.lifecycle import CLOSED, STOPS_WORKFLOW, Status
from . import (
    case_documents,
    clock,
    instant_approval,
    licenses,
    materials,
    review_entry,
    stages,
    supervision,
)
from .case_files import CaseFiles
from .cases import META
from .stores import Stores
from .tasks import task_decided, token_key

log = logging.getLogger("onewindow")


def after_change(stores: Stores, old: dict | None, new: dict | None) -> list[str]:
    """Do what follows from one change, in `stores` (those the composition root built).
    Each effect runs whether or not another failed (a bus or queue that is down must not
    keep the workflow from being resumed); returns the names of the effects
    that failed, each logged, for the caller to retry the change
    (services/settlement.py). Every effect is idempotent, so a retry redoes only what is
    still missing."""
    failed = []
    for name, effect in effects(stores, old, new):
        try:
            effect()
        except Exception as error:  # noqa: BLE001 - the other effects still run
            log.warning("case %s: %s failed: %r", (new or old or {}).get("pk"), name, error)
            failed.append(name)
    return failed


def effects(stores: Stores, old: dict | None,
            new: dict | None) -> list[tuple[str, object]]:
    """The effects of one change, by name, in the order they run."""
    case_files = stores.case_files
    found = [("resume", lambda: resume_decided(old, new)),
             ("cards", lambda: supervision.settle(old, new, stores.supervision)),
             ("breaches", lambda: supervision.flag_breaches(old, new, stores.supervision))]
    if makes_document(old, new):
        found.append(("document", lambda: log.info(
            "case %s: document %s", new["pk"], case_documents.issue_for_change(old, new))))
    if stages.moves_on(old, new):
        found.append(("review", lambda: log.info("case %s review: %s", new["pk"],
                                                  stages.advance(case_files, new["pk"]))))
    if not new or new.get("rt") != "case":
        return found
    found.append(("materials", lambda: materials.uses_added(old, new)))
    if old is None and new.get("workflow") == "queued":
        found.append(("start", lambda: enqueue_start(new["pk"])))
    if old is not None and old.get("status") != new.get("status"):
        status = Status(int(new["status"]))
        if review_entry.passes_through(status, new.get("supplement"), new.get("workflow")):
            found.append(("move_to_review",
                          lambda: move_to_review(case_files, new["pk"], status,
                                                 int(new["version"]))))
        if status in STOPS_WORKFLOW:
            found.append(("stop", lambda: _stop(new["pk"], status)))
        if status == Status.REVOKED:
            found.append(("revoke_license", lambda: _revoke_license(stores, new)))
    return found


def _stop(case_no: str, status: Status) -> None:
    stopped = workflow.stop(config.get().state_machine_arn, case_no, f"case {int(status)}")
    log.info("case %s closed (%s): workflow %s", case_no, int(status),
             "stopped" if stopped else "was not running")


def _revoke_license(stores: Stores, new: dict) -> None:
    if licenses.revoke_for_case(new, stores.licenses):
        log.info("license %s of case %s revoked", new.get("licenseId"), new["pk"])


def move_to_review(case_files: CaseFiles, case_no: str, status: Status, version: int) -> bool:
    """Move the case on to department review, if it is still where the change left it."""
    case = case_files.get(case_no, consistent=True)
    if case is None or case.status != status or case.version != version:
        return False  # it moved on meanwhile (a review decision, or this is a redelivery)
    # False: someone else moved it (a withdrawal, a decision, a concurrent delivery).
    return review_entry.enter(case, case_files)


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


def start_pending(case_no: str) -> bool:
    """Whether the case still waits for its workflow to start (queued, and not closed), or
    for its instant approval to be finished (accepted by its rules, not yet approved)."""
    case = CaseRecord.get(case_no, META, consistent_read=True)
    return (case.workflow == "queued" and case.status not in CLOSED) or \
        instant_approval.unfinished(case)


def enqueue_start(case_no: str) -> None:
    """Hand a new case to the starts queue (services/starts.py starts its workflow)."""
    aws.client("sqs").send_message(QueueUrl=config.get().starts_queue_url,
                                   MessageBody=json.dumps({"caseNo": case_no}))
