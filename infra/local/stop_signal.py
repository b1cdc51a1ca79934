"""Ctrl-C and SIGTERM for the local stack: a signal only writes a byte to a pipe; the main
thread, waiting on the pipe, stops everything, once.

Two ways a stop hung (the stack busy with requests, one stop in five):

- The kernel delivers a signal to any thread of the process; the stack has dozens. Python
  runs its handler only once the main thread executes bytecode again, so a main thread
  blocked waiting (on an Event, or in select) for a signal that landed on a request
  thread slept on — until another signal came. The pipe is the interpreter's wakeup fd
  (`signal.set_wakeup_fd`): its C-level handler writes the signal's number to the pipe in
  whichever thread received it, and that wakes the main thread's select at once.
- A Python signal handler runs on the main thread between two bytecodes, wherever that
  thread is — possibly inside a lock it holds. A handler that takes a lock (setting a
  `threading.Event` takes its condition's lock; `print` takes stdout's) can wait for
  ever on a lock its own thread holds when a second signal arrives while the first
  handler, or the wait it woke, is inside that lock. The handler here does nothing at all;
  any number of signals, nested or not, only leave bytes in the pipe, and the stop runs
  on the main thread, outside any handler.
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
        signal.set_wakeup_fd(self._write, warn_on_full_buffer=False)
        for signum in SIGNALS:
            signal.signal(signum, self._handle)
        return self

    @staticmethod
    def _handle(_signum, _frame) -> None:
        """Nothing: the interpreter has written the signal to the pipe already (a full
        pipe means a stop is asked for already)."""

    def wait(self, timeout: float | None = None) -> bool:
        """Block until a signal came (True) or the timeout passed (False)."""
        ready, _, _ = select.select([self._read], [], [], timeout)
        if not ready:
            return False
        if self.received is None:
            self.received = os.read(self._read, 1)[0]
        return True
