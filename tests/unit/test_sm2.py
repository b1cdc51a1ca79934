"""国密 SM2 with SM3 (domain/sm2.py): keys as KMS gives them, signatures as KMS makes them,
verified as the license and document checks do, and what they refuse."""
import base64
from datetime import date

import pytest
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)

from chalicelib.domain import license_proof, sm2
from chalicelib.domain.canonical import canonical_bytes
from chalicelib.domain.identifiers import make_license_identifier

LICENSE = {
    "identifier": make_license_identifier("11100000000013127D001", "11640000MB0000000R",
                                          "6400002026112500000013"),
    "name": "食品经营许可证", "holder": "宁夏小吃有限公司", "issuer": "宁夏市场监管厅",
    "issuerCode": "11640000MB0000000R", "issueDate": "2026-11-25",
    "validFrom": "2026-11-25", "validTo": "2031-11-25", "area": "640000"}


def _key():
    private = sm2.new_private_key()
    point = sm2.public_point(private)
    return private, license_proof.jwk_of(sm2.spki(point[:32], point[32:]),
                                         issuer=LICENSE["issuer"],
                                         issuerCode=LICENSE["issuerCode"], area="640000")


def _signed(private, jwk, document=LICENSE):
    der = sm2.sign(private, canonical_bytes(document))
    return {"license": document, "signature": {
        "alg": "SM2DSA", "keyId": "arn:sm2", "kid": jwk["kid"], "canonicalization": "RFC8785",
        "value": base64.b64encode(der).decode()}}


def test_an_sm2_key_is_published_as_an_sm2_jwk_and_its_pem_round_trips():
    _, jwk = _key()
    assert (jwk["kty"], jwk["crv"], jwk["alg"]) == ("EC", "SM2", "SM2SM3")
    assert jwk["kid"] == license_proof.thumbprint(jwk)
    pem = license_proof.pem_of(jwk)
    der = base64.b64decode("".join(pem.splitlines()[1:-1]))
    assert license_proof.jwk_of(der)["kid"] == jwk["kid"]
    assert license_proof.trust_list({"regions": [{"area": "640000", "issuer": "宁夏",
                                                  "issuerCode": "11640000MB0000000R",
                                                  "keys": [jwk]}]})[1][0]["crv"] == "SM2"


def test_a_point_off_the_curve_is_no_key():
    _, jwk = _key()
    x = bytearray(base64.urlsafe_b64decode(jwk["x"] + "="))
    x[-1] ^= 1
    bent = {**jwk, "x": base64.urlsafe_b64encode(bytes(x)).rstrip(b"=").decode()}
    with pytest.raises(ValueError):
        license_proof.check_key(bent)
    with pytest.raises(ValueError, match="not an SM2 public key"):
        sm2.point_of(b"\x30" * 91)


def test_an_sm2_license_verifies_offline_and_anything_changed_fails():
    private, jwk = _key()
    signed = _signed(private, jwk)
    assert license_proof.verify(signed, [jwk], date(2026, 11, 25)).valid
    assert license_proof.verify({**signed, "license": {**LICENSE, "holder": "别人"}}, [jwk],
                                date(2026, 11, 25)).reason == "signature_mismatch"
    # Named as another algorithm than its key's, it is not checked as one.
    for alg in ("ECDSA_SHA_256", "RSASSA_PSS_SHA_256"):
        renamed = {**signed, "signature": {**signed["signature"], "alg": alg}}
        assert license_proof.verify(renamed, [jwk], date(2026, 11, 25)).reason == \
            "unsupported_algorithm"
    # (r, n − s) is no SM2 signature (there is no twin to normalise), nor is garbage.
    r, s = decode_dss_signature(base64.b64decode(signed["signature"]["value"]))
    twin = base64.b64encode(encode_dss_signature(r, sm2.N - s)).decode()
    for value in (twin, "AAAA", "not base64!"):
        bent = {**signed, "signature": {**signed["signature"], "value": value}}
        assert license_proof.verify(bent, [jwk], date(2026, 11, 25)).reason == \
            "signature_mismatch"


def test_a_stored_sm2_signature_is_served_as_it_is():
    """The low-S normalisation of a served license is ECDSA's: an SM2 signature whose s
    is above P-256's half order stays as signed (it would not verify otherwise)."""
    from chalicelib.services.licenses.views import _low_s
    private, jwk = _key()
    for n in range(40):
        signed = _signed(private, jwk, {**LICENSE, "number": str(n)})
        _, s = decode_dss_signature(base64.b64decode(signed["signature"]["value"]))
        if s > license_proof.P256_ORDER // 2:
            break
    else:
        pytest.fail("no signature with a high s in 40")
    assert _low_s(signed["signature"]) == signed["signature"]
    assert license_proof.verify({**signed, "signature": _low_s(signed["signature"])}, [jwk],
                                date(2026, 11, 25)).valid


def test_a_signature_openssl_makes_verifies_here(tmp_path):
    """The other way round from the integration test (OpenSSL verifying KMS's): a key and
    a signature OpenSSL 3 makes, SM3 with the default distinguishing ID, verify here."""
    import subprocess

    def openssl(*args):
        subprocess.run(["openssl", *args], cwd=tmp_path, check=True, capture_output=True)
    openssl("genpkey", "-algorithm", "SM2", "-out", "key.pem")
    openssl("pkey", "-in", "key.pem", "-pubout", "-outform", "DER", "-out", "pub.der")
    (tmp_path / "message").write_bytes(canonical_bytes(LICENSE))
    openssl("pkeyutl", "-sign", "-inkey", "key.pem", "-rawin", "-in", "message", "-out",
            "message.sig", "-digest", "sm3", "-pkeyopt", "distid:1234567812345678")
    public = (tmp_path / "pub.der").read_bytes()
    assert sm2.is_sm2_key(public)
    x, y = sm2.point_of(public)
    signature = (tmp_path / "message.sig").read_bytes()
    assert sm2.verify(x, y, canonical_bytes(LICENSE), signature)
    assert not sm2.verify(x, y, canonical_bytes({**LICENSE, "holder": "别人"}), signature)
