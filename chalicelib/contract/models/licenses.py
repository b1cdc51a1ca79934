"""Bodies of the `licenses` tag: signed licenses, their state, verification, annotated copies
and the signing keys."""
from typing import Annotated, Any, Literal

from msgspec import Meta, Struct

from ...domain import documents
from .shared import FREE_TEXT, CaseNo, Date, ItemCode, Request, Response, Timestamp


class Signature(Struct, omit_defaults=True):
    alg: str
    keyId: str
    value: str
    kid: Annotated[str | None, Meta(
        description="the key identity: the key's JWK thumbprint (RFC 7638), followed for "
                    "a department's license by '.' and the department's USCC")] = None
    canonicalization: Annotated[str | None, Meta(
        description="RFC8785; absent on licenses signed before (sorted-keys JSON)")] = None


class SignatureIn(Struct, forbid_unknown_fields=True):
    keyId: Annotated[str, Meta(min_length=1, max_length=2048)]
    value: Annotated[str, Meta(min_length=1, max_length=4096)]
    alg: str = "ECDSA_SHA_256"
    kid: Annotated[str, Meta(min_length=1, max_length=128)] | None = None
    canonicalization: Annotated[str, Meta(max_length=32)] | None = None


LicenseState = Literal["valid", "suspended", "revoked", "superseded"]
LicenseStatusName = Literal["valid", "suspended", "revoked", "superseded", "expired"]


class License(Struct, omit_defaults=True):
    """An e-license as signed (电子证照): every field is signed (RFC 8785 canonical bytes),
    so none may be added, dropped or reordered in value. Another region's license may
    carry further fields of its own."""
    identifier: documents.LicenseId
    name: Annotated[str, Meta(examples=["食品经营许可证"])]
    number: Annotated[str, Meta(description="the number printed on it",
                                examples=["JY4403002026112500000019"])]
    typeCode: documents.LicenseType
    holder: Annotated[str, Meta(examples=["深圳小吃有限公司"])]
    holderId: Annotated[str, Meta(description="the holder's USCC or ID number (masked "
                                              "for anyone but the holder and staff)")]
    holderIdType: Annotated[str, Meta(description="001 USCC, 111 公民身份号码",
                                      examples=["001"])]
    issuer: Annotated[str, Meta(description="the issuing authority")]
    issuerCode: Annotated[str, Meta(description="its USCC")]
    issueDate: Date
    validFrom: Date
    validTo: Date
    area: Annotated[str, Meta(description="the issuing region's area code",
                              examples=["440300"])]
    trustLevel: Annotated[str, Meta(description="A (highest) … D", examples=["A"])]
    caseNo: CaseNo | None = None
    itemCode: ItemCode | None = None


class Annotation(Struct, omit_defaults=True):
    """What an annotated copy (加注件) was given for, signed with the license."""
    purpose: str
    validUntil: Date
    annotatedAt: Timestamp | None = None
    copyOf: documents.LicenseId | None = None


class SignedLicense(Response, omit_defaults=True):
    license: License
    signature: Signature
    state: LicenseState | None = None
    supersededBy: str | None = None


class LicenseStatus(Response, omit_defaults=True):
    identifier: str
    status: LicenseStatusName
    name: str | None = None
    issuer: str | None = None
    area: str | None = None
    validTo: str | None = None
    statusReason: Annotated[str | None, Meta(description="the issuing department's reason")] = None
    statusSince: str | None = None
    supersededBy: Annotated[str | None, Meta(description="the version that replaced it")] = None


class LicenseStateChange(Request):
    reason: Annotated[str, Meta(extra=FREE_TEXT, min_length=1, max_length=500)]


class LicenseChanges(Request):
    holder: Annotated[str, Meta(min_length=1, max_length=200)] | None = None
    validTo: Annotated[str, Meta(pattern=r"^\d{4}-\d{2}-\d{2}$")] | None = None


class LicenseReissue(Request):
    changes: LicenseChanges
    reason: Annotated[str, Meta(extra=FREE_TEXT, min_length=1, max_length=500)]


class VerificationRequest(Request):
    license: dict[str, Any]
    signature: SignatureIn
    annotation: Annotated[dict[str, Any] | None, Meta(
        description="an annotated copy's annotation (加注件): signed with the license")] = None
    state: str | None = None
    supersededBy: str | None = None
    purpose: Annotated[str, Meta(extra=FREE_TEXT, min_length=1, max_length=200, description=(
        "deprecated: the purpose goes in the query (?purpose=); taken when the query has "
        "none"), extra_json_schema={"deprecated": True})] | None = None
    organisation: Annotated[str, Meta(extra=FREE_TEXT, max_length=200, description=(
        "the organisation verifying it, as the verifier states it"))] | None = None


class Verification(Response):
    valid: bool
    reason: Annotated[Literal["malformed", "bad_identifier", "unsupported_algorithm",
                              "unknown_key", "signature_mismatch", "issuer_mismatch",
                              "key_not_valid_then",
                              "suspended", "revoked", "superseded", "not_in_library",
                              "expired", "annotation_expired"] | None,
                      Meta(description="why it is not valid")]
    identifier: Annotated[str | None, Meta(
        description="the license's identifier, null when the document carries none")]
    kid: Annotated[str | None, Meta(description="the key that signed it, when known")] = None
    area: Annotated[str | None, Meta(
        description="the area code of the region whose key signed it")] = None
    status: Annotated[LicenseStatusName | None, Meta(
        description="its status in this region's library (its own licenses)")] = None
    statusReason: str | None = None
    statusSince: str | None = None
    supersededBy: str | None = None
    annotation: Annotated[dict[str, Any] | None, Meta(
        description="an annotated copy's purpose and validUntil")] = None


class AnnotatedCopyRequest(Request):
    purpose: Annotated[str, Meta(extra=FREE_TEXT, min_length=1, max_length=200)]
    validUntil: Annotated[str, Meta(pattern=r"^\d{4}-\d{2}-\d{2}$")]


class AnnotatedCopy(Response):
    license: License
    annotation: Annotation
    signature: Signature


class PublicKey(Response):
    keyId: str
    kid: str
    alg: Annotated[str, Meta(description="ECDSA_SHA_256 (P-256), or SM2DSA for a region "
                                         "that signs with 国密 SM2")]
    publicKeyPem: str


class Jwk(Struct, omit_defaults=True):
    """A public key: `crv` P-256 (`alg` ES256), or SM2 (`alg` SM2SM3) for a region that
    signs with 国密."""
    kty: str
    crv: str
    x: str
    y: str
    kid: str
    use: str
    alg: str
    issuer: str | None = None
    issuerCode: str | None = None
    sealName: Annotated[str | None, Meta(
        description="a department's identity: the name on its seal")] = None
    area: str | None = None
    keyArn: str | None = None
    validFrom: Annotated[str | None, Meta(description="signs licenses issued from")] = None
    validTo: Annotated[str | None, Meta(description="signed licenses issued until")] = None


class Jwks(Response):
    keys: list[Jwk]


class PublicKeys(Response):
    issuer: str
    issuerCode: str
    keys: list[PublicKey]
