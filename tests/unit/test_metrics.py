"""Which metrics a change of the cases table stands for (services/timeline.py), and the EMF
document shape."""
import io
import json

import pytest

from chalicelib import config, metrics
from chalicelib.services.timeline import metrics_of


def _case(status, via="web"):
    return {"rt": "case", "pk": "C", "status": status, "appliedVia": via}


def _task(state, **extra):
    return {"rt": "task", "pk": "C", "state": state, "dept": "SCJG",
            "createdAt": "2026-11-25T01:00:00+00:00", "deadline": "2026-11-26T10:00:00Z", **extra}


@pytest.mark.parametrize("old, new, expected", [
    (None, _case(1, "miniprogram"),
     [("CasesReceived", 1, "Count", {"channel": "miniprogram"})]),
    (_case(1), _case(3), [("CasesAccepted", 1, "Count", {})]),
    (_case(1), _case(5), [("CasesNotAccepted", 1, "Count", {})]),
    (_case(8), _case(11), [("CasesConcluded", 1, "Count", {"outcome": "approved"})]),
    (_case(8), _case(13), [("CasesConcluded", 1, "Count", {"outcome": "denied"})]),
    (_case(3), _case(8), []),
    (_case(3), _case(3), []),          # the same status again: not a change
    (_case(1), None, []),
])
def test_case_status_changes(old, new, expected):
    assert metrics_of(old, new) == expected


def test_a_decision_reports_its_latency_and_whether_it_came_after_its_deadline():
    on_time = metrics_of(
        _task("open"), _task("decided", decidedAt="2026-11-26T09:30:00+00:00"))
    assert on_time == [("DecisionLatency", 117000.0, "Seconds", {"dept": "SCJG"})]
    # The deadline is 18:00 in Shanghai (10:00 UTC): 10:30 UTC is half an hour late.
    late = metrics_of(
        _task("open"), _task("decided", decidedAt="2026-11-26T10:30:00Z"))
    assert ("OverdueDecisions", 1, "Count", {"dept": "SCJG"}) in late
    # A task already decided, seen again: nothing.
    assert metrics_of(
        _task("decided", decidedAt="2026-11-26T09:30:00Z"),
        _task("decided", decidedAt="2026-11-26T09:30:00Z")) == []


def test_an_emf_line_declares_its_metric_and_dimensions(monkeypatch):
    monkeypatch.setenv("OW_AREA_CODE", "640000")
    config.reset()
    out = io.StringIO()
    metrics.set_stream(out)
    try:
        metrics.emit("DecisionLatency", 12.5, "Seconds", dept="SCJG")
    finally:
        metrics.set_stream(None)
        monkeypatch.delenv("OW_AREA_CODE")
        config.reset()
    document = json.loads(out.getvalue())
    declared = document["_aws"]["CloudWatchMetrics"][0]
    assert declared["Namespace"] == "OneWindow"
    assert declared["Metrics"] == [{"Name": "DecisionLatency", "Unit": "Seconds"}]
    assert declared["Dimensions"] == [["area", "dept", "service"]]
    assert (document["DecisionLatency"], document["dept"], document["area"],
            document["service"]) == (12.5, "SCJG", "640000", "onewindow")
    assert isinstance(document["_aws"]["Timestamp"], int)
