"""A function's code loaded without the garbage collector, then kept out of its walks.

Loading the app makes some 50,000 objects and none of them is garbage, yet the collector
runs every 700 new objects and walks them again and again: 60-100 ms of a cold start
(bench/cold_start.py). The entry modules Lambda imports (app.py for the API,
events/handlers.py for the consumers) start with `start()` and end with `done()`: the
collector waits until the outermost is loaded, then `gc.freeze()` moves what was loaded
out of every later collection, so the requests' collections are shorter too.
"""
import gc

_depth = 0
_was_enabled = False


def start() -> None:
    global _depth, _was_enabled
    if _depth == 0:
        _was_enabled = gc.isenabled()
        gc.disable()
    _depth += 1


def done() -> None:
    global _depth
    _depth -= 1
    if _depth == 0 and _was_enabled:
        gc.freeze()
        gc.enable()
