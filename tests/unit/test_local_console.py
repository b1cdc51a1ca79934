"""The local stack's printed lines stay whole while the app's handlers write theirs."""
import json
import threading
import time

from chalicelib import metrics
from infra.local.console import say


class SharedStdout:
    """A stream as stdout is: each write is whole (a lock, as the buffered writer's), and
    threads switch between writes (the pause makes them switch there every time)."""

    def __init__(self):
        self.text = ""
        self._lock = threading.Lock()

    def write(self, text: str) -> int:
        with self._lock:
            self.text += text
        time.sleep(0.001)
        return len(text)

    def flush(self) -> None:
        pass


def test_a_banner_said_while_metrics_are_written_keeps_every_line_whole():
    stream = SharedStdout()
    metrics.set_stream(stream)
    stop = threading.Event()

    def handler():
        while not stop.is_set():
            metrics.emit("CaseApplied", itemCode="X")

    writers = [threading.Thread(target=handler) for _ in range(4)]
    for writer in writers:
        writer.start()
    try:
        for n in range(50):
            say(f"PORTAL http://127.0.0.1:{5000 + n}\nREADY http://127.0.0.1:{8000 + n}", stream)
    finally:
        stop.set()
        for writer in writers:
            writer.join()
        metrics.set_stream(None)

    lines = stream.text.splitlines()
    ready = [line for line in lines if line.startswith("READY ")]
    assert ready == [f"READY http://127.0.0.1:{8000 + n}" for n in range(50)]
    emf = [line for line in lines if not line.startswith(("READY ", "PORTAL "))]
    assert emf and all(json.loads(line)["CaseApplied"] == 1 for line in emf)


def test_say_ends_the_line_and_flushes():
    class Recorder:
        writes: list[str] = []
        flushed = 0

        def write(self, text):
            self.writes.append(text)

        def flush(self):
            self.flushed += 1

    out = Recorder()
    say("stopping…", out)
    assert out.writes == ["stopping…\n"] and out.flushed == 1
