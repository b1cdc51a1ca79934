"""How a signed e-license proves itself, with nothing but the license and a key set.

The procedure (docs/licenses.md writes it out for other languages and for `openssl`):

1. The signed bytes are the license document in the JSON Canonicalization Scheme
   (RFC 8785): keys sorted, no white space, strings as UTF-8 with the minimal escapes.
   Signatures carry `"canonicalization": "RFC8785"`. Signatures from before carry no
   marker: they were made over Python's sorted-keys JSON, which for a license document
   (ASCII keys, string values) is the same bytes — they are checked that way all the same.
2. The key is the JWK whose `kid` the signature names (RFC 7638 thumbprint); a signature
   from before names the key's ARN only (`keyId`), matched to the JWK's `keyArn`.
3. The signature `value` is base64 of an ASN.1 DER ECDSA signature over SHA-256 of those
   bytes (KMS `ECDSA_SHA_256`; JOSE calls the key's algorithm ES256), in its low-S form
   (s ≤ n/2). For every (r, s) that holds, (r, n − s) holds too: a twin with another
   value for the same license. Signing keeps the low one (KMS gives either), verifying
   refuses the high one, so each license has exactly one signature value.
4. The key must have been valid on the license's issue date (`validFrom`/`validTo` of the
   JWK, when given), and the license must not have run out (`validTo`).

Whether the issuer has since suspended or revoked it is not in the document: the
issuer's verification service answers that (services/licenses/verification.py).
"""
import base64
import hashlib
import json
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import rfc8785

from . import sm2
from .canonical import canonical_bytes
from .errors import UnprocessableEntity, ValidationError
from .identifiers import parse_license_identifier

if TYPE_CHECKING:  # imported where used: cryptography's import is slow for a cold start
    from cryptography.hazmat.primitives.asymmetric import ec

CANONICALIZATION = "RFC8785"
KMS_ALGORITHM = "ECDSA_SHA_256"
JOSE_ALGORITHM = "ES256"
CURVE = "P-256"
# 国密: a region may sign with an SM2 key instead (domain/sm2.py). Its JWK names the curve
# `SM2` and the algorithm `SM2SM3`; its signatures say `SM2DSA`, as KMS names it.
SM2_ALGORITHM = "SM2DSA"
SM2_JOSE_ALGORITHM = "SM2SM3"
SM2_CURVE = "SM2"
# The signing algorithm each curve's keys sign with.
ALGORITHMS = {CURVE: KMS_ALGORITHM, SM2_CURVE: SM2_ALGORITHM}


def signed_bytes(document: dict[str, Any], signature: dict[str, Any]) -> bytes:
    """The bytes a signature covers: RFC 8785, or the older sorted-keys form for a
    signature without the marker."""
    if signature.get("canonicalization") == CANONICALIZATION:
        return rfc8785.dumps(document)
    return canonical_bytes(document)


def signed_content(signed: dict[str, Any]) -> dict[str, Any]:
    """What a signature covers: the license, or for an annotated copy (加注件) the license
    and its annotation together, as one object."""
    if "annotation" in signed:
        return {"annotation": signed["annotation"], "license": signed["license"]}
    document: dict[str, Any] = signed["license"]
    return document


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def thumbprint(jwk: dict[str, Any]) -> str:
    """RFC 7638: SHA-256 over the required members in lexical order, base64url."""
    required = {name: jwk[name] for name in ("crv", "kty", "x", "y")}
    return _b64url(hashlib.sha256(json.dumps(required, sort_keys=True, separators=(",", ":"))
                                  .encode("ascii")).digest())


def jwk_of(public_der: bytes, **extra: Any) -> dict[str, Any]:
    """The JWK of a P-256 or SM2 public key (DER SubjectPublicKeyInfo, as KMS gives it),
    its kid the thumbprint, with `extra` members (keyArn, issuer, area, validFrom,
    validTo)."""
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import load_der_public_key
    if sm2.is_sm2_key(public_der):
        x, y = sm2.point_of(public_der)
        found = {"kty": "EC", "crv": SM2_CURVE, "x": _b64url(x), "y": _b64url(y)}
        return {**found, "kid": thumbprint(found), "use": "sig", "alg": SM2_JOSE_ALGORITHM,
                **{k: v for k, v in extra.items() if v is not None}}
    key = load_der_public_key(public_der)
    if not isinstance(key, ec.EllipticCurvePublicKey):
        raise ValueError("not a P-256 key")
    numbers = key.public_numbers()
    jwk = {"kty": "EC", "crv": CURVE, "x": _b64url(numbers.x.to_bytes(32, "big")),
           "y": _b64url(numbers.y.to_bytes(32, "big"))}
    return {**jwk, "kid": thumbprint(jwk), "use": "sig", "alg": JOSE_ALGORITHM,
            **{k: v for k, v in extra.items() if v is not None}}


def identity_kid(key: dict[str, Any], issuer_code: str | None) -> str:
    """The kid a license of `issuer_code` names under one of the region's keys: the key's
    own for the authority the key is published for, `<kid>.<USCC>` for a department's
    identity under it (docs/licenses.md, "Who signs")."""
    kid = str(key["kid"])
    if not issuer_code or issuer_code == key.get("issuerCode"):
        return kid
    return f"{kid}.{issuer_code}"


def department_identity(key: dict[str, Any], department: dict[str, Any]) -> dict[str, Any]:
    """A department's key identity under one of the region's keys: the key's public
    material and validity, named for the department (its name, USCC and seal name)."""
    kept: dict[str, Any] = {k: key[k] for k in ("kty", "crv", "x", "y", "use", "alg", "area",
                                                "validFrom", "validTo") if k in key}
    return {**kept, "kid": identity_kid(key, department["uscc"]),
            "issuer": department["name"], "issuerCode": department["uscc"],
            "sealName": department.get("sealName") or department["name"]}


def names_its_key(jwk: dict[str, Any]) -> bool:
    """Whether a JWK's kid is its key's RFC 7638 thumbprint, or a department's identity
    under that key (`<thumbprint>.<its issuerCode>`)."""
    own = thumbprint(jwk)
    return jwk.get("kid") == own or (bool(jwk.get("issuerCode")) and
                                     jwk.get("kid") == f"{own}.{jwk['issuerCode']}")


def _sm2_point(jwk: dict[str, Any]) -> tuple[bytes, bytes]:
    """x and y of an SM2 JWK (ValueError if it is not one)."""
    if jwk.get("kty") != "EC" or jwk.get("crv") != SM2_CURVE:
        raise ValueError("not an SM2 key")
    x, y = _b64url_decode(jwk["x"]), _b64url_decode(jwk["y"])
    if not sm2.on_curve(x, y):
        raise ValueError("not a point of the SM2 curve")
    return x, y


def check_key(jwk: dict[str, Any]) -> None:
    """A P-256 or SM2 public key (ValueError otherwise)."""
    if jwk.get("crv") == SM2_CURVE:
        _sm2_point(jwk)
    else:
        public_key_of(jwk)


def algorithm_fits(key: dict[str, Any], signature: dict[str, Any]) -> bool:
    """Whether the signature's algorithm is the one its key signs with."""
    return bool(signature.get("alg", KMS_ALGORITHM) == ALGORITHMS.get(key.get("crv", "")))


def public_key_of(jwk: dict[str, Any]) -> "ec.EllipticCurvePublicKey":
    """The cryptography public key of a P-256 JWK (ValueError if it is not one)."""
    from cryptography.hazmat.primitives.asymmetric import ec
    if jwk.get("kty") != "EC" or jwk.get("crv") != CURVE:
        raise ValueError("not a P-256 key")
    x, y = (int.from_bytes(_b64url_decode(jwk[n]), "big") for n in ("x", "y"))
    return ec.EllipticCurvePublicNumbers(x, y, ec.SECP256R1()).public_key()


def signing_key(keys: list[dict[str, Any]], signature: dict[str, Any],
                issuer_code: str | None) -> tuple[dict[str, Any] | None, str | None]:
    """The key that made the signature, or why there is none: an algorithm this service
    does not sign with, or not its key's (`unsupported_algorithm`), a key not in the set
    (`unknown_key`)."""
    if signature.get("alg", KMS_ALGORITHM) not in ALGORITHMS.values():
        return None, "unsupported_algorithm"
    key = find_key(keys, signature, issuer_code)
    if key is None:
        return None, "unknown_key"
    if not algorithm_fits(key, signature):
        return None, "unsupported_algorithm"
    return key, None


def find_key(keys: list[dict[str, Any]], signature: dict[str, Any],
             issuer_code: str | None = None) -> dict[str, Any] | None:
    """The key a signature names: by kid, or (signatures from before kids) by the key's
    ARN — and then the identity under it of the license's issuer (`issuer_code`)."""
    kid, arn = signature.get("kid"), signature.get("keyId")
    if not kid and arn:
        key = next((key for key in keys if key.get("keyArn") == arn), None)
        if key is None:
            return None
        kid = identity_kid(key, issuer_code)
    return next((key for key in keys if kid and key.get("kid") == kid), None)


# The order n of P-256's base point (SEC 2 §2.4.2, FIPS 186-4 D.1.2.3).
P256_ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551


def low_s(der: bytes) -> bytes:
    """A DER ECDSA P-256 signature in its low-S form: (r, n − s) when s > n/2 — the same
    signature for any verifier, the one value this service signs with (ValueError if
    `der` is not a DER signature)."""
    from cryptography.hazmat.primitives.asymmetric.utils import (
        decode_dss_signature,
        encode_dss_signature,
    )
    r, s = decode_dss_signature(der)
    return der if s <= P256_ORDER // 2 else encode_dss_signature(r, P256_ORDER - s)


def is_low_s(der: bytes) -> bool:
    """Whether a DER ECDSA P-256 signature is in its low-S form (False if not DER)."""
    from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
    try:
        r, s = decode_dss_signature(der)
    except ValueError:
        return False
    return 0 < r < P256_ORDER and 0 < s <= P256_ORDER // 2


def signature_holds(jwk: dict[str, Any], message: bytes, value: str) -> bool:
    """The signature holds over `message`: for P-256, and is the low-S one of its twins;
    for SM2, over SM3 with the default distinguishing ID."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    try:
        der = base64.b64decode(value, validate=True)
        if jwk.get("crv") == SM2_CURVE:
            return sm2.verify(*_sm2_point(jwk), message, der)
        if not is_low_s(der):
            return False
        public_key_of(jwk).verify(der, message, ec.ECDSA(hashes.SHA256()))
        return True
    except (InvalidSignature, ValueError, KeyError, TypeError):
        return False


@dataclass(frozen=True)
class Verdict:
    valid: bool
    reason: str | None       # why not; None when valid
    identifier: str | None
    kid: str | None = None   # the key that signed it, when found
    annotation: dict[str, Any] | None = None  # an annotated copy's purpose and term
    area: str | None = None  # the region of that key (its JWK's area), when it says

    def as_dict(self) -> dict[str, Any]:
        found = {"valid": self.valid, "reason": self.reason, "identifier": self.identifier,
                 "kid": self.kid, "area": self.area}
        return {**found, "annotation": self.annotation} if self.annotation else found


def verify(signed: dict[str, Any], keys: list[dict[str, Any]], today: date) -> Verdict:
    """A signed license ({"license", "signature"}), or an annotated copy of one
    ({"license", "annotation", "signature"}), checked against a key set, offline."""
    document, signature = signed.get("license"), signed.get("signature")
    annotation = signed.get("annotation")
    if not isinstance(document, dict) or not isinstance(signature, dict) or \
            ("annotation" in signed and not _annotation_ok(annotation, signature)):
        return Verdict(False, "malformed", None)
    identifier = document.get("identifier")
    identifier = identifier if isinstance(identifier, str) else None
    try:
        parse_license_identifier(identifier)
    except (ValidationError, UnprocessableEntity):   # malformed, or a wrong check character
        return Verdict(False, "bad_identifier", identifier)
    key, refused = signing_key(keys, signature, document.get("issuerCode"))
    if key is None:
        return Verdict(False, refused, identifier)

    def verdict(reason: str | None) -> Verdict:
        return Verdict(reason is None, reason, identifier, key.get("kid"), annotation,
                       key.get("area"))
    if not isinstance(signature.get("value"), str) or not signature_holds(
            key, signed_bytes(signed_content(signed), signature), signature["value"]):
        return verdict("signature_mismatch")
    refused = key_refuses(key, document, annotation)
    if refused:
        return verdict(refused)
    if str(document.get("validTo", "")) < today.isoformat():
        return verdict("expired")
    if annotation and annotation["validUntil"] < today.isoformat():
        return verdict("annotation_expired")
    return verdict(None)


def key_refuses(key: dict[str, Any], document: dict[str, Any],
                 annotation: dict[str, Any] | None) -> str | None:
    """Why the key that signed may not sign this license, if it may not."""
    # The key identity is the issuer's, in its region: a department's license names the
    # department's identity, never another's under the same key, nor another region's.
    if document.get("issuerCode") != key.get("issuerCode") or \
            (key.get("area") and document.get("area") != key["area"]):
        return "issuer_mismatch"
    # The key must have been valid when it signed: the issue date, or the annotation's.
    signed_on = str(annotation["annotatedAt"])[:10] if annotation else \
        str(document.get("issueDate", ""))
    if (key.get("validFrom") and signed_on < key["validFrom"]) or \
            (key.get("validTo") and signed_on > key["validTo"]):
        return "key_not_valid_then"
    return None


def _annotation_ok(annotation: object, signature: dict[str, Any]) -> bool:
    """An annotated copy is new: RFC 8785 only, and its annotation says for what and
    until when."""
    return isinstance(annotation, dict) and \
        signature.get("canonicalization") == CANONICALIZATION and \
        all(isinstance(annotation.get(name), str) and annotation[name]
            for name in ("purpose", "validUntil", "annotatedAt"))


def trust_list(document: dict[str, Any]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """A region's trust list (docs/licenses.md): its own retired keys and other regions'
    keys, each a checked JWK; other regions' carry their `area` and `issuer`. A key whose
    kid is not its thumbprint, or that is not P-256, is refused (ValueError)."""
    def checked(jwk: dict[str, Any], where: str, **extra: Any) -> dict[str, Any]:
        try:
            check_key(jwk)
        except (ValueError, KeyError, TypeError) as error:
            raise ValueError(f"{where}: not a P-256 or SM2 public key ({error})") from None
        if not names_its_key({**jwk, **extra}):
            raise ValueError(f"{where}: kid is not the key's RFC 7638 thumbprint (or a "
                             "department's identity under it)")
        return {**jwk, **extra}
    retired = [checked(jwk, f"retired[{n}]") for n, jwk in
               enumerate(document.get("retired", []))]
    for n, jwk in enumerate(retired):
        # The region's key itself, as its key set lists it first: its departments'
        # identities under it follow from the registry, and a signature from before kids
        # finds it by its ARN.
        if jwk["kid"] != thumbprint(jwk) or not jwk.get("keyArn"):
            raise ValueError(f"retired[{n}]: not the region's key itself (its kid the bare "
                             "thumbprint, with its keyArn)")
    regions = []
    for n, region in enumerate(document.get("regions", [])):
        if not region.get("area") or not region.get("issuer") or not region.get("issuerCode"):
            raise ValueError(f"regions[{n}]: area, issuer and issuerCode are required")
        for m, jwk in enumerate(region.get("keys", [])):
            key = checked(jwk, f"regions[{n}].keys[{m}]", area=region["area"])
            # The region's key takes the region's issuer; a department's identity under
            # it keeps its own.
            if key["kid"] == thumbprint(key):
                key |= {"issuer": region["issuer"], "issuerCode": region["issuerCode"]}
            regions.append(key)
    return retired, regions


def pem_of(jwk: dict[str, Any]) -> str:
    """The key as PEM (SubjectPublicKeyInfo), what `openssl` reads."""
    from cryptography.hazmat.primitives import serialization
    if jwk.get("crv") == SM2_CURVE:
        body = base64.encodebytes(sm2.spki(*_sm2_point(jwk))).decode("ascii")
        return f"-----BEGIN PUBLIC KEY-----\n{body}-----END PUBLIC KEY-----\n"
    return public_key_of(jwk).public_bytes(
        serialization.Encoding.PEM,
        serialization.PublicFormat.SubjectPublicKeyInfo).decode("ascii")
