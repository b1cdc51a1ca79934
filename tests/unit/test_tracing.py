"""X-Ray subsegments annotated with the case, item and department — in Lambda only; off
it, the SDK is never imported."""
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from chalicelib import config, tracing

ROOT = Path(__file__).resolve().parents[2]


class Emitter:
    def __init__(self):
        self.sent = []

    def send_entity(self, entity):
        self.sent.append(entity)

    def set_daemon_address(self, address):
        pass


@pytest.fixture
def recorder(monkeypatch):
    from aws_xray_sdk.core import xray_recorder
    from aws_xray_sdk.core.context import Context
    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", "onewindow-test-APIHandler")
    monkeypatch.delenv("AWS_XRAY_SDK_ENABLED", raising=False)
    monkeypatch.setenv("OW_AREA_CODE", "110000")
    config.reset()
    emitter = Emitter()
    xray_recorder.configure(context=Context(), emitter=emitter, sampling=False,
                            context_missing="LOG_ERROR")
    tracing.reset()
    xray_recorder.begin_segment("onewindow")
    yield xray_recorder
    xray_recorder.end_segment()
    tracing.reset()
    monkeypatch.delenv("OW_AREA_CODE")
    config.reset()


def test_a_request_runs_in_an_annotated_subsegment(recorder):
    seen = {}

    def handle(event):
        tracing.annotate(item_code="ITEM1", dept="SCJG", nothing=None)
        seen["sub"] = recorder.current_subsegment()
        return "answer"

    event = SimpleNamespace(path="/tasks/{task_id}/decision",
                            uri_params={"task_id": "4403002026112500000019-A1"})
    assert tracing.middleware(event, handle) == "answer"
    sub = seen["sub"]
    assert sub.name == "onewindow /tasks/{task_id}/decision"
    assert sub.annotations == {"case_no": "4403002026112500000019", "area": "110000",
                               "item_code": "ITEM1", "dept": "SCJG"}


def test_off_lambda_the_sdk_is_not_imported_by_the_app():
    code = ("import os, sys; os.environ.update(AWS_DEFAULT_REGION='cn-north-1'); "
            "import app; from chalicelib import tracing; tracing.annotate(case_no='x'); "
            "print('aws_xray_sdk' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=60,
                          env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith("False")
