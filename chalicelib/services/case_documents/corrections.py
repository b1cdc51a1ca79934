"""Corrections (更正): the department that issued a document corrects a clerical error in
it — a misspelt name, a wrong date — as a new version, signed, that supersedes the old one
with the reason; the applicant may ask for one, and the department accepts (correcting)
or refuses with its answer.

A correction changes words, never the decision: each correction names the wrong text and
the right one, the wrong text must be in the document, and neither may name what was
decided or the remedies (domain/case_documents.corrected). The new version and the old
one's `superseded` are written together, on the condition that the old one still stands:
of two corrections at once, one is made and the other is told the document changed."""
from pynamodb.exceptions import TransactWriteError

from ...adapters.models import DocumentRecord, transact_write, update_if
from ...domain import case_documents, identity, worktime
from ...domain.errors import Conflict, Forbidden, NotFound
from ...domain.masking import mask_text
from .. import clock
from .issuing import signed_record
from .reading import issues, readable, signed

OPEN, ACCEPTED, REFUSED = "open", "accepted", "refused"


def _load(principal: identity.Principal, case_no: str,
          document_id: str) -> tuple[DocumentRecord, bool]:
    """The document, and whether the caller is its applicant (or agent); 404 to anyone
    who may not read it."""
    found, owner = readable(principal, case_no)
    for record in found:
        if record.documentId == document_id:
            return record, owner
    raise NotFound(f"case {case_no} has no document {document_id}", field="documentId")


def _issuing_staff(principal: identity.Principal, record: DocumentRecord) -> None:
    if not issues(principal, record):
        raise Forbidden(f"only the issuing department ({record.dept}) corrects this "
                        "document")


def _standing(record: DocumentRecord) -> None:
    if record.state != "valid":
        raise Conflict(f"document {record.documentId} is {record.state}: correct the "
                       "version that stands", code="document_not_valid",
                       field="documentId")


def correct(principal: identity.Principal | None, case_no: str, document_id: str,
            body: dict) -> dict:
    """The issuing department's correction: the new version, signed, as read back."""
    principal = identity.require_role(principal, *identity.DEPARTMENT_STAFF)
    record, _ = _load(principal, case_no, document_id)
    _issuing_staff(principal, record)
    _standing(record)
    reason = mask_text(body["reason"])
    corrections = [{"wrong": c["wrong"], "right": c["right"]} for c in body["corrections"]]
    now = clock.now()
    new_id = case_documents.corrected_id(document_id)
    document = {**case_documents.corrected(record.document, corrections), "documentId": new_id,
                "issueDate": clock.local_date(now).isoformat(),
                "issuedAt": worktime.utc_precise_text(now),
                "corrects": document_id,
                "correction": {"reason": reason, "corrections": corrections}}
    successor = signed_record(document, record.dept, now)
    successor.supersedes = document_id
    request = dict(record.correctionRequest or {})
    if request.get("state") == OPEN:
        request.update(state=ACCEPTED, answer=reason, answeredAt=now.isoformat(),
                       correctedBy=new_id)
    actions = [DocumentRecord.state.set("superseded"),
               DocumentRecord.supersededBy.set(new_id),
               DocumentRecord.stateReason.set(reason),
               DocumentRecord.stateSince.set(now.isoformat()),
               DocumentRecord.stateBy.set(principal.sub),
               DocumentRecord.stateByRole.set(principal.role)]
    name = identity.staff_name(principal)
    if name:
        actions.append(DocumentRecord.stateByName.set(name))
    if request:
        actions += [DocumentRecord.correctionRequest.set(request),
                    DocumentRecord.correctionState.set(request["state"])]
    try:
        with transact_write() as transaction:
            transaction.save(successor, condition=DocumentRecord.sk.does_not_exist())
            # Still standing, and its correction request as read: one asked for or
            # refused meanwhile makes this correction start again.
            asked = DocumentRecord.correctionState.does_not_exist() \
                if record.correctionState is None \
                else DocumentRecord.correctionState == record.correctionState
            transaction.update(record, actions=actions,
                               condition=(DocumentRecord.state == "valid") & asked)
    except TransactWriteError:
        raise Conflict(f"document {document_id} was corrected meanwhile; reload it",
                       code="document_changed", field="documentId") from None
    return signed(successor)


def request_correction(principal: identity.Principal | None, case_no: str,
                       document_id: str, body: dict) -> dict:
    """The applicant (or agent) asks the department to correct a document: one open
    request at a time."""
    principal = identity.require(principal)
    record, owner = _load(principal, case_no, document_id)
    if not owner:
        raise Forbidden("only the applicant asks for a correction of its documents")
    _standing(record)
    request = {"reason": mask_text(body["reason"]), "at": clock.now().isoformat(),
               "by": principal.sub, "state": OPEN}
    if not update_if(record, [DocumentRecord.correctionRequest.set(request),
                              DocumentRecord.correctionState.set(OPEN)],
                     (DocumentRecord.state == "valid") & (
                         DocumentRecord.correctionState.does_not_exist()
                         | (DocumentRecord.correctionState != OPEN))):
        raise Conflict(f"document {document_id} already has an open correction request, "
                       "or was corrected meanwhile", code="correction_requested",
                       field="documentId")
    return {"documentId": document_id, "correctionRequest": request}


def refuse_correction(principal: identity.Principal | None, case_no: str, document_id: str,
                      body: dict) -> dict:
    """The issuing department refuses an applicant's request, with its answer (to accept
    one, it corrects the document)."""
    principal = identity.require_role(principal, *identity.DEPARTMENT_STAFF)
    record, _ = _load(principal, case_no, document_id)
    _issuing_staff(principal, record)
    request = dict(record.correctionRequest or {})
    if request.get("state") != OPEN:
        raise Conflict(f"document {document_id} has no open correction request",
                       code="no_correction_request", field="documentId")
    request.update(state=REFUSED, answer=mask_text(body["reason"]),
                   answeredAt=clock.now().isoformat(), answeredBy=principal.sub)
    if not update_if(record, [DocumentRecord.correctionRequest.set(request),
                              DocumentRecord.correctionState.set(REFUSED)],
                     DocumentRecord.correctionState == OPEN):
        raise Conflict(f"the correction request of {document_id} was answered meanwhile",
                       code="document_changed", field="documentId")
    return {"documentId": document_id, "correctionRequest": request}

