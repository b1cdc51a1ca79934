"""Ctrl-C and SIGTERM for the local stack: the signal handler only writes a byte to a pipe;
the main thread, waiting on the pipe, stops everything, once.

A Python signal handler runs on the main thread between two bytecodes, wherever that
thread is — possibly inside a lock it holds. A handler that takes a lock (setting a
`threading.Event` takes its condition's lock; `print` takes stdout's) can wait for ever
on a lock its own thread holds, when a second signal arrives while the first handler or
the wait it woke is inside that lock. Writing one byte to a non-blocking pipe takes no
lock and cannot block, so any number of signals, nested or not, only leave bytes in the
pipe; the stop itself runs on the main thread, outside any handler.
"""
import os
import select
import signal

SIGNALS = (signal.SIGINT, signal.SIGTERM)


class StopSignal:
    def __init__(self):
        self._read, self._write = os.pipe()
        os.set_blocking(self._write, False)
        self.received: int | None = None  # the first signal's number, once read

    def install(self) -> "StopSignal":
        """Handle SIGINT and SIGTERM (main thread only, as Python requires)."""
        for signum in SIGNALS:
            signal.signal(signum, self._handle)
        return self

    def _handle(self, signum, _frame) -> None:
        try:
            os.write(self._write, bytes([signum]))
        except OSError:  # the pipe is full: a stop is already asked for
            pass

    def wait(self, timeout: float | None = None) -> bool:
        """Block until a signal came (True) or the timeout passed (False)."""
        ready, _, _ = select.select([self._read], [], [], timeout)
        if not ready:
            return False
        if self.received is None:
            self.received = os.read(self._read, 1)[0]
        return True
