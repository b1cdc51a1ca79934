"""The local stack's stop signal (infra/local/stop_signal.py): a handler that never blocks
or takes a lock, however many signals come, and one stop asked for."""
import os
import signal
import threading

from infra.local.stop_signal import SIGNALS, StopSignal


def test_any_number_of_signals_ask_for_one_stop_and_the_handler_never_blocks():
    previous = {signum: signal.getsignal(signum) for signum in SIGNALS}
    try:
        stop = StopSignal().install()
        assert stop.wait(0) is False
        # Far more than the pipe holds, as if signals kept arriving inside the handler:
        # each returns at once.
        for _ in range(200_000):
            stop._handle(signal.SIGTERM, None)
        senders = [threading.Thread(target=os.kill, args=(os.getpid(), signum))
                   for signum in (signal.SIGINT, signal.SIGTERM) * 10]
        for sender in senders:
            sender.start()
        for sender in senders:
            sender.join()
        assert stop.wait(5) is True and stop.received == signal.SIGTERM
        assert stop.wait(0) is True   # asked for once; the stop itself runs once
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
