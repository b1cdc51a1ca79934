import pytest
from moto import mock_aws

from .harness import start_stack


@pytest.fixture
def stack():
    with mock_aws(config={"stepfunctions": {"execute_state_machine": True}}):
        yield start_stack()
