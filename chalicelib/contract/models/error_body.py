"""The error body every operation may answer with (docs/errors.md lists the codes)."""
from typing import Annotated

from msgspec import Meta

from .shared import Response


class ErrorDetail(Response):
    code: Annotated[str, Meta(description="machine-readable; docs/errors.md lists them",
                              examples=["validation_error"])]
    message: Annotated[str, Meta(description="in the language Accept-Language asks for "
                                             "(zh-CN by default, en)",
                                 examples=["请求参数不符合要求"])]
    field: Annotated[str | None, Meta(description="the offending field, dotted path",
                                      examples=["applicant.idNumber"])] = None
    detail: Annotated[str | None, Meta(description="what exactly is wrong (English)")] = None


class Error(Response):
    error: ErrorDetail
    requestId: Annotated[str | None, Meta(description="as in X-Request-Id")] = None
