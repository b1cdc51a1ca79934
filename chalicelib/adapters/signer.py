"""License signatures with the region's KMS key: ECDSA P-256 over SHA-256, or — a region
that signs with 国密 — SM2 over SM3 (KMS key spec SM2, algorithm SM2DSA: aws-cn).

Signing needs KMS; verification needs only the public key, so anyone holding the region's
published key can verify offline. The public key is fetched once per key id.
"""
import base64
import functools

from ..domain import sm2
from ..domain.license_proof import KMS_ALGORITHM, SM2_ALGORITHM, is_low_s, low_s
from . import aws

ALGORITHM = KMS_ALGORITHM


def algorithm(key_id: str) -> str:
    """The algorithm the key signs with: SM2DSA for an SM2 key, else ECDSA_SHA_256 (read
    off its public key, which every signer fetches once anyway)."""
    return SM2_ALGORITHM if sm2.is_sm2_key(public_key_der(key_id)) else ALGORITHM


def sign(key_id: str, message: bytes) -> dict:
    """KMS's signature. ECDSA's in its low-S form: KMS returns either of the two twins
    that hold, verifiers accept only the low one (domain/license_proof.py); SM2's has no
    twin."""
    chosen = algorithm(key_id)
    answer = aws.client("kms").sign(KeyId=key_id, Message=message, MessageType="RAW",
                                    SigningAlgorithm=chosen)
    value = answer["Signature"] if chosen == SM2_ALGORITHM else low_s(answer["Signature"])
    return {"alg": chosen, "keyId": answer["KeyId"],
            "value": base64.b64encode(value).decode("ascii")}


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
