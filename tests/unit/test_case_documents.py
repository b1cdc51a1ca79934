"""Formal documents (文书), the pure parts: which decision makes which document, what it
states, its wording from the region's templates, and how it proves itself offline."""
import base64
import json

import jinja2
import pytest
import rfc8785
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from chalicelib.domain import case_documents, document_proof, license_proof
from chalicelib.domain.case_documents import KINDS, Remedies
from chalicelib.domain.case_status import Status
from chalicelib.services.case_documents import templates

CASE_NO = "4403002026112500000019"


def _case(status, **fields):
    return {"rt": "case", "pk": CASE_NO, "status": int(status), "version": 7, **fields}


@pytest.mark.parametrize(("before", "after", "kind"), [
    (Status.RECEIVED, Status.ACCEPTED, "acceptance_notice"),
    (Status.SUPPLEMENT_SUPPLIED, Status.ACCEPTED, "acceptance_notice"),
    (Status.RECEIVED, Status.REFUSED, "refusal_decision"),
    (Status.RECEIVED, Status.NOT_ACCEPTED, "refusal_decision"),
    (Status.RECEIVED, Status.SUPPLEMENT_REQUESTED, "supplement_notice"),
    (Status.IN_REVIEW, Status.SUPPLEMENT_REQUESTED, "supplement_notice"),
    (Status.IN_REVIEW, Status.SPECIAL_PROCEDURE, "special_procedure_notice"),
    (Status.IN_REVIEW, Status.APPROVED, "approval_decision"),
    (Status.IN_REVIEW, Status.APPROVED_PENDING_MATERIALS, "approval_decision"),
    (Status.IN_REVIEW, Status.DENIED, "denial_decision"),
    (Status.RECEIVED, Status.WITHDRAWN_BEFORE_ACCEPTANCE, "termination_notice"),
    (Status.IN_REVIEW, Status.WITHDRAWN, "termination_notice"),
    (Status.APPROVED, Status.REVOKED, "revocation_decision"),
    # Steps, not decisions: no document.
    (Status.SUPPLEMENT_REQUESTED, Status.SUPPLEMENT_SUPPLIED, None),
    (Status.ACCEPTED, Status.IN_REVIEW, None),
    (Status.SPECIAL_PROCEDURE, Status.SPECIAL_PROCEDURE_ENDED, None),
    # The materials to follow came in: the approval was written already.
    (Status.APPROVED_PENDING_MATERIALS, Status.APPROVED, None),
])
def test_each_decision_makes_its_document_and_a_step_none(before, after, kind):
    made = case_documents.made_by(_case(before), _case(after))
    assert (made.name if made else None) == kind


def test_the_contract_names_every_kind_in_order():
    from typing import get_args
    assert tuple(KINDS) == get_args(case_documents.KindName)


def test_a_change_without_a_new_status_or_of_another_record_makes_none():
    assert case_documents.made_by(None, _case(Status.RECEIVED)) is None
    assert case_documents.made_by(_case(Status.ACCEPTED), _case(Status.ACCEPTED)) is None
    task = {"rt": "task", "pk": CASE_NO, "status": 3}
    assert case_documents.made_by({**task, "status": 1}, task) is None
    assert case_documents.made_by(_case(Status.IN_REVIEW), None) is None


def test_a_license_revoked_or_reissued_by_its_department_makes_its_notice():
    change = {"rt": "license", "pk": CASE_NO, "action": "revoke",
              "at": "2026-11-25T06:12:09.123456+00:00"}
    assert case_documents.made_by(None, change).name == "license_revocation_notice"
    assert case_documents.made_by(None, {**change, "action": "reissue"}).name == \
        "license_reissue_notice"
    for other in ("suspend", "resume"):
        assert case_documents.made_by(None, {**change, "action": other}) is None
    assert case_documents.made_by(change, change) is None   # written once, never changed
    kind = KINDS["license_revocation_notice"]
    number = case_documents.document_id(CASE_NO, kind, case_documents.serial_of(change))
    assert number == f"{CASE_NO}-ZX20261125061209123456"
    assert document_proof.DOCUMENT_ID.match(number)


def test_a_corrected_version_is_numbered_after_the_first():
    first = f"{CASE_NO}-ZY007"
    assert case_documents.corrected_id(first) == f"{first}-1"
    assert case_documents.corrected_id(f"{first}-1") == f"{first}-2"
    assert case_documents.case_of(f"{first}-2") == CASE_NO
    assert document_proof.DOCUMENT_ID.match(f"{first}-2")


def test_the_number_is_the_changes_own_and_names_its_case():
    kind = KINDS["supplement_notice"]
    first = case_documents.document_id(CASE_NO, kind, 7)
    assert first == f"{CASE_NO}-BZ007" and document_proof.DOCUMENT_ID.match(first)
    assert case_documents.document_id(CASE_NO, kind, 12) != first  # a second supplement
    assert case_documents.case_of(first) == CASE_NO
    assert case_documents.document_id(CASE_NO, kind, 1234) == f"{CASE_NO}-BZ1234"


def test_only_adverse_decisions_state_the_rights_of_remedy():
    for kind in KINDS.values():
        facts = case_documents.example_facts(kind)
        assert ("reconsideration" in facts) is kind.adverse, kind.name
    assert {k.name for k in KINDS.values() if k.adverse} == {
        "refusal_decision", "denial_decision", "revocation_decision",
        "license_revocation_notice"}
    facts = case_documents.example_facts(KINDS["denial_decision"])
    assert facts["reconsideration"] == {"authority": "深圳市人民政府", "days": 60}
    assert facts["litigation"] == {"court": "深圳市福田区人民法院", "months": 6}


def test_a_decision_on_another_kind_of_item_is_titled_as_its_handling():
    approval = KINDS["approval_decision"]
    assert case_documents.title(approval, "01") == "准予行政许可决定书"
    assert case_documents.title(approval, "20") == "准予办理决定书"
    assert case_documents.title(KINDS["acceptance_notice"], "20") == "受理通知书"


def test_the_facts_of_each_kind_come_from_the_case_and_its_item_version():
    case = _case(Status.APPROVED_PENDING_MATERIALS, itemCode="X" * 40, itemName="食品经营许可",
                 itemVersion=3, applicant={"name": "深圳小吃有限公司"}, opinion="同意",
                 licenseId="1.2.156.3005.2.x", pendingMaterials=["健康证明"])
    item = {"kind": "01", "legalBasis": "《食品安全法》第三十五条",
            "result": {"licenseName": "食品经营许可证"}}
    dates = {"applied": "2026-11-20", "decided": "2026-11-25", "materialsDueBy": "2026-12-09"}
    facts = case_documents.facts(KINDS["approval_decision"], case, item, dates,
                                 Remedies("A", "B"), Status.IN_REVIEW)
    assert facts == {"caseNo": CASE_NO, "itemCode": "X" * 40, "itemName": "食品经营许可",
                     "itemVersion": "3", "applicant": "深圳小吃有限公司",
                     "appliedOn": "2026-11-20", "decidedOn": "2026-11-25",
                     "legalBasis": "《食品安全法》第三十五条", "licensing": True,
                     "reason": "同意", "licenseId": "1.2.156.3005.2.x",
                     "licenseName": "食品经营许可证", "pendingMaterials": ["健康证明"],
                     "materialsDueBy": "2026-12-09", "rules": [], "ruleSet": ""}
    revoked = case_documents.facts(KINDS["revocation_decision"], case, item, dates,
                                   Remedies("A", "B"), Status.IN_REVIEW)
    assert revoked["concluded"] is False and revoked["litigation"]["court"] == "B"
    assert case_documents.facts(KINDS["revocation_decision"], case, item, dates,
                                Remedies("A", "B"), Status.APPROVED)["concluded"] is True


def test_an_approval_by_the_rules_names_each_rule_in_the_decision():
    trace = [{"id": "age", "name": "年满80周岁", "expression": "population.age >= 80",
              "inputs": {"population.age": 84}, "held": True}]
    case = _case(Status.APPROVED, itemCode="X" * 40, itemName="高龄津贴申领", itemVersion=1,
                 applicant={"name": "王桂英"}, opinion="规则核验全部通过，系统自动准予（秒批）",
                 ruleCheck={"outcome": "approved", "ruleSet": "X@v1", "trace": trace})
    item = {"kind": "05", "legalBasis": "《老年人权益保障法》第三十三条"}
    dates = {"applied": "2026-12-05", "decided": "2026-12-05"}
    facts = case_documents.facts(KINDS["approval_decision"], case, item, dates,
                                 Remedies("A", "B"), Status.ACCEPTED)
    assert (facts["rules"], facts["ruleSet"]) == (["年满80周岁"], "X@v1")
    text = "\n".join(templates.paragraphs("approval_decision", facts, ""))
    assert "审批规则（X@v1）自动作出（秒批）" in text and "1. 年满80周岁" in text
    # Referred to people and approved by them: no word of rules.
    referred = {**case, "opinion": "同意", "ruleCheck": {"outcome": "referred",
                                                         "ruleSet": "X@v1", "trace": trace}}
    facts = case_documents.facts(KINDS["approval_decision"], referred, item, dates,
                                 Remedies("A", "B"), Status.IN_REVIEW)
    assert facts["rules"] == [] and "秒批" not in "".join(
        templates.paragraphs("approval_decision", facts, ""))


def test_every_shipped_template_renders_every_fact_it_is_given():
    templates.check(None)
    for kind in KINDS.values():
        facts = case_documents.example_facts(kind)
        text = "\n".join(templates.paragraphs(kind.name, facts, ""))
        assert facts["caseNo"] in text and facts["applicant"] in text
        assert "{{" not in text and "{%" not in text
        if kind.adverse:
            assert f"{facts['reconsideration']['days']}日内向" \
                   f"{facts['reconsideration']['authority']}申请行政复议" in text
            assert f"{facts['litigation']['months']}个月内向{facts['litigation']['court']}" \
                   "提起行政诉讼" in text
        if facts.get("reason"):
            assert facts["reason"] in text, kind.name


def test_a_region_overrides_a_template_without_code_and_a_broken_one_is_found(tmp_path,
                                                                               monkeypatch):
    monkeypatch.setattr(templates.config, "PACKAGE_ROOT", tmp_path)
    templates.environment.cache_clear()
    region = tmp_path / "regions" / "440100"
    region.mkdir(parents=True)
    (region / "acceptance_notice.txt").write_text(
        "{{ applicant }}：\n\n广州市受理：{{ caseNo }}，{{ expectedBy | date }}前办结。\n", "utf-8")
    facts = case_documents.example_facts(KINDS["acceptance_notice"])
    try:
        assert templates.paragraphs("acceptance_notice", facts, "regions/440100") == [
            f"{facts['applicant']}：", f"广州市受理：{facts['caseNo']}，2026年12月15日前办结。"]
        # The other kinds keep the shipped wording.
        assert "不予行政许可" in "".join(templates.paragraphs(
            "denial_decision", case_documents.example_facts(KINDS["denial_decision"]),
            "regions/440100"))
        templates.check("regions/440100")
        (region / "denial_decision.txt").write_text("{{ reviewingCourt }}", "utf-8")
        templates.environment.cache_clear()
        with pytest.raises(jinja2.UndefinedError, match="reviewingCourt"):
            templates.check("regions/440100")
        (region / "denial_decision.txt").write_text("{{ ''.__class__.__mro__ }}", "utf-8")
        templates.environment.cache_clear()
        with pytest.raises(jinja2.exceptions.SecurityError):
            templates.check("regions/440100")
    finally:
        templates.environment.cache_clear()


# -- proof -----------------------------------------------------------------------------

MARKET = {"code": "SCJG", "name": "深圳市市场监督管理局", "uscc": "11440300007542808J",
          "sealName": "深圳市市场监督管理局行政审批专用章"}
HEALTH = {"code": "WSJK", "name": "深圳市卫生健康委员会", "uscc": "11440300MB2D53311B"}


def _keys():
    private = ec.generate_private_key(ec.SECP256R1())
    der = private.public_key().public_bytes(serialization.Encoding.DER,
                                            serialization.PublicFormat.SubjectPublicKeyInfo)
    region = license_proof.jwk_of(der, keyArn="arn:region", issuer="深圳市政务服务数据管理局",
                                  issuerCode="11440300MB2C92138W", area="440300",
                                  validFrom="2026-01-01")
    return private, [region, *(license_proof.department_identity(region, d)
                               for d in (MARKET, HEALTH))]


def _document(**fields):
    return {"documentId": f"{CASE_NO}-ZY007", "kind": "approval_decision",
            "title": "准予行政许可决定书", "caseNo": CASE_NO, "itemCode": "X" * 40,
            "issuer": MARKET["name"], "issuerCode": MARKET["uscc"], "area": "440300",
            "issueDate": "2026-11-25", "issuedAt": "2026-11-25T02:00:00.000000Z",
            "addressee": "深圳小吃有限公司", "paragraphs": ["深圳小吃有限公司：", "准予。"],
            "facts": {"caseNo": CASE_NO, "materials": ["甲", "乙"], "licensing": True},
            **fields}


def _sign(private, kid, document):
    value = license_proof.low_s(private.sign(rfc8785.dumps(document),
                                             ec.ECDSA(hashes.SHA256())))
    return {"document": document, "signature": {
        "alg": "ECDSA_SHA_256", "keyId": "arn:region", "kid": kid,
        "canonicalization": "RFC8785", "value": base64.b64encode(value).decode()}}


def test_a_document_verifies_offline_under_its_departments_identity_only():
    private, keys = _keys()
    region, market, health = keys
    signed = _sign(private, market["kid"], _document())
    verdict = document_proof.verify(signed, keys)
    assert (verdict.valid, verdict.kid, verdict.identifier, verdict.area) == (
        True, market["kid"], f"{CASE_NO}-ZY007", "440300")
    for other in (health, region):
        renamed = {**signed, "signature": {**signed["signature"], "kid": other["kid"]}}
        assert document_proof.verify(renamed, keys).reason == "issuer_mismatch"
    # Another region's document under this key is refused; so is one dated before the key.
    assert document_proof.verify(_sign(private, market["kid"], _document(area="440100")),
                                 keys).reason == "issuer_mismatch"
    assert document_proof.verify(_sign(private, market["kid"], _document(
        issueDate="2025-12-31")), keys).reason == "key_not_valid_then"


def test_why_a_document_does_not_verify():
    private, keys = _keys()
    signed = _sign(private, keys[1]["kid"], _document())
    cases = {
        "malformed": [{"document": "x", "signature": {}}, {"signature": signed["signature"]}],
        "bad_identifier": [{**signed, "document": _document(documentId="ZY007")}],
        "unsupported_algorithm": [
            {**signed, "signature": {**signed["signature"], "alg": "RSASSA_PSS_SHA_256"}},
            {**signed, "signature": {k: v for k, v in signed["signature"].items()
                                     if k != "canonicalization"}}],
        "unknown_key": [{**signed, "signature": {**signed["signature"], "kid": "nobody"}}],
        "signature_mismatch": [
            {**signed, "document": _document(facts={"caseNo": CASE_NO,
                                                    "materials": ["乙", "甲"],
                                                    "licensing": True})},
            {**signed, "document": _document(paragraphs=["深圳小吃有限公司：", "不予。"])}],
    }
    for reason, bent in cases.items():
        for one in bent:
            assert document_proof.verify(one, keys).reason == reason, (reason, one)


def test_the_offline_command_verifies_a_document_too(tmp_path, capsys):
    from infra import verify_license
    private, keys = _keys()
    signed = _sign(private, keys[1]["kid"], _document())
    (tmp_path / "signed.json").write_text(json.dumps(signed, ensure_ascii=False), "utf-8")
    (tmp_path / "jwks.json").write_text(json.dumps({"keys": keys}), "utf-8")
    argv = [str(tmp_path / "signed.json"), "--keys", str(tmp_path / "jwks.json")]
    assert verify_license.main(argv) == 0
    assert json.loads(capsys.readouterr().out)["identifier"] == f"{CASE_NO}-ZY007"
    signed["document"]["addressee"] = "别人"
    (tmp_path / "signed.json").write_text(json.dumps(signed, ensure_ascii=False), "utf-8")
    assert verify_license.main(argv) == 1
    assert json.loads(capsys.readouterr().out)["reason"] == "signature_mismatch"


def _adverse_document():
    kind = KINDS["denial_decision"]
    facts = case_documents.example_facts(kind)
    return {"documentId": f"{CASE_NO}-BY007", "addressee": facts["applicant"],
            "paragraphs": templates.paragraphs(kind.name, facts, ""), "facts": facts}


def test_a_correction_mends_words_and_never_the_decision_or_the_remedies():
    from chalicelib.domain.errors import UnprocessableEntity
    document = _adverse_document()
    mended = case_documents.corrected(document, [{"wrong": "示例餐饮", "right": "示范餐饮"}])
    assert mended["addressee"] == "深圳市示范餐饮有限公司"
    assert all("示例餐饮" not in p for p in mended["paragraphs"])
    assert mended["facts"]["applicant"] == "深圳市示范餐饮有限公司"
    for wrong, right in (("不予行政许可", "准予行政许可"), ("行政许可", "备案"),
                         ("人民法院", "仲裁委员会"), ("示例", "准予")):
        with pytest.raises(UnprocessableEntity) as refused:
            case_documents.corrected(document, [{"wrong": wrong, "right": right}])
        assert (refused.value.code, refused.value.field) == (
            "correction_not_clerical", "corrections.0")
    # The remedies' paragraph is out of reach: its days and its court stay as stated.
    remedies = next(p for p in document["paragraphs"] if "行政复议" in p)
    with pytest.raises(UnprocessableEntity) as missing:
        case_documents.corrected(document, [{"wrong": "60", "right": "15"}])
    assert missing.value.code == "correction_not_found"
    mended = case_documents.corrected(document, [{"wrong": "深圳市", "right": "深圳"}])
    assert remedies in mended["paragraphs"]
    assert mended["facts"]["reconsideration"] == document["facts"]["reconsideration"]
    assert mended["facts"]["caseNo"] == document["facts"]["caseNo"]
