"""The Step Functions adapter's handling of AWS answers (botocore's Stubber, no network)."""
import boto3
import pytest
from botocore.stub import Stubber

from chalicelib.adapters import aws, workflow


@pytest.fixture
def sfn(monkeypatch):
    client = boto3.client("stepfunctions", region_name="cn-north-1")
    monkeypatch.setattr(aws, "client", lambda service: client)
    with Stubber(client) as stubber:
        yield stubber
        # Every stubbed answer was asked for: a test passes only if the call was made.
        stubber.assert_no_pending_responses()


@pytest.mark.parametrize("code", workflow.SPENT_TOKEN_ERRORS)
def test_a_spent_token_is_not_an_error(sfn, code):
    sfn.add_client_error("send_task_success", service_error_code=code)
    assert workflow.resume("token", {"approved": True}) is False


def test_other_errors_propagate_so_the_stream_retries(sfn):
    sfn.add_client_error("send_task_success", service_error_code="ThrottlingException")
    with pytest.raises(Exception) as raised:
        workflow.resume("token", {})
    assert "ThrottlingException" in str(raised.value)


def test_resume_sends_the_output(sfn):
    sfn.add_response("send_task_success", {},
                     {"taskToken": "t", "output": '{"decision": "accept"}'})
    assert workflow.resume("t", {"decision": "accept"}) is True


def test_a_second_start_of_the_same_case_is_not_an_error(sfn):
    sfn.add_client_error("start_execution", service_error_code="ExecutionAlreadyExists")
    workflow.start("arn:aws-cn:states:cn-north-1:1:stateMachine:m", "C1", {"caseNo": "C1"})
