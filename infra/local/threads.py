"""Chalice on threads (the local server, concurrent tests).

Chalice keeps the request being handled on the app object (`app.current_request`, read
by every Blueprint as `bp.current_request`). Lambda runs one request per container at a
time, so one attribute is enough there; the local server handles requests on threads, and
two at once would read each other's request (body, headers, bearer token). Here the
attribute is made per thread.
"""
import threading


def thread_local_requests(app) -> None:
    """Make `app.current_request` and `app.lambda_context` per thread (idempotent)."""
    if getattr(type(app), "_per_thread_requests", False):
        return
    local = threading.local()

    def slot(name: str) -> property:
        return property(lambda self: getattr(local, name, None),
                        lambda self, value: setattr(local, name, value))

    app.__class__ = type(f"{type(app).__name__}OnThreads", (type(app),), {
        "_per_thread_requests": True,
        "current_request": slot("current_request"),
        "lambda_context": slot("lambda_context")})
