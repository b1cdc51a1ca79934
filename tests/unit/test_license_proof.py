"""A signed license proves itself offline (domain/license_proof.py): RFC 8785 bytes, the
key named by its RFC 7638 thumbprint, a DER ECDSA P-256 signature; the older sorted-keys
signatures still verify; a trust list is checked key by key."""
import base64
from datetime import date

import pytest
import rfc8785
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from chalicelib.domain import license_proof
from chalicelib.domain.canonical import canonical_bytes
from chalicelib.domain.identifiers import make_license_identifier
from tests.signatures import high_s_twin

TODAY = date(2026, 11, 25)
LICENSE = {
    "identifier": make_license_identifier("11100000000013127D001", "11440300MB2C92138W",
                                          "4403002026112500000019"),
    "name": "食品经营许可证", "holder": "深圳小吃有限公司", "holderId": "91440300MA5FXK7Q3T",
    "issueDate": "2026-11-25", "validFrom": "2026-11-25", "validTo": "2031-11-25",
    "area": "440300", "trustLevel": "A"}


def _key(**extra):
    private = ec.generate_private_key(ec.SECP256R1())
    der = private.public_key().public_bytes(serialization.Encoding.DER,
                                            serialization.PublicFormat.SubjectPublicKeyInfo)
    return private, license_proof.jwk_of(der, **extra)


def _sign(private, jwk, document, canonicalization="RFC8785"):
    signature = {"alg": "ECDSA_SHA_256", "keyId": jwk.get("keyArn", "arn:key"),
                 "kid": jwk["kid"], "canonicalization": canonicalization}
    if canonicalization is None:   # a signature from before: no marker, no kid
        signature = {"alg": "ECDSA_SHA_256", "keyId": jwk["keyArn"]}
    # As the issuer signs: the low-S one of the signature's two twins.
    value = license_proof.low_s(private.sign(license_proof.signed_bytes(document, signature),
                                             ec.ECDSA(hashes.SHA256())))
    return {"license": document, "signature": {**signature,
                                               "value": base64.b64encode(value).decode()}}


def test_a_license_verifies_offline_and_any_changed_byte_breaks_it():
    private, jwk = _key(area="440300")
    signed = _sign(private, jwk, LICENSE)
    assert license_proof.verify(signed, [jwk], TODAY).as_dict() == {
        "valid": True, "reason": None, "identifier": LICENSE["identifier"],
        "kid": jwk["kid"], "area": "440300"}
    changed = {**signed, "license": {**LICENSE, "holder": "深圳大吃有限公司"}}
    assert license_proof.verify(changed, [jwk], TODAY).reason == "signature_mismatch"
    # The bytes signed are RFC 8785's, whatever the key order of the JSON received.
    reordered = {**signed, "license": dict(reversed(list(LICENSE.items())))}
    assert license_proof.verify(reordered, [jwk], TODAY).valid


def test_why_a_license_does_not_verify():
    private, jwk = _key(validFrom="2026-01-01", validTo="2026-06-30")
    other_private, other = _key()
    signed = _sign(private, jwk, LICENSE)
    assert license_proof.verify(signed, [other], TODAY).reason == "unknown_key"
    assert license_proof.verify(signed, [jwk], TODAY).reason == "key_not_valid_then"
    lasting = _key()
    assert license_proof.verify(_sign(lasting[0], lasting[1], LICENSE), [lasting[1]],
                                date(2031, 11, 26)).reason == "expired"
    assert license_proof.verify({**signed, "license": {**LICENSE, "identifier": "x"}},
                                [jwk], TODAY).reason == "bad_identifier"
    wrong_alg = {**signed, "signature": {**signed["signature"], "alg": "RSASSA_PSS_SHA_256"}}
    assert license_proof.verify(wrong_alg, [jwk], TODAY).reason == "unsupported_algorithm"
    # Signed by another key that claims this one's kid.
    forged = _sign(other_private, {**other, "kid": jwk["kid"]}, LICENSE)
    assert license_proof.verify(forged, [jwk, other], TODAY).reason == "signature_mismatch"
    not_base64 = {**signed, "signature": {**signed["signature"], "value": "%%%"}}
    assert license_proof.verify(not_base64, [jwk], TODAY).reason == "signature_mismatch"
    assert license_proof.verify({"license": LICENSE}, [jwk], TODAY).reason == "malformed"


def test_signatures_from_before_the_marker_verify_by_the_key_arn():
    private, jwk = _key(keyArn="arn:aws-cn:kms:cn-north-1:123456789012:key/old")
    legacy = _sign(private, jwk, LICENSE, canonicalization=None)
    verdict = license_proof.verify(legacy, [jwk], TODAY)
    assert verdict.valid and verdict.kid == jwk["kid"]
    # For a license document the two forms are the same bytes.
    assert rfc8785.dumps(LICENSE) == canonical_bytes(LICENSE)


def test_the_kid_is_the_rfc7638_thumbprint_of_the_key_alone():
    _, jwk = _key(issuer="深圳市政务服务数据管理局", area="440300")
    assert jwk["kid"] == license_proof.thumbprint({k: jwk[k] for k in ("kty", "crv", "x",
                                                                        "y")})
    assert (jwk["kty"], jwk["crv"], jwk["alg"], jwk["use"]) == ("EC", "P-256", "ES256", "sig")
    _, other = _key()
    assert other["kid"] != jwk["kid"] and len(jwk["kid"]) == 43
    # The PEM form is what openssl reads, and it is the same key.
    pem = license_proof.pem_of(jwk)
    assert pem.startswith("-----BEGIN PUBLIC KEY-----")
    loaded = serialization.load_pem_public_key(pem.encode()).public_numbers()
    assert loaded == license_proof.public_key_of(jwk).public_numbers()


def test_a_trust_list_is_checked_key_by_key():
    _, retired = _key(validTo="2026-06-30", keyArn="arn:old")
    _, theirs = _key()
    own, regions = license_proof.trust_list({
        "retired": [retired],
        "regions": [{"area": "110000", "issuer": "北京市政务服务和数据管理局",
                     "issuerCode": "11110000MB0000000X", "keys": [theirs]}]})
    assert own == [retired]
    assert regions == [{**theirs, "area": "110000", "issuer": "北京市政务服务和数据管理局",
                        "issuerCode": "11110000MB0000000X"}]
    with pytest.raises(ValueError, match="thumbprint"):
        license_proof.trust_list({"retired": [{**retired, "kid": "made-up"}]})
    with pytest.raises(ValueError, match="P-256"):
        license_proof.trust_list({"retired": [{**retired, "crv": "P-384"}]})
    with pytest.raises(ValueError, match="area, issuer and issuerCode"):
        license_proof.trust_list({"regions": [{"area": "110000", "issuer": "北京",
                                               "keys": [theirs]}]})
    # Retired: the region's key itself (a signature from before kids finds it by ARN),
    # never a department's identity under it.
    identity = license_proof.department_identity(retired, MARKET)
    for wrong in (identity, {k: v for k, v in retired.items() if k != "keyArn"}):
        with pytest.raises(ValueError, match="the region's key itself"):
            license_proof.trust_list({"retired": [wrong]})


def test_the_offline_command_needs_only_the_license_and_a_key_set(tmp_path, capsys):
    import json

    from infra import verify_license
    private, jwk = _key()
    (tmp_path / "signed.json").write_text(json.dumps(_sign(private, jwk, LICENSE),
                                                     ensure_ascii=False), "utf-8")
    (tmp_path / "jwks.json").write_text(json.dumps({"keys": [jwk]}), "utf-8")
    argv = [str(tmp_path / "signed.json"), "--keys", str(tmp_path / "jwks.json"),
            "--today", "2026-11-25"]
    assert verify_license.main(argv) == 0
    assert json.loads(capsys.readouterr().out)["valid"] is True
    (tmp_path / "jwks.json").write_text(json.dumps({"keys": [_key()[1]]}), "utf-8")
    assert verify_license.main(argv) == 1
    assert json.loads(capsys.readouterr().out)["reason"] == "unknown_key"
    # What no issuer signs is malformed, not a traceback: 1e999 (an infinity), NaN.
    for text in ('{"license": {"seats": 1e999}, "signature": {}}', '{"license": NaN}',
                 "[1]", "{"):
        (tmp_path / "signed.json").write_text(text, "utf-8")
        assert verify_license.main(argv) == 1
        assert json.loads(capsys.readouterr().out)["reason"] == "malformed"


def test_the_high_s_twin_of_a_valid_signature_is_refused_offline_and_by_the_command(
        tmp_path, capsys):
    import json

    from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

    from infra import verify_license
    private, jwk = _key()
    signed = _sign(private, jwk, LICENSE)
    twin = high_s_twin(signed)
    # The twin is a valid ECDSA signature (the curve cannot tell them apart)...
    private.public_key().verify(base64.b64decode(twin["signature"]["value"]),
                                license_proof.signed_bytes(LICENSE, signed["signature"]),
                                ec.ECDSA(hashes.SHA256()))
    assert decode_dss_signature(base64.b64decode(twin["signature"]["value"]))[1] > \
        license_proof.P256_ORDER // 2
    # ...and refused all the same: one license, one signature value.
    assert license_proof.verify(signed, [jwk], TODAY).valid
    assert license_proof.verify(twin, [jwk], TODAY).reason == "signature_mismatch"
    (tmp_path / "jwks.json").write_text(json.dumps({"keys": [jwk]}), "utf-8")
    for name, document, code in (("signed.json", signed, 0), ("twin.json", twin, 1)):
        (tmp_path / name).write_text(json.dumps(document, ensure_ascii=False), "utf-8")
        assert verify_license.main([str(tmp_path / name), "--keys",
                                    str(tmp_path / "jwks.json"), "--today", "2026-11-25"]) \
            == code
        assert json.loads(capsys.readouterr().out)["valid"] is (code == 0)


def test_low_s_keeps_the_signature_and_picks_the_lowerhigh_s_twin():
    from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
    private, _ = _key()
    message = b"the same bytes"
    for _ in range(40):   # ECDSA is randomised: about half come out high
        raw = private.sign(message, ec.ECDSA(hashes.SHA256()))
        normal = license_proof.low_s(raw)
        r, s = decode_dss_signature(normal)
        assert s <= license_proof.P256_ORDER // 2 and r == decode_dss_signature(raw)[0]
        assert license_proof.is_low_s(normal) and license_proof.low_s(normal) == normal
        private.public_key().verify(normal, message, ec.ECDSA(hashes.SHA256()))
    assert not license_proof.is_low_s(b"not DER")


def test_an_identifier_with_a_wrong_check_character_is_a_verdict_not_an_error():
    """The check character answers 422 where an identifier is asked for; in a license
    being verified it is the verdict bad_identifier."""
    from chalicelib.domain.identifiers import make_license_identifier
    identifier = make_license_identifier("11100000MB0143028R001", "11440300MB2C92138W",
                                         "4403002026112400000421")
    wrong = identifier[:-1] + ("0" if identifier[-1] != "0" else "1")
    verdict = license_proof.verify({"license": {"identifier": wrong},
                                    "signature": {"keyId": "k", "value": "AA=="}}, [],
                                   date(2026, 12, 3))
    assert (verdict.valid, verdict.reason) == (False, "bad_identifier")


BUREAU = {"issuer": "深圳市政务服务数据管理局", "issuerCode": "11440300MB2C92138W"}
MARKET = {"code": "SCJG", "name": "深圳市市场监督管理局", "uscc": "11440300007542808J",
          "sealName": "深圳市市场监督管理局行政审批专用章"}
HEALTH = {"code": "WSJK", "name": "深圳市卫生健康委员会", "uscc": "11440300MB2D53311B"}


def _departments_license(department: dict) -> dict:
    return {**LICENSE, "issuer": department["name"], "issuerCode": department["uscc"],
            "identifier": make_license_identifier("11100000000013127D001", department["uscc"],
                                                  "4403002026112500000019")}


def test_a_department_signs_under_its_identity_and_no_other_department_can_claim_it():
    """Who signs (docs/licenses.md): the region's key, under each department's identity —
    the key's material named `<kid>.<USCC>`, with the department's name and seal name. A
    license verifies only under its own issuer's identity; the region's own licenses
    under the key itself."""
    private, region = _key(area="440300", keyArn="arn:region", **BUREAU)
    market, health = (license_proof.department_identity(region, d) for d in (MARKET, HEALTH))
    assert market["kid"] == f"{region['kid']}.{MARKET['uscc']}"
    assert (market["issuer"], market["issuerCode"], market["sealName"], market["area"]) == (
        MARKET["name"], MARKET["uscc"], MARKET["sealName"], "440300")
    assert health["sealName"] == HEALTH["name"]   # none registered: its name
    assert "keyArn" not in market and (market["x"], market["y"]) == (region["x"], region["y"])
    keys = [region, market, health]
    document = _departments_license(MARKET)
    signed = _sign(private, market, document)
    assert license_proof.verify(signed, keys, TODAY).kid == market["kid"]
    assert license_proof.verify(signed, keys, TODAY).valid
    # The same key's signature, named as another department's identity or the region's.
    for other in (health, region):
        renamed = {**signed, "signature": {**signed["signature"], "kid": other["kid"]}}
        assert license_proof.verify(renamed, keys, TODAY).reason == "issuer_mismatch"
    # A signature from before kids, found by the key's ARN: the issuer's identity under it.
    legacy = _sign(private, {**region}, document, canonicalization=None)
    assert license_proof.verify(legacy, keys, TODAY).kid == market["kid"]
    bureau = _sign(private, region, {**LICENSE, **BUREAU})
    assert license_proof.verify(bureau, keys, TODAY).kid == region["kid"]
    # The data bureau's licenses from before kids (all of them were its): the key itself.
    older = license_proof.verify(_sign(private, region, {**LICENSE, **BUREAU},
                                       canonicalization=None), keys, TODAY)
    assert (older.valid, older.kid) == (True, region["kid"])


def test_a_trust_list_takes_another_regions_department_identities_as_they_are():
    _, beijing = _key()
    department = {"name": "北京市市场监督管理局", "uscc": "11110000000021135M"}
    identity = license_proof.department_identity(beijing, department)
    _, regions = license_proof.trust_list({"regions": [{
        "area": "110000", "issuer": "北京市政务服务和数据管理局",
        "issuerCode": "11110000MB0000000U", "keys": [beijing, identity]}]})
    assert [(k["kid"], k["issuer"], k["issuerCode"], k["area"]) for k in regions] == [
        (beijing["kid"], "北京市政务服务和数据管理局", "11110000MB0000000U", "110000"),
        (identity["kid"], department["name"], department["uscc"], "110000")]
    # An identity's kid names its own issuer's USCC, or the key is refused.
    with pytest.raises(ValueError, match="thumbprint"):
        license_proof.trust_list({"regions": [{"area": "110000", "issuer": "北京",
                                               "issuerCode": "11110000MB0000000U",
                                               "keys": [{**identity,
                                                         "issuerCode": "11110000MB0000000U"}]}]})


def test_a_key_verifies_only_licenses_of_its_own_issuer_and_region():
    """Without an issuerCode a key vouches for no issuer's license; with an area, only for
    licenses of its region."""
    private, bare = _key()
    market_license = _departments_license(MARKET)
    assert license_proof.verify(_sign(private, bare, market_license), [bare],
                                TODAY).reason == "issuer_mismatch"
    private, beijing = _key(area="110000", issuerCode=MARKET["uscc"])
    assert license_proof.verify(_sign(private, beijing, market_license), [beijing],
                                TODAY).reason == "issuer_mismatch"   # its area is 440300
    assert license_proof.verify(_sign(private, beijing, {**market_license, "area": "110000"}),
                                [beijing], TODAY).valid
