"""The real ASL on moto's Step Functions executor, driven through the API and the pump."""
import pytest

from .harness import FOOD, HYGIENE, application


def test_two_department_case_goes_1_3_8_11_with_a_verifiable_license(stack):
    created = stack.call("POST", "/cases", "company", application(HYGIENE))
    assert created.status_code == 201, created.data
    case_no = created.data["caseNo"]
    assert created.data["status"] == 1 and len(created.data["queryPassword"]) == 6

    task = stack.open_task(case_no, "ZWFW", "clerk")
    assert task["kind"] == "acceptance"
    accepted = stack.decide(task["taskId"], "clerk", "accept", "材料齐全，予以受理")
    assert accepted.status_code == 200, accepted.data
    assert accepted.data["caseStatus"] == 3

    stack.wait_status(case_no, 8)
    health = stack.open_task(case_no, "WSJK", "wsjk")
    fire = stack.open_task(case_no, "XFJY", "xfjy")
    assert stack.decide(health["taskId"], "wsjk", "approve", "卫生条件符合").status_code == 200
    # One department alone does not conclude a parallel stage.
    assert stack.case(case_no)["status"] == 8
    assert stack.decide(fire["taskId"], "xfjy", "approve", "消防检查合格").status_code == 200

    case = stack.wait_status(case_no, 11)
    license_id = case["licenseId"]
    assert license_id.startswith("1.2.156.3005.2.11100000000013127D001.")
    stack.pump.run_until(lambda: len(stack.case(case_no)["timeline"]) >= 7, 10)
    timeline = stack.case(case_no)["timeline"]
    assert [e["status"] for e in timeline if e["action"] == "status"] == [1, 3, 8, 11]
    assert {e["dept"] for e in timeline if e["action"] == "decision"} == {"ZWFW", "WSJK", "XFJY"}

    signed = stack.call("GET", f"/licenses/{license_id}", "company")
    assert signed.status_code == 200
    assert signed.data["license"]["holder"] == "深圳小吃有限公司"
    verdict = stack.call("POST", "/licenses/verify", body={**signed.data, "purpose": "开户核验"})
    # Issued by the implementing department (卫生健康委员会), signed under its identity.
    region = stack.call("GET", "/.well-known/license-keys").data["keys"][0]["kid"]
    assert signed.data["license"]["issuer"] == "深圳市卫生健康委员会"
    kid = f"{region}.{signed.data['license']['issuerCode']}"
    assert verdict.data == {"valid": True, "reason": None, "identifier": license_id,
                            "kid": kid, "area": "440300", "status": "valid"}
    assert signed.data["signature"]["kid"] == kid
    assert signed.data["signature"]["canonicalization"] == "RFC8785"

    tampered = {**signed.data, "license": {**signed.data["license"], "holder": "深圳大吃有限公司"}}
    verdict = stack.call("POST", "/licenses/verify", body={**tampered, "purpose": "开户核验"})
    assert verdict.data["valid"] is False and verdict.data["reason"] == "signature_mismatch"


def test_denial_ends_at_13_without_license(stack):
    case_no = stack.call("POST", "/cases", "company", application(FOOD)).data["caseNo"]
    task = stack.open_task(case_no, "ZWFW", "clerk")
    stack.decide(task["taskId"], "clerk", "accept", "受理")
    review = stack.open_task(case_no, "SCJG", "scjg")
    denied = stack.decide(review["taskId"], "scjg", "deny", "经营场所不符合要求")
    assert denied.status_code == 200
    case = stack.wait_status(case_no, 13)
    assert case["licenseId"] is None
    stack.pump.run_until(lambda: 13 in [e.get("status") for e in stack.case(case_no)["timeline"]])
    assert [e.get("status") for e in stack.case(case_no)["timeline"]
            if e["action"] == "status"] == [1, 3, 8, 13]


def test_a_license_keeps_its_holders_id_number_sealed_and_shows_it_to_who_may_read_it(stack):
    """The license is signed with the holder's ID number; the license library stores it
    masked with the number sealed, and the holder (and the staff who may read the case)
    get the document exactly as signed — it verifies."""
    import json

    import boto3
    from cryptography.exceptions import InvalidTag

    from chalicelib.adapters import sealing

    from .harness import REGION
    case = stack.approve_in_parallel()
    number = application(HYGIENE)["applicant"]["idNumber"]
    table = boto3.resource("dynamodb", region_name=REGION).Table(stack.env["OW_LICENSES_TABLE"])
    stored = table.get_item(Key={"licenseId": case["licenseId"]})["Item"]
    raw = json.dumps(stored, default=str, ensure_ascii=False)
    assert number not in raw
    assert json.loads(stored["document"])["holderId"] == number[:6] + "*" * 8 + number[-4:]
    for reader in ("company", "agent", "wsjk", "supervisor"):
        signed = stack.call("GET", f"/licenses/{case['licenseId']}?purpose=核验", reader).data
        assert signed["license"]["holderId"] == number, reader
        assert stack.call("POST", "/licenses/verify",
                          body={**signed, "purpose": "开户核验"}).data == {
            "valid": True, "reason": None, "identifier": case["licenseId"],
            "kid": signed["signature"]["kid"], "area": "440300", "status": "valid"}
    # The masked document as stored does not verify: the signature is over the number.
    masked = {**signed, "license": json.loads(stored["document"])}
    assert stack.call("POST", "/licenses/verify", body={
        **masked, "purpose": "开户核验"}).data["reason"] == "signature_mismatch"
    sealed = json.loads(stored["sealedHolder"])
    with pytest.raises(InvalidTag):   # bound to its license: moved, it does not open
        sealing.open_sealed(sealed, case["caseNo"])
    # Another natural person's token is not the holder, whatever it carries.
    assert stack.call("GET", f"/licenses/{case['licenseId']}", "lisi").status_code == 404
