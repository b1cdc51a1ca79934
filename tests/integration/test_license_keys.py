"""Licenses verify by the published standard: the docs' openssl procedure and the offline
command on a license issued by the real flow; signatures from before RFC 8785 still
verify; after a key rotation the old key's licenses verify from its published JWK."""
import json
import subprocess
from pathlib import Path

import boto3
import pytest

from chalicelib import config
from chalicelib.adapters import signer
from chalicelib.domain import license_proof
from chalicelib.domain.canonical import canonical_bytes
from chalicelib.services import clock
from tests.signatures import high_s_twin

from .harness import REGION

DOCS = Path(__file__).resolve().parents[2] / "docs" / "licenses.md"


def _openssl_steps() -> str:
    text = DOCS.read_text("utf-8")
    start = text.index("```sh", text.index("With `openssl` and `python3` alone"))
    return text[start + len("```sh"):text.index("```", start + 5)]


def _issued(stack) -> tuple[dict, dict]:
    case = stack.approve_in_parallel()
    signed = stack.call("GET", f"/licenses/{case['licenseId']}", "company").data
    return signed, stack.call("GET", "/.well-known/license-keys").data


def _openssl(folder: Path, signed: dict, jwks: dict) -> str:
    (folder / "signed.json").write_text(json.dumps(signed, ensure_ascii=False), "utf-8")
    (folder / "jwks.json").write_text(json.dumps(jwks, ensure_ascii=False), "utf-8")
    done = subprocess.run(["bash", "-eo", "pipefail", "-c", _openssl_steps()], cwd=folder,
                          capture_output=True, text=True, timeout=60)
    return done.stdout + done.stderr


def test_openssl_verifies_a_license_as_the_docs_say(stack, tmp_path):
    signed, jwks = _issued(stack)
    # Signed under the deciding department's identity, which the key set lists after the
    # region's key among the other departments' (all the same key).
    region = jwks["keys"][0]
    assert signed["signature"]["kid"] == f"{region['kid']}.{signed['license']['issuerCode']}"
    assert signed["signature"]["kid"] in [key["kid"] for key in jwks["keys"][1:]]
    assert {(key["x"], key["y"]) for key in jwks["keys"]} == {(region["x"], region["y"])}
    checked = _openssl(tmp_path, signed, jwks)
    assert "Issuer OK" in checked and "Verified OK" in checked and "Low-S OK" in checked
    # Named as another department's identity: the same key, so the signature holds; the
    # issuer check is what refuses it.
    other = next(k for k in jwks["keys"][1:] if k["kid"] != signed["signature"]["kid"])
    renamed = _openssl(tmp_path, {**signed, "signature": {**signed["signature"],
                                                          "kid": other["kid"]}}, jwks)
    assert "Issuer mismatch" in renamed and "Verified OK" in renamed
    changed = {**signed, "license": {**signed["license"], "validTo": "2099-12-31"}}
    assert "Verification failure" in _openssl(tmp_path, changed, jwks)
    twin = _openssl(tmp_path, high_s_twin(signed), jwks)
    assert "Verified OK" in twin and "High-S: refused" in twin


def test_signatures_are_low_s_and_the_high_s_twin_is_refused_everywhere(stack, tmp_path,
                                                                        capsys):
    import base64

    from infra import verify_license
    # KMS returns either twin; what the service signs is always the low one.
    key_id = config.get().signing_key_id
    for n in range(24):
        value = base64.b64decode(signer.sign(key_id, f"message {n}".encode())["value"])
        assert license_proof.is_low_s(value), n
    signed, jwks = _issued(stack)
    twin = high_s_twin(signed)
    assert not license_proof.is_low_s(base64.b64decode(twin["signature"]["value"]))
    verified = stack.call("POST", "/licenses/verify", body={**twin, "purpose": "开户核验"})
    assert (verified.status_code, verified.data["valid"], verified.data["reason"]) == \
        (200, False, "signature_mismatch")
    assert stack.call("POST", "/licenses/verify", body={**signed, "purpose": "开户核验"}) \
        .data["valid"] is True
    (tmp_path / "twin.json").write_text(json.dumps(twin, ensure_ascii=False), "utf-8")
    (tmp_path / "jwks.json").write_text(json.dumps(jwks), "utf-8")
    assert verify_license.main([str(tmp_path / "twin.json"), "--keys",
                                str(tmp_path / "jwks.json")]) == 1
    assert not signer.verify(signer.public_key_der(key_id), b"seal",
                             high_s_twin({"signature": signer.sign(key_id, b"seal")})
                             ["signature"]["value"])


def test_the_offline_command_verifies_the_issued_license(stack, tmp_path, capsys):
    from infra import verify_license
    signed, jwks = _issued(stack)
    (tmp_path / "signed.json").write_text(json.dumps(signed, ensure_ascii=False), "utf-8")
    (tmp_path / "jwks.json").write_text(json.dumps(jwks), "utf-8")
    assert verify_license.main([str(tmp_path / "signed.json"), "--keys",
                                str(tmp_path / "jwks.json")]) == 0
    verdict = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert verdict == {"valid": True, "reason": None,
                       "identifier": signed["license"]["identifier"],
                       "kid": signed["signature"]["kid"], "area": "440300"}


def test_a_signature_from_before_rfc8785_still_verifies(stack):
    signed, _ = _issued(stack)
    legacy = signer.sign(config.get().signing_key_id, canonical_bytes(signed["license"]))
    assert set(legacy) == {"alg", "keyId", "value"}   # no marker, no kid
    verdict = stack.call("POST", "/licenses/verify", body={
        "license": signed["license"], "signature": legacy, "purpose": "开户核验"}).data
    assert (verdict["valid"], verdict["kid"]) == (True, signed["signature"]["kid"])


@pytest.fixture
def rotate(stack, tmp_path, monkeypatch):
    """Rotate the signing key as docs/licenses.md says: the old key's JWK (valid until
    today) retired into the trust list, a new KMS key signing. Returns the old JWK."""
    def rotate_now() -> dict:
        old = stack.call("GET", "/.well-known/license-keys").data["keys"][0]
        trust = tmp_path / "trust.json"
        trust.write_text(json.dumps({"retired": [{**old, "validTo": _today()}]}), "utf-8")
        new_key = boto3.client("kms", region_name=REGION).create_key(
            KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY")["KeyMetadata"]["KeyId"]
        monkeypatch.setenv("OW_SIGNING_KEY_ID", new_key)
        monkeypatch.setenv("OW_TRUST_LIST_FILE", str(trust))
        config.reset()
        return old
    yield rotate_now
    monkeypatch.undo()
    config.reset()


def _today() -> str:
    return clock.local_date(clock.now()).isoformat()


def test_after_a_key_rotation_older_licenses_verify_from_the_published_key(stack, rotate):
    before, _ = _issued(stack)
    old = rotate()
    department = before["license"]["issuerCode"]
    assert before["signature"]["kid"] == f"{old['kid']}.{department}"
    after, jwks = _issued(stack)
    new = jwks["keys"][0]
    assert after["signature"]["kid"] == f"{new['kid']}.{department}" != before[
        "signature"]["kid"]
    # Each key, the departments' identities under it following it; the retired key's
    # bound is theirs too.
    regions = [k["kid"] for k in jwks["keys"] if "." not in k["kid"]]
    assert regions == [new["kid"], old["kid"]]
    retired = {k["kid"]: k for k in jwks["keys"][jwks["keys"].index(
        next(k for k in jwks["keys"] if k["kid"] == old["kid"])):]}
    assert retired[old["kid"]]["validTo"] == retired[before["signature"]["kid"]][
        "validTo"] == _today()
    for signed in (before, after):
        verdict = stack.call("POST", "/licenses/verify",
                             body={**signed, "purpose": "开户核验"}).data
        assert (verdict["valid"], verdict["kid"]) == (True, signed["signature"]["kid"])
    # The retired key signs nothing dated after it retired.
    later = {**before["license"], "issueDate": "2099-01-01"}
    signature = {**before["signature"], **signer.sign(old["keyArn"], license_proof.signed_bytes(
        later, before["signature"]))}
    assert stack.call("POST", "/licenses/verify", body={
        "license": later, "signature": signature, "purpose": "开户核验"},
    ).data["reason"] == "key_not_valid_then"


def test_the_published_keys_are_cacheable_briefly_and_a_license_is_not(stack):
    """The JWKS (and its PEM listing) is public and the same for everyone: shared caches
    may keep it for a few minutes; a holder's license stays out of every cache."""
    signed, _ = _issued(stack)
    for path in ("/.well-known/license-keys", "/licenses/keys"):
        answer = stack.call("GET", path)
        assert answer.status_code == 200
        assert answer.headers["Cache-Control"] == "public, max-age=300", path
    held = stack.call("GET", f"/licenses/{signed['license']['identifier']}", "company")
    assert held.status_code == 200 and held.headers["Cache-Control"] == "no-store"
    document = stack.call("GET", "/openapi.json").data
    for path in ("/.well-known/license-keys", "/licenses/keys"):
        assert "Cache-Control" in document["paths"][path]["get"]["responses"]["200"]["headers"]


def test_a_license_names_the_department_that_decided_and_verifies_under_its_identity(stack):
    """The implementing department issues (公共场所卫生许可: 卫生健康委员会), not the data
    bureau that runs the platform: its name and USCC in the license and its identifier,
    its identity (with its seal name) in the published key set, and a signature under
    another department's identity is refused, offline and online."""
    signed, jwks = _issued(stack)
    case = stack.call("GET", f"/cases/{signed['license']['caseNo']}", "company").data
    item = stack.call("GET", f"/items/{case['itemCode']}").data
    department = next(d for d in stack.call("GET", "/admin/departments", "admin").data[
        "departments"] if d["code"] == item["implementingDept"])
    assert item["implementingDept"] == "WSJK"
    document = signed["license"]
    assert (document["issuer"], document["issuerCode"]) == (department["name"],
                                                             department["uscc"])
    assert f".{department['uscc']}." in document["identifier"]
    assert document["issuer"] != config.get().issuer_name
    identity = next(k for k in jwks["keys"] if k["kid"] == signed["signature"]["kid"])
    assert (identity["issuer"], identity["issuerCode"], identity["sealName"]) == (
        department["name"], department["uscc"], department["sealName"])
    assert license_proof.verify(signed, jwks["keys"], clock.local_date(clock.now())).valid
    other = next(k for k in jwks["keys"] if k["kid"].endswith(".11440300007542808J"))
    renamed = {**signed, "signature": {**signed["signature"], "kid": other["kid"]}}
    assert license_proof.verify(renamed, jwks["keys"],
                                clock.local_date(clock.now())).reason == "issuer_mismatch"
    assert stack.call("POST", "/licenses/verify", body={**renamed, "purpose": "开户核验"}
                      ).data["reason"] == "issuer_mismatch"


def test_a_reissue_of_a_license_the_data_bureau_issued_names_the_department(stack):
    """A license from before licenses named the department that decided (the data bureau
    issued it) keeps its issuer; its next version is the department's, signed under the
    department's identity."""
    from datetime import date

    from chalicelib.adapters.models import LicenseRecord
    from chalicelib.domain.identifiers import parse_license_identifier
    case = stack.approve_in_parallel()
    record = LicenseRecord.get(case["licenseId"])
    bureau = {"issuer": config.get().issuer_name, "issuerCode": config.get().issuer_uscc}
    record.update(actions=[LicenseRecord.document.set({**record.document, **bureau})])
    answer = stack.call("POST", f"/licenses/{case['licenseId']}/reissue", "wsjk", {
        "changes": {"holder": "深圳大吃有限公司"}, "reason": "名称变更"})
    assert answer.status_code == 201, answer.data
    renewed = answer.data
    assert (renewed["license"]["issuer"], renewed["license"]["issuerCode"]) == (
        "深圳市卫生健康委员会", "11440300MB2D53311B")
    parts = parse_license_identifier(renewed["license"]["identifier"])
    assert (parts["issuer"], parts["version"]) == ("11440300MB2D53311B", "002")
    keys = stack.call("GET", "/.well-known/license-keys").data["keys"]
    assert license_proof.verify(renewed, keys, date.fromisoformat(
        renewed["license"]["issueDate"])).valid
