"""An application's Idempotency-Key: a retried request answers as the first did (the same
case), whatever the catalogue says now; the same key with another request is refused.

The key's record is written in the new case's own commit (a marker of the case file,
domain/case_file.py), so of two requests with one key racing, one makes the case and the
other answers with it."""
from dataclasses import dataclass

from ...adapters.models import IdempotencyRecord
from ...domain import applications, identity
from ...domain.case_file import idempotency_key
from ...domain.changes import Create
from ...domain.errors import UnprocessableEntity, ValidationError
from ..case_files import CaseFiles
from .views import created_view


@dataclass(frozen=True)
class Retry:
    """A request made under an Idempotency-Key: the key's record, and the request's hash
    (what makes a retry the same request)."""
    key: tuple[str, str]
    request_hash: str


def retry_of(principal: identity.Principal, idempotency_key_: str | None,
             body: dict) -> Retry | None:
    """The request's Idempotency-Key (None: it names none), checked."""
    if idempotency_key_ is None:
        return None
    if not 1 <= len(idempotency_key_) <= 128:
        raise ValidationError("Idempotency-Key must be 1 to 128 characters",
                              field="Idempotency-Key")
    return Retry(idempotency_key(principal.sub, idempotency_key_),
                 applications.request_hash(body))


def replay(case_files: CaseFiles, retry: Retry | None, *, consistent: bool = False
           ) -> dict | None:
    """What the case a request with this key made before answers (None: none, or no key);
    422 `idempotency_key_reused` if that request was another."""
    if retry is None:
        return None
    seen = case_files.get_marker(retry.key, consistent=consistent)
    if seen is None:
        return None
    if seen.requestHash != retry.request_hash:
        raise UnprocessableEntity("this Idempotency-Key was used with a different request",
                                  field="Idempotency-Key", code="idempotency_key_reused")
    case = case_files.get(seen.caseNo, consistent=consistent)
    if case is None:  # never: the key's record is written in its case's commit
        raise RuntimeError(f"Idempotency-Key record names no case {seen.caseNo}")
    return created_view(case)


def first_use(retry: Retry, case_no: str, at: str) -> Create:
    """The key's record, written with the case it made."""
    return Create(retry.key, IdempotencyRecord(*retry.key, caseNo=case_no,
                                               requestHash=retry.request_hash, createdAt=at))
