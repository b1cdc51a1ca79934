"""The case timeline and its lifecycle events, built from the cases table's stream.

Every change of a case or task record stands for one or more things that happened: a
status change, a task created, claimed, released, assigned, decided or cancelled, the
clock paused or resumed, a deadline missed. Each becomes one timeline event whose sort
key is derived from the change itself, and is published once on the project's event bus
(detail-type `onewindow.case.<type>`, docs/events.md).

Once: the event is published only if the timeline does not hold it yet, and written to
the timeline after it was published. A redelivered stream record finds it and does
nothing; a crash between the two publishes it again with the same `eventId`, which
consumers use to drop the repeat.
"""
from .. import config
from ..adapters import bus
from ..adapters.models import TimelineEvent, put_if_absent
from ..domain import worktime
from ..domain.lifecycle import Status
from ..domain.task_states import TaskState, became
from .ratings import case_department
from .tasks import task_decided

CONCLUSIONS = {Status.APPROVED: "approved",
               Status.APPROVED_PENDING_MATERIALS: "approved_pending_materials",
               Status.DENIED: "denied"}
NOT_ACCEPTED = (Status.NOT_ACCEPTED, Status.REFUSED)
DETAIL_TYPE = "onewindow.case.{}"


def utc_timestamp(value: str) -> str:
    """One sortable form for every writer's timestamps: `YYYY-MM-DDTHH:MM:SS.ffffffZ`."""
    return worktime.utc_precise_text(worktime.parse(value))


def _status_changed(old: dict | None, new: dict) -> bool:
    return new.get("rt") == "case" and not (old and old.get("status") == new.get("status"))


def event_type(event: TimelineEvent) -> str:
    """The lifecycle event's name: the status reached (`accepted`, `withdrawn`…) or what
    happened to a task or the clock (`task_claimed`, `clock_paused`, `overdue`…)."""
    if event.action == "status":
        return Status(event.status).name.lower()
    if event.action == "decision":
        return "task_decided"
    return event.action


def _event(new: dict, at: str, suffix: str, action: str, **fields) -> TimelineEvent:
    at = utc_timestamp(at)
    return TimelineEvent(new["pk"], f"EV#{at}#{suffix}", at=at, action=action,
                         **{"actor": "system", "actorRole": "system", "channel": "system",
                            **{k: v for k, v in fields.items() if v is not None}})


def _case_events(old: dict | None, new: dict) -> list[TimelineEvent]:
    found = []
    if _status_changed(old, new):
        found.append(_event(
            new, new["updatedAt"], f"v{int(new.get('version', 0)):05d}", "status",
            status=int(new["status"]), fromStatus=int(old["status"]) if old else None,
            actor=new.get("actor", "system"), actorRole=new.get("actorRole", "system"),
            actorName=new.get("actorName"), channel=new.get("channel", "system"),
            opinion=new.get("opinion")))
    before = {p["since"]: p for p in (old or {}).get("pauses") or []}
    for pause in new.get("pauses") or []:
        earlier = before.get(pause["since"])
        if earlier is None:
            found.append(_event(new, pause["since"], f"pause#{pause.get('taskId')}",
                                "clock_paused", taskId=pause.get("taskId"),
                                detail={"kind": pause["kind"]}))
        if pause.get("until") and not (earlier and earlier.get("until")):
            found.append(_event(new, pause["until"], f"resume#{pause.get('taskId')}",
                                "clock_resumed", taskId=pause.get("taskId"),
                                detail={"kind": pause["kind"], "minutes": pause["minutes"]}))
    if new.get("invitedAt") and not (old or {}).get("invitedAt"):
        # Not a rating yet: what the applicant is invited to rate (the case itself) and
        # the department such a rating is charged to.
        found.append(_event(new, new["invitedAt"], "rating_invited", "rating_invited",
                            dept=case_department(new["itemCode"], new["itemVersion"]),
                            detail={"scope": "case"}))
    check = new.get("ruleCheck")
    if check and not (old or {}).get("ruleCheck"):
        found.append(_event(new, check["checkedAt"], "rules", "rules_checked",
                            # Not whether it is sampled (抽查): no applicant may learn it.
                            detail={k: check[k] for k in ("outcome", "ruleSet", "trace",
                                                          "notes") if k in check}))
    missed = set((old or {}).get("overdue") or ())
    for kind in new.get("overdue") or ():
        if kind not in missed:
            found.append(_event(new, new.get("overdueAt") or new["updatedAt"],
                                f"overdue#{kind}", "overdue", detail={"deadline": kind}))
    return found


def _task_events(old: dict | None, new: dict) -> list[TimelineEvent]:
    task_id, dept = new["taskId"], new.get("dept")
    # A task is created for its department when it lands in the inbox: recorded open,
    # or, for a later stage's review, when its turn comes.
    if (old is None and new.get("state") == TaskState.OPEN) or \
            (old is not None and old.get("state") == TaskState.UPCOMING
             and new.get("state") == TaskState.OPEN):
        return [_event(new, new.get("openedAt") or new["createdAt"], f"{task_id}#created",
                       "task_created", taskId=task_id, dept=dept,
                       detail={"kind": new["taskKind"], "deadline": new["deadline"]})]
    if old is None:
        return []
    if task_decided(old, new):
        return [_event(new, new["decidedAt"], task_id, "decision", taskId=task_id,
                       dept=dept, decision=new.get("decision"), opinion=new.get("opinion"),
                       actor=new.get("decidedBy"), actorRole=new.get("decidedRole"),
                       actorName=new.get("decidedByName"),
                       channel=new.get("decidedVia", "api"))]
    found = []
    if became(old, new, TaskState.CANCELLED):
        found.append(_event(new, new["cancelledAt"], f"{task_id}#cancelled",
                            "task_cancelled", taskId=task_id, dept=dept,
                            opinion=new.get("cancelReason")))
    if new.get("claimedAt") and new.get("claimedAt") != old.get("claimedAt"):
        action = new.get("claimAction", "claimed")
        found.append(_event(new, new["claimedAt"], f"{task_id}#{action}", f"task_{action}",
                            taskId=task_id, dept=dept, actor=new.get("claimActor"),
                            actorRole="staff", actorName=new.get("claimActorName"),
                            detail={"claimedBy": new.get("claimedBy")}))
    if new.get("overdue") and not old.get("overdue"):
        # `deadline` names the deadline missed, as the case's overdue events do; the
        # moment it fell is `dueAt`, as on cards.
        found.append(_event(new, new["overdue"], f"{task_id}#overdue", "overdue",
                            taskId=task_id, dept=dept,
                            detail={"deadline": "task", "dueAt": new["deadline"]}))
    return found


def _card_events(old: dict | None, new: dict) -> list[TimelineEvent]:
    """A card issued (`card_issued`), acknowledged, resolved or withdrawn
    (`card_<state>`), appealed (`card_appealed`) and the appeal decided
    (`card_appeal_decided`)."""
    card = new["cardId"]
    fields = {"taskId": new.get("taskId"), "dept": new.get("dept")}
    about = {"cardId": card, "level": new["level"], "scope": new["scope"],
             "dueAt": new["dueAt"], **({"stage": new["stage"]} if new.get("stage") else {})}
    if old is None:
        return [_event(new, new["issuedAt"], f"{card}#issued", "card_issued",
                       detail=about, **fields)]
    found = []
    appeal, before = new.get("appeal") or {}, old.get("appeal") or {}
    if appeal and not before:
        found.append(_event(new, appeal["at"], f"{card}#appealed", "card_appealed",
                            actor=appeal["by"], actorRole="staff",
                            actorName=appeal.get("byName"), opinion=appeal["reason"],
                            detail=about, **fields))
    if appeal.get("decision") and not before.get("decision"):
        found.append(_event(new, appeal["decidedAt"], f"{card}#appeal_decided",
                            "card_appeal_decided", actor=appeal["decidedBy"],
                            actorName=appeal.get("decidedByName"),
                            actorRole="supervisor", opinion=appeal.get("opinion"),
                            detail={**about, "decision": appeal["decision"]}, **fields))
    if new["state"] != old.get("state"):
        found.append(_event(new, new["updatedAt"], f"{card}#{new['state']}",
                            f"card_{new['state']}", actor=new.get("updatedBy"),
                            actorName=new.get("updatedByName"),
                            actorRole=new.get("updatedRole", "system"),
                            opinion=new.get("note") if new["state"] == "acknowledged" else None,
                            detail=about, **fields))
    return found


# A change of the case's license (services/licenses/states.py) -> its event.
LICENSE_EVENTS = {"suspend": "license_suspended", "resume": "license_resumed",
                  "revoke": "license_revoked", "reissue": "license_reissued"}

# A rectification step (domain/ratings.py) -> its event.
RECTIFICATION_EVENTS = {"callback": "rectification_called_back",
                        "rectify": "rectification_rectified",
                        "accept": "rectification_accepted",
                        "review": "rectification_review_requested",
                        "review_decision": "rectification_review_decided",
                        "contest": "rating_contested",
                        "contest_decision": "rating_contest_decided"}


def _rating_events(old: dict | None, new: dict) -> list[TimelineEvent]:
    """A rating submitted (`rating_submitted`), the rectification it opened
    (`rectification_opened`), each step of it and each of its deadlines missed
    (`rectification_overdue`)."""
    rating, rectification = new["ratingId"], new.get("rectification")
    about = {"ratingId": rating, "scope": new["scope"], "level": int(new["level"]),
             "ratedAt": new["at"], **({"stage": new["stage"]} if new.get("stage") else {})}
    fields = {"dept": new["dept"]}
    found = []
    if old is None:
        found.append(_event(new, new["at"], f"{rating}#0", "rating_submitted",
                            actor=new["raterSub"], actorRole=new["rater"],
                            channel=new.get("channel", "api"),
                            detail={**about, "indicators": new.get("indicators") or {}},
                            **fields))
        if rectification:
            found.append(_event(new, new["at"], f"{rating}#1", "rectification_opened",
                                detail={**about, "callbackDue": rectification["callbackDue"],
                                        "rectifyDue": rectification["rectifyDue"]},
                                **fields))
        return found
    before = old.get("rectification") or {}
    if not rectification:
        return found
    if rectification.get("step") != before.get("step") and \
            rectification.get("action") in RECTIFICATION_EVENTS:
        action = rectification["action"]
        said = _said(action, rectification)
        found.append(_event(new, rectification["updatedAt"], f"{rating}#{rectification['step']}",
                            RECTIFICATION_EVENTS[action], actor=rectification.get("updatedBy"),
                            actorName=rectification.get("updatedByName"),
                            actorRole=rectification.get("updatedRole", "system"),
                            opinion=said.get("text"),
                            detail={**about, "state": rectification["state"],
                                    "round": rectification.get("round", 1),
                                    **{k: v for k, v in said.items() if k != "text"}},
                            **fields))
    earlier = set(before.get("late") or ())
    for kind in rectification.get("late") or ():
        if kind not in earlier:
            found.append(_event(new, rectification.get("lateAt") or rectification["updatedAt"],
                                f"{rating}#late#{kind}#{rectification.get('round', 1)}",
                                "rectification_overdue",
                                detail={**about, "missed": kind,
                                        "dueAt": rectification[f"{kind}Due"]}, **fields))
    return found


def _said(action: str, rectification: dict) -> dict:
    """What a step said (its text; a decision and what else it names)."""
    if action == "callback":
        step = rectification["callback"]
        return {"text": step.get("note"), "verified": step["verified"]}
    if action == "rectify":
        step = rectification["rectified"]
        return {"text": step.get("answer") or step.get("measures")}
    if action in ("accept", "review"):
        return {"text": rectification["response"].get("reason")}
    if action == "review_decision":
        step = rectification["review"]
        return {"text": step.get("opinion"), "decision": step["decision"],
                "rectifyDue": rectification["rectifyDue"]}
    if action == "contest":
        return {"text": rectification["contest"]["reason"]}
    step = rectification["contest"]
    return {"text": step.get("opinion"), "decision": step["decision"]}


# A document's state after issue (services/case_documents) -> its event.
DOCUMENT_EVENTS = {"superseded": "document_superseded", "annulled": "document_annulled"}


def _document_events(old: dict | None, new: dict) -> list[TimelineEvent]:
    """A document issued — what the supervision record holds of it: its kind, number and
    hash — and later corrected (superseded) or annulled, with the reason."""
    about = {"documentId": new["documentId"], "kind": new["kind"]}
    if old is None:
        return [_event(new, new["issuedAt"], new["sk"], "document_issued", dept=new["dept"],
                       detail={**about, "sha256": new["sha256"]})]
    if new.get("state") == old.get("state") or new.get("state") not in DOCUMENT_EVENTS:
        return []
    return [_event(new, new["stateSince"], f"{new['sk']}#{new['state']}",
                   DOCUMENT_EVENTS[new["state"]], dept=new["dept"],
                   actor=new.get("stateBy") or "system",
                   actorRole=new.get("stateByRole") or "system",
                   actorName=new.get("stateByName"), opinion=new.get("stateReason"),
                   detail={**about, **({"correctedBy": new["supersededBy"]}
                                       if new.get("supersededBy") else {})})]


def events_for(old: dict | None, new: dict | None) -> list[TimelineEvent]:
    """What one change of the cases table stands for, as timeline events."""
    if not new:
        return []
    if new.get("rt") == "case":
        return _case_events(old, new)
    if new.get("rt") == "task":
        return _task_events(old, new)
    if new.get("rt") == "card":
        return _card_events(old, new)
    if new.get("rt") == "rating":
        return _rating_events(old, new)
    if new.get("rt") == "license" and old is None:
        return [_event(new, new["at"], new["sk"], LICENSE_EVENTS[new["action"]],
                       actor=new["by"], actorRole=new["byRole"], actorName=new.get("byName"),
                       channel="api",
                       opinion=new.get("reason"), dept=new.get("dept"),
                       detail={k: new[k] for k in ("licenseId", "fromState", "toState",
                                                   "supersededBy") if new.get(k)})]
    if new.get("rt") == "document":
        return _document_events(old, new)
    if new.get("rt") == "breach" and old is None:
        return [_event(new, new["at"], f"{new['sk']}", "rule_breach", taskId=new.get("taskId"),
                       dept=new["dept"], detail={"kind": new["kind"],
                                                 **(new.get("detail") or {})})]
    return []


def detail_of(event: TimelineEvent, new: dict) -> dict:
    """The published event: what happened to which case, never personal data."""
    detail = {"eventId": f"{event.pk}/{event.sk}", "caseNo": event.pk,
              "itemCode": new.get("itemCode"), "at": event.at, "actor": event.actor,
              "actorRole": event.actorRole, "channel": event.channel}
    for name in ("status", "fromStatus", "taskId", "dept", "decision", "opinion"):
        value = getattr(event, name)
        if value is not None:
            detail[name] = value
    if new.get("rt") == "case":
        detail["caseStatus"] = int(new["status"])
    if event.detail:
        detail.update(event.detail)
    return detail


def record_change(old: dict | None, new: dict | None) -> list[TimelineEvent]:
    """Publish and record what one change stands for; returns the events added now (a
    redelivery adds none)."""
    added = []
    cfg = config.get()
    for event in events_for(old, new):
        try:
            TimelineEvent.get(event.pk, event.sk, consistent_read=True)
            continue  # published and recorded by an earlier delivery
        except TimelineEvent.DoesNotExist:
            pass
        if cfg.event_bus_name:
            bus.put(cfg.event_bus_name, DETAIL_TYPE.format(event_type(event)),
                    detail_of(event, new))
        if put_if_absent(event):
            added.append(event)
    return added


def metrics_of(old: dict | None, new: dict | None) -> list[tuple]:
    """The metrics (name, value, unit, dimensions) the timeline events of a change stand
    for: cases received / accepted / not accepted / concluded, and for a decision its
    latency and whether it came after the task's deadline."""
    if not new:
        return []
    if _status_changed(old, new):
        status = int(new["status"])
        if status == Status.RECEIVED:
            return [("CasesReceived", 1, "Count", {"channel": new.get("appliedVia", "api")})]
        if status == Status.ACCEPTED:
            return [("CasesAccepted", 1, "Count", {})]
        if status in NOT_ACCEPTED:
            return [("CasesNotAccepted", 1, "Count", {})]
        if status in CONCLUSIONS:
            return [("CasesConcluded", 1, "Count", {"outcome": CONCLUSIONS[status]})]
        return []
    if not task_decided(old, new):
        return []
    dept = {"dept": new.get("dept", "unknown")}
    found = []
    created, decided = new.get("createdAt"), new.get("decidedAt")
    if created and decided:
        seconds = (worktime.parse(decided) - worktime.parse(created)).total_seconds()
        found.append(("DecisionLatency", round(max(seconds, 0.0), 3), "Seconds", dept))
    deadline = new.get("deadline")
    if deadline and decided and worktime.parse(decided) > worktime.parse(deadline):
        found.append(("OverdueDecisions", 1, "Count", dept))
    return found
