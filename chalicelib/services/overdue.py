"""The overdue sweep (a scheduled event): warnings, cards and missed deadlines.

Each run reads what the `watch` index holds at or before now — the open cases and tasks
whose next moment has come, never a Scan — and for each, as of now:

- a task (its own deadline), its department's part of a review stage (the stage's
  latest deadline) and the case (its promised deadline, the statutory one bringing the
  red card sooner) get the card level they have reached (domain/cards.py): a warning,
  a yellow or a red card, each issued once (services/supervision.py);
- a task past its deadline is marked overdue once, and so is each deadline of the case
  it has missed: its own, an open special procedure's, the due date of materials
  approved to follow (容缺, watched after conclusion 12). Each mark becomes a lifecycle
  event (`onewindow.case.overdue`).

The same look sends a concluded case not rated by then its invitation to rate
(`rating_invited`), and marks a bad rating's rectification deadlines missed
(services/ratings.py).

A run supervises at most INLINE due cases itself; the rest go on the due queue, one
message each (`queue_due`), and `supervise_due` consumers take them side by side
(`supervise_queued`): a close of day on which a whole day's intake falls due is minutes of
many functions, not one function's run.

Then each moves on to its next moment in the watch, or leaves it when nothing is left to
come. A missed deadline never fails a workflow: it is escalated to supervision, and the
work goes on. Whether a moment has really come is decided with the case's clock as it
stands now (a paused case's deadlines move on; a task waiting on the applicant or a
special procedure gets no card), not from the stored order alone.
"""
import json
import logging
from datetime import datetime, timedelta

from pynamodb.exceptions import UpdateError

from .. import config
from ..adapters import aws
from ..adapters.models import (
    CaseRecord,
    CasesTableRecord,
    SweepMark,
    TaskRecord,
    WatchIndex,
    condition_failed,
    get_or_none,
    update_if,
)
from ..domain import cards, inbox_filters, worktime
from ..domain.task_states import TaskState
from . import casefile, catalogue, clock, ratings, settlement, supervision, supervision_record
from .at_once import map_at_once
from .cases import META
from .supervision_store import SupervisionStore

log = logging.getLogger("onewindow")
# What a sweep counts: tasks and cases newly overdue, cards issued, invitations to rate
# sent, rectification deadlines missed.
COUNTS = ("tasks", "cases", "cards", "invitations", "rectifications")
# Due cases a run supervises itself (a few seconds' work); past that many, the rest go
# on the due queue. A case's look is ~10 round trips: 200 are 20-30 s of one function,
# 100,000 (a close of day) are many functions' minutes.
INLINE = 200
# How long cases are left to the due queue while it stays busy: past that, what is still
# due is taken again all the same (a message may have failed while others kept the queue
# busy), and a new period begins.
LEFT_TO_QUEUE_AT_MOST = timedelta(hours=1)
# The key of the mark of what the sweep last queued.
SWEEP_MARK = ("SWEEP", "DUE")


def run(store: SupervisionStore) -> dict:
    """One scheduled run: the sweep at the service clock's time (its cards and marks in
    `store`), the reconciliation of the changes not settled (`unsettled`: how many were
    replayed, services/settlement.py), then the supervision record sealed as it stands —
    every chain not sealed for good, each day's for good once it is over
    (services/supervision_record.py)."""
    counts = sweep(store)
    counts["unsettled"] = settlement.touch_due()
    try:
        counts["refusedToSeal"] = supervision_record.sealing()[1]
    except Exception:  # noqa: BLE001 - the sweep's and reconciliation's counts still go out
        log.exception("supervision record not sealed this run")
        counts["refusedToSeal"] = 1
    return counts


def sweep(store: SupervisionStore, now: datetime | None = None) -> dict:
    """Mark what is due at `now` (the service clock's time by default): the cards issued
    and the ratings' missed deadlines in `store`, for the first INLINE due cases; the rest
    put on the due queue (`queued`, when there are any).

    While the due queue still holds messages, what an earlier run queued is still being
    worked: this run leaves the cases that were due then to it (`leftToQueue`) and takes
    only those due since (a case with an entry newly due is taken again: a redelivered
    look marks nothing twice). Once the queue is empty, whatever is still due — a message
    that failed to the dead-letter queue, a look that lost a race — is taken again; so it
    is once the queue has been busy for LEFT_TO_QUEUE_AT_MOST, however busy it still is."""
    now = now or clock.now()
    text = worktime.utc_text(now)
    due: dict[str, list[str]] = {}
    since: dict[str, str] = {}
    latest: dict[str, str] = {}
    for shard in range(casefile.WATCH_SHARDS):
        for record in CasesTableRecord.watch.query(f"W#{shard}", WatchIndex.watchAt <= text):
            due.setdefault(record.pk, []).append(record.sk)
            since[record.pk] = min(since.get(record.pk, text), record.watchAt)
            latest[record.pk] = max(latest.get(record.pk, ""), record.watchAt)
    counts = dict.fromkeys(COUNTS, 0)
    # Only a run with more due than it looks at itself asks: fewer are looked at here,
    # queued or not (twice marks nothing twice), and the run reads nothing but the watch.
    held = _still_queued_through() if len(due) > INLINE else None
    backlog_since = None
    if held and held[1] > worktime.utc_text(now - LEFT_TO_QUEUE_AT_MOST):
        through, backlog_since = held
        left = {case_no for case_no in due if latest[case_no] <= through}
        counts["leftToQueue"] = len(left)
        due = {case_no: keys for case_no, keys in due.items() if case_no not in left}
    # The longest due first: those the run looks at itself.
    cases = sorted(due.items(), key=lambda case: (since[case[0]], case[0]))
    for case_no, keys in cases[:INLINE]:
        for kind, count in _look(store, case_no, keys, now, text).items():
            counts[kind] += count
    if cases[INLINE:]:
        try:
            counts["queued"] = queue_due(cases[INLINE:], text)
        except Exception:  # noqa: BLE001 - still due: the next run queues them again
            log.exception("overdue sweep at %s: %d due case(s) not queued", text,
                          len(cases[INLINE:]))
            counts["queued"] = 0
        else:
            _mark_queued(text, backlog_since or text)
    if any(counts.values()):
        log.info("overdue sweep at %s: %s", text, counts)
    return counts


def _still_queued_through() -> tuple[str, str] | None:
    """What earlier runs queued (the due entries up to this moment) and since when the
    queue has held messages, while it still does; None once it is empty, when nothing was
    ever queued, or when the queue cannot be asked (then what is due is queued again: a
    case looked at twice marks nothing twice)."""
    try:
        mark = get_or_none(SweepMark, *SWEEP_MARK, consistent=True)
        if mark is None:
            return None
        waiting = aws.client("sqs").get_queue_attributes(
            QueueUrl=config.get().due_queue_url, AttributeNames=[
                "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
                "ApproximateNumberOfMessagesDelayed"])["Attributes"]
    except Exception:  # noqa: BLE001 - the sweep goes on as if nothing were queued
        log.exception("overdue sweep: the due queue's backlog not known")
        return None
    if not any(int(count) for count in waiting.values()):
        return None
    return mark.queuedThrough, mark.backlogSince or mark.queuedThrough


def _mark_queued(text: str, backlog_since: str) -> None:
    """Every entry due at `text` is looked at or queued, the queue busy since
    `backlog_since` (a mark not written only means the next run may queue some of them
    again)."""
    try:
        SweepMark(*SWEEP_MARK, queuedThrough=text, backlogSince=backlog_since).save()
    except Exception:  # noqa: BLE001 - the queued cases are queued all the same
        log.exception("overdue sweep at %s: how far it queued not marked", text)


def _look(store: SupervisionStore, case_no: str, keys: list[str], now: datetime,
          text: str) -> dict:
    """One due case as of `now`: its cards and marks, its ratings' missed deadlines."""
    counts = dict.fromkeys(COUNTS, 0)
    ratings_due = [sk for sk in keys if sk.startswith(ratings.PREFIX)]
    if len(ratings_due) < len(keys):
        for kind, count in _supervise(store, case_no, now, text).items():
            counts[kind] += count
    for sk in ratings_due:
        counts["rectifications"] += ratings.mark_late(store, case_no, sk, text)
    return counts


def queue_due(cases: list[tuple[str, list[str]]], text: str) -> int:
    """Each due case (its number and its watch entries due) on the due queue, ten to a
    request and several requests at once; how many were queued."""
    sqs = aws.client("sqs")

    def send(start: int) -> int:
        entries = [{"Id": str(n), "MessageBody": json.dumps(
            {"caseNo": case_no, "keys": keys, "dueAt": text})}
            for n, (case_no, keys) in enumerate(cases[start:start + 10])]
        answer = sqs.send_message_batch(QueueUrl=config.get().due_queue_url, Entries=entries)
        if answer.get("Failed"):
            raise RuntimeError(f"due queue refused {len(answer['Failed'])} message(s): "
                               f"{answer['Failed'][0].get('Message')}")
        return len(entries)
    return sum(map_at_once(send, range(0, len(cases), 10)))


def supervise_queued(store: SupervisionStore, message: dict) -> dict:
    """A due case from the queue, looked at as of now (a case's moments only come, so a
    late look finds at least what was due when it was queued); a redelivered one marks
    and cards nothing twice."""
    now = clock.now()
    return _look(store, message["caseNo"], message["keys"], now, worktime.utc_text(now))


def _supervise(store: SupervisionStore, case_no: str, now: datetime, text: str) -> dict:
    counts = dict.fromkeys(COUNTS, 0)
    try:
        case = CaseRecord.get(case_no, META, consistent_read=True)
    except CaseRecord.DoesNotExist:
        return counts
    tasks = list(TaskRecord.query(case_no, TaskRecord.sk.startswith("TASK#"),
                                  consistent_read=True))
    found = supervision.cards_of(store, case_no)
    pauses = worktime.end_pause(case.pauses or [], now, clock.zone())
    for task in tasks:
        if task.watchShard and task.watchAt and task.watchAt <= text:
            _watch_task(store, case, task, tasks, found, pauses, now, text, counts)
    if case.watchShard and case.watchAt and case.watchAt <= text:
        _watch_case(store, case, found, pauses, now, text, counts)
    elif counts["cards"] and not case.carded:
        _update_case(case, [CaseRecord.carded.set(True)], CaseRecord.pk.exists())
    return counts


def _stage_moments(task: TaskRecord, tasks: list[TaskRecord], pauses: list[dict]):
    """A review stage is due when its latest review is, and had the longest limit."""
    if task.taskKind != "review" or not task.stage:
        return None
    members = [casefile.task_moments(other, pauses) for other in tasks
               if other.taskKind == "review" and other.stage == task.stage
               and other.state != TaskState.CANCELLED and other.planned]
    members = [found for found in members if found]
    if not members:
        return None
    return max(members, key=lambda found: found["yellow"])


def _watch_task(store: SupervisionStore, case: CaseRecord, task: TaskRecord,
                tasks: list[TaskRecord], found: list, pauses: list[dict], now: datetime,
                text: str, counts: dict) -> None:
    own = casefile.task_moments(task, pauses)
    stage = _stage_moments(task, tasks, pauses)
    actions, marked = [], False
    # Waiting on the applicant or a special procedure: its clock stands, no card.
    if task.state == TaskState.OPEN and own:
        level = cards.reached(own, now)
        if cards.rank(level) > cards.rank(task.cardLevel):
            counts["cards"] += supervision.issue(
                store, case.pk, task.itemCode, "task", level, task.dept, own["yellow"], now,
                subject=task.taskId, task_id=task.taskId, stage=task.stage)
            actions.append(TaskRecord.cardLevel.set(level))
        if cards.rank(level) >= cards.rank("yellow") and not task.overdue:
            actions += [TaskRecord.overdue.set(text), TaskRecord.overdueKey.set(
                inbox_filters.filter_keys(task.dept, task.itemCode, task.state,
                                          task.claimedBy, text)["overdueKey"])]
            marked = True
    if task.state == TaskState.OPEN and stage:
        level = cards.reached(stage, now)
        part = f"{task.stage}.{task.dept}"
        if cards.rank(level) > cards.rank(
                supervision.highest(found, supervision.scope_key("stage", part))):
            counts["cards"] += supervision.issue(
                store, case.pk, task.itemCode, "stage", level, task.dept, stage["yellow"], now,
                subject=part, task_id=task.taskId, stage=task.stage)
    upcoming = [moment for moment in (cards.next_moment(m, now) for m in (own, stage) if m)
                if moment]
    actions.append(TaskRecord.watchAt.set(worktime.utc_text(min(upcoming))) if upcoming
                   else TaskRecord.watchShard.remove())
    # Only over what this sweep read: still watched at that moment, in that state (decided
    # or moved meanwhile: the next run looks again if need be).
    if update_if(task, actions, (TaskRecord.watchAt == task.watchAt)
                 & (TaskRecord.state == task.state)):
        counts["tasks"] += marked


def _watch_case(store: SupervisionStore, case: CaseRecord, found: list, pauses: list[dict],
                now: datetime, text: str, counts: dict) -> None:
    """Mark the deadlines the case has missed (its own, an open special procedure's,
    materials to follow) and the card it has reached; keep it in the watch for what
    comes next."""
    before = list(case.overdue or [])
    missed = before + sorted(kind for kind, moment in
                             casefile.deadlines(case, pauses).items() if moment < text)
    actions = []
    if missed != before:
        actions += [CaseRecord.overdue.set(missed), CaseRecord.overdueAt.set(text)]
    moments = casefile.case_moments(case, pauses)
    level = cards.reached(moments, now) if moments else None
    if cards.rank(level) > cards.rank(case.cardLevel):
        dept = catalogue.pinned_version(case.itemCode, case.itemVersion)["implementingDept"]
        counts["cards"] += supervision.issue(store, case.pk, case.itemCode, "case", level,
                                             dept, moments["yellow"], now)
        actions.append(CaseRecord.cardLevel.set(level))
        case.cardLevel = level
    if counts["cards"] and not case.carded:
        actions.append(CaseRecord.carded.set(True))
    invite, invited = True, False
    if ratings.invitation_due(case, now):
        invite = False  # sent now, or rated already: either way done with
        if not ratings.rated(store, case.pk):
            actions.append(CaseRecord.invitedAt.set(text))
            invited = True
    case.overdue = missed
    watch = casefile.next_watch(case, pauses, invite=invite)
    actions.append(CaseRecord.watchAt.set(watch) if watch else CaseRecord.watchShard.remove())
    if _update_case(case, actions, (CaseRecord.watchAt == case.watchAt)
                    & CaseRecord.watchShard.exists()):
        counts["cases"] += missed != before
        counts["invitations"] += invited


def _update_case(case: CaseRecord, actions: list, condition) -> bool:
    try:
        # Not a transition: the case's version stays (a decision racing the sweep stands).
        CaseRecord._get_connection().update_item(case.pk, META, actions=actions,
                                                 condition=condition)
    except UpdateError as error:
        if condition_failed(error):
            return False
        raise
    return True
