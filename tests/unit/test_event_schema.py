"""The lifecycle events' schema (chalicelib/contract/events.py) refuses the shapes an
integrator found published against docs/events.md, accepts the fixed ones, and names
every event type the timeline publishes."""
import copy
import re

import jsonschema
import pytest

from chalicelib.contract import events
from chalicelib.domain import cards
from chalicelib.domain.lifecycle import Status
from chalicelib.services import timeline

CASE = "4403002026120400000150"
ITEM = "00020101200044030000000011440300007542808J01"
LICENSE = f"1.2.156.3005.2.11100000000013127D001.11440300MB2C92138W.{CASE}.001.3"


def _common(key: str, **fields) -> dict:
    return {"eventId": f"{CASE}/EV#2026-12-14T01:10:00.000000Z#{key}", "caseNo": CASE,
            "itemCode": ITEM, "at": "2026-12-14T01:10:00.000000Z", "actor": "system",
            "actorRole": "system", "channel": "system", **fields}


# As published before the fix (copied from the events the suite published then).
BROKEN = {
    "license_suspended": _common(
        "LICENSE#suspend", itemCode=None, actor="staff:zhao-wsjk", actorRole="reviewer",
        channel="api", dept="WSJK", opinion="停业整顿，联系人138****5678", licenseId=LICENSE,
        fromState="valid", toState="suspended"),
    "rating_invited": _common("rating_invited", caseStatus=11),
    "overdue": _common(f"{CASE}-R1-SCJG#overdue", taskId=f"{CASE}-R1-SCJG", dept="SCJG",
                       deadline="2026-12-11T10:00:00Z"),
}
# … and as published now.
FIXED = {
    "license_suspended": {**BROKEN["license_suspended"], "itemCode": ITEM},
    "rating_invited": {**BROKEN["rating_invited"], "scope": "case", "dept": "SCJG"},
    "overdue": {**BROKEN["overdue"], "deadline": "task", "dueAt": "2026-12-11T10:00:00Z"},
}


def _type(name: str) -> str:
    return events.DETAIL_TYPE.format(name)


def test_the_schema_is_a_valid_json_schema_2020_12():
    jsonschema.Draft202012Validator.check_schema(events.schema())


@pytest.mark.parametrize("name, field", [
    ("license_suspended", "detail/itemCode"),
    ("rating_invited", "detail: 'dept' is a required property"),
    ("overdue", "detail/deadline"),
])
def test_the_shapes_published_before_are_refused_naming_the_field(name, field):
    found = events.violations(_type(name), BROKEN[name])
    assert found and any(line.startswith(field) for line in found), found


@pytest.mark.parametrize("name", sorted(FIXED))
def test_the_fixed_shapes_keep_the_contract(name):
    assert events.violations(_type(name), FIXED[name]) == []


def test_a_rating_invitation_names_the_case_scope_and_its_department():
    found = events.violations(_type("rating_invited"),
                              {**FIXED["rating_invited"], "scope": "stage"})
    assert any(line.startswith("detail/scope") for line in found), found
    without = {k: v for k, v in FIXED["rating_invited"].items() if k != "scope"}
    assert "detail: 'scope' is a required property" in events.violations(
        _type("rating_invited"), without)


def test_an_overdue_task_names_its_task_and_moment_and_a_case_its_status():
    task = {k: v for k, v in FIXED["overdue"].items() if k != "dueAt"}
    assert "detail: 'dueAt' is a required property" in events.violations(
        _type("overdue"), task)
    case = _common("overdue#promised", caseStatus=8, deadline="promised")
    assert events.violations(_type("overdue"), case) == []
    procedure = {**case, "deadline": "special_procedure#2"}
    assert events.violations(_type("overdue"), procedure) == []
    assert events.violations(_type("overdue"), {**case, "deadline": "soon"})
    # A case's deadline names no task; a task's is `task`.
    assert events.violations(_type("overdue"), {**case, "taskId": f"{CASE}-A1"})
    assert events.violations(_type("overdue"), {k: v for k, v in case.items()
                                                if k != "caseStatus"})


def test_every_timestamp_is_one_and_every_field_is_documented():
    created = _common(f"{CASE}-A1#created", taskId=f"{CASE}-A1", dept="ZWFW",
                      kind="acceptance", deadline="2026-12-07T10:00:00Z")
    assert events.violations(_type("task_created"), created) == []
    assert any(line.startswith("detail/deadline") for line in events.violations(
        _type("task_created"), {**created, "deadline": "promised"}))
    # Nothing the contract does not name: an ID number, a phone number, a stray field.
    for stray in ({"idNumber": "91440300MA5FXK7Q3T"}, {"phone": "13800138000"},
                  {"licenseid": LICENSE}):
        found = events.violations(_type("task_created"), {**created, **stray})
        assert any("Unevaluated properties are not allowed" in line and
                   next(iter(stray)) in line for line in found), (stray, found)


def test_an_unknown_type_or_a_missing_common_field_is_refused():
    assert events.violations("onewindow.case.teleported", FIXED["overdue"])
    for field in ("eventId", "caseNo", "itemCode", "at", "actor", "actorRole", "channel"):
        detail = copy.deepcopy(FIXED["license_suspended"])
        del detail[field]
        assert f"detail: '{field}' is a required property" in events.violations(
            _type("license_suspended"), detail)


def test_every_type_the_timeline_publishes_has_a_variant():
    published = {status.name.lower() for status in Status}
    published |= {"task_created", "task_decided", "task_cancelled", "task_claimed",
                  "task_released", "task_assigned", "clock_paused", "clock_resumed",
                  "rating_invited", "overdue", "rule_breach", "rating_submitted",
                  "rectification_opened", "rectification_overdue", "card_appealed",
                  "card_appeal_decided", "document_issued", "rules_checked"}
    published |= set(timeline.DOCUMENT_EVENTS.values())
    published |= {f"card_{state}" for state in cards.STATES}
    published |= set(timeline.LICENSE_EVENTS.values())
    published |= set(timeline.RECTIFICATION_EVENTS.values())
    assert published == set(events.TYPES)


def test_the_documents_are_written_from_the_schema():
    """docs/events.schema.json is the schema, docs/events.md's table of fields is the
    code's, and its table of when each type is published names every type once."""
    from infra import events_schema
    assert events_schema.SCHEMA.read_text("utf-8") == events.schema_text(), \
        "run python -m infra.events_schema"
    page = events_schema.PAGE.read_text("utf-8")
    assert events_schema.page_with_table(page) == page, "run python -m infra.events_schema"
    when = page[page.index("| type | when |"):page.index("### The contract")]
    named = [name for row in re.findall(r"^\| ([^|]+) \|", when, re.M)[1:]
             for name in re.findall(r"`([a-z_]+)`", row)]
    assert sorted(named) == sorted(events.TYPES)


def test_the_written_table_changes_with_the_code(monkeypatch):
    from infra import events_schema
    page = events_schema.PAGE.read_text("utf-8")
    monkeypatch.setitem(events.TYPES, "rating_invited",
                        events._variant({"scope": {"const": "case"}}))
    assert events_schema.page_with_table(page) != page


NOTIFICATION = {"type": "notification.rating_invitation", "notificationId": "n-1",
                "recipient": "sub:org:shenzhen-xiaochi", "caseNo": CASE,
                "event": "rating_invited", "text": "请对办件进行评价", "channels": ["inapp", "sms"]}


def test_a_notification_message_keeps_its_contract_and_a_stray_one_is_refused():
    import jsonschema

    from chalicelib.contract import notifications
    jsonschema.Draft202012Validator.check_schema(notifications.schema())
    assert notifications.violations(NOTIFICATION) == []
    assert notifications.violations({"type": "ops.dead_letters",
                                     "queues": {"https://sqs/q-dlq": 2}}) == []
    for broken, field in (({"event": "teleported"}, "event"),
                          ({"channels": ["fax"]}, "channels/0"),
                          ({"recipient": "13800138000"}, "recipient"),
                          ({"type": "notification.nothing"}, "type")):
        found = notifications.violations({**NOTIFICATION, **broken})
        assert any(line.startswith(f"{field}:") for line in found), (broken, found)
    assert notifications.violations({**NOTIFICATION, "phone": "13800138000"})
    assert notifications.violations({"type": "ops.dead_letters", "queues": {}})


def test_every_notification_template_is_a_type_the_contract_names():
    from pathlib import Path

    from chalicelib.contract import notifications
    shipped = Path(events.__file__).resolve().parents[1] / "templates" / "notifications"
    assert sorted(p.stem for p in shipped.glob("*.txt")) == notifications.TEMPLATES
