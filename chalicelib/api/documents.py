"""Formal documents (文书): a case's documents for its applicant and staff, a document's
public status, and verification by anyone."""
from chalice import Blueprint, Response

from ..contract import models
from ..domain import identity
from ..services import case_documents
from ..services.case_documents import corrections, printing
from . import http

bp = Blueprint(__name__)


@http.route(bp, "GET", "/cases/{case_no}/documents", op="listCaseDocuments",
            summary="the documents the case's decisions were written in (受理通知书, "
                    "决定书…; its applicant and the staff who read it)", tag="documents",
            returns=models.CaseDocuments, errors=(404,))
def list_documents(case_no, caller):
    return case_documents.list_for_case(caller, case_no)


@http.route(bp, "GET", "/cases/{case_no}/documents/{document_id}", op="getCaseDocument",
            summary="one document as signed by the department that decided, with its "
                    "state", tag="documents", returns=models.SignedDocument, errors=(404,))
def get_document(case_no, document_id, caller):
    return case_documents.get(caller, case_no, document_id)


@http.route(bp, "GET", "/cases/{case_no}/documents/{document_id}/print.pdf",
            op="printCaseDocument",
            summary="one document as an A4 PDF: the department's seal appearance and the QR "
                    "code of its status address (its applicant and the staff who read "
                    "it)", tag="documents", returns=None, media_type="application/pdf",
            errors=(404, 406), description="the document as an A4 PDF (the font embedded)")
def print_document(case_no, document_id, caller):
    request = bp.current_request
    http.require_accept(request, "application/pdf")
    return Response(body=case_documents.printable(caller, case_no, document_id,
                                                  http.base_url(request)),
                    status_code=200, headers={"Content-Type": "application/pdf"})


DEPARTMENT = identity.DEPARTMENT_STAFF


@http.route(bp, "POST", "/cases/{case_no}/documents/{document_id}/correct",
            op="correctCaseDocument",
            summary="correct a clerical error (更正): a new signed version that supersedes "
                    "this one, with the reason (the issuing department)", tag="documents",
            roles=DEPARTMENT, returns=models.SignedDocument, body=models.DocumentCorrection,
            status=201, errors=(404, 409))
def correct_document(case_no, document_id, caller, document):
    return Response(body=corrections.correct(caller, case_no, document_id, document),
                    status_code=201)


@http.route(bp, "POST", "/cases/{case_no}/documents/{document_id}/correction-request",
            op="requestDocumentCorrection",
            summary="ask the department to correct a document (更正申请; its applicant)",
            tag="documents", returns=models.CorrectionRequestAnswer,
            body=models.CorrectionAsked, status=201, errors=(404, 409))
def request_correction(case_no, document_id, caller, document):
    return Response(body=corrections.request_correction(caller, case_no, document_id,
                                                        document), status_code=201)


@http.route(bp, "POST", "/cases/{case_no}/documents/{document_id}/correction-request/refusal",
            op="refuseDocumentCorrection",
            summary="refuse the applicant's correction request, with the answer (the "
                    "issuing department; to accept it, correct the document)",
            tag="documents", roles=DEPARTMENT, returns=models.CorrectionRequestAnswer,
            body=models.CorrectionAsked, errors=(404, 409))
def refuse_correction(case_no, document_id, caller, document):
    return corrections.refuse_correction(caller, case_no, document_id, document)


@http.route(bp, "GET", "/documents/{document_id}/status", op="getDocumentStatus",
            summary="whether a document stands: valid, superseded by a correction or "
                    "annulled (anyone — what its QR code opens: no text, no addressee)",
            tag="documents", returns=models.DocumentStatus, errors=(404,), public=True,
            query=(("key", {"type": "string", "minLength": 1, "maxLength": 64}, True,
                    "the key the document's QR code carries (the first 16 characters of "
                    "its sha256): without the right one, 404"),),
            also_media=("text/html",), response_headers=("Vary",),
            description="the status as JSON; to a browser (an Accept that prefers "
                        "text/html) the same as a readable Chinese page")
def document_status(document_id):
    request = bp.current_request
    return http.page_or_json(request, case_documents.status_of(
        document_id, http.query_param(request, "key")), printing.status_page)


@http.route(bp, "POST", "/documents/verify", op="verifyDocument",
            summary="verify a signed document (anyone, no login): the signature as offline "
                    "with the published keys, then whether it still stands",
            tag="documents", returns=models.DocumentVerification,
            body=models.DocumentVerificationRequest, public=True)
def verify_document(document):
    return case_documents.verify(document)
