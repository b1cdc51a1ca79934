"""The canonical byte form our own hashes are taken over (the supervision record's chain,
an application's fingerprint), and licenses signed before RFC 8785.

Sorted keys, no insignificant white space, UTF-8 without escaping (so Chinese names are
hashed as the bytes people see). Any changed byte of the document changes these bytes.
Licenses are now signed over RFC 8785 (domain/license_proof.py), which anyone can
reproduce with a JCS library; for documents of ASCII keys and string or integer values
the two forms are the same bytes.
"""
import json
from typing import Any


def canonical_bytes(document: dict[str, Any]) -> bytes:
    return json.dumps(document, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False, allow_nan=False).encode("utf-8")
