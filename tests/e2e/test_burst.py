"""A burst of applications on the local stack as `make run` starts it: nothing lost, no
duplicates, no connection refused, and a prompt stop with the workflows still waiting."""
import signal

import pytest

from bench import burst

from .local_stack import LocalStack

# Enough at once to queue at the server and at moto (the bench's `burst` fires 2,000).
APPLICATIONS, CLIENTS = 100, 32


@pytest.fixture(scope="module")
def fresh_stack():
    stack = LocalStack()
    try:
        assert stack.ready.wait(120) and stack.url, stack.output()
        yield stack
    finally:
        stack.stop()


def test_a_burst_is_taken_whole_and_the_stack_stops_promptly(fresh_stack):
    fired = burst.fire(fresh_stack.url, fresh_stack.issuer, APPLICATIONS, CLIENTS)
    assert fired["errors"] == {}, "connections refused or reset"
    assert fired["statuses"] == {201: APPLICATIONS}
    numbers = fired["caseNumbers"]
    assert len(numbers) == len(set(numbers)) == APPLICATIONS

    import time
    deadline = time.monotonic() + 120
    counts = burst.stack_counts(fresh_stack.moto_endpoint)
    while counts["waiting_at_acceptance"] < APPLICATIONS and time.monotonic() < deadline:
        time.sleep(1)
        counts = burst.stack_counts(fresh_stack.moto_endpoint)
    assert counts == {"cases": APPLICATIONS, "executions": APPLICATIONS,
                      "waiting_at_acceptance": APPLICATIONS}

    # SIGTERM with every workflow waiting for its clerk: down within 10 s, exit code 0.
    seconds = fresh_stack.stop(signal.SIGTERM, timeout=30)
    assert fresh_stack.process.returncode == 0, fresh_stack.output()
    assert seconds < 10
