"""The canonical byte form a license is signed over.

Sorted keys, no insignificant white space, UTF-8 without escaping (so Chinese names are
signed as the bytes people see). Any changed byte of the document changes these bytes.
"""
import json


def canonical_bytes(document: dict) -> bytes:
    return json.dumps(document, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False, allow_nan=False).encode("utf-8")
