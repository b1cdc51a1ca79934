import pytest
from moto import mock_aws

from .harness import reset, start_stack


@pytest.fixture(scope="session")
def session_stack():
    """One stack for the whole session: building it (CloudFormation, catalogue) is the
    slow part; each test gets it reset to the state just after building."""
    with mock_aws(config={"stepfunctions": {"execute_state_machine": True}}):
        yield start_stack()


@pytest.fixture
def stack(session_stack):
    reset(session_stack)
    return session_stack
