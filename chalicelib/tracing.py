"""X-Ray: in Lambda every AWS call is traced (botocore is patched at the first event) and
each request or event runs in a subsegment annotated with what it concerns — case number,
item, department — so a trace can be found by case. API Gateway, Lambda and Step Functions
all send their segments (infra/template.json and .chalice/config.json turn tracing on).

Off the Lambda runtime (tests, the local stack) nothing of the X-Ray SDK is imported; in
Lambda it is imported at the first event, not at import (it costs ~70 ms: wrapt, asyncio),
so that the function's INIT stays short (docs/capacity.md, cold start).
"""
import os

from . import config
from .domain.identifiers import case_number_in_path

_enabled = None
_patched = False


def enabled() -> bool:
    global _enabled
    if _enabled is None:
        _enabled = bool(os.environ.get("AWS_LAMBDA_FUNCTION_NAME")) and \
            os.environ.get("AWS_XRAY_SDK_ENABLED", "").lower() != "false"
    return _enabled


def reset() -> None:
    global _enabled
    _enabled = None


def annotate(**values) -> None:
    """Annotations (indexed, searchable) on the current subsegment; None values skipped."""
    if not enabled():
        return
    from aws_xray_sdk.core import xray_recorder
    entity = xray_recorder.current_subsegment()
    if entity is None:
        return
    for key, value in values.items():
        if value is not None:
            entity.put_annotation(key, str(value))


def _trace_aws_calls() -> None:
    """Every AWS call (boto3 and PynamoDB both go through botocore) traced from now on:
    the patch is on botocore's client class, so clients made before it are traced too."""
    global _patched
    if not _patched:
        from aws_xray_sdk.core import patch
        patch(["botocore"])
        _patched = True


def middleware(event, get_response):
    """Chalice middleware (all events): the request or event in a subsegment of its own,
    annotated with the case number its path names."""
    if not enabled():
        return get_response(event)
    _trace_aws_calls()
    from aws_xray_sdk.core import xray_recorder
    name = getattr(event, "path", None) or type(event).__name__
    with xray_recorder.in_subsegment(f"onewindow {name}"[:200]):
        annotate(case_no=case_number_in_path(getattr(event, "uri_params", None)),
                 area=config.get().area_code)
        return get_response(event)
