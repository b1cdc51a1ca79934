"""Ratings (好差评): the applicant or agent rates; a bad rating's rectification is called
back, rectified and answered by the department, accepted or sent to re-review by the
rater, contested by the department's lead; a supervisor decides re-reviews and contests."""
from chalice import Blueprint, Response

from .. import wiring
from ..contract import models
from ..domain import identity
from ..domain import ratings as rating_rules
from ..services import ratings
from . import http
from .cases import CHANNEL_HEADER, channel_of

bp = Blueprint(__name__)


def _store():
    """The supervision records the composition root built (wiring.py)."""
    return wiring.stores().supervision


@http.route(bp, "POST", "/cases/{case_no}/ratings", op="rateCase",
            summary="rate the case, its acceptance or a department's part of a stage "
                    "(once per rater); 1–2 opens a rectification", tag="ratings",
            roles=(identity.APPLICANT,), returns=models.Rating, status=201,
            body=models.RatingIn, errors=(404, 409), headers=CHANNEL_HEADER)
def rate(case_no, caller, document):
    created = ratings.rate(_store(), caller, case_no, document,
                           channel_of(bp.current_request))
    return Response(body=created, status_code=201)


@http.route(bp, "GET", "/cases/{case_no}/ratings", op="listCaseRatings",
            summary="a case's ratings and their rectifications (its owner, agent and "
                    "staff who may read it)", tag="ratings", returns=models.CaseRatings,
            errors=(404,))
def case_ratings(case_no, caller):
    return ratings.case_ratings(_store(), caller, case_no)


@http.route(bp, "GET", "/ratings", op="listRatings",
            summary="a department's ratings, newest first", tag="ratings",
            roles=identity.STAFF, returns=models.RatingPage,
            query=(("dept", {"type": "string", "maxLength": http.MAX_PARAM_CHARS}, False,
                    "the department (default: the caller's own; supervisors name one)"),
                   ("level", {"type": "integer", "minimum": 1, "maximum": 5}, False,
                    "only ratings of this level"),
                   ("state", {"type": "string", "enum": list(rating_rules.STATES)}, False,
                    "only ratings whose rectification is in this state"),
                   http.limit_query(50), http.CURSOR_QUERY))
def list_ratings(caller):
    request = bp.current_request
    return ratings.list_ratings(
        _store(), caller, http.query_param(request, "dept"),
        level=http.int_param(request, "level", None, 1, 5),
        state=http.query_param(request, "state"),
        limit=http.int_param(request, "limit", 50, 1, 100),
        cursor=http.query_param(request, "cursor"))


def _step(path: str, op: str, summary: str, body, roles: tuple[str, ...], action):
    """One step of a rectification: POST /ratings/{rating_id}/<path> with a `body` model,
    handed to `action(store, principal, rating_id, body)`."""
    def step(rating_id, caller, document):
        return action(_store(), caller, rating_id, document)
    step.__name__ = action.__name__
    return http.route(bp, "POST", f"/ratings/{{rating_id}}/{path}", op=op, summary=summary,
                      tag="ratings", roles=roles, returns=models.Rating, body=body,
                      errors=(404, 409))(step)


callback = _step("callback", "callBackRating", "the department verified the complaint and "
                 "called the rater back (回访)", models.Callback, identity.DEPARTMENT_STAFF,
                 ratings.callback)
rectify = _step("rectification", "rectifyRating", "the department rectified and answers "
                "the rater", models.RectificationDone, identity.DEPARTMENT_STAFF,
                ratings.rectify)
respond = _step("response", "respondToRectification", "the rater accepts the rectification "
                "or asks for a re-review (复核)", models.RectificationResponse,
                (identity.APPLICANT,), ratings.respond)
decide_review = _step("review/decision", "decideRatingReview", "a supervisor decides a "
                      "re-review: upheld (closed) or redo", models.ReviewDecision,
                      (identity.SUPERVISOR,), ratings.decide_review)
contest = _step("contest", "contestRating", "the department's lead contests an abusive "
                "rating with evidence", models.RatingContest, identity.DEPARTMENT_STAFF,
                ratings.contest)
decide_contest = _step("contest/decision", "decideRatingContest", "a supervisor decides a "
                       "contest: upheld (the rating is voided) or rejected",
                       models.ContestDecision, (identity.SUPERVISOR,), ratings.decide_contest)
