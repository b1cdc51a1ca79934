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
logging.getLogger("onewindow").debug("not at INFO")
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
    assert not any("not at INFO" in r["message"] for r in records)
    # The rejected request's line carries its correlation id and case number.
    rejected = next(r for r in records if r["message"].startswith("rejected GET"))
    assert rejected["correlation_id"] == "trace-42"
    assert rejected["case_no"] == "440300202611240000001X"
    # … and the request id the response gave the caller.
    assert f"REQUEST {rejected['request_id']}" in lines
    assert "HEADER trace-42" in lines
    assert not any("11010519491231002X" in line for line in lines)
