"""`http.route` gives a view what it names beside the path's parameters: the request's
body as the route's model (typed, `body`) or as the JSON object (`document`), its free
text masked either way, and the caller — so a route names its model once. No AWS: a
Chalice app in memory, called without a token."""
import json

import pytest
from chalice import Blueprint, Chalice
from chalice.test import Client

from chalicelib.api import http
from chalicelib.contract import models

DECISION = {"decision": "refuse", "opinion": "材料不全，请联系13812345678"}
MASKED = "材料不全，请联系138****5678"


@pytest.fixture
def probe(monkeypatch):
    """An app with one public route taking a Decision; what the view was given comes back.
    The route's operation is kept out of the real OpenAPI document."""
    monkeypatch.setattr(http, "OPERATIONS", [])
    app, bp = Chalice("probe"), Blueprint("probe")
    seen = {}

    @http.route(bp, "POST", "/probe/{thing}", op="probe", summary="probe", tag="probe",
                returns=None, body=models.Decision, public=True)
    def typed(thing, body, document, caller):
        seen.update(thing=thing, body=body, document=document, caller=caller)
        return {}

    @http.route(bp, "POST", "/optional", op="optional", summary="probe", tag="probe",
                returns=None, body=models.Decision, body_required=False, public=True)
    def optional(body):
        seen.update(body=body)
        return {}

    app.register_blueprint(bp)
    http.answer_domain_errors(app)
    with Client(app) as client:
        def post(path, payload):
            raw = "" if payload is None else json.dumps(payload, ensure_ascii=False)
            return client.http.post(path, body=raw.encode(),
                                    headers={"content-type": "application/json"})
        yield post, seen


def test_the_view_is_given_the_typed_body_the_document_and_the_caller(probe):
    post, seen = probe
    assert post("/probe/x", DECISION).status_code == 200
    assert isinstance(seen["body"], models.Decision)
    assert (seen["body"].decision, seen["body"].opinion) == ("refuse", MASKED)
    assert seen["document"] == {**DECISION, "opinion": MASKED}
    assert seen["thing"] == "x" and seen["caller"] is None


def test_a_body_off_the_model_is_refused_before_the_view_runs(probe):
    post, seen = probe
    answer = post("/probe/x", {"decision": "refuse", "opnion": "typo"})
    assert answer.status_code == 400
    assert json.loads(answer.body)["error"]["field"] == "opnion"
    assert seen == {}


def test_an_optional_body_is_none_when_none_came(probe):
    post, seen = probe
    assert post("/optional", None).status_code == 200 and seen["body"] is None
    assert post("/optional", {"decision": "accept"}).status_code == 200
    assert seen["body"].decision == "accept"


def test_a_view_taking_a_body_on_a_route_without_a_model_is_refused(monkeypatch):
    monkeypatch.setattr(http, "OPERATIONS", [])
    with pytest.raises(TypeError, match="names no model"):
        @http.route(Blueprint("probe"), "GET", "/nothing", op="nothing", summary="probe",
                    tag="probe", returns=None, public=True)
        def nothing(body):
            return {}


def test_every_route_with_a_body_names_its_model_once():
    """Its view is given the body (typed or as the document) rather than reading it with
    the model named again; nothing in the api reads a body or a caller itself but the
    public verification, which tells a bad purpose before a bad token."""
    import inspect
    from pathlib import Path

    import app as application
    from chalicelib.contract.openapi import OPERATIONS

    bodies = {(op.path, op.method.upper()) for op in OPERATIONS if op.body is not None}
    views = {(path, method): entry.view_function
             for path, methods in application.app.routes.items()
             for method, entry in methods.items()}
    assert bodies and bodies <= set(views)
    for key in sorted(bodies):
        taken = set(inspect.signature(views[key]).parameters)
        assert taken & {http.BODY, http.DOCUMENT}, key
    api = Path(http.__file__).parent
    readers = sorted(f"{path.name}: {line.strip()}" for path in api.glob("*.py")
                     for line in path.read_text("utf-8").splitlines()
                     if "http.body(" in line or "http.principal(" in line)
    assert readers == ["licenses.py: return licenses.verify(_library(), body, "
                       "http.principal(request), http.source_ip(request))"]
