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
from ...adapters.models import (
    CaseRecord,
    DocumentRecord,
    TaskRecord,
    get_or_none,
    put_if_absent,
    update_if,
)
from ...domain import case_documents, worktime
from ...domain.case_documents import Kind
from ...domain.lifecycle import Status
from .. import catalogue, clock
from ..licenses import sign
from ..licenses.issuing import issuing_authority
from . import templates

PREFIX = "DOC#"


def document_key(document_id: str) -> tuple[str, str]:
    return case_documents.case_of(document_id), PREFIX + document_id


def issue_for_change(old: dict | None, new: dict | None) -> str | None:
    """The document the change's decision is written in, issued if it is not yet; its
    number (None: the change records no decision). A license's change is written against
    its case as the case stands now."""
    kind = case_documents.made_by(old, new)
    if kind is None or new is None:
        return None
    document_id = case_documents.document_id(new["pk"], kind, case_documents.serial_of(new))
    if not get_or_none(DocumentRecord, *document_key(document_id), consistent=True):
        if new.get("rt") == "license":
            case, previous, change = _case_now(new["pk"]), 0, new
        else:
            case, previous, change = new, int(old["status"]) if old else 0, None
        if kind == case_documents.APPROVAL_DECISION:
            # Concluded by the workflow: the reviews' opinions are the reasons, not its note.
            case = {**case, "opinion": _review_opinions(new["pk"]) or case.get("opinion")}
        item = catalogue.pinned_version(case["itemCode"], case["itemVersion"])
        document = build(kind, document_id, case, previous, item, issuing_authority(item),
                         change)
        put_if_absent(signed_record(document, item.get("implementingDept") or ""))
    if kind == case_documents.REVOCATION_DECISION:
        # Again on a redelivery: a first one that stopped in between annuls them now.
        annul_decisions(new["pk"], f"该决定已被撤销（见 {document_id}）")
    elif kind == case_documents.APPROVAL_DECISION and \
            int(_case_now(new["pk"])["status"]) == Status.REVOKED:
        # Written late (its change replayed after the case was revoked): annulled at once.
        annul_decisions(new["pk"], "该决定已被撤销（办件已撤销）")
    return document_id


def _review_opinions(case_no: str) -> str:
    """The approving reviews' opinions, each after its department's name when there are
    several: `深圳市卫生健康委员会：同意；深圳市消防救援支队：符合要求`."""
    reviews = sorted((r for r in TaskRecord.query(case_no, TaskRecord.sk.startswith("TASK#"),
                                                  consistent_read=True)
                      if isinstance(r, TaskRecord) and r.taskKind == "review"
                      and r.decision == "approve" and r.opinion),
                     key=lambda r: (r.stage or 0, r.dept))
    if len(reviews) == 1:
        return str(reviews[0].opinion)
    names = {r.dept: (catalogue.department(r.dept) or {}).get("name", r.dept)
             for r in reviews}
    return "；".join(f"{names[r.dept]}：{r.opinion}" for r in reviews)


def _case_now(case_no: str) -> dict:
    found = CaseRecord.get(case_no, "META", consistent_read=True)
    return {**found.attribute_values, "applicant": found.applicant.as_dict()}


def annul_decisions(case_no: str, reason: str) -> int:
    """A revoked case's approval stands no more: each valid approval decision of it is
    annulled (its status says so and why). Returns how many were."""
    annulled = 0
    for record in DocumentRecord.query(case_no, DocumentRecord.sk.startswith(PREFIX),
                                       consistent_read=True):
        if isinstance(record, DocumentRecord) and record.state == "valid" and \
                record.kind == case_documents.APPROVAL_DECISION.name:
            annulled += update_if(record, [
                DocumentRecord.state.set("annulled"),
                DocumentRecord.stateReason.set(reason),
                DocumentRecord.stateSince.set(clock.now().isoformat())],
                DocumentRecord.state == "valid")
    return annulled


def _local(text: str | None) -> str:
    return clock.local_date(worktime.parse(text)).isoformat() if text else ""


def build(kind: Kind, document_id: str, case: dict, previous: int, item: dict,
          issuer: dict, license_change: dict | None = None) -> dict:
    """The document as signed: who issues it to whom, its text from the region's
    template and the facts the text states, dated when the decision was made."""
    cfg = config.get()
    procedure = (case.get("procedures") or [{}])[-1]
    decided_at = (license_change or case)["at" if license_change else "updatedAt"]
    dates = {"applied": _local(case.get("createdAt")), "decided": _local(decided_at),
             "promisedBy": _local(case.get("promisedBy")),
             "materialsDueBy": _local(case.get("materialsDueBy")),
             "procedureDueBy": _local(procedure.get("dueAt"))}
    facts = case_documents.facts(
        kind, case, item, dates,
        case_documents.Remedies(cfg.reconsideration_authority, cfg.litigation_court),
        previous, license_change)
    document = {
        "documentId": document_id, "kind": kind.name,
        "title": case_documents.title(kind, item.get("kind")),
        "caseNo": case["pk"], "itemCode": case["itemCode"],
        "issuer": issuer["name"], "issuerCode": issuer["uscc"], "area": cfg.area_code,
        "issueDate": dates["decided"],
        "issuedAt": worktime.utc_precise_text(worktime.parse(decided_at)),
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
