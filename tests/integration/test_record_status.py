"""GET /supervision/record-status: the supervision record's seals and chains as `make
verify-audit` reports them for a range of days, to supervisors only (issue 26)."""
import json
from datetime import date, timedelta

from chalicelib.services import clock
from infra import verify_audit

# The record's tampers in one chain, as there (`one_chain`).
from .test_supervision_record import (  # noqa: F401 (a fixture)
    AT,
    CHAIN,
    DAY,
    DAY_RECORD,
    _built,
    _edited,
    _entries,
    _put,
    one_chain,
)

RANGE = f"from={DAY - timedelta(days=1)}&to={DAY}"


def _status(stack, query: str = RANGE, user: str = "supervisor"):
    return stack.call("GET", f"/supervision/record-status?{query}", user)


def test_a_record_as_written_holds_and_the_answer_is_what_verify_audit_prints(
        stack, capsys):
    _built(stack, 12, tail=3)
    answer = _status(stack)
    assert answer.status_code == 200, answer.data
    assert answer.data == {
        "from": str(DAY - timedelta(days=1)), "to": str(DAY), "holds": True,
        "entries": 15, "seals": {"count": 1, "last": 1, "broken": None},
        "chains": [{"chain": DAY_RECORD, "chains": 1, "entries": 15, "sealed": 12,
                    "final": False, "broken": None}]}
    capsys.readouterr()   # the API's metrics lines
    assert verify_audit.main(["--from", str(DAY - timedelta(days=1)), "--to", str(DAY)]) == 0
    assert json.loads(capsys.readouterr().out) == answer.data


def test_a_tampered_entry_is_named_at_its_place(stack, capsys):
    entries = _built(stack, 12, tail=3)
    _put(stack, _edited(entries[5], at=(AT - timedelta(hours=1)).isoformat()))
    answer = _status(stack).data
    assert answer["holds"] is False and answer["seals"]["broken"] is None
    assert answer["chains"] == [{"chain": DAY_RECORD, "chains": 1, "entries": 15,
                                 "sealed": 12, "final": False,
                                 "broken": {"chain": CHAIN, "seq": 5,
                                            "reason": "its content was changed"}}]
    capsys.readouterr()
    assert verify_audit.main(["--from", str(DAY - timedelta(days=1)), "--to", str(DAY)]) == 1
    assert json.loads(capsys.readouterr().out) == answer
    # A day outside the range is not checked.
    later = _status(stack, f"from={DAY + timedelta(days=1)}&to={DAY + timedelta(days=2)}")
    assert later.data["holds"] is True and later.data["chains"] == []


def test_only_supervisors_read_it_and_every_refusal_is_audited(stack):
    _built(stack, 3)
    requests = set()
    for user in ("admin", "scjg", "evaluator", "company"):
        refused = _status(stack, user=user)
        assert (refused.status_code, refused.data["error"]["code"]) == (403, "forbidden"), user
        requests.add(refused.data["requestId"])
    assert _status(stack, user=None).status_code == 401
    written = [e for e in stack.audit(clock.now().strftime("%Y-%m-%d"))
               if e.get("requestId") in requests]
    assert sorted((e["status"], e["path"]) for e in written) == \
        [(403, "/supervision/record-status")] * 4
    assert _entries(stack) and len(_entries(stack)) == 3   # nothing changed


def test_bad_days_are_named_and_a_range_is_at_most_31_days(stack):
    for query, status, field in (("from=2026-11-31&to=2026-12-01", 400, "from"),
                                 ("from=2026-11-01&to=20261102", 400, "to"),
                                 ("from=2026-11-25&to=2026-11-24", 422, "from"),
                                 ("from=2026-10-31&to=2026-12-01", 422, "to"),
                                 ("to=yesterday", 400, "to")):
        refused = _status(stack, query)
        assert (refused.status_code, refused.data["error"]["field"]) == (status, field), query
    assert _status(stack, "from=2026-11-01&to=2026-12-01").status_code == 200   # 31 days
    # By default, as verify-audit, the last 31 days up to today.
    default = _status(stack, "").data
    assert default["to"] == str(clock.local_date(clock.now()))
    assert date.fromisoformat(default["to"]) - date.fromisoformat(default["from"]) == \
        timedelta(days=30)
