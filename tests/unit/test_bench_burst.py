"""The burst bench's figures (bench/burst.py `settle`): a moment that did not come within
the watch is reported as None, never as the watch's length."""
from bench.burst import settle


class _Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def _counts(series):
    """counts_now() giving (executions, waiting) of `series` in turn, the last for ever."""
    seen = iter(series)
    last = {}

    def counts_now():
        nonlocal last
        executions, waiting = next(seen, (last.get("executions"), last.get("waiting")))
        last = {"executions": executions, "waiting": waiting}
        return {"executions": executions, "waiting_at_acceptance": waiting}
    return counts_now


def test_every_workflow_started_then_waited_are_timed_from_the_burst():
    clock = _Clock()
    counts, started, waiting = settle(_counts([(1, 0), (3, 1), (3, 2), (3, 3)]), 3, 95.0,
                                      clock=clock, sleep=clock.sleep)
    assert (started, waiting) == (6.0, 8.0)
    assert counts == {"executions": 3, "waiting_at_acceptance": 3}


def test_a_watch_that_ends_first_reports_none_not_its_length():
    clock = _Clock()
    counts, started, waiting = settle(_counts([(2, 1)]), 3, 100.0, limit=30,
                                      clock=clock, sleep=clock.sleep)
    assert (started, waiting) == (None, None) and clock.now == 130.0
    assert counts == {"executions": 2, "waiting_at_acceptance": 1}


def test_started_but_not_all_waiting_reports_only_the_start():
    clock = _Clock()
    _, started, waiting = settle(_counts([(3, 0), (3, 2)]), 3, 100.0, limit=10,
                                 clock=clock, sleep=clock.sleep)
    assert (started, waiting) == (0.0, None)
