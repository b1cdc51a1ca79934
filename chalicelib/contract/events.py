"""The lifecycle events' contract: the JSON Schema (2020-12) of every event the project's
bus carries, one variant per event type (docs/events.md, docs/events.schema.json).

The one source of what an event may carry: docs/events.schema.json and the table of
types and fields in docs/events.md are written from it (`python -m infra.events_schema`;
tests/unit/test_event_schema.py fails when they differ), and every event published during
the integration tests is validated against it (tests/integration/conftest.py).
"""
import functools
import json
from typing import TYPE_CHECKING, Any

from ..domain import (
    breaches,
    cards,
    case_documents,
    decisions,
    document_proof,
    license_states,
    ratings,
)
from ..domain.lifecycle import Status

if TYPE_CHECKING:
    from jsonschema.protocols import Validator

SOURCE = "onewindow"
DETAIL_TYPE = "onewindow.case.{}"
SCHEMA_ID = "urn:onewindow:schema:lifecycle-events"

TEXT = {"type": "string", "minLength": 1}
TIMESTAMP = {"type": "string", "format": "date-time"}

# What every event's detail carries.
COMMON = {
    "eventId": {**TEXT, "description": "<caseNo>/<timeline key>: the same for a repeat"},
    "caseNo": {"type": "string", "pattern": r"^\d{21}[0-9X]$"},
    "itemCode": {**TEXT, "description": "the item the case applied for"},
    "at": {**TIMESTAMP, "description": "when it happened (UTC)"},
    "actor": {**TEXT, "description": "who did it (`system` for the workflow and sweep)"},
    "actorRole": TEXT,
    "channel": TEXT,
}

# Each field has one meaning wherever it appears; an event type narrows it at most.
FIELDS: dict[str, dict[str, Any]] = {
    "status": {"type": "integer", "minimum": 1, "maximum": 15,
               "description": "the status the case reached"},
    "fromStatus": {"type": "integer", "minimum": 1, "maximum": 15},
    "caseStatus": {"type": "integer", "minimum": 1, "maximum": 15,
                   "description": "the case's status after the change (events of the case "
                                  "record itself)"},
    "opinion": {"type": "string", "description": "the opinion, note or reason (masked)"},
    "taskId": TEXT,
    "dept": {**TEXT, "description": "the department's code"},
    "decision": TEXT,
    "kind": TEXT,
    "deadline": {**TEXT, "description": "a task's deadline (task_created, a late "
                                        "acceptance's rule_breach: the moment); overdue: "
                                        "which deadline was missed"},
    "dueAt": {**TIMESTAMP, "description": "when it was due"},
    "minutes": {"type": "integer", "minimum": 0,
                "description": "the working minutes the clock stood"},
    "claimedBy": {"type": ["string", "null"], "description": "who holds the task now"},
    "cardId": TEXT,
    "level": {},
    "scope": TEXT,
    "stage": {"type": "integer", "minimum": 1},
    "licenseId": {"type": "string", "pattern": r"^1\.2\.156\.\d+(\.[0-9A-Za-z-]+)+$"},
    "fromState": {"enum": list(license_states.STATES)},
    "toState": {"enum": list(license_states.STATES)},
    "supersededBy": {"type": "string", "pattern": r"^1\.2\.156\.\d+(\.[0-9A-Za-z-]+)+$"},
    "ratingId": {"type": "string", "pattern": r"^\d{21}[0-9X]~[\w.-]+~(applicant|agent)$"},
    "ratedAt": {**TIMESTAMP, "description": "when the rating was made"},
    "indicators": {"type": "object", "propertyNames": {"enum": list(ratings.INDICATORS)},
                   "additionalProperties": {"type": "integer", "minimum": 1, "maximum": 5}},
    "state": {"enum": list(ratings.STATES)},
    "round": {"type": "integer", "minimum": 1,
              "description": "1, one more for each re-review sent back"},
    "verified": {"type": "boolean"},
    "callbackDue": TIMESTAMP,
    "rectifyDue": TIMESTAMP,
    "missed": {"enum": ["callback", "rectify"]},
    "first": {**TIMESTAMP, "description": "when the materials were first asked for"},
    "materials": {"type": "array", "items": {"type": "string"},
                  "description": "the materials asked for the second time"},
    "documentId": {"type": "string", "pattern": document_proof.DOCUMENT_ID_PATTERN,
                   "description": "a formal document's number (docs/documents.md)"},
    "correctedBy": {"type": "string", "pattern": document_proof.DOCUMENT_ID_PATTERN,
                    "description": "the corrected version that supersedes the document"},
    "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$",
               "description": "SHA-256 of the signed document and its signature (RFC 8785)"},
    "outcome": {"enum": ["approved", "referred"],
                "description": "秒批: approved by the rules, or referred to people"},
    "ruleSet": {**TEXT, "description": "the item version whose rules were checked"},
    "trace": {"type": "array", "description": "each rule: id, name, expression, its "
                                              "inputs (masked), held, and why not",
              "items": {"type": "object", "required": ["id", "name", "expression",
                                                       "inputs", "held"]}},
    "notes": {"type": "array", "items": {"type": "string"},
              "description": "what the check could not read (a registry down, no consent)"},
}

# Narrowed fields, shared by several event types.
CARD_LEVEL = {"enum": list(cards.LEVELS)}
CARD_SCOPE = {"enum": list(cards.SCOPES)}
RATING_LEVEL = {"type": "integer", "minimum": 1, "maximum": 5}
RATING_SCOPE = {"enum": list(ratings.SCOPES)}
# An `overdue` event's `deadline` names which deadline was missed; its moment is `dueAt`.
MISSED_DEADLINE = {"type": "string",
                   "pattern": r"^(task|promised|statutory|materials|special_procedure#\d+)$",
                   "description": "which deadline was missed: the task's own, or the case's "
                                  "(its moment: dueAt)"}


def _variant(required: dict[str, Any], optional: dict[str, Any] | None = None
             ) -> dict[str, Any]:
    """(required fields, optional fields) of one event type: {name: narrowed schema or
    None for the field's own}."""
    return {"required": required, "optional": optional or {}}


def _status(first: bool = False) -> dict[str, Any]:
    required: dict[str, Any] = {"status": None, "caseStatus": None}
    if not first:
        required["fromStatus"] = None
    return _variant(required, {"opinion": None})


_TASK = {"taskId": None, "dept": None}
_CLAIM = _variant({**_TASK, "claimedBy": None})
_CARD = {"cardId": None, "level": CARD_LEVEL, "scope": CARD_SCOPE, "dueAt": None,
         "dept": None}
_CARD_OPTIONAL = {"taskId": None, "stage": None}
_RATING = {"ratingId": None, "scope": RATING_SCOPE, "level": RATING_LEVEL, "dept": None,
           "ratedAt": None}
_RATING_OPTIONAL = {"stage": None}
_STEP = {**_RATING, "state": None, "round": None}
_STEP_OPTIONAL = {**_RATING_OPTIONAL, "opinion": None}
_LICENSE = {"licenseId": None, "fromState": None, "toState": None, "dept": None}


def _types() -> dict[str, dict[str, Any]]:
    found = {status.name.lower(): _status(first=status == Status.RECEIVED)
             for status in Status}
    found.update({
        "task_created": _variant({**_TASK, "kind": {"enum": list(decisions.KINDS)},
                                  "deadline": TIMESTAMP}),
        "task_claimed": _CLAIM, "task_released": _CLAIM, "task_assigned": _CLAIM,
        # The decision table's (domain/decisions.py): a new decision is published as is.
        "task_decided": _variant({**_TASK, "decision": {"enum": list(decisions.NAMES)}},
                                 {"opinion": None}),
        "task_cancelled": _variant(_TASK, {"opinion": None}),
        "clock_paused": _variant({"kind": {"enum": ["supplement", "special_procedure"]},
                                  "caseStatus": None}, {"taskId": None}),
        "clock_resumed": _variant({"kind": {"enum": ["supplement", "special_procedure"]},
                                   "caseStatus": None, "minutes": None}, {"taskId": None}),
        # A task's deadline (`task`, with the task and its moment) or the case's.
        "overdue": _variant({"deadline": MISSED_DEADLINE},
                            {"taskId": None, "dept": None, "dueAt": None,
                             "caseStatus": None}),
        "card_issued": _variant(_CARD, _CARD_OPTIONAL),
        "card_acknowledged": _variant(_CARD, {**_CARD_OPTIONAL, "opinion": None}),
        "card_resolved": _variant(_CARD, _CARD_OPTIONAL),
        "card_withdrawn": _variant(_CARD, _CARD_OPTIONAL),
        "card_appealed": _variant({**_CARD, "opinion": None}, _CARD_OPTIONAL),
        "card_appeal_decided": _variant(
            {**_CARD, "decision": {"enum": list(cards.APPEAL_DECISIONS)}},
            {**_CARD_OPTIONAL, "opinion": None}),
        "rule_breach": _variant(
            {"kind": {"enum": list(breaches.KINDS)}, "dept": None},
            {"taskId": None, "first": None, "materials": None, "deadline": TIMESTAMP,
             "decision": None}),
        "license_suspended": _variant(_LICENSE, {"opinion": None}),
        "license_resumed": _variant(_LICENSE, {"opinion": None}),
        "license_revoked": _variant(_LICENSE, {"opinion": None}),
        "license_reissued": _variant({**_LICENSE, "supersededBy": None}, {"opinion": None}),
        # A decision written in its formal document, signed by the department that decided.
        "document_issued": _variant({"documentId": None, "sha256": None, "dept": None,
                                     "kind": {"enum": list(case_documents.KINDS)}}),
        # Corrected (更正: the new version named) or annulled, with the reason.
        "document_superseded": _variant({"documentId": None, "dept": None,
                                         "kind": {"enum": list(case_documents.KINDS)},
                                         "correctedBy": None}, {"opinion": None}),
        "document_annulled": _variant({"documentId": None, "dept": None,
                                       "kind": {"enum": list(case_documents.KINDS)}},
                                      {"opinion": None}),
        # 秒批: the rules checked at application, with their trace (docs/data-sharing.md).
        "rules_checked": _variant({"outcome": None, "ruleSet": None, "trace": None},
                                  {"notes": None, "caseStatus": None}),
        # Not about a rating yet: the case (scope `case`) its department (`dept`) would
        # be rated for.
        "rating_invited": _variant({"scope": {"const": "case"}, "dept": None,
                                    "caseStatus": None}),
        "rating_submitted": _variant({**_RATING, "indicators": None}, _RATING_OPTIONAL),
        "rectification_opened": _variant({**_RATING, "callbackDue": None, "rectifyDue": None},
                                         _RATING_OPTIONAL),
        "rectification_called_back": _variant({**_STEP, "verified": None}, _STEP_OPTIONAL),
        "rectification_rectified": _variant(_STEP, _STEP_OPTIONAL),
        "rectification_accepted": _variant(_STEP, _STEP_OPTIONAL),
        "rectification_review_requested": _variant(_STEP, _STEP_OPTIONAL),
        "rectification_review_decided": _variant(
            {**_STEP, "decision": {"enum": list(ratings.REVIEW_DECISIONS)},
             "rectifyDue": None}, _STEP_OPTIONAL),
        "rating_contested": _variant(_STEP, _STEP_OPTIONAL),
        "rating_contest_decided": _variant(
            {**_STEP, "decision": {"enum": list(ratings.CONTEST_DECISIONS)}}, _STEP_OPTIONAL),
        "rectification_overdue": _variant({**_RATING, "missed": None, "dueAt": None},
                                          _RATING_OPTIONAL),
    })
    return found


TYPES = _types()

# Beyond the fields: a task's `overdue` names the task, its department and the moment it
# was due; the case's carries the case's status.
EXTRA = {
    "overdue": {"if": {"properties": {"deadline": {"const": "task"}}},
                "then": {"required": ["taskId", "dept", "dueAt"]},
                "else": {"required": ["caseStatus"], "not": {"required": ["taskId"]}}},
}


def _field(name: str, narrowed: dict[str, Any] | None) -> dict[str, Any]:
    own = FIELDS[name]
    if narrowed is None:
        return own
    described = {"description": own["description"]} if "description" in own else {}
    return {**described, **narrowed}


def _detail(event_type: str) -> dict[str, Any]:
    """The schema of one event type's `detail`: the common fields (`$defs/common`), the
    type's own, and nothing else."""
    variant = TYPES[event_type]
    fields = {**variant["required"], **variant["optional"]}
    return {"$ref": "#/$defs/common",
            "required": list(variant["required"]),
            "properties": {name: _field(name, narrowed) for name, narrowed in fields.items()},
            "unevaluatedProperties": False,
            **EXTRA.get(event_type, {})}


@functools.cache
def schema() -> dict[str, Any]:
    """The whole contract: an EventBridge event of the project's bus (as a rule's target
    receives it), its `detail` chosen by its `detail-type`."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "OneWindow lifecycle event",
        "description": "An event on the project's EventBridge bus (docs/events.md): "
                       "`detail-type` is `onewindow.case.<type>`; `detail` is that type's "
                       "variant in `$defs`. No event carries an ID or phone number.",
        "type": "object",
        "required": ["source", "detail-type", "detail"],
        "properties": {
            "source": {"const": SOURCE},
            "detail-type": {"enum": [DETAIL_TYPE.format(t) for t in TYPES]},
            "detail": {"type": "object"},
        },
        "allOf": [{"if": {"properties": {"detail-type": {"const": DETAIL_TYPE.format(t)}},
                          "required": ["detail-type"]},
                   "then": {"properties": {"detail": {"$ref": f"#/$defs/{t}"}}}}
                  for t in TYPES],
        "$defs": {"common": {"type": "object", "required": list(COMMON),
                             "properties": COMMON},
                  **{t: _detail(t) for t in TYPES}},
    }


def schema_text() -> str:
    """docs/events.schema.json, as `python -m infra.events_schema` writes it."""
    return json.dumps(schema(), ensure_ascii=False, indent=2) + "\n"


def _named(name: str, narrowed: dict[str, Any] | None) -> str:
    """A field as docs/events.md's table names it: with its values when the type
    narrows it to a few."""
    values = (narrowed or {}).get("enum") or (
        [narrowed["const"]] if narrowed and "const" in narrowed else None)
    if values:
        return f"`{name}` ({' or '.join(f'`{v}`' for v in values)})"
    if narrowed == MISSED_DEADLINE:
        return f"`{name}` (`task`, `promised`, `statutory`, `materials` or " \
               "`special_procedure#<n>`)"
    if narrowed and "maximum" in narrowed:
        return f"`{name}` ({narrowed['minimum']}–{narrowed['maximum']})"
    if narrowed == TIMESTAMP:
        return f"`{name}` (date-time)"
    return f"`{name}`"


def fields_table() -> list[str]:
    """docs/events.md's table of event types and their fields (beyond the common ones),
    types with the same fields in one row."""
    rows: dict[tuple[str, str], list[str]] = {}
    for name, variant in TYPES.items():
        key = (", ".join(_named(f, n) for f, n in variant["required"].items()) or "—",
               ", ".join(_named(f, n) for f, n in variant["optional"].items()) or "—")
        rows.setdefault(key, []).append(name)
    return ["| type | requires | may carry |", "|---|---|---|"] + [
        f"| {', '.join(f'`{t}`' for t in types)} | {required} | {optional} |"
        for (required, optional), types in rows.items()]


@functools.cache
def _validator() -> "Validator":
    import jsonschema  # only the tests and tools validate; keeps it off cold starts
    return jsonschema.Draft202012Validator(
        schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def violations(detail_type: str, detail: dict[str, Any]) -> list[str]:
    """What is wrong with one event as published (`detail_type`, `detail`): one line per
    violation, naming the field; none when it keeps the contract."""
    event: dict[str, Any] = {"source": SOURCE, "detail-type": detail_type, "detail": detail}
    return sorted(f"{'/'.join(str(p) for p in error.absolute_path) or '(event)'}: "
                  f"{error.message}" for error in _validator().iter_errors(event))
