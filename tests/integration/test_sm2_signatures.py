"""国密: a region whose license key is SM2 (KMS key spec SM2, algorithm SM2DSA; the moto
shim makes a real SM2 key) signs licenses, decision documents and the supervision record's
seals with it, and publishes it as an SM2 JWK; each verifies offline with the published
keys alone (gmssl, and openssl 3), and a changed byte fails."""
import base64
import copy
import subprocess

import boto3
import pytest
import rfc8785

from chalicelib import config
from chalicelib.domain import document_proof, license_proof

from .harness import REGION


@pytest.fixture
def sm2_key(stack, monkeypatch):
    """The region's signing key replaced by a new SM2 key, as a stage packaged with
    `signingKeySpec: SM2` has."""
    from chalicelib.adapters import signer
    from chalicelib.services import licenses
    key = boto3.client("kms", region_name=REGION).create_key(
        KeySpec="SM2", KeyUsage="SIGN_VERIFY")["KeyMetadata"]["KeyId"]
    monkeypatch.setenv("OW_SIGNING_KEY_ID", key)
    config.reset()
    yield key
    monkeypatch.undo()
    config.reset()
    signer.public_key_der.cache_clear()
    licenses.keys._jwk.cache_clear()


def _keys(stack):
    return stack.call("GET", "/.well-known/license-keys").data["keys"]


def test_licenses_and_documents_are_signed_with_sm2_and_verify_offline(stack, sm2_key,
                                                                       tmp_path):
    keys = _keys(stack)
    assert {(k["kty"], k["crv"], k["alg"]) for k in keys} == {("EC", "SM2", "SM2SM3")}
    assert {k["alg"] for k in stack.call("GET", "/licenses/keys").data["keys"]} == {"SM2DSA"}
    case = stack.approve_in_parallel()
    signed = stack.call("GET", f"/licenses/{case['licenseId']}", "company").data
    assert signed["signature"]["alg"] == "SM2DSA"
    from datetime import date
    verdict = license_proof.verify(signed, keys, date.fromisoformat(
        signed["license"]["issueDate"]))
    assert verdict.valid, verdict
    online = stack.call("POST", "/licenses/verify?purpose=核验", None, signed).data
    assert online["valid"] is True
    forged = copy.deepcopy(signed)
    forged["license"]["holder"] = "别人"
    assert license_proof.verify(forged, keys, date.today()).reason == "signature_mismatch"
    # The signature says SM2DSA; named as ECDSA it is not taken for a P-256 one.
    renamed = {**signed, "signature": {**signed["signature"], "alg": "ECDSA_SHA_256"}}
    assert license_proof.verify(renamed, keys, date.today()).reason == \
        "unsupported_algorithm"
    path = f"/cases/{case['caseNo']}/documents"
    assert stack.pump.run_until(lambda: len(stack.call("GET", path, "company")
                                            .data["items"]) == 2)
    for found in stack.call("GET", path, "company").data["items"]:
        document = stack.call("GET", f"{path}/{found['documentId']}", "company").data
        assert document["signature"]["alg"] == "SM2DSA"
        assert document_proof.verify(document, keys).valid
        bent = copy.deepcopy(document)
        bent["document"]["paragraphs"][0] += "。"
        assert document_proof.verify(bent, keys).reason == "signature_mismatch"
    # openssl 3 alone, as docs/licenses.md writes it: the key's PEM from the key set, the
    # signed bytes, the DER signature; SM3 with the default distinguishing ID.
    key = next(k for k in keys if k["kid"] == document["signature"]["kid"])
    (tmp_path / "key.pem").write_text(license_proof.pem_of(key), "ascii")
    (tmp_path / "document.jcs").write_bytes(rfc8785.dumps(document["document"]))
    (tmp_path / "document.sig").write_bytes(base64.b64decode(document["signature"]["value"]))
    checked = subprocess.run(
        ["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", "key.pem", "-rawin", "-in",
         "document.jcs", "-sigfile", "document.sig", "-digest", "sm3", "-pkeyopt",
         "distid:1234567812345678"], cwd=tmp_path, capture_output=True, text=True)
    assert checked.returncode == 0 and "Signature Verified Successfully" in checked.stdout, \
        checked
    (tmp_path / "document.jcs").write_bytes(rfc8785.dumps(bent["document"]))
    assert subprocess.run(
        ["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", "key.pem", "-rawin", "-in",
         "document.jcs", "-sigfile", "document.sig", "-digest", "sm3", "-pkeyopt",
         "distid:1234567812345678"], cwd=tmp_path, capture_output=True).returncode != 0


def test_the_supervision_records_seals_are_signed_and_checked_with_sm2(stack, sm2_key):
    import json

    from chalicelib.services import supervision_record
    stack.approve_in_parallel()
    stack.pump.run_until(lambda: False, timeout=0.5)
    assert supervision_record.seal() == 1
    s3 = boto3.client("s3", region_name=REGION)
    bucket = stack.env["OW_SUPERVISION_SEALS_BUCKET"]
    stored = [json.loads(s3.get_object(Bucket=bucket, Key=o["Key"])["Body"].read())
              for o in s3.list_objects_v2(Bucket=bucket).get("Contents", [])]
    assert [seal["signature"]["alg"] for seal in stored] == ["SM2DSA"]
    status = stack.call("GET", "/supervision/record-status", "supervisor")
    assert status.status_code == 200, status.data
    assert (status.data["holds"], status.data["seals"]["count"]) == (True, 1), status.data
