import pytest

from .local_stack import started


@pytest.fixture(scope="module")
def local_stack():
    """The local stack as `make run` serves it, one per test module; it must stop cleanly."""
    with started() as stack:
        yield stack
    assert stack.process.returncode == 0, stack.output()
