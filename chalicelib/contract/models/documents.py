"""Bodies of the `documents` tag: the formal documents (文书) a case's decisions are written
in, signed by the department that decided; their public status and verification."""
from typing import Annotated, Any, Literal

from msgspec import Meta, Struct

from ...domain import case_documents
from .licenses import Signature, SignatureIn
from .shared import CaseNo, Date, ItemCode, Request, Response, Timestamp

DocumentId = Annotated[str, Meta(pattern=r"^\d{21}[0-9X]-[A-Z]{2,3}\d{3,}$",
                                 description="the document's number: the case's, the "
                                             "kind's code and the case version the "
                                             "decision wrote",
                                 examples=["4403002026112500000019-ZY007"])]
DocumentKind = case_documents.KindName
DocumentState = Annotated[Literal["valid", "superseded", "annulled"], Meta(
    description="valid; superseded by a correction; annulled")]
Sha256 = Annotated[str, Meta(pattern="^[0-9a-f]{64}$", description=(
    "SHA-256 of {document, signature} in RFC 8785: what the supervision record holds"))]


class FormalDocument(Struct, omit_defaults=True):
    """A document as signed (RFC 8785 canonical bytes): every field is signed."""
    documentId: DocumentId
    kind: DocumentKind
    title: Annotated[str, Meta(examples=["准予行政许可决定书"])]
    caseNo: CaseNo
    itemCode: ItemCode
    issuer: Annotated[str, Meta(description="the department that decided")]
    issuerCode: Annotated[str, Meta(description="its USCC")]
    area: Annotated[str, Meta(examples=["440300"])]
    issueDate: Date
    issuedAt: Timestamp
    addressee: Annotated[str, Meta(description="the applicant it is addressed to")]
    paragraphs: Annotated[list[str], Meta(description="its text, from the region's "
                                                      "template")]
    facts: Annotated[dict[str, Any], Meta(description=(
        "what the text states, by name (docs/documents.md lists them per kind): the "
        "reason, the legal basis, materials, limits, dates, and for an adverse decision "
        "`reconsideration` {authority, days} and `litigation` {court, months}"))]
    sealName: Annotated[str | None, Meta(description="the seal it bears")] = None


class DocumentSummary(Response, omit_defaults=True):
    documentId: DocumentId
    kind: DocumentKind
    title: str
    issuer: str
    issuedAt: Timestamp
    state: DocumentState
    sha256: Sha256
    supersededBy: DocumentId | None = None


class CaseDocuments(Response):
    caseNo: CaseNo
    items: Annotated[list[DocumentSummary], Meta(description="oldest first")]


class SignedDocument(Response, omit_defaults=True):
    document: FormalDocument
    signature: Signature
    state: DocumentState
    sha256: Sha256
    stateReason: str | None = None
    supersededBy: DocumentId | None = None


class DocumentStatus(Response, omit_defaults=True):
    """What anyone may know of a document: never its text or addressee."""
    documentId: DocumentId
    kind: DocumentKind
    title: str
    issuer: str
    issueDate: Date
    state: DocumentState
    sha256: Sha256
    stateReason: str | None = None
    stateSince: Timestamp | None = None
    supersededBy: DocumentId | None = None


class DocumentVerificationRequest(Request):
    document: dict[str, Any]
    signature: SignatureIn
    state: str | None = None
    sha256: str | None = None
    stateReason: str | None = None
    supersededBy: str | None = None


class DocumentVerification(Response):
    valid: bool
    reason: Annotated[Literal["malformed", "bad_identifier", "unsupported_algorithm",
                              "unknown_key", "signature_mismatch", "issuer_mismatch",
                              "key_not_valid_then", "superseded", "annulled"] | None,
                      Meta(description="why it is not valid")]
    documentId: str | None
    kid: str | None = None
    area: str | None = None
    state: DocumentState | None = None
