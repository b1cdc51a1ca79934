"""SM2 signatures with SM3 (国密: GB/T 32918, GB/T 32905), as a region signing with KMS's
SM2 keys makes them (the aws-cn partition: key spec `SM2`, algorithm `SM2DSA`).

KMS signs a RAW message with SM2DSA over SM3(Z_A ‖ M), Z_A computed with the default
distinguishing ID `1234567812345678` (GB/T 32918.2 §5.5), and returns the signature as a
DER SEQUENCE of r and s; GetPublicKey gives the key as a DER SubjectPublicKeyInfo:
id-ecPublicKey with the curve sm2p256v1 (1.2.156.10197.1.301). OpenSSL 3 verifies the same
(`openssl pkeyutl -verify -rawin -digest sm3 -pkeyopt distid:1234567812345678`,
docs/licenses.md). `cryptography` has no SM2: gmssl computes it.

SM2 signatures have no low-S twin: (r, n − s) does not verify, so there is nothing to
normalise.
"""
import secrets
from typing import Any

# The curve (GB/T 32918.5): its prime, coefficients and the order of its base point.
P = 0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFF
A = 0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFC
B = 0x28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93
N = 0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123
# SubjectPublicKeyInfo up to the point: SEQUENCE { SEQUENCE { id-ecPublicKey,
# sm2p256v1 }, BIT STRING { 04 ‖ x ‖ y } }.
SPKI_PREFIX = bytes.fromhex("3059301306072a8648ce3d020106082a811ccf5501822d034200")
CURVE_OID = bytes.fromhex("06082a811ccf5501822d")


def is_sm2_key(public_der: bytes) -> bool:
    return CURVE_OID in public_der[:32]


def point_of(public_der: bytes) -> tuple[bytes, bytes]:
    """x and y (32 bytes each) of an SM2 public key in DER (ValueError if it is not one)."""
    if not public_der.startswith(SPKI_PREFIX) or len(public_der) != len(SPKI_PREFIX) + 65 \
            or public_der[len(SPKI_PREFIX)] != 4:
        raise ValueError("not an SM2 public key (SubjectPublicKeyInfo, uncompressed)")
    point = public_der[len(SPKI_PREFIX) + 1:]
    x, y = point[:32], point[32:]
    if not on_curve(x, y):
        raise ValueError("not a point of the SM2 curve")
    return x, y


def spki(x: bytes, y: bytes) -> bytes:
    """The DER SubjectPublicKeyInfo of a point (what KMS's GetPublicKey gives)."""
    return SPKI_PREFIX + b"\x04" + x + y


def on_curve(x: bytes, y: bytes) -> bool:
    if len(x) != 32 or len(y) != 32:
        return False
    px, py = int.from_bytes(x, "big"), int.from_bytes(y, "big")
    return px < P and py < P and (py * py - (px ** 3 + A * px + B)) % P == 0


def _crypt(private_hex: str, public: bytes, asn1: bool = True) -> Any:
    from gmssl import sm2
    crypt = sm2.CryptSM2(private_key=private_hex, public_key="", asn1=asn1)
    # gmssl strips a leading "04" with str.lstrip, which also eats an x that starts with
    # 0 or 4: the point is set as it is, never through its constructor.
    crypt.public_key = public.hex()
    return crypt


def verify(x: bytes, y: bytes, message: bytes, der: bytes) -> bool:
    """Whether `der` (a DER SEQUENCE of r, s) is an SM2 signature of `message` by the key
    (x, y), with the default distinguishing ID."""
    from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
    try:
        r, s = decode_dss_signature(der)
    except ValueError:
        return False
    if not (0 < r < N and 0 < s < N) or not on_curve(x, y):
        return False
    try:
        return bool(_crypt("", x + y).verify_with_sm3(der.hex(), message))
    except (ValueError, TypeError, IndexError):
        return False


def new_private_key() -> str:
    """A new private key (hex), as KMS keeps one inside: the local stack's moto shim."""
    return f"{secrets.randbelow(N - 2) + 1:064x}"


def public_point(private_hex: str) -> bytes:
    """x ‖ y of the private key's public point."""
    from gmssl import sm2
    crypt = _crypt(private_hex, b"")
    point: str = crypt._kg(int(private_hex, 16), sm2.default_ecc_table["g"])
    return bytes.fromhex(point)


def sign(private_hex: str, message: bytes) -> bytes:
    """SM2DSA over SM3(Z_A ‖ message), DER: what KMS's Sign answers (the moto shim)."""
    public = public_point(private_hex)
    # The nonce from the operating system's generator: gmssl's own comes from `random`.
    nonce = f"{secrets.randbelow(N - 1) + 1:064x}"
    signed: str = _crypt(private_hex, public).sign_with_sm3(message, nonce)
    return bytes.fromhex(signed)
