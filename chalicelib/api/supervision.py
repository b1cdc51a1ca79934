"""Supervision (电子监察): cards and rule breaches by department, one case's supervision
view, a department's acknowledgement and appeal, a supervisor's decision on it."""
import functools

from chalice import Blueprint

from .. import wiring
from ..contract import models
from ..domain import breaches, cards, identity
from ..domain.errors import ValidationError
from ..services import instant_review, open_work, supervision, supervision_record
from . import http

bp = Blueprint(__name__)
staff_route = functools.partial(http.route, roles=identity.STAFF, tag="supervision")
# A card is acknowledged and appealed by the department it is charged to.
department_route = functools.partial(http.route, roles=identity.DEPARTMENT_STAFF,
                                     tag="supervision")


def _store():
    """The supervision records the composition root built (wiring.py)."""
    return wiring.stores().supervision


@staff_route(bp, "GET", "/supervision/cards", op="listCards",
             summary="a department's warnings and cards, newest first",
             returns=models.CardPage,
             query=(("dept", {"type": "string", "maxLength": http.MAX_PARAM_CHARS}, False,
                     "the department (default: the caller's own; supervisors name one)"),
                    ("item", {"type": "string", "maxLength": http.MAX_PARAM_CHARS}, False,
                     "only cards of this item (implementation code)"),
                    ("state", {"type": "string", "enum": list(cards.STATES)}, False,
                     "only cards in this state"),
                    ("level", {"type": "string", "enum": list(cards.LEVELS)}, False,
                     "only warnings, yellow or red cards"),
                    ("appeal", {"type": "string", "enum": list(cards.APPEAL_STATES)}, False,
                     "only cards whose appeal waits for a supervisor (pending) or was "
                     "upheld or rejected"),
                    http.limit_query(50), http.CURSOR_QUERY))
def list_cards(caller):
    request = bp.current_request
    return supervision.list_cards(_store(), caller, http.query_param(request, "dept"),
                                  item=http.query_param(request, "item"),
                                  state=http.query_param(request, "state"),
                                  level=http.query_param(request, "level"),
                                  appeal=http.query_param(request, "appeal"),
                                  limit=http.int_param(request, "limit", 50, 1, 100),
                                  cursor=http.query_param(request, "cursor"))


@staff_route(bp, "GET", "/supervision/breaches", op="listBreaches",
             summary="a department's rule breaches, newest first", returns=models.BreachPage,
             query=(("dept", {"type": "string", "maxLength": http.MAX_PARAM_CHARS}, False,
                     "the department (default: the caller's own; supervisors name one)"),
                    ("kind", {"type": "string", "enum": list(breaches.KINDS)}, False,
                     "only breaches of this kind"),
                    http.limit_query(50), http.CURSOR_QUERY))
def list_breaches(caller):
    request = bp.current_request
    return supervision.list_breaches(_store(), caller, http.query_param(request, "dept"),
                                     kind=http.query_param(request, "kind"),
                                     limit=http.int_param(request, "limit", 50, 1, 100),
                                     cursor=http.query_param(request, "cursor"))


@staff_route(bp, "GET", "/cases/{case_no}/supervision", op="getCaseSupervision",
             summary="one case as supervision sees it: cards, missed deadlines, tasks",
             returns=models.CaseSupervision, errors=(404,))
def case_supervision(case_no, caller):
    return supervision.case_supervision(_store(), caller, case_no)


@department_route(bp, "POST", "/supervision/cards/{card_id}/acknowledge", op="acknowledgeCard",
             summary="the department has seen the card (and says what it does about it)",
             returns=models.Card, body=models.CardAcknowledgement, errors=(404, 409))
def acknowledge(card_id, caller, document):
    return supervision.acknowledge(_store(), caller, card_id, document)


@department_route(bp, "POST", "/supervision/cards/{card_id}/appeal", op="appealCard",
             summary="the department's lead appeals a yellow or red card, with its reason",
             returns=models.Card, body=models.CardAppeal, errors=(404, 409))
def appeal(card_id, caller, document):
    return supervision.appeal(_store(), caller, card_id, document)


@http.route(bp, "POST", "/supervision/cards/{card_id}/appeal/decision",
            op="decideCardAppeal", tag="supervision", roles=(identity.SUPERVISOR,),
            summary="a supervisor upholds the appeal (the card is withdrawn) or rejects it",
            returns=models.Card, body=models.AppealDecision, errors=(404, 409))
def decide_appeal(card_id, caller, document):
    return supervision.decide_appeal(_store(), caller, card_id, document)


@http.route(bp, "GET", "/supervision/record-status", op="getRecordStatus", tag="supervision",
            roles=(identity.SUPERVISOR,),
            summary="the supervision record's seals and chains, checked as `make "
                    "verify-audit` checks them, for a range of days (supervisors)",
            returns=models.RecordStatus,
            query=(("from", {"type": "string", "format": "date"}, False,
                    "the first day, YYYY-MM-DD (default: 30 days before `to`)"),
                   ("to", {"type": "string", "format": "date"}, False,
                    "the last day (default: today, the region's office date); at most "
                    f"{supervision_record.MAX_DAYS} days from `from`")))
def record_status(caller):
    request = bp.current_request
    return supervision_record.status(caller,
                                     http.query_param(request, "from"),
                                     http.query_param(request, "to"))


@staff_route(bp, "GET", "/supervision/open-work", op="getOpenWork",
             summary="a department's open tasks by working days left (overdue, today, 1, "
                     "2, 3-5, 6-10, 11+), each bucket with the deadlines that list it",
             returns=models.OpenWork,
             query=(("dept", {"type": "string", "maxLength": http.MAX_PARAM_CHARS}, False,
                     "the department (default: the caller's own; supervisors name one)"),))
def open_work_by_days_left(caller):
    return open_work.open_work(caller, http.query_param(bp.current_request, "dept"))


@http.route(bp, "GET", "/supervision/instant-samples", op="listInstantSamples",
            summary="抽查: the instant approvals (秒批) sampled for a supervisor to check, "
                    "open or checked", tag="supervision", returns=models.InstantSamples,
            roles=(identity.SUPERVISOR, identity.ADMIN),
            query=(("state", {"type": "string", "enum": ["open", "checked"]}, False,
                    "open (default) or checked"), http.limit_query(20), http.CURSOR_QUERY))
def instant_samples(caller):
    request = bp.current_request
    state = http.query_param(request, "state") or "open"
    if state not in ("open", "checked"):
        raise ValidationError("state must be open or checked", field="state")
    return instant_review.samples(caller, state,
                                  limit=http.int_param(request, "limit", 20, 1, 100),
                                  cursor=http.query_param(request, "cursor"))


@http.route(bp, "POST", "/supervision/instant-samples/{case_no}/checked",
            op="checkInstantSample",
            summary="mark a sampled instant approval checked, with what was found (to undo "
                    "the approval, revoke the case: POST /cases/{case_no}/revoke)",
            tag="supervision", returns=models.InstantSample, body=models.SampleCheck,
            roles=(identity.SUPERVISOR, identity.ADMIN), errors=(404, 422))
def check_instant_sample(case_no, caller, body):
    return instant_review.mark_checked(caller, case_no, body.note)
