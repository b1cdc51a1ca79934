"""X-Ray subsegments annotated with the case, item and department — in Lambda only; off
it, the SDK is never imported."""
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from chalicelib import config, tracing
from tests.lambda_like import HEALTH_EVENT, TRACE_HEADER

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


def test_in_lambda_the_sdk_is_loaded_at_the_first_event_not_at_import():
    """A cold start's INIT does not load the SDK (~70 ms); the first event loads it and
    patches botocore, so every AWS call from then on is traced."""
    code = ("import sys; from types import SimpleNamespace; import app; "
            "before = 'aws_xray_sdk' in sys.modules; "
            f"answer = app.app({HEALTH_EVENT!r}, SimpleNamespace(aws_request_id='r-1', "
            "function_name='f')); "
            "import botocore.client; "
            "print(before, answer['statusCode'], 'aws_xray_sdk' in sys.modules, "
            "hasattr(botocore.client.BaseClient._make_api_call, '__wrapped__'))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=60,
                          env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT),
                               "AWS_DEFAULT_REGION": "cn-north-1", "OW_AREA_CODE": "110000",
                               "AWS_LAMBDA_FUNCTION_NAME": "onewindow-APIHandler",
                               "LAMBDA_TASK_ROOT": str(ROOT),
                               "_X_AMZN_TRACE_ID": TRACE_HEADER})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "False 200 True True"
