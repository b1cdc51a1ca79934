"""Ratings (好差评) and rectification (整改): the applicant or agent rates, a bad rating
is called back, rectified, answered, reviewed or contested (rules in domain/ratings.py).

A rating is a record of its case (sk `RATING#<scope key>#<rater>`), so rating twice is a
put that fails: racing submissions rate once. Its rectification lives on it and every
step is one optimistic update (its version), so two steps at once leave one. Each step
reaches the timeline and the event bus through the cases table's stream, like everything
else that happens to a case; the overdue sweep marks missed rectification deadlines and
sends the invitation to rate.
"""
import logging
from datetime import datetime

from ..adapters.models import CaseRecord, RatingRecord, TaskRecord
from ..domain import identity, ratings, worktime
from ..domain.changes import Absent, Change, ConditionFailed, Create, Equals
from ..domain.errors import (
    Concealed,
    Conflict,
    Forbidden,
    NotFound,
    UnprocessableEntity,
    ValidationError,
)
from ..domain.identifiers import is_valid_case_number
from ..domain.lifecycle import CONCLUDED, STOPS_WORKFLOW
from ..domain.masking import mask_text
from ..domain.task_states import TaskState
from . import casefile, catalogue, clock
from .case_access import may_read
from .holders import owner_id
from .pagination import decode_cursor, encode_cursor
from .supervision import case_records
from .supervision_store import SupervisionStore

log = logging.getLogger("onewindow")

PREFIX = "RATING#"


rules = casefile.rating_rules


def rating_key(scope_key: str, rater: str) -> str:
    return f"{PREFIX}{scope_key}#{rater}"


def _rater(principal: identity.Principal, case: CaseRecord) -> str | None:
    """Which side of the case the caller rates for: its agent, or the applicant."""
    if case.agent and case.agent.get("sub") == principal.sub:
        return "agent"
    if identity.owns(principal, case.applicant.sub, owner_id(case)):
        return "applicant"
    return None


def case_department(item_code: str, item_version) -> str:
    """The department a rating of the case itself is charged to (and its invitation to
    rate names): the item's implementing one, as the case applied under it."""
    return catalogue.pinned_version(item_code, item_version)["implementingDept"]


def _rated_part(case: CaseRecord, tasks: list, body: dict) -> tuple[str, int | None]:
    """The department a rating of this scope is charged to (and the stage); 409 if
    there is nothing to rate there yet."""
    scope = body["scope"]
    if scope == "case":
        if case.closedAt is None or case.status in STOPS_WORKFLOW:
            raise Conflict("the case is rated once it is concluded", code="not_rateable")
        return case_department(case.itemCode, case.itemVersion), None
    if scope == "acceptance":
        decided = sorted((task for task in tasks if task.taskKind == "acceptance"
                          and task.state == TaskState.DECIDED), key=lambda task: task.decidedAt)
        if not decided:
            raise Conflict("the acceptance is rated once it is decided", code="not_rateable")
        return decided[-1].dept, None
    stage = body.get("stage")
    if stage is None:
        raise ValidationError("a stage rating names the stage", field="stage")
    reviews = [task for task in tasks if task.taskKind == "review" and task.stage == stage
               and task.state != TaskState.CANCELLED]
    depts = sorted({task.dept for task in reviews})
    dept = body.get("dept") or (depts[0] if len(depts) == 1 else None)
    if dept is None:
        raise UnprocessableEntity(f"stage {stage} has departments "
                                  f"{', '.join(depts) or 'none'}; name the one rated",
                                  field="dept")
    part = [task for task in reviews if task.dept == dept]
    if not part or any(task.state != TaskState.DECIDED for task in part):
        raise Conflict(f"{dept}'s part of stage {stage} is rated once it is decided",
                       code="not_rateable")
    return dept, stage


def _case(store: SupervisionStore, case_no: str) -> tuple[CaseRecord, list[TaskRecord]]:
    found = store.case(case_no, consistent=True) if is_valid_case_number(case_no) else None
    if found is None:
        raise NotFound(f"no case {case_no}", field="caseNo")
    return found


def rate(store: SupervisionStore, principal: identity.Principal | None, case_no: str,
         body: dict, channel: str) -> dict:
    """The applicant or agent rates one scope of the case, once. A rating of 1 or 2
    opens a rectification charged to the rated department."""
    principal = identity.require_role(principal, identity.APPLICANT)
    case, tasks = _case(store, case_no)
    rater = _rater(principal, case)
    if rater is None:
        raise Concealed(f"no case {case_no}", field="caseNo")
    ratings.check_rating(body)
    dept, stage = _rated_part(case, tasks, body)
    key = ratings.scope_key(body["scope"], stage, dept)
    rating = ratings.rating_id(case_no, key, rater)
    now = clock.now()
    at = worktime.utc_precise_text(now)
    record = RatingRecord(
        case_no, rating_key(key, rater), ratingId=rating, scope=body["scope"], scopeKey=key,
        stage=stage, caseNo=case_no, itemCode=case.itemCode, dept=dept, rater=rater,
        raterSub=principal.sub, level=body["level"], indicators=body.get("indicators"),
        comment=mask_text(body["comment"]) if body.get("comment") else None,
        channel=channel, at=at, cardDept=dept, cardAt=f"{at}#{rating}")
    if ratings.opens_rectification(body["level"]):
        rectification = {"state": "open", "late": [], "step": 1, "round": 1,
                         "action": "open", "updatedAt": at, "updatedBy": "system",
                         **ratings.due_dates(now, clock.zone(), rules())}
        record.rectification, record.rectState = rectification, "open"
        record.watchShard = casefile.watch_shard(case_no)
        record.watchAt = ratings.next_watch(rectification)
    try:
        store.commit([Create((record.pk, record.sk), record)])
    except ConditionFailed:   # racing submissions rate once
        raise Conflict(f"{rating} is rated already (one rating per case, scope and rater)",
                       code="already_rated") from None
    log.info("case %s rated %s (%s) by the %s", case_no, body["level"], key, rater)
    return view(record, staff=False)


def view(record: RatingRecord, staff: bool) -> dict:
    """A rating as its rater (and the case's owner) or staff see it: a contest is
    internal to supervision until it voids the rating."""
    found = {"ratingId": record.ratingId, "caseNo": record.caseNo,
             "itemCode": record.itemCode, "scope": record.scope, "stage": record.stage,
             "dept": record.dept, "rater": record.rater, "level": record.level,
             "levelLabel": ratings.LEVELS[record.level], "indicators": record.indicators,
             "comment": record.comment, "channel": record.channel, "at": record.at,
             "excluded": bool(record.excluded)}
    if record.rectification:
        shown = dict(record.rectification)
        if not staff:
            if shown["state"] == "contested":
                shown["state"] = shown["contest"]["from"]
            shown.pop("contest", None)
        found["rectification"] = {k: v for k, v in shown.items()
                                  if k not in ("step", "action")}
    return {k: v for k, v in found.items() if v is not None}


def case_ratings(store: SupervisionStore, principal: identity.Principal | None,
                 case_no: str) -> dict:
    """The ratings of one case: for its owner and agent, and the staff who may read it."""
    principal = identity.require(principal)
    case, others = case_records(store, case_no)
    tasks = [record for record in others if isinstance(record, TaskRecord)]
    if not may_read(principal, case, tasks) and _rater(principal, case) is None:
        raise Concealed(f"no case {case_no}", field="caseNo")
    found = sorted((record for record in others if isinstance(record, RatingRecord)),
                   key=lambda record: record.sk)
    return {"caseNo": case_no,
            "ratings": [view(record, staff=principal.is_staff) for record in found]}


def list_ratings(store: SupervisionStore, principal: identity.Principal | None,
                 dept: str | None, *, level: int | None = None, state: str | None = None,
                 limit: int = 50, cursor: str | None = None) -> dict:
    """A department's ratings, newest first: its own staff see theirs, supervisors and
    admins any department's. `state`: only those whose rectification is there."""
    principal = identity.require_role(principal, *identity.STAFF)
    dept = identity.department_read(principal, dept)
    if state is not None and state not in ratings.STATES:
        raise ValidationError(f"state must be one of {', '.join(ratings.STATES)}",
                              field="state")
    listing = f"ratings/{dept}"
    page = store.department_ratings(dept, level=level, state=state, limit=limit,
                                    start=decode_cursor(cursor, listing))
    return {"dept": dept, "ratings": [view(record, staff=True) for record in page.records],
            "next": encode_cursor(page.last_key, listing)}


# -- the rectification's steps ---------------------------------------------------------------

def _load(store: SupervisionStore, rating_id: str,
          principal: identity.Principal) -> RatingRecord:
    """The rating, if the caller may know of it: its department's staff, supervisors and
    admins, its rater. Anyone else: 404 (audited)."""
    try:
        case_no, key, rater = ratings.parse_rating_id(rating_id)
    except ValidationError:
        raise NotFound(f"no rating {rating_id}", field="ratingId") from None
    record = store.rating(case_no, rating_key(key, rater), consistent=True)
    if record is None:
        raise NotFound(f"no rating {rating_id}", field="ratingId")
    if principal.sub == record.raterSub or principal.role in identity.READS_EVERY_CASE or \
            (principal.is_staff and principal.dept == record.dept):
        return record
    raise Concealed(f"no rating {rating_id}", field="ratingId")


def _as_read(attribute: str, value):
    """The condition that an attribute is still as it was read."""
    return Absent(attribute) if value is None else Equals(attribute, value)


def _step(store: SupervisionStore, record: RatingRecord, principal: identity.Principal,
          action: str, target: str, changes: dict, at: str) -> dict:
    """Move the rectification on, once, as of `at` (when the step says it was taken): a
    change meanwhile (another step, the sweep) fails it with 409."""
    rectification = {**record.rectification, **changes, "state": target,
                     "step": record.rectification["step"] + 1, "action": action,
                     "updatedAt": at, "updatedBy": principal.sub,
                     "updatedByName": identity.staff_name(principal),
                     "updatedRole": principal.role}
    changed = {"rectification": rectification, "rectState": target}
    removed = set()
    watch = ratings.next_watch(rectification)
    if watch:
        changed.update(watchShard=casefile.watch_shard(record.caseNo), watchAt=watch)
    else:
        removed.add("watchShard")
    if target == "voided":
        changed["excluded"] = True
    try:
        store.commit([Change((record.pk, record.sk), set=changed, remove=frozenset(removed),
                             expect=(_as_read("rectState", record.rectState),),
                             version=record.version)])
    except ConditionFailed:
        raise Conflict(f"rating {record.ratingId} changed meanwhile; reload it",
                       code="rating_changed") from None
    log.info("rating %s: rectification %s", record.ratingId, target)
    return view(store.rating(record.pk, record.sk, consistent=True),
                staff=principal.is_staff)


def _department_staff(principal, record: RatingRecord, lead: bool = False) -> None:
    if lead and not principal.leads(record.dept):
        raise Forbidden(f"the lead of {record.dept} contests its ratings")
    if principal.role not in identity.DEPARTMENT_STAFF or principal.dept != record.dept:
        raise Forbidden(f"the rectification is {record.dept}'s")


def _by(principal, at: str, text_field: str, body: dict, *names: str) -> dict:
    return {"by": principal.sub, "at": at,
            **{name: mask_text(body[name]) for name in (text_field, *names)
               if body.get(name) is not None}}


def callback(store: SupervisionStore, principal: identity.Principal | None,
             rating_id: str, body: dict) -> dict:
    """The department has verified the complaint and called the rater back (回访)."""
    principal = identity.require_role(principal, *identity.DEPARTMENT_STAFF)
    record = _load(store, rating_id, principal)
    _department_staff(principal, record)
    target = ratings.check_action(record.rectification, "callback")
    at = worktime.utc_precise_text(clock.now())
    return _step(store, record, principal, "callback", target, {"callback": {
        **_by(principal, at, "note", body), "verified": body["verified"]}}, at)


def rectify(store: SupervisionStore, principal: identity.Principal | None,
            rating_id: str, body: dict) -> dict:
    """The department has rectified (what it did) and answers the rater."""
    principal = identity.require_role(principal, *identity.DEPARTMENT_STAFF)
    record = _load(store, rating_id, principal)
    _department_staff(principal, record)
    target = ratings.check_action(record.rectification, "rectify")
    at = worktime.utc_precise_text(clock.now())
    return _step(store, record, principal, "rectify", target,
                 {"rectified": _by(principal, at, "measures", body, "answer")}, at)


def respond(store: SupervisionStore, principal: identity.Principal | None,
            rating_id: str, body: dict) -> dict:
    """The rater accepts the rectification (closed) or asks for a re-review (复核)."""
    principal = identity.require_role(principal, identity.APPLICANT)
    record = _load(store, rating_id, principal)
    if principal.sub != record.raterSub:
        raise Concealed(f"no rating {rating_id}", field="ratingId")
    action = "accept" if body["accept"] else "review"
    if action == "review" and not body.get("reason"):
        raise ValidationError("a re-review names its reason", field="reason")
    target = ratings.check_action(record.rectification, action)
    at = worktime.utc_precise_text(clock.now())
    return _step(store, record, principal, action, target,
                 {"response": _by(principal, at, "reason", body) | {"accept": body["accept"]}},
                 at)


def decide_review(store: SupervisionStore, principal: identity.Principal | None,
                  rating_id: str, body: dict) -> dict:
    """A supervisor decides a re-review: the rectification stands (closed) or is done
    again (back to the department, with a new deadline)."""
    principal = identity.require_role(principal, identity.SUPERVISOR)
    record = _load(store, rating_id, principal)
    ratings.check_decision(record.rectification, "review_requested")
    now = clock.now()
    at = worktime.utc_precise_text(now)
    decided = {"review": {**_by(principal, at, "opinion", body),
                          "decision": body["decision"]}}
    if body["decision"] == "upheld":
        return _step(store, record, principal, "review_decision", "closed", decided, at)
    rectification = record.rectification
    decided.update(ratings.due_dates(now, clock.zone(), rules(), callback=False),
                   round=rectification["round"] + 1,
                   late=[kind for kind in rectification.get("late") or () if kind != "rectify"])
    return _step(store, record, principal, "review_decision", "called_back", decided, at)


def contest(store: SupervisionStore, principal: identity.Principal | None,
            rating_id: str, body: dict) -> dict:
    """The department's lead contests an abusive rating with evidence; a supervisor
    decides."""
    principal = identity.require_role(principal, *identity.DEPARTMENT_STAFF)
    record = _load(store, rating_id, principal)
    _department_staff(principal, record, lead=True)
    target = ratings.check_action(record.rectification, "contest")
    at = worktime.utc_precise_text(clock.now())
    return _step(store, record, principal, "contest", target, {"contest": {
        **_by(principal, at, "reason", body), "evidence": list(body.get("evidence") or []),
        "from": record.rectification["state"]}}, at)


def decide_contest(store: SupervisionStore, principal: identity.Principal | None,
                   rating_id: str, body: dict) -> dict:
    """A supervisor upholds the contest (the rating is voided: it no longer counts) or
    rejects it (the rectification goes on where it was)."""
    principal = identity.require_role(principal, identity.SUPERVISOR)
    record = _load(store, rating_id, principal)
    ratings.check_decision(record.rectification, "contested")
    at = worktime.utc_precise_text(clock.now())
    contested = record.rectification["contest"]
    decided = {"contest": {**contested, "decision": body["decision"],
                           "opinion": mask_text(body["opinion"]), "decidedBy": principal.sub,
                           "decidedAt": at}}
    target = "voided" if body["decision"] == "upheld" else contested["from"]
    return _step(store, record, principal, "contest_decision", target, decided, at)


# -- what the sweep does -------------------------------------------------------------------

def mark_late(store: SupervisionStore, case_no: str, sk: str, text: str) -> int:
    """The sweep: mark the rectification deadlines missed at `text` (once each) and move
    the rating on in the watch. How many were marked."""
    record = store.rating(case_no, sk, consistent=True)
    if record is None or not record.rectification or not record.watchShard or \
            not record.watchAt or record.watchAt > text:
        return 0
    late = ratings.missed(record.rectification, text)
    rectification = record.rectification
    changed, removed = {}, frozenset()
    if late:
        rectification = {**rectification, "late": sorted({*rectification.get("late", ()),
                                                           *late}), "lateAt": text}
        changed["rectification"] = rectification
    watch = ratings.next_watch(rectification)
    if watch:
        changed["watchAt"] = watch
    else:
        removed = frozenset({"watchShard"})
    try:
        store.commit([Change((record.pk, record.sk), set=changed, remove=removed,
                             expect=(Equals("watchAt", record.watchAt),),
                             version=record.version)])
    except ConditionFailed:   # a step or another sweep moved it meanwhile
        return 0
    return len(late)


def invitation_due(case: CaseRecord, now: datetime) -> bool:
    """Whether a concluded case's invitation to rate has come (and was not sent)."""
    moment = casefile.invitation_at(case)
    return case.status in CONCLUDED and moment is not None and \
        moment <= worktime.utc_text(now)


def rated(store: SupervisionStore, case_no: str) -> bool:
    """Whether the case itself has a rating (by the applicant or the agent)."""
    return bool(store.ratings(case_no, rating_key("case", "")))
