"""Formal documents (文书): the notices and decisions a case's decisions are written in,
signed by the department that decided, read by the applicant and staff, verified by anyone.
One module per concern:

- issuing: the document a decision makes, signed and stored once
- templates: their wording, the region's own templates first
- reading: a case's documents, one document (signed, or printed), a document's public
  status
- printing: a document as an A4 PDF with its seal's appearance and QR code; its status page
- verification: anyone verifies a signed document

What each kind states is the domain's (domain/case_documents.py); how a document proves
itself, domain/document_proof.py. This package's names, for the API and the other services:
"""
from .issuing import digest, issue_for_change
from .reading import get, list_for_case, printable, status_of
from .verification import verify

__all__ = ["digest", "get", "issue_for_change", "list_for_case", "printable", "status_of",
           "verify"]
