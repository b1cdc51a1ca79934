"""Queued workflow starts: `POST /cases` records the case; the stream hands it to the
starts queue; this consumer starts its execution.

StartExecution is throttled (800 burst, 150 per second outside the largest regions): the
consumer runs with bounded concurrency (the event source mapping's maximum), its client
backs off on throttling (botocore's adaptive retries), and a start that still fails
returns to the queue and, after repeated failures, to the starts dead-letter queue, from
which `make redrive` moves it back. The execution is named by the case number, so a start
delivered twice starts one workflow; the case shows `workflow: queued` until it runs.
"""
import logging
from datetime import datetime

from pynamodb.exceptions import UpdateError

from .. import config
from ..adapters import workflow
from ..adapters.models import CaseRecord, condition_failed
from ..domain.catalogue import workflow_input
from ..domain.lifecycle import CLOSED
from . import catalogue, clock, instant_approval
from .cases import META
from .stores import Stores

log = logging.getLogger("onewindow")


def start_queued(stores: Stores, case_no: str) -> str:
    """Start the case's workflow if it still waits for one — unless its rules approve it
    at once (秒批: services/instant_approval.py, on `stores`). Returns what was done:
    started, instant, already (a redelivery), or skipped (the case closed before its
    start)."""
    case = CaseRecord.get(case_no, META, consistent_read=True)
    if instant_approval.unfinished(case):
        # Accepted by its rules, its approval interrupted (a crash, a conflict): finish it.
        instant_approval.check(stores.case_files, stores.licenses, case,
                               catalogue.pinned_version(case.itemCode, case.itemVersion))
        return "instant"
    if case.workflow != "queued":
        return "already"
    if case.status in CLOSED:
        _mark(case_no, "none")
        return "skipped"
    item = catalogue.pinned_version(case.itemCode, case.itemVersion)
    if instant_approval.check(stores.case_files, stores.licenses, case, item) == \
            instant_approval.APPROVED:
        return "instant"   # approved by its rules: no workflow, no wait
    case = CaseRecord.get(case_no, META, consistent_read=True)
    if case.status in CLOSED:   # withdrawn while its rules were checked
        _mark(case_no, "none")
        return "skipped"
    plan = workflow_input(case_no, item,
                          clock.counting_day(datetime.fromisoformat(case.createdAt)))
    started = workflow.start(config.get().state_machine_arn, case_no, plan)
    _mark(case_no, "started")
    return "started" if started else "already"


def _mark(case_no: str, state: str) -> None:
    """Record the start without bumping the case's version: a decision that read the case
    before this write must not be refused because of it."""
    try:
        CaseRecord._get_connection().update_item(
            case_no, META,
            actions=[CaseRecord.workflow.set(state)],
            condition=CaseRecord.workflow == "queued")
    except UpdateError as error:
        if not condition_failed(error):
            raise
