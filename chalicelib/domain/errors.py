"""Errors the domain raises; the API turns each into a JSON error with its status
(chalicelib/api/http.py)."""
from typing import Any


class DomainError(Exception):
    status = 400
    code = "validation_error"

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        if code:
            self.code = code

    def to_json(self) -> dict[str, Any]:
        error = {"code": self.code, "message": self.message}
        if self.field:
            error["field"] = self.field
        return {"error": error}


class ValidationError(DomainError):
    status = 400
    code = "validation_error"


class Unauthorized(DomainError):
    status = 401
    code = "unauthorized"


class Forbidden(DomainError):
    status = 403
    code = "forbidden"


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Concealed(NotFound):
    """It exists, but not for this caller: answered exactly as a missing one (404), and
    written to the audit trail."""


class NotAcceptable(DomainError):
    """The caller's Accept header does not take the only representation there is."""
    status = 406
    code = "not_acceptable"


class Conflict(DomainError):
    status = 409
    code = "conflict"


class PreconditionFailed(DomainError):
    status = 412
    code = "precondition_failed"


class PayloadTooLarge(DomainError):
    status = 413
    code = "payload_too_large"


class TooManyRequests(DomainError):
    status = 429
    code = "too_many_attempts"

    def __init__(self, message: str, *, retry_after: int, field: str | None = None,
                 code: str | None = None):
        super().__init__(message, field=field, code=code)
        self.retry_after = max(1, retry_after)  # seconds: the answer's Retry-After


class UnprocessableEntity(DomainError):
    status = 422
    code = "unprocessable"
