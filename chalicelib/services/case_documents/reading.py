"""A case's documents as its applicant and staff read them, and a document's public status
(what its QR code opens: never its text, never who it was addressed to)."""
import hmac
from typing import Any

from ...adapters.models import DocumentRecord, TaskRecord, get_or_none
from ...domain import case_documents, document_proof, identity
from ...domain.errors import NotFound
from .. import case_access, usage
from ..holders import owner_id
from .issuing import document_key


def _corrections(record: DocumentRecord) -> dict:
    """What corrections added to a document, for its applicant and staff: the versions
    before and after it, and the applicant's request."""
    return {name: value for name, value in (
        ("supersededBy", record.supersededBy), ("supersedes", record.supersedes),
        ("correctionRequest", record.correctionRequest)) if value}


def summary(record: DocumentRecord) -> dict:
    return {"documentId": record.documentId, "kind": record.kind, "title": record.title,
            "issuer": record.document.get("issuer"), "dept": record.dept,
            "issuedAt": record.issuedAt, "state": record.state, "sha256": record.sha256,
            **_corrections(record)}


def signed(record: DocumentRecord) -> dict:
    return {"document": record.document, "signature": record.signature,
            "state": record.state, "sha256": record.sha256,
            **({"stateReason": record.stateReason} if record.stateReason else {}),
            **_corrections(record)}


def issues(principal: identity.Principal | None, record: DocumentRecord) -> bool:
    """Whether the caller is staff of the department that issued the document (the
    item's implementing department, which may hold no task of its case: the counter
    accepted or refused in its name)."""
    return principal is not None and principal.role in identity.DEPARTMENT_STAFF and \
        principal.dept == record.dept


def readable(principal: identity.Principal | None, case_no: str
             ) -> tuple[list[DocumentRecord], bool]:
    """The case's documents, oldest first, and whether the caller is its applicant (or
    agent): for them, the staff who may read the case and the issuing department's staff;
    a case the caller may not read does not exist for it (404, audited)."""
    case, found = _case_and_readable(principal, case_no)
    return found, identity.owns(principal, case.applicant.sub, owner_id(case))


def _case_and_readable(principal: identity.Principal | None, case_no: str
                       ) -> tuple[Any, list[DocumentRecord]]:
    case, others = case_access.load_records(case_no, consistent=True)
    found = sorted((r for r in others if isinstance(r, DocumentRecord)),
                   key=lambda r: (r.issuedAt, r.documentId))
    if not any(issues(principal, r) for r in found):
        case_access.require_readable(principal, case,
                                     [r for r in others if isinstance(r, TaskRecord)])
    return case, found


def _readable(principal: identity.Principal | None, case_no: str) -> list[DocumentRecord]:
    return _case_and_readable(principal, case_no)[1]


def list_for_case(principal: identity.Principal | None, case_no: str) -> dict:
    """Every document the case's decisions were written in, oldest first."""
    return {"caseNo": case_no, "items": [summary(r) for r in _readable(principal, case_no)]}


def get(principal: identity.Principal | None, case_no: str, document_id: str) -> dict:
    """One document as signed, with its state; a member of staff's read is in the
    applicant's access log."""
    case, found = _case_and_readable(principal, case_no)
    for record in found:
        if record.documentId == document_id:
            if principal is not None and principal.role in identity.STAFF:
                usage.staff_read(case.owner, case_no, principal, f"文书{document_id}")
            return signed(record)
    raise NotFound(f"case {case_no} has no document {document_id}", field="documentId")


def printable(principal: identity.Principal | None, case_no: str, document_id: str,
              base_url: str) -> bytes:
    """One document as an A4 PDF with its seal's appearance and the QR code of its status
    address (`base_url`: where this API is reached from outside)."""
    from .printing import render_pdf
    return render_pdf(get(principal, case_no, document_id), base_url)


def state_of(document_id: str) -> DocumentRecord:
    """The document a number names (404 if none: a malformed number too)."""
    record = get_or_none(DocumentRecord, *document_key(document_id)) \
        if document_proof.DOCUMENT_ID.match(document_id) else None
    if record is None:
        raise NotFound(f"no document {document_id}", field="documentId")
    return record


def status_of(document_id: str, key: str | None) -> dict:
    """Whoever holds the document (its QR code carries the key): whether it stands
    (valid), was superseded by a correction, or annulled — its kind, issuer and date, and
    its hash to compare a copy with. Never its text, addressee or the reason given. A
    wrong or missing key is told as a document that is not there."""
    record = state_of(document_id)
    if not key or not hmac.compare_digest(key, case_documents.status_key(record.sha256)):
        raise NotFound(f"no document {document_id}", field="documentId")
    return {"documentId": record.documentId, "kind": record.kind, "title": record.title,
            "issuer": record.document.get("issuer"),
            "issueDate": record.document.get("issueDate"), "state": record.state,
            "sha256": record.sha256,
            **({"stateSince": record.stateSince} if record.state != "valid" else {}),
            **({"supersededBy": record.supersededBy} if record.supersededBy else {})}
