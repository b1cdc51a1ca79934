"""Writing a decision's document: made from the change of the case that records the
decision (the stream, services/progress.py), signed by the department that decided, stored
once in the case's partition.

Once however often the change is delivered: the document's number is derived from the
change (domain/case_documents.document_id), and the record is written only if absent. Two
deliveries at once may both sign; one write wins, and both answer the same number."""
import hashlib
from datetime import datetime

import rfc8785

from ... import config
from ...adapters.models import DocumentRecord, get_or_none, put_if_absent
from ...domain import case_documents, worktime
from ...domain.case_documents import Kind
from .. import catalogue, clock
from ..licenses import sign
from ..licenses.issuing import issuing_authority
from . import templates

PREFIX = "DOC#"


def document_key(document_id: str) -> tuple[str, str]:
    return case_documents.case_of(document_id), PREFIX + document_id


def issue_for_change(old: dict | None, new: dict | None) -> str | None:
    """The document the change's decision is written in, issued if it is not yet; its
    number (None: the change records no decision)."""
    kind = case_documents.made_by(old, new)
    if kind is None or new is None or old is None:
        return None
    document_id = case_documents.document_id(new["pk"], kind, int(new["version"]))
    if get_or_none(DocumentRecord, *document_key(document_id), consistent=True):
        return document_id
    item = catalogue.pinned_version(new["itemCode"], new["itemVersion"])
    document = build(kind, document_id, new, int(old["status"]), item,
                     issuing_authority(item))
    put_if_absent(signed_record(document, item.get("implementingDept") or ""))
    return document_id


def _local(text: str | None) -> str:
    return clock.local_date(worktime.parse(text)).isoformat() if text else ""


def build(kind: Kind, document_id: str, case: dict, previous: int, item: dict,
          issuer: dict) -> dict:
    """The document as signed: who issues it to whom, its text from the region's
    template and the facts the text states, dated when the decision was made."""
    cfg = config.get()
    procedure = (case.get("procedures") or [{}])[-1]
    dates = {"applied": _local(case.get("createdAt")), "decided": _local(case["updatedAt"]),
             "promisedBy": _local(case.get("promisedBy")),
             "materialsDueBy": _local(case.get("materialsDueBy")),
             "procedureDueBy": _local(procedure.get("dueAt"))}
    facts = case_documents.facts(
        kind, case, item, dates,
        case_documents.Remedies(cfg.reconsideration_authority, cfg.litigation_court),
        previous)
    document = {
        "documentId": document_id, "kind": kind.name,
        "title": case_documents.title(kind, item.get("kind")),
        "caseNo": case["pk"], "itemCode": case["itemCode"],
        "issuer": issuer["name"], "issuerCode": issuer["uscc"], "area": cfg.area_code,
        "issueDate": dates["decided"], "issuedAt": worktime.utc_precise_text(
            worktime.parse(case["updatedAt"])),
        "addressee": case["applicant"]["name"],
        "paragraphs": templates.paragraphs(kind.name, facts), "facts": facts,
    }
    if issuer.get("sealName"):
        document["sealName"] = issuer["sealName"]
    return document


def digest(document: dict, signature: dict) -> str:
    """What the supervision record holds of a document: SHA-256 of the signed document
    and its signature (RFC 8785), hex."""
    return hashlib.sha256(rfc8785.dumps({"document": document, "signature": signature})
                          ).hexdigest()


def signed_record(document: dict, dept: str, now: datetime | None = None) -> DocumentRecord:
    signature = sign(document)
    case_no, sk = document_key(document["documentId"])
    return DocumentRecord(case_no, sk, documentId=document["documentId"],
                          kind=document["kind"], title=document["title"], dept=dept,
                          itemCode=document["itemCode"],
                          issuedAt=document["issuedAt"], document=document,
                          signature=signature, sha256=digest(document, signature),
                          state="valid", stateSince=(now or clock.now()).isoformat())
