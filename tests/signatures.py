"""Signatures as an attacker would bend them, for the tests of their verification."""
import base64

from chalicelib.domain import license_proof


def high_s_twin(signed: dict) -> dict:
    """A signed license with its ECDSA signature's twin: s replaced by n − s, which holds
    over the same bytes (what low-S signatures rule out)."""
    from cryptography.hazmat.primitives.asymmetric.utils import (
        decode_dss_signature,
        encode_dss_signature,
    )
    r, s = decode_dss_signature(base64.b64decode(signed["signature"]["value"]))
    twin = encode_dss_signature(r, license_proof.P256_ORDER - s)
    return {**signed, "signature": {**signed["signature"],
                                    "value": base64.b64encode(twin).decode()}}
