"""Logs are heard: JSON lines at INFO and above from every logger of the app, masked, with
the ids of the request or event being handled. Run in a fresh interpreter, as Lambda
imports app.py, so what is checked is the configuration the app really gets."""
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = r"""
import json, logging, os
os.environ.update({"AWS_DEFAULT_REGION": "cn-north-1", "AWS_XRAY_SDK_ENABLED": "false",
                   })
import app
from chalice.test import Client
logging.getLogger("onewindow").warning("dead-letter queues hold messages: %s", {"q": 1})
logging.getLogger("onewindow.local.pump").info("applicant %s phone %s",
                                               "11010519491231002X", "13800138000")
logging.getLogger("onewindow.local.pump").info("individual business %s, tel %s",
                                               "92440300MA5FXK7Q3T", "+86 138 0013 8000")
logging.getLogger("onewindow").debug("not at INFO")
try:
    raise ValueError("holder 92440300MA5FXK7Q3T, id 11010519491231002X")
except ValueError:
    logging.getLogger("onewindow").exception("handler failed")
with Client(app.app) as client:
    answer = client.http.get("/cases/440300202611240000001X",
                             headers={"X-Correlation-Id": "trace-42"})
    print("HEADER", answer.headers.get("X-Correlation-Id"))
    print("REQUEST", answer.headers.get("X-Request-Id"))
"""


def _run() -> list[str]:
    done = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def test_warnings_and_info_reach_the_output_as_masked_json_with_request_ids():
    lines = _run()
    documents = [json.loads(line) for line in lines if line.startswith("{")]
    records = [d for d in documents if "_aws" not in d]
    # Metrics share stdout as EMF documents (CloudWatch reads both): the cold start one.
    assert [d["ColdStart"] for d in documents if "_aws" in d] == [1]
    warning = next(r for r in records if r["message"].startswith("dead-letter"))
    assert warning["level"] == "WARNING" and warning["service"] == "onewindow"
    pump = next(r for r in records if r["message"].startswith("applicant"))
    assert pump["message"] == "applicant 110105********002X phone 138****8000"
    # A person's business code (个体工商户 USCC) and a phone however written: masked too.
    business = next(r for r in records if r["message"].startswith("individual business"))
    assert business["message"] == "individual business 92440300********3T, tel +86 138 **** 8000"
    assert not any("not at INFO" in r["message"] for r in records)
    failed = next(r for r in records if r["message"] == "handler failed")
    assert "holder 92440300********3T, id 110105********002X" in failed["exception"]
    assert failed["exception_name"] == "ValueError" and "timestamp" in failed
    # The rejected request's line carries its correlation id and case number.
    rejected = next(r for r in records if r["message"].startswith("rejected GET"))
    assert rejected["correlation_id"] == "trace-42"
    assert rejected["case_no"] == "440300202611240000001X"
    # … and the request id the response gave the caller.
    assert f"REQUEST {rejected['request_id']}" in lines
    assert "HEADER trace-42" in lines
    assert not any("11010519491231002X" in line for line in lines)


def test_the_local_access_log_masks_the_query_string(capsys):
    """`make run` prints every request line: ?for=<a person's business>, a phone number
    percent-encoded in ?q=, a forged line break — masked, decoded and escaped."""
    from infra.local.request_handler import handler_class

    handler = handler_class().__new__(handler_class())
    handler.client_address = ("127.0.0.1", 50000)
    handler.requestline = ("GET /me/materials?for=92440300MA5FXK7Q3T&q=%2B86%20138%200013%208000"
                           "&id=11010519491231002X&x=%0Aforged HTTP/1.1")
    handler.log_request(200)
    line = capsys.readouterr().err
    assert line.count("\n") == 1 and line.endswith("\n")
    assert "92440300********3T" in line and "+86 138 **** 8000" in line
    assert "110105********002X" in line and "\\x0aforged" in line
    assert "11010519491231002X" not in line and "0013" not in line
