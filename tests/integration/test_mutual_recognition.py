"""Mutual recognition (证照互认): a region verifies another region's licenses with that
region's published keys from its trust list, and with nothing else; a key it was not
given is unknown. Two regions' keys on one stack: this region's, and a second KMS key
standing for Beijing's."""
import base64
import json

import boto3
import pytest

from chalicelib import config
from chalicelib.domain import license_proof
from chalicelib.domain.identifiers import make_license_identifier

from .harness import REGION, license_and_material_uses

BEIJING = {"area": "110000", "issuer": "北京市政务服务和数据管理局",
           "issuerCode": "11110000MB0000000U"}


def _region_key() -> tuple[str, dict]:
    """A KMS key for the other region, and its JWK as it publishes it."""
    kms = boto3.client("kms", region_name=REGION)
    key = kms.create_key(KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY")["KeyMetadata"]
    der = kms.get_public_key(KeyId=key["KeyId"])["PublicKey"]
    return key["KeyId"], license_proof.jwk_of(der, keyArn=key["Arn"], **BEIJING)


def _license_of(key_id: str, jwk: dict, **changes) -> dict:
    """A license as the other region issues and signs it (its identifier, its key);
    `changes`: fields other than the default 食品经营许可证's."""
    document = {
        "identifier": make_license_identifier(changes.get("typeCode",
                                                          "11100000000013127D001"),
                                              BEIJING["issuerCode"], "1100002026112500000007"),
        "name": "食品经营许可证", "holder": "北京小吃有限公司",
        "holderId": "91110000MA0000000X", "holderIdType": "001",
        "issuer": BEIJING["issuer"], "issuerCode": BEIJING["issuerCode"],
        "issueDate": "2026-11-25", "validFrom": "2026-11-25", "validTo": "2031-11-24",
        "area": "110000", "trustLevel": "A", "typeCode": "11100000000013127D001",
        **changes}
    signature = {"canonicalization": "RFC8785"}
    signed = boto3.client("kms", region_name=REGION).sign(
        KeyId=key_id, Message=license_proof.signed_bytes(document, signature),
        MessageType="RAW", SigningAlgorithm="ECDSA_SHA_256")
    return {"license": document, "signature": {
        "alg": "ECDSA_SHA_256", "keyId": signed["KeyId"], "kid": jwk["kid"],
        "canonicalization": "RFC8785",
        "value": base64.b64encode(license_proof.low_s(signed["Signature"])).decode()}}


@pytest.fixture
def trusting(tmp_path, monkeypatch):
    """Set this region's trust list (OW_TRUST_LIST_FILE) to the regions given."""
    def trust(*regions: dict) -> None:
        path = tmp_path / "trust.json"
        path.write_text(json.dumps({"regions": list(regions)}, ensure_ascii=False), "utf-8")
        monkeypatch.setenv("OW_TRUST_LIST_FILE", str(path))
        config.reset()
    yield trust
    monkeypatch.undo()
    config.reset()


def test_a_license_of_a_region_in_the_trust_list_verifies_here(stack, trusting):
    key_id, jwk = _region_key()
    signed = {**_license_of(key_id, jwk), "purpose": "跨省经营备案"}
    assert stack.call("POST", "/licenses/verify", body=signed).data["reason"] == "unknown_key"
    trusting({**BEIJING, "keys": [{k: v for k, v in jwk.items()
                                   if k not in ("area", "issuer", "issuerCode")}]})
    verdict = stack.call("POST", "/licenses/verify", body=signed).data
    assert (verdict["valid"], verdict["area"], verdict["kid"]) == (True, "110000", jwk["kid"])
    assert "status" not in verdict   # its status is the issuing region's to tell
    # Changed on the way, or signed by a key Beijing never published: refused.
    changed = {**signed, "license": {**signed["license"], "validTo": "2099-12-31"}}
    assert stack.call("POST", "/licenses/verify", body=changed).data["reason"] == \
        "signature_mismatch"
    other_id, other = _region_key()
    forged = {**_license_of(other_id, other), "purpose": "跨省经营备案"}
    assert stack.call("POST", "/licenses/verify", body=forged).data["reason"] == "unknown_key"
    # This region's key set stays its own: the trusted keys are not republished.
    published = stack.call("GET", "/.well-known/license-keys").data["keys"]
    assert jwk["kid"] not in {key["kid"] for key in published}


def test_a_trust_list_with_a_bad_key_stops_the_function_at_start(stack, tmp_path, monkeypatch):
    from chalicelib import wiring
    _, jwk = _region_key()
    path = tmp_path / "trust.json"
    path.write_text(json.dumps({"regions": [{**BEIJING, "keys": [{**jwk, "kid": "x"}]}]}),
                    "utf-8")
    monkeypatch.setenv("OW_TRUST_LIST_FILE", str(path))
    try:
        with pytest.raises(ValueError, match="thumbprint"):
            wiring.configure()
    finally:
        monkeypatch.undo()
        wiring.configure()


def test_a_region_b_case_accepts_a_license_issued_in_region_a(stack, trusting):
    """证照互认 in a case: Beijing's 营业执照 of the company, given as signed, stands in
    for the paper copy in a Shenzhen application once Beijing's key is trusted here."""
    from .harness import FOOD, application
    key_id, jwk = _region_key()
    company = application(FOOD)["applicant"]
    business = _license_of(key_id, jwk, typeCode="11100000MB0143028R002", name="营业执照",
                           holder=company["name"], holderId=company["idNumber"])
    named = application(FOOD, materials=[{"name": "营业执照", "license": business}])
    refused = stack.call("POST", "/cases", "company", named)
    assert (refused.status_code, refused.data["error"]["code"]) == (422, "license_not_valid")
    trusting({**BEIJING, "keys": [{k: v for k, v in jwk.items()
                                   if k not in ("area", "issuer", "issuerCode")}]})
    created = stack.call("POST", "/cases", "agent", named)
    assert created.status_code == 201, created.data
    case = stack.case(created.data["caseNo"])
    recorded = case["materials"][0]["license"]
    assert (recorded["area"], recorded["kid"], recorded["verified"], recorded["trustLevel"]) \
        == ("110000", jwk["kid"], True, "A")
    log = license_and_material_uses(
        stack.call("GET", "/me/access-log", "company").data["entries"])
    assert [(e["action"], e["licenseId"], e["caseNo"]) for e in log] == [
        ("use", business["license"]["identifier"], created.data["caseNo"])]
    # Another holder's license, or a changed one, is not the company's to give.
    theirs = _license_of(key_id, jwk, typeCode="11100000MB0143028R002", name="营业执照")
    other = stack.call("POST", "/cases", "company", application(
        FOOD, materials=[{"name": "营业执照", "license": theirs}]))
    assert (other.status_code, other.data["error"]["field"]) == (422, "materials.0.license")
    changed = {**business, "license": {**business["license"], "trustLevel": "A+"}}
    tampered = stack.call("POST", "/cases", "company", application(
        FOOD, materials=[{"name": "营业执照", "license": changed}]))
    assert (tampered.status_code, tampered.data["error"]["code"]) == (422, "license_not_valid")
