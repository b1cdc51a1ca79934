"""Structured logs: one JSON object per line (Powertools Logger), at OW_LOG_LEVEL (INFO by
default), with the request id, correlation id and case number of what is being handled.

Chalice would configure the app's logger at ERROR and stop it propagating, dropping every
info and warning line; app.py turns that off (`configure_logs=False`) and this module owns
the `onewindow` logger instead. Every logger below it (`onewindow.local.pump`, …) writes
through the same handler, and the handler masks ID and mobile numbers (and a person's
business code: domain/masking.mask_text) in messages and tracebacks, so no line leaves
unmasked whichever logger wrote it.
"""
import logging
import os
import sys
import threading

from .domain.identifiers import case_number_in_path
from .domain.masking import mask_text

SERVICE = "onewindow"

_logger = None
_current = threading.local()
_cold = True


def current_request_id() -> str | None:
    """The id of the request (or event) this thread is handling."""
    return getattr(_current, "request_id", None)


class MaskingFilter(logging.Filter):
    """Masks ID and mobile numbers in the message of every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = mask_text(record.getMessage())
        record.args = None
        return True


def configure(stream=None):
    """The app's logger (configured once; `stream` only for the first call)."""
    global _logger
    if _logger is None:
        from aws_lambda_powertools import Logger
        from aws_lambda_powertools.logging.formatter import LambdaPowertoolsFormatter

        class MaskingFormatter(LambdaPowertoolsFormatter):
            """Tracebacks masked too: an exception's message may quote what it was given.
            (The traceback is the `exception` text alone: Powertools' structured
            `stack_trace` would repeat the message and each statement unmasked.)"""

            def formatException(self, exc_info) -> str:
                return mask_text(super().formatException(exc_info))

        _logger = Logger(service=SERVICE, level=os.environ.get("OW_LOG_LEVEL", "INFO"),
                         stream=stream or sys.stdout,
                         logger_formatter=MaskingFormatter(use_rfc3339=True,
                                                           serialize_stacktrace=False))
        _logger.registered_handler.addFilter(MaskingFilter())
        # Lambda's runtime puts a handler on the root logger: without this every line
        # would be written twice.
        logging.getLogger(SERVICE).propagate = False
    return _logger


def bind(**keys) -> None:
    """Add keys (request_id, correlation_id, case_no …) to this thread's log lines."""
    values = {k: v for k, v in keys.items() if v is not None}
    if values:
        configure().thread_safe_append_keys(**values)


def clear() -> None:
    """Forget this thread's keys (at the end of a request or an event)."""
    configure().thread_safe_clear_keys()


def _correlation_id(value: str | None) -> str | None:
    """A caller's X-Correlation-Id, if it is a sane one (printable ASCII, 1–128 chars)."""
    if value and len(value) <= 128 and value.isascii() and value.isprintable():
        return value
    return None


def middleware(event, get_response):
    """Chalice middleware for every kind of event: log lines carry the request id (the
    API Gateway or Lambda request id, returned as X-Request-Id), a correlation id (the
    caller's X-Correlation-Id or else the request id, echoed on HTTP responses) and,
    where the path names one, the case number."""
    import uuid
    global _cold
    if _cold:
        _cold = False
        from . import metrics
        metrics.emit("ColdStart", 1, "Count",
                     function=os.environ.get("AWS_LAMBDA_FUNCTION_NAME", "local"))
    http = hasattr(event, "headers")
    if http:
        request_id = (event.context or {}).get("requestId") or str(uuid.uuid4())
        correlation = _correlation_id(event.headers.get("x-correlation-id")) or request_id
        bind(request_id=request_id, correlation_id=correlation,
             case_no=case_number_in_path(event.uri_params))
    else:
        request_id = getattr(getattr(event, "context", None), "aws_request_id", None)
        bind(request_id=request_id, correlation_id=request_id)
    _current.request_id = request_id
    try:
        response = get_response(event)
        if http:
            response.headers["X-Request-Id"] = request_id
            response.headers["X-Correlation-Id"] = correlation
        return response
    finally:
        _current.request_id = None
        clear()
