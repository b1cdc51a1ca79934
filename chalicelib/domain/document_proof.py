"""How a signed document (文书) proves itself with nothing but the document and a key set:
the license's procedure (domain/license_proof.py), over the document object.

1. The signed bytes are `document` in RFC 8785 (its signature says
   `"canonicalization": "RFC8785"`: documents have no older form).
2. The key is the JWK whose `kid` the signature names: the deciding department's key
   identity (its USCC after the key's thumbprint), which must name the document's
   `issuerCode` and, when it says, its `area`.
3. The signature is ECDSA P-256 over SHA-256, DER, low-S, base64 — or, for a region that
   signs with 国密, SM2 over SM3 (`SM2DSA`, domain/sm2.py), DER, base64.
4. The key must have been valid on the document's `issueDate`.

Whether the document still stands — superseded by a correction, annulled — is not in it:
its status address answers that (services/case_documents/reading.status_of).
"""
import re
from typing import Any

import rfc8785

from .license_proof import (
    CANONICALIZATION,
    Verdict,
    key_refuses,
    signature_holds,
    signing_key,
)

# <case number>-<kind code><serial>[-<correction>]: domain/case_documents.document_id.
DOCUMENT_ID_PATTERN = r"^\d{21}[0-9X]-[A-Z]{2,3}\d{3,20}(-\d{1,3})?$"
DOCUMENT_ID = re.compile(DOCUMENT_ID_PATTERN)


def verify(signed: dict[str, Any], keys: list[dict[str, Any]]) -> Verdict:
    """A signed document ({"document", "signature"}) checked against a key set, offline."""
    document, signature = signed.get("document"), signed.get("signature")
    if not isinstance(document, dict) or not isinstance(signature, dict):
        return Verdict(False, "malformed", None)
    identifier = document.get("documentId")
    identifier = identifier if isinstance(identifier, str) else None
    if identifier is None or not DOCUMENT_ID.match(identifier):
        return Verdict(False, "bad_identifier", identifier)
    if signature.get("canonicalization") != CANONICALIZATION:
        return Verdict(False, "unsupported_algorithm", identifier)
    key, refused = signing_key(keys, signature, document.get("issuerCode"))
    if key is None:
        return Verdict(False, refused, identifier)
    if not isinstance(signature.get("value"), str) or not signature_holds(
            key, rfc8785.dumps(document), signature["value"]):
        return Verdict(False, "signature_mismatch", identifier, key.get("kid"),
                       area=key.get("area"))
    refused = key_refuses(key, document, None)
    return Verdict(refused is None, refused, identifier, key.get("kid"), area=key.get("area"))
