"""Bodies of the `documents` tag: the formal documents (文书) a case's decisions are written
in, signed by the department that decided; their public status and verification."""
from typing import Annotated, Any, Literal

from msgspec import Meta, Struct

from ...domain import case_documents, document_proof
from .licenses import Signature, SignatureIn
from .shared import FREE_TEXT, CaseNo, Date, ItemCode, Request, Response, Timestamp

DocumentId = Annotated[str, Meta(pattern=document_proof.DOCUMENT_ID_PATTERN,
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
    corrects: Annotated[str | None, Meta(description=(
        "a corrected version (更正): the number of the version it supersedes"))] = None
    correction: Annotated[dict[str, Any] | None, Meta(description=(
        "a corrected version: {reason, corrections: [{wrong, right}]}"))] = None


class CorrectionRequest(Struct, omit_defaults=True):
    """The applicant's request for a correction (更正申请) and the department's answer."""
    reason: str
    at: Timestamp
    state: Annotated[Literal["open", "accepted", "refused"], Meta(
        description="open; accepted (the document corrected: correctedBy); refused "
                    "(answer: why)")]
    by: str | None = None
    answer: str | None = None
    answeredAt: Timestamp | None = None
    answeredBy: str | None = None
    correctedBy: str | None = None


class DocumentSummary(Response, omit_defaults=True):
    documentId: DocumentId
    kind: DocumentKind
    title: str
    issuer: str
    dept: Annotated[str, Meta(description="the issuing department's code: its staff "
                                          "correct the document")]
    issuedAt: Timestamp
    state: DocumentState
    sha256: Sha256
    supersededBy: DocumentId | None = None
    supersedes: DocumentId | None = None
    correctionRequest: CorrectionRequest | None = None


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
    supersedes: DocumentId | None = None
    correctionRequest: CorrectionRequest | None = None


class DocumentStatus(Response, omit_defaults=True):
    """What whoever holds a document may know of it at its status address: never its
    text, addressee or the reason of a change."""
    documentId: DocumentId
    kind: DocumentKind
    title: str
    issuer: str
    issueDate: Date
    state: DocumentState
    sha256: Sha256
    stateSince: Timestamp | None = None
    supersededBy: DocumentId | None = None


Reason = Annotated[str, Meta(extra=FREE_TEXT, min_length=1, max_length=500)]


class Correction(Request):
    wrong: Annotated[str, Meta(extra=FREE_TEXT, min_length=1, max_length=200,
                               description="the text as it stands (it must be there)")]
    right: Annotated[str, Meta(extra=FREE_TEXT, max_length=200,
                               description="what it should say")]


class DocumentCorrection(Request):
    """A clerical error corrected (更正) by the issuing department."""
    reason: Reason
    corrections: Annotated[list[Correction], Meta(min_length=1, max_length=20)]


class CorrectionAsked(Request):
    """The applicant's request, or the department's refusal of one: why."""
    reason: Reason


class CorrectionRequestAnswer(Response):
    documentId: DocumentId
    correctionRequest: CorrectionRequest


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
