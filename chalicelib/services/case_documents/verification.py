"""Anyone verifies a signed document: the signature as offline (domain/document_proof.py)
with this region's published keys and those it recognises, then — for a document of this
region — whether it still stands."""
from ... import config
from ...domain import document_proof
from ...domain.errors import ValidationError
from ..licenses import known_keys
from .reading import state_of


def verify(body) -> dict:
    if not isinstance(body, dict):
        raise ValidationError("the request body must be a JSON object", field="body")
    if not isinstance(body.get("document"), dict):
        raise ValidationError("document must be the document object", field="document")
    if not isinstance(body.get("signature"), dict):
        raise ValidationError("signature must be the signature object", field="signature")
    verdict = document_proof.verify(body, known_keys())
    answer = {"valid": verdict.valid, "reason": verdict.reason,
              "documentId": verdict.identifier, "kid": verdict.kid, "area": verdict.area}
    if not verdict.valid or verdict.area != config.get().area_code:
        return answer
    state = state_of(verdict.identifier).state
    answer["state"] = state
    if state != "valid":
        return {**answer, "valid": False, "reason": state}
    return answer
