"""What the local stack prints on its standard output, shared with the app's own lines.

The app's handlers run on the event pump's threads and write their metric lines (EMF,
chalicelib/metrics.py) to the same stdout at any moment. `print` writes a text and its
line end in two calls, so another thread's line can land between them — a banner's
`READY http://127.0.0.1:8000` followed by `{"_aws": …}` on the same line, which a reader
waiting for the address cannot parse. One `write` per text, line end included, keeps every
line whole.
"""
import sys
from typing import TextIO


def say(text: str, stream: TextIO | None = None) -> None:
    """Write `text` and its line end in one call, and flush (a pipe reader waits for it)."""
    out = stream or sys.stdout
    out.write(text + "\n")
    out.flush()
