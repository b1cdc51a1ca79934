"""The notifications topic's contract: the JSON Schema (2020-12) of every message published
on it (docs/events.md, "Notifications"), by its `type`: a person's or a department's
notification (`notification.<template>`) or the dead-letter alert (`ops.dead_letters`).
Every message published during the integration tests is validated against it
(tests/integration/conftest.py). CloudWatch's alarms, in CloudWatch's own format, are not
ours to describe.
"""
import functools
from typing import TYPE_CHECKING, Any

from ..domain import notices
from . import events

if TYPE_CHECKING:
    from jsonschema.protocols import Validator

TEMPLATES = sorted({*notices.STATUS_TEMPLATES.values(), "task_created", "warning", "card",
                    "red_card", *(template for sent in notices.RATING_NOTICES.values()
                                  for _, template in sent)})
RECIPIENT = r"^(sub:.+|owner:.+|dept:[0-9A-Z]+|ops)$"

NOTIFICATION = {
    "type": "object",
    "required": ["type", "notificationId", "recipient", "caseNo", "event", "text",
                 "channels"],
    "properties": {
        "type": {"enum": [f"notification.{t}" for t in TEMPLATES]},
        "notificationId": {"type": "string", "minLength": 1},
        "recipient": {"type": "string", "pattern": RECIPIENT},
        "caseNo": events.COMMON["caseNo"],
        "event": {"enum": list(events.TYPES), "description": "the lifecycle event it tells of"},
        "text": {"type": "string", "minLength": 1,
                 "description": "ID and phone numbers masked"},
        "channels": {"type": "array", "items": {"enum": list(notices.CHANNELS)},
                     "minItems": 1, "uniqueItems": True}},
    "additionalProperties": False}
DEAD_LETTERS = {
    "type": "object", "required": ["type", "queues"],
    "properties": {"type": {"const": "ops.dead_letters"},
                   "queues": {"type": "object", "minProperties": 1,
                              "additionalProperties": {"type": "integer", "minimum": 1}}},
    "additionalProperties": False}


def schema() -> dict[str, Any]:
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": "OneWindow notification message", "oneOf": [NOTIFICATION, DEAD_LETTERS]}


@functools.cache
def _validator(alert: bool) -> "Validator":
    import jsonschema  # only the tests and tools validate; keeps it off cold starts
    return jsonschema.Draft202012Validator(DEAD_LETTERS if alert else NOTIFICATION)


def violations(message: dict[str, Any]) -> list[str]:
    """What is wrong with one message as published (checked against the variant its
    `type` names): one line per violation, naming the field; none when it keeps the
    contract."""
    validator = _validator(message.get("type") == "ops.dead_letters")
    return sorted(f"{'/'.join(str(p) for p in error.absolute_path) or '(message)'}: "
                  f"{error.message}" for error in validator.iter_errors(message))
