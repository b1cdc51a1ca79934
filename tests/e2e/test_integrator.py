"""The contract as an integrator meets it: /openapi.json of the running local stack is a
valid OpenAPI 3.1 document (openapi-spec-validator), and a Python client generated from it
(openapi-python-client, warnings failing the generation) applies for a case, reads it and
prints its license as a PDF — with nothing but the generated code and a token.
"""
import importlib
import json
import subprocess
import sys
import urllib.request
import uuid
from pathlib import Path

import pytest

from infra.local import demo

GENERATOR = Path(sys.executable).with_name("openapi-python-client")
FOOD = demo.code_of("000201012000", "SCJG")
# The README's application (食品经营许可).
APPLICATION = {
    "itemCode": FOOD, "channel": "web",
    "applicant": {"type": "legal", "name": "深圳小吃有限公司", "idNumber": "91440300MA5FXK7Q3T"},
    "form": {"businessName": "小吃店", "address": "深圳市南山区科技园1号", "category": "餐饮服务"}}


@pytest.fixture(scope="module")
def document(served):
    stack, _ = served
    with urllib.request.urlopen(f"{stack.url}/openapi.json", timeout=10) as response:
        return json.loads(response.read())


def test_the_served_document_is_valid_openapi_3_1(document):
    from openapi_spec_validator import validate
    from openapi_spec_validator.validation.exceptions import OpenAPIValidationError
    try:
        validate(document)
    except OpenAPIValidationError as error:   # the one failure, readable
        pytest.fail(f"{error.message} at {list(error.absolute_path)}")
    assert document["openapi"].startswith("3.1")


@pytest.fixture(scope="module")
def generated(document, tmp_path_factory):
    """The client package generated from the served document: a warning fails it."""
    folder = tmp_path_factory.mktemp("client")
    (folder / "openapi.json").write_text(json.dumps(document, ensure_ascii=False), "utf-8")
    # What the generator cannot type itself is read as bytes or text: a PDF, JSON Lines.
    (folder / "config.json").write_text(json.dumps({
        "post_hooks": [], "content_type_overrides": {
            "application/pdf": "application/octet-stream", "application/x-ndjson": "text/plain"}}))
    result = subprocess.run(
        [str(GENERATOR), "generate", "--path", str(folder / "openapi.json"),
         "--output-path", str(folder / "onewindow_client"), "--meta", "none",
         "--config", str(folder / "config.json"), "--fail-on-warning"],
        capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    sys.path.insert(0, str(folder))
    try:
        yield importlib.import_module("onewindow_client")
    finally:
        sys.path.remove(str(folder))
        for name in [n for n in sys.modules if n.split(".")[0] == "onewindow_client"]:
            del sys.modules[name]


def test_a_generated_client_applies_reads_the_case_and_prints_its_license(served, generated):
    stack, api = served
    from onewindow_client import AuthenticatedClient
    from onewindow_client.api.cases import apply, get_case
    from onewindow_client.api.licenses import get_license, print_license_pdf
    from onewindow_client.models import Application, Case, CaseCreated, SignedLicense

    company = AuthenticatedClient(base_url=stack.url, token=api.token("company"))
    created = apply.sync_detailed(client=company, body=Application.from_dict(APPLICATION),
                                  idempotency_key=str(uuid.uuid4()))
    assert created.status_code == 201, created.content
    assert isinstance(created.parsed, CaseCreated)
    case_no = created.parsed.case_no
    assert created.parsed.item_version == 1    # an integer, as the item's version

    read = get_case.sync(case_no, client=company)
    assert isinstance(read, Case)
    assert (read.status, read.form.additional_properties["businessName"]) == (1, "小吃店")

    # To its license, as the README does it: accepted, approved.
    clerk, reviewer = api.token("clerk"), api.token("scjg")
    api.decide(api.task_of(case_no, "ZWFW", clerk), "accept", "受理", clerk)
    api.decide(api.task_of(case_no, "SCJG", reviewer), "approve", "同意", reviewer)
    done = api.until(lambda: get_case.sync(case_no, client=company),
                     lambda case: isinstance(case, Case) and isinstance(case.license_id, str))
    assert done.status == 11

    signed = get_license.sync(done.license_id, client=company)
    assert isinstance(signed, SignedLicense)
    assert (signed.license_.identifier, signed.license_.holder) == \
        (done.license_id, "深圳小吃有限公司")

    printed = print_license_pdf.sync_detailed(done.license_id, client=company)
    assert printed.status_code == 200, printed.content[:500]
    assert printed.headers["content-type"] == "application/pdf"
    assert printed.content.startswith(b"%PDF-")
