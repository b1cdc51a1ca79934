"""Settling a change of the cases table: every effect it has, each on its own, and the
reconciliation of those that failed.

The stream handler hands each change here. Its effects — its timeline entries with their
bus events (services/timeline.py), and what follows from it (services/progress.py: the
workflow started or resumed, the case moved on to review, the next stage opened or the
case handed to the conclude queue, an execution stopped, cards, breaches, material uses)
— each run whether or not another failed: a bus that is down does not keep the start
from being queued or the workflow from being resumed. A change with a failed effect
fails its delivery, so the stream retries it; every effect is idempotent, so a retry
redoes only what is still missing.

The stream gives up on a batch after its retries (10, then the batch is described on the
on-failure queue and skipped): an outage longer than the retries would strand the case.
So a change with a failed effect also leaves a marker (`SettleMarker`, sk `SETTLE#<stream
sequence number>`) holding the change itself. Markers are in the `watch` index under
shards of their own (`S#<n>`), due `FIRST_REPLAY_AFTER` on — a sparse index of the
changes not yet settled: the reconciliation reads only them, a Query per shard, never a
Scan, whatever the number of cases. Each overdue sweep (services/overdue.py, also `make
sweep`) touches the markers due (`touch_due`); the touch reaches the stream handler as a
change of the marker, which replays the change it holds (`replay`): every effect again,
so what was done is not done twice and what failed is done now. A replay that settles
everything takes the marker out of the index (kept `KEEP_SETTLED_DAYS`, then TTL); one
that fails again leaves it due, and the next sweep touches it again. The markers a sweep
touches are counted (metric `UnsettledChanges`; its alarm fires when changes stay
unsettled across sweeps).
"""
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from ..adapters.models import SettleMarker, WatchIndex, put_if_absent, update_if
from ..domain import worktime
from . import casefile, clock, progress, stages, timeline
from .stores import Stores

log = logging.getLogger("onewindow")

SHARDS = casefile.WATCH_SHARDS
# The stream retries a failed change for a while first (10 times, backing off): a replay
# before then would only race it.
FIRST_REPLAY_AFTER = timedelta(minutes=5)
KEEP_SETTLED_DAYS = 30
PREFIX = "SETTLE#"
# The work of a queue consumer a marker may ask for again (requeue_later).
REQUEUE, START, CONCLUDE = "requeue", "start", "conclude"


@dataclass
class Outcome:
    """What settling one change did: the metrics to emit (name, value, unit, dimensions)
    and the effects that failed (the delivery fails when any did)."""
    metrics: list[tuple] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def shard(case_no: str) -> str:
    return casefile.watch_shard(case_no, "S")


def settle(stores: Stores, old: dict | None, new: dict | None, key: str) -> Outcome:
    """Every effect of one change (stream images; `key` names it: its sequence number),
    on the composition root's `stores`. A change with a failed effect leaves its
    marker."""
    if (new or old or {}).get("rt") == "settle":
        return replay(stores, old, new)
    outcome = _effects(stores, old, new)
    if outcome.failed:
        _mark(old, new, key, outcome.failed)
    return outcome


def _effects(stores: Stores, old: dict | None, new: dict | None) -> Outcome:
    outcome = Outcome()
    try:
        if timeline.record_change(old, new):
            # Only the delivery that added the timeline events counts them.
            outcome.metrics += timeline.metrics_of(old, new)
    except Exception as error:  # noqa: BLE001 - the other effects still run
        log.warning("case %s: timeline failed: %r", (new or old or {}).get("pk"), error)
        outcome.failed.append("timeline")
    outcome.failed += progress.after_change(stores, old, new)
    return outcome


def _marker(case_no: str, key: str, change: dict, failed: list[str],
            now: datetime) -> SettleMarker:
    """A new marker, due `FIRST_REPLAY_AFTER` from `now`."""
    return SettleMarker(case_no, PREFIX + key, change=change, failed=failed,
                        failedAt=now.isoformat(), attempts=0, watchShard=shard(case_no),
                        watchAt=worktime.utc_text(now + FIRST_REPLAY_AFTER))


def _mark(old: dict | None, new: dict | None, key: str, failed: list[str]) -> None:
    """Leave the change's marker, once (a retried delivery finds it there)."""
    case_no = (new or old)["pk"]
    if put_if_absent(_marker(case_no, key, {"old": old, "new": new}, failed, clock.now())):
        log.warning("case %s: change %s left unsettled (%s); the reconciliation replays it "
                    "if the stream gives up", case_no, key, ", ".join(failed))


def requeue_later(case_no: str, work: str) -> None:
    """A queue consumer's work for the case failed (`start`: its workflow's start,
    services/starts.py; `conclude`: its conclusion, services/conclusion.py): a marker (or
    the one this case has for it, due again) the reconciliation replays by asking for the
    work once more — so work that runs out of its queue's receives (its dead-letter
    queue) while Step Functions or KMS is down does not strand the case."""
    now = clock.now()
    marker = _marker(case_no, work, {REQUEUE: work}, [work], now)
    if put_if_absent(marker):
        log.warning("case %s: %s failed; the reconciliation asks for it again if its queue "
                    "gives up", case_no, work)
        return
    # Replayed and settled before (asked for again, then failed again), or waiting: due
    # again either way.
    update_if(SettleMarker(case_no, PREFIX + work),
              [SettleMarker.watchShard.set(marker.watchShard),
               SettleMarker.watchAt.set(marker.watchAt),
               SettleMarker.failedAt.set(marker.failedAt), SettleMarker.settledAt.remove(),
               SettleMarker.expiresAt.remove()])


def _ask_again(stores: Stores, case_no: str, work: str) -> Outcome:
    """A replayed queue consumer's work: the start queued again if the case still waits
    for its workflow; the conclusion asked for again if every review is decided (the
    same check a decided review makes, services/stages.py)."""
    outcome = Outcome()
    try:
        if work == START:
            if progress.start_pending(case_no):
                progress.enqueue_start(case_no)
        else:
            stages.advance(stores.case_files, case_no)
    except Exception as error:  # noqa: BLE001 - due again at the next sweep
        log.warning("case %s: %s not asked for again: %r", case_no, work, error)
        outcome.failed.append(work)
    return outcome


def replay(stores: Stores, old: dict | None, new: dict | None) -> Outcome:
    """A marker's change: when the sweep touched it (one more attempt), the change it
    holds is settled again; done, the marker leaves the index. Never fails the delivery:
    an effect failing again leaves the marker due, for the next sweep."""
    if not new or int(new.get("attempts") or 0) <= int((old or {}).get("attempts") or 0):
        return Outcome()  # written, settled or expired: nothing asked
    change = new["change"]
    outcome = _ask_again(stores, new["pk"], change[REQUEUE]) if REQUEUE in change \
        else _effects(stores, change.get("old"), change.get("new"))
    marker = SettleMarker(new["pk"], new["sk"])
    if outcome.failed:
        log.warning("case %s: change %s still unsettled after %d replay(s): %s", new["pk"],
                    new["sk"], int(new["attempts"]), ", ".join(outcome.failed))
        return Outcome(metrics=outcome.metrics)
    now = clock.now()
    update_if(marker, [SettleMarker.settledAt.set(now.isoformat()),
                       SettleMarker.watchShard.remove(), SettleMarker.watchAt.remove(),
                       SettleMarker.expiresAt.set(int((now + timedelta(
                           days=KEEP_SETTLED_DAYS)).timestamp()))],
              SettleMarker.attempts == int(new["attempts"]))
    log.info("case %s: change %s settled by the reconciliation", new["pk"], new["sk"])
    return Outcome(metrics=outcome.metrics + [("ChangesReconciled", 1, "Count", {})])


def touch_due(now: datetime | None = None) -> int:
    """The reconciliation's part of a sweep: ask for a replay of every unsettled change
    due at `now` (one more attempt on its marker). Returns how many were touched."""
    now = now or clock.now()
    text = worktime.utc_text(now)
    touched = 0
    for number in range(SHARDS):
        for found in SettleMarker.watch.query(f"S#{number}", WatchIndex.watchAt <= text):
            marker = SettleMarker(found.pk, found.sk)
            # Due again at the next sweep, unless the replay settles it first.
            touched += update_if(marker, [SettleMarker.attempts.add(1),
                                          SettleMarker.touchedAt.set(now.isoformat()),
                                          SettleMarker.watchAt.set(text)],
                                 SettleMarker.watchShard.exists())
    if touched:
        log.warning("reconciliation: %d unsettled change(s) replayed", touched)
    return touched
