"""The registries' HTTP client against a real HTTP server on this machine: what it sends
(signed), what it takes (a record about the subject asked), what it refuses."""
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from chalicelib.adapters import registries
from infra.local.registries import Registries

SECRET = "s" * 48
RECORDS = {"population": {"440300194203150022": {"name": "王桂英", "birthDate": "1942-03-15"}}}
ASKING = {"subject": "440300194203150022", "fields": ["birthDate"],
          "requester": {"kind": "system", "id": "system"}, "purpose": "核验",
          "basis": "consent:C1", "caseNo": None}


@pytest.fixture
def signed(monkeypatch):
    monkeypatch.setattr(registries.secrets, "data_exchange", lambda: SECRET)


@pytest.fixture
def demo():
    server = Registries(SECRET, records=RECORDS).start()
    yield server
    server.stop()


def _source(url: str, timeout: float = 2) -> registries.Source:
    return registries.Source("population", url, timeout)


def test_a_signed_query_gets_the_fields_asked_for(signed, demo):
    record = registries.query(_source(f"{demo.url}/population"), ASKING)
    assert record == {"birthDate": "1942-03-15"}
    assert demo.queries[0]["purpose"] == "核验"


def test_a_subject_the_registry_does_not_know_is_none(signed, demo):
    assert registries.query(_source(f"{demo.url}/population"),
                            {**ASKING, "subject": "11010519491231002X"}) is None


def test_a_query_signed_with_another_key_is_refused_by_the_registry(monkeypatch, demo):
    monkeypatch.setattr(registries.secrets, "data_exchange", lambda: "x" * 48)
    with pytest.raises(registries.Unavailable, match="401"):
        registries.query(_source(f"{demo.url}/population"), ASKING)
    assert demo.queries == []


def test_a_slow_or_unreachable_registry_is_unavailable(signed, demo):
    demo.control["population"] = {"delaySeconds": 1}
    with pytest.raises(registries.Unavailable):
        registries.query(_source(f"{demo.url}/population", timeout=0.2), ASKING)
    demo.control["population"] = {"down": True}
    with pytest.raises(registries.Unavailable):
        registries.query(_source(f"{demo.url}/population"), ASKING)


def test_an_answer_about_someone_else_is_no_answer(signed):
    class Mixed(BaseHTTPRequestHandler):
        def log_message(self, *_):
            pass

        def do_POST(self):  # noqa: N802
            self.rfile.read(int(self.headers["Content-Length"]))
            body = json.dumps({"subject": "440305199003070014",
                               "record": {"birthDate": "1990-03-07"}}).encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Mixed)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with pytest.raises(registries.Unavailable, match="another subject"):
            registries.query(_source(f"http://127.0.0.1:{server.server_address[1]}"), ASKING)
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("url", ["http://exchange.example.gov.cn/population",
                                 "ftp://127.0.0.1/population"])
def test_a_registry_is_reached_over_https_only_but_on_this_machine(url):
    with pytest.raises(ValueError, match="population must be an https URL"):
        registries.check(json.dumps({"population": {"url": url}}))
    registries.check(json.dumps({"population": {"url": "https://exchange.example.gov.cn/p"},
                                 "credit": {"url": "http://127.0.0.1:9/credit"}}))
