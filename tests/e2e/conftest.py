import pytest

from .local_stack import Api, started


@pytest.fixture(scope="module")
def local_stack():
    """The local stack as `make run` serves it, one per test module; it must stop cleanly."""
    with started() as stack:
        yield stack
    assert stack.process.returncode == 0, stack.output()


@pytest.fixture(scope="module")
def served(local_stack):
    """The module's local stack and a client of its API."""
    return local_stack, Api(local_stack.url, local_stack.issuer)
