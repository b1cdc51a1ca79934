"""Formal documents (文书): a case's documents for its applicant and staff, a document's
public status, and verification by anyone."""
from chalice import Blueprint, Response

from ..contract import models
from ..services import case_documents
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


@http.route(bp, "GET", "/documents/{document_id}/status", op="getDocumentStatus",
            summary="whether a document stands: valid, superseded by a correction or "
                    "annulled (anyone: no text, no addressee)", tag="documents",
            returns=models.DocumentStatus, errors=(404,), public=True)
def document_status(document_id):
    return Response(body=case_documents.status_of(document_id), status_code=200)


@http.route(bp, "POST", "/documents/verify", op="verifyDocument",
            summary="verify a signed document (anyone, no login): the signature as offline "
                    "with the published keys, then whether it still stands",
            tag="documents", returns=models.DocumentVerification,
            body=models.DocumentVerificationRequest, public=True)
def verify_document(document):
    return case_documents.verify(document)
