"""Envelope encryption of personal data (ID and phone numbers) at rest.

A data key from KMS (GenerateDataKey on the region's PersonalDataKey) encrypts the values
with AES-256-GCM; what is stored is the data key as KMS wrapped it, the nonce and the
ciphertext, bound to the record it belongs to (the case number as associated data, so a
sealed value copied to another case does not open). Only code that needs a clear value
opens it (KMS Decrypt of the wrapped key). A container reuses one data key for a few
minutes, so a burst of applications is not a KMS call each; opened keys are cached the
same way.
"""
import base64
import json
import os
import threading
import time

from .. import config
from . import aws

KEY_SECONDS = 300
KEY_USES = 10_000
CACHE = True  # off: every seal asks KMS for a key and every open unwraps (tests)
_lock = threading.Lock()
_current: dict = {}                # {"plain", "wrapped", "until", "left"}
_opened: dict[bytes, bytes] = {}   # wrapped data key -> plain (this container)


def _data_key() -> tuple[bytes, bytes]:
    with _lock:
        if not CACHE or not _current or _current["until"] < time.monotonic() \
                or _current["left"] <= 0:
            made = aws.client("kms").generate_data_key(
                KeyId=config.get().personal_data_key_id, KeySpec="AES_256")
            _current.update(plain=made["Plaintext"], wrapped=made["CiphertextBlob"],
                            until=time.monotonic() + KEY_SECONDS, left=KEY_USES)
            _opened[made["CiphertextBlob"]] = made["Plaintext"]
        _current["left"] -= 1
        return _current["plain"], _current["wrapped"]


def _unwrap(wrapped: bytes) -> bytes:
    with _lock:
        plain = _opened.get(wrapped) if CACHE else None
    if plain is None:
        plain = aws.client("kms").decrypt(CiphertextBlob=wrapped,
                                          KeyId=config.get().personal_data_key_id)["Plaintext"]
        with _lock:
            if len(_opened) > 256:
                _opened.clear()
            _opened[wrapped] = plain
    return plain


def seal(values: dict, bound_to: str) -> dict:
    """`values` (JSON-able) encrypted for the record `bound_to`."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    plain, wrapped = _data_key()
    nonce = os.urandom(12)
    data = json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    cipher = AESGCM(plain).encrypt(nonce, data, bound_to.encode("utf-8"))
    return {"k": _b64(wrapped), "n": _b64(nonce), "c": _b64(cipher)}


def open_sealed(sealed: dict, bound_to: str) -> dict:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    plain = _unwrap(base64.b64decode(sealed["k"]))
    data = AESGCM(plain).decrypt(base64.b64decode(sealed["n"]), base64.b64decode(sealed["c"]),
                                 bound_to.encode("utf-8"))
    return json.loads(data)


def forget() -> None:
    """Drop the cached keys (tests; a container that must re-read KMS)."""
    with _lock:
        _current.clear()
        _opened.clear()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
