"""Review stages, kept by the tasks rather than by the state machine.

The workflow asks for every department review of every stage at once (one Map: a state
per stage would cost transitions on every case). A review of a later stage is recorded
`upcoming`, out of the inbox; when every review of the stages before it is decided, its
turn comes and it opens. When every review is decided, the case is handed to the
conclude queue (services/conclusion.py).

`advance` runs from the stream handler after each change that can move a case on (a
task recorded, a review decided, a case accepted). It reads the case and its
tasks consistently and every write is conditional, so deliveries in any order, twice, or
at the same time open each task once and conclude the case once.
"""
import json
import logging

from .. import config
from ..adapters import aws
from ..adapters.models import TaskRecord
from ..domain import inbox_filters, worktime
from ..domain.case_file import task_key
from ..domain.catalogue import review_plan
from ..domain.changes import Change, ConditionFailed, Equals
from ..domain.errors import NotFound
from ..domain.lifecycle import CLOSED, Status
from ..domain.task_states import ACTIVE, TaskState, became
from . import casefile, catalogue, clock
from .case_files import CaseFiles

log = logging.getLogger("onewindow")


def turn(plan: dict[int, list[str]], states: dict[tuple[int, str], str]) -> int | None:
    """The stage whose turn it is: the first with a review not decided yet (None when
    every review of every stage is). `states` maps (stage, dept) to the task's state;
    a review not recorded yet counts as not decided."""
    for stage in sorted(plan):
        if any(states.get((stage, dept)) != TaskState.DECIDED for dept in plan[stage]):
            return stage
    return None


def moves_on(old: dict | None, new: dict | None) -> bool:
    """Whether a change of the cases table (stream images) can move the case's review on."""
    if not new:
        return False
    if new.get("rt") == "task":
        if old is None:
            return new.get("state") != TaskState.CANCELLED  # recorded: its turn, or closed
        return new.get("taskKind") == "review" and became(old, new, TaskState.DECIDED)
    # A case its rules accepted is approved by them at once, not reviewed (秒批).
    return new.get("rt") == "case" and old is not None and \
        old.get("status") != new.get("status") and int(new["status"]) == Status.ACCEPTED \
        and new.get("workflow") != "instant"


def advance(case_files: CaseFiles, case_no: str) -> str:
    """Open the reviews whose turn has come, or hand a fully reviewed case to the
    conclude queue. Returns what it did: closed, waiting, opened N, or concluding."""
    found = case_files.load(case_no, consistent=True)
    if found is None:
        raise NotFound(f"no case {case_no}", field="caseNo")
    case, tasks = found.case, found.tasks
    if case.status in CLOSED:
        # A task recorded while its case was closing (the message was on its way when
        # the case was withdrawn or denied) is cancelled here.
        cancelled = sum(_cancel(case_files, task, case.status) for task in tasks
                        if task.state in ACTIVE)
        return f"closed, {cancelled} cancelled" if cancelled else "closed"
    plan = review_plan(catalogue.pinned_version(case.itemCode, case.itemVersion))
    reviews = {(task.stage, task.dept): task for task in tasks if task.taskKind == "review"}
    stage = turn(plan, {key: task.state for key, task in reviews.items()})
    if stage is None:
        if case.status == Status.RECEIVED:
            return "waiting"  # not accepted yet: nothing to conclude
        aws.client("sqs").send_message(QueueUrl=config.get().conclude_queue_url,
                                       MessageBody=json.dumps({"caseNo": case_no}))
        return "concluding"
    opened = sum(_open(case_files, reviews[(stage, dept)], case.pauses or [])
                 for dept in plan[stage]
                 if (stage, dept) in reviews
                 and reviews[(stage, dept)].state == TaskState.UPCOMING)
    return f"opened {opened}" if opened else "waiting"


def _cancel(case_files: CaseFiles, task: TaskRecord, status: int) -> bool:
    """A task still to be done of a closed case, cancelled (False: it was decided or
    cancelled meanwhile)."""
    return _made(case_files, casefile.cancel_change(task, f"case closed ({int(status)})",
                                                    clock.now()))


def _open(case_files: CaseFiles, task: TaskRecord, pauses: list[dict]) -> bool:
    """An upcoming review's turn: into its department's inbox, its deadline moved on by
    the working time the case has spent paused."""
    now = clock.now().isoformat()
    deadline = worktime.shifted(task.planned, pauses, clock.zone()) if task.planned \
        else task.deadline
    task.openedAt = now  # its card moments run from now (casefile.task_moments)
    opened = inbox_filters.indexed(task, Change(task_key(task.taskId), set={
        "state": TaskState.OPEN, "inboxDept": task.dept, "openedAt": now,
        "deadline": deadline, **casefile.first_watch(task, pauses)},
        expect=(Equals("state", TaskState.UPCOMING),)))
    if not _made(case_files, opened):
        return False  # opened by another delivery, or cancelled meanwhile
    log.info("task %s opened: stage %s's turn", task.taskId, task.stage)
    return True


def _made(case_files: CaseFiles, change: Change) -> bool:
    """Make one change on its conditions; False if another writer got there first (not a
    fault: a redelivery, or a concurrent one)."""
    try:
        case_files.commit([change])
    except ConditionFailed:
        return False
    return True
