"""License signatures with the region's KMS key (ECDSA P-256 over SHA-256).

Signing needs KMS; verification needs only the public key, so anyone holding the region's
published key can verify offline. The public key is fetched once per key id.
"""
import base64
import functools

from ..domain.license_proof import is_low_s, low_s
from . import aws

ALGORITHM = "ECDSA_SHA_256"


def sign(key_id: str, message: bytes) -> dict:
    """KMS's signature in its low-S form: KMS returns either of the two twins that hold,
    verifiers accept only the low one (domain/license_proof.py)."""
    answer = aws.client("kms").sign(KeyId=key_id, Message=message, MessageType="RAW",
                                    SigningAlgorithm=ALGORITHM)
    return {"alg": ALGORITHM, "keyId": answer["KeyId"],
            "value": base64.b64encode(low_s(answer["Signature"])).decode("ascii")}


@functools.lru_cache(maxsize=16)
def key_arn(key_id: str) -> str:
    """The key's ARN, the id signatures carry (KMS answers Sign with it)."""
    return aws.client("kms").describe_key(KeyId=key_id)["KeyMetadata"]["Arn"]


@functools.lru_cache(maxsize=16)
def public_key_der(key_id: str) -> bytes:
    return aws.client("kms").get_public_key(KeyId=key_id)["PublicKey"]


def verify(public_der: bytes, message: bytes, signature_b64: str) -> bool:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import load_der_public_key
    try:
        signature = base64.b64decode(signature_b64, validate=True)
        if not is_low_s(signature):   # the high-S twin of a signature is refused
            return False
        load_der_public_key(public_der).verify(signature, message, ec.ECDSA(hashes.SHA256()))
        return True
    except (InvalidSignature, ValueError):
        return False
