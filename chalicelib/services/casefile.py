"""Writing a case: the status change, the clock's pauses and the open tasks, as typed
changes (domain/changes.py) that a caller commits in one transaction with whatever else
it changes (services/case_files.py).

Every status change goes through `status_change` (the lifecycle checked first); every
pause and resume through `pause_change` / `resume_changes`, which keep the case's place in
the overdue watch (`watch` index) and its open tasks' deadlines in step with the clock.

The watch holds each open case and task at the next moment the sweep must look at it:
its next deadline or card level (domain/cards.py). A moment found too early costs one
look (the sweep works it out again and moves it on); never too late.
"""
import functools
import zlib
from datetime import date, datetime

from .. import config
from ..adapters.models import CaseRecord, TaskRecord
from ..domain import cards, inbox_filters, ratings, task_states, worktime
from ..domain.case_file import case_key, task_key
from ..domain.changes import Change, OneOf
from ..domain.lifecycle import CLOSED, CONCLUDED, Status, check_transition
from ..domain.task_states import TaskState
from . import clock

WATCH_SHARDS = 8
# Not decided or cancelled yet: what a closing case cancels, what a resumed clock moves on.


def watch_shard(case_no: str, part: str = "W") -> str:
    """The shard of the watch a case and its tasks sit in (spreads the index's writes);
    `part` names the part of the index (`S`: changes not settled, services/settlement)."""
    return f"{part}#{zlib.crc32(case_no.encode()) % WATCH_SHARDS}"


@functools.cache
def _rules(text: str | None) -> cards.Rules:
    return cards.Rules.parse(text)


def card_rules() -> cards.Rules:
    """The region's card rules (OW_CARD_RULES)."""
    return _rules(config.get().card_rules)


@functools.cache
def _rating_rules(text: str | None) -> ratings.Rules:
    return ratings.Rules.parse(text)


def rating_rules() -> ratings.Rules:
    """The region's rating rules (OW_RATING_RULES)."""
    return _rating_rules(config.get().rating_rules)


def invitation_at(case: CaseRecord, closed_at: str | None = None) -> str | None:
    """When a concluded case not rated yet is invited to be (none: not one, or done)."""
    closed_at = case.closedAt or closed_at
    if case.invitedAt is not None or closed_at is None:
        return None
    return worktime.utc_text(ratings.invitation_moment(worktime.parse(closed_at),
                                                       rating_rules()))


def case_moments(case: CaseRecord, pauses: list[dict]) -> dict[str, datetime] | None:
    """When the case itself reaches each card level: warned before its promised deadline,
    yellow at it, red some working days later or at its statutory deadline. None once it
    is closed."""
    due = case.due or {}
    if case.closedAt is not None or "promised" not in due:
        return None
    zone = clock.zone()
    limit = worktime.minutes_between(worktime.parse(case.createdAt),
                                     worktime.parse(due["promised"]), zone)
    hard = worktime.parse(worktime.shifted(due["statutory"], pauses, zone)) \
        if "statutory" in due else None
    return cards.moments(worktime.parse(worktime.shifted(due["promised"], pauses, zone)),
                         limit, zone, card_rules(), hard)


def task_moments(task: TaskRecord, pauses: list[dict]) -> dict[str, datetime] | None:
    """When a task reaches each card level: its limit runs from when it opened to its
    planned deadline; its deadline moves on with the case's pauses."""
    if not task.planned:
        return None
    zone = clock.zone()
    limit = worktime.minutes_between(worktime.parse(task.openedAt or task.createdAt),
                                     worktime.parse(task.planned), zone)
    return cards.moments(worktime.parse(worktime.shifted(task.planned, pauses, zone)),
                         limit, zone, card_rules())


def first_watch(task: TaskRecord, pauses: list[dict]) -> dict[str, str]:
    """A task opening joins the watch at its first card moment: its attributes."""
    found = task_moments(task, pauses)
    if found is None:
        return {}
    return {"watchShard": watch_shard(task.pk),
            "watchAt": worktime.utc_text(found["warning"])}


def deadlines(case: CaseRecord, pauses: list[dict] | None = None,
              procedures: list[dict] | None = None) -> dict[str, str]:
    """Every deadline of the case still to watch, by kind, as UTC moments:

    - `promised` and `statutory`: the case's own, moved on by the working time it spent
      paused — while the case is open;
    - `special_procedure#<n>`: the open special procedure's own statutory limit (the
      case's clock is stopped meanwhile, the procedure's is not);
    - `materials`: the close of the day materials approved to follow (容缺) are due.
    A kind already marked overdue is not watched again."""
    missed = set(case.overdue or ())
    found = {}
    if case.closedAt is None:
        due = case.due or {}
        for kind in ("promised", "statutory"):
            if kind in due and kind not in missed:
                found[kind] = worktime.shifted(due[kind], pauses if pauses is not None
                                               else case.pauses or [], clock.zone())
    procedures = procedures if procedures is not None else list(case.procedures or [])
    if procedures and not procedures[-1].get("endedAt"):
        kind = f"special_procedure#{len(procedures)}"
        if kind not in missed and procedures[-1].get("dueAt"):
            found[kind] = procedures[-1]["dueAt"]
    if case.pendingMaterials and case.materialsDueBy and "materials" not in missed:
        found["materials"] = materials_due(case.materialsDueBy)
    return found


def materials_due(day: str) -> str:
    return worktime.utc_text(worktime.close_of(date.fromisoformat(day), clock.zone()))


def next_watch(case: CaseRecord, pauses: list[dict] | None = None, invite: bool = True,
               **changes) -> str | None:
    """The soonest moment the sweep must look at this case: a deadline still watched
    (`deadlines`), a card level it has not had, or (concluded) its invitation to rate
    unless `invite` is done with; none once every one has come. `changes` (procedures)
    describe the case as a write in progress leaves it."""
    pauses = pauses if pauses is not None else case.pauses or []
    found = list(deadlines(case, pauses, **changes).values())
    if invite and case.status in CONCLUDED and invitation_at(case):
        found.append(invitation_at(case))
    levels = case_moments(case, pauses) or {}
    found += [worktime.utc_text(moment) for level, moment in levels.items()
              if cards.rank(level) > cards.rank(case.cardLevel)]
    return min(found) if found else None


def status_change(case: CaseRecord, target: Status, actor: str, role: str, channel: str,
                  opinion: str | None, at: datetime, watched: bool = False,
                  actor_name: str | None = None) -> Change:
    """Move the case to `target` (409 if the lifecycle forbids it) and record who did it,
    on the case's version as read. Closing it stops its clock for good and takes it out of
    the overdue watch, unless it is still `watched` (materials to follow: the caller adds
    its watch); a conclusion stays in it until its invitation to rate. `actor_name`: a
    member of staff's name (identity.staff_name), never carried over to the next actor."""
    check_transition(case.status, target)
    when = at.isoformat()
    sets = {"status": int(target), "updatedAt": when, "actor": actor, "actorRole": role,
            "channel": channel, "opinion": opinion}
    removes = set()
    if actor_name:
        sets["actorName"] = actor_name
    else:
        removes.add("actorName")
    if target == Status.ACCEPTED:
        sets["acceptedAt"] = when
    if target in CONCLUDED and not watched and invitation_at(case, when):
        sets.update(watchShard=watch_shard(case.pk), watchAt=invitation_at(case, when))
    elif target in CLOSED and not watched:
        removes.add("watchShard")
    if target in CLOSED and case.closedAt is None:
        # The clock stops for good; a pause still open ends here.
        sets["closedAt"] = when
        if worktime.open_pause(case.pauses or []):
            sets["pauses"] = worktime.end_pause(case.pauses, at, clock.zone())
    return Change(case_key(case.pk), set=sets, remove=frozenset(removes),
                  version=case.version)


def pause_change(case: CaseRecord, kind: str, task_id: str, at: datetime) -> Change:
    """The case's clock stops: a pause of `kind` (for `task_id`) begins at `at`."""
    pauses = [*(case.pauses or []),
              worktime.Pause(kind, worktime.utc_text(at), taskId=task_id).as_dict()]
    return Change(case_key(case.pk), set={"pauses": pauses})


def resume_changes(case: CaseRecord, tasks: list[TaskRecord], at: datetime,
                   **changes) -> tuple[Change, list[Change]]:
    """End the open pause: the case's watch and every open task's deadline move on by the
    working time it lasted. The case's change, and its open tasks' (each while it is still
    open). `changes`: as for `next_watch` (a special procedure ending with the pause)."""
    zone = clock.zone()
    pauses = worktime.end_pause(case.pauses or [], at, zone)
    sets = {"pauses": pauses}
    watch = next_watch(case, pauses, **changes)
    if watch:
        sets["watchAt"] = watch
    moved_tasks = []
    for task in tasks:
        if task.state in task_states.ACTIVE and task.planned:
            moved = worktime.shifted(task.planned, pauses, zone)
            updates = {"deadline": moved} if moved != task.deadline else {}
            updates.update(rewatch(task, at))
            if updates:
                moved_tasks.append(Change(task_key(task.taskId), set=updates,
                                          expect=(OneOf("state", task_states.ACTIVE),)))
    return Change(case_key(case.pk), set=sets), moved_tasks


def rewatch(task: TaskRecord, at: datetime) -> dict[str, str]:
    """The clock resumes: a sweep while it stood put the task in the watch as if the pause
    ended then, so the next sweep works its moments out again."""
    return {"watchAt": worktime.utc_text(at)} if task.watchShard else {}


def cancel_change(task: TaskRecord, reason: str, at: datetime) -> Change:
    """A task closed without a decision, while it is still open: out of the inbox and the
    watch, with why and when."""
    return inbox_filters.indexed(task, Change(
        task_key(task.taskId),
        set={"state": TaskState.CANCELLED, "cancelledAt": at.isoformat(),
             "cancelReason": reason},
        remove=frozenset({"inboxDept", "watchShard"}),
        expect=(OneOf("state", task_states.ACTIVE),)))


def cancel_open_tasks(tasks: list[TaskRecord], reason: str, at: datetime,
                      keep: str | None = None) -> list[Change]:
    """Close every task still open (but `keep`): out of the inbox, never decided."""
    return [cancel_change(task, reason, at) for task in tasks
            if task.state in task_states.ACTIVE and task.taskId != keep]
