"""Formal documents (文书) through the real workflow, stream handler and API on moto: each
decision makes exactly its document, signed by the department that decided and verifiable
offline with the published keys; the supervision record holds its hash; redelivered and
concurrent changes make no second one."""
import copy
import json
import re
import threading

import boto3
import pytest

from chalicelib import config
from chalicelib.adapters import models
from chalicelib.adapters.models import DocumentRecord, SupervisionEntry
from chalicelib.domain import case_documents as case_documents_domain
from chalicelib.domain import document_proof, worktime
from chalicelib.events import handlers
from chalicelib.services import case_documents, clock
from infra.local.pump import LambdaContext, _handler

from .harness import FOOD, REGION, application

MATERIALS = ["经营场所平面图和设备布局图", "食品安全管理制度文本"]


def _documents(stack, case_no, user="company"):
    answer = stack.call("GET", f"/cases/{case_no}/documents", user)
    assert answer.status_code == 200, answer.data
    return answer.data["items"]


def _kinds(stack, case_no):
    return [d["kind"] for d in _documents(stack, case_no)]


def _wait_kinds(stack, case_no, kinds):
    assert stack.pump.run_until(lambda: _kinds(stack, case_no) == kinds), \
        (_kinds(stack, case_no), kinds)
    return _documents(stack, case_no)


def _signed(stack, case_no, document_id, user="company"):
    answer = stack.call("GET", f"/cases/{case_no}/documents/{document_id}", user)
    assert answer.status_code == 200, answer.data
    return answer.data


def _text(signed):
    return "\n".join(signed["document"]["paragraphs"])


def _keys(stack):
    return stack.call("GET", "/.well-known/license-keys").data["keys"]


def _apply(stack, item=FOOD):
    return stack.call("POST", "/cases", "company", application(item)).data["caseNo"]


def test_an_approved_case_has_its_acceptance_notice_and_approval_decision(stack):
    case = stack.approve_in_parallel()
    case_no = case["caseNo"]
    found = _wait_kinds(stack, case_no, ["acceptance_notice", "approval_decision"])
    acceptance, approval = (_signed(stack, case_no, d["documentId"]) for d in found)
    assert acceptance["document"]["title"] == "受理通知书"
    assert approval["document"]["title"] == "准予行政许可决定书"
    # Issued by the department that decided, never the platform's data bureau.
    for signed in (acceptance, approval):
        assert signed["document"]["issuer"] == "深圳市卫生健康委员会"
        assert signed["state"] == "valid"
        assert signed["document"]["caseNo"] == case_no
        assert signed["document"]["addressee"] == "深圳小吃有限公司"
    text = _text(acceptance)
    assert case_no in text and "予以受理" in text
    promised = clock.local_date(worktime.parse(case["promisedBy"])).isoformat()
    assert acceptance["document"]["facts"]["expectedBy"] == promised
    assert case_documents_domain.date_text(promised) in text
    facts = approval["document"]["facts"]
    assert facts["licenseId"] == case["licenseId"]
    # The reasons are the reviews' opinions, by department (not the workflow's note).
    assert facts["reason"] == "深圳市卫生健康委员会：同意；深圳市消防救援支队：同意"
    assert f"审查意见：{facts['reason']}" in _text(approval)
    assert case["licenseId"] in _text(approval) and facts["legalBasis"] in _text(approval)
    assert "行政复议" not in _text(approval)    # not adverse: no rights of remedy
    # Offline: the published key set alone; any byte changed fails.
    verdict = document_proof.verify(approval, _keys(stack))
    assert verdict.valid, verdict
    assert verdict.kid.endswith("." + approval["document"]["issuerCode"])
    forged = copy.deepcopy(approval)
    paragraphs = forged["document"]["paragraphs"]
    decided = next(n for n, text in enumerate(paragraphs) if "决定准予" in text)
    paragraphs[decided] = paragraphs[decided].replace("决定准予", "决定不予")
    assert document_proof.verify(forged, _keys(stack)).reason == "signature_mismatch"
    # Online, and its public status (no text, no addressee).
    online = stack.call("POST", "/documents/verify", None, approval).data
    assert (online["valid"], online["state"]) == (True, "valid")
    address = f"/documents/{approval['document']['documentId']}/status"
    status = stack.call("GET", f"{address}?key={approval['sha256'][:16]}")
    assert status.status_code == 200 and status.data["state"] == "valid"
    # The number alone is guessable from the case's: without the document's key, nothing.
    for wrong in ("", "?key=", f"?key={'0' * 16}", f"?key={approval['sha256'][1:17]}"):
        assert stack.call("GET", address + wrong).status_code == 404, wrong
    assert status.data["sha256"] == approval["sha256"]
    assert "paragraphs" not in json.dumps(status.data) and "深圳小吃" not in \
        json.dumps(status.data, ensure_ascii=False)


def test_each_documents_hash_is_in_the_supervision_record_and_the_timeline(stack):
    case_no = stack.approve_in_parallel()["caseNo"]
    found = _wait_kinds(stack, case_no, ["acceptance_notice", "approval_decision"])
    assert stack.pump.run_until(lambda: len(
        [e for e in stack.case(case_no)["timeline"] if e["action"] == "document_issued"]) == 2)
    recorded = {}

    def in_record():
        for entry in SupervisionEntry.scan():
            event = (entry.body or {}).get("event") or {}
            if event.get("caseNo") == case_no and event.get("documentId"):
                recorded[event["documentId"]] = event["sha256"]
        return len(recorded) == 2
    assert stack.pump.run_until(in_record)
    assert recorded == {d["documentId"]: d["sha256"] for d in found}
    for document in found:
        signed = _signed(stack, case_no, document["documentId"])
        assert case_documents.digest(signed["document"], signed["signature"]) == \
            recorded[document["documentId"]]


def test_a_refusal_states_the_reason_the_basis_and_the_regions_remedies(stack, monkeypatch):
    monkeypatch.setenv("OW_RECONSIDERATION_AUTHORITY", "深圳市南山区人民政府")
    monkeypatch.setenv("OW_LITIGATION_COURT", "深圳市南山区人民法院")
    config.reset()
    try:
        case_no = _apply(stack)
        task = stack.open_task(case_no, "ZWFW", "clerk")
        stack.decide(task["taskId"], "clerk", "refuse", "经营场所不在本区")
        found = _wait_kinds(stack, case_no, ["refusal_decision"])
    finally:
        monkeypatch.undo()
        config.reset()
    signed = _signed(stack, case_no, found[0]["documentId"])
    text = _text(signed)
    assert signed["document"]["title"] == "不予受理决定书"
    assert "理由：经营场所不在本区" in text and "第三十二条" in text
    assert "60日内向深圳市南山区人民政府申请行政复议" in text
    assert "6个月内向深圳市南山区人民法院提起行政诉讼" in text
    assert signed["document"]["facts"]["reconsideration"] == {
        "authority": "深圳市南山区人民政府", "days": 60}
    assert signed["document"]["issuer"] == "深圳市市场监督管理局"
    assert document_proof.verify(signed, _keys(stack)).valid


def test_a_supplement_names_every_material_and_a_denial_states_the_rights(stack):
    case_no = _apply(stack)
    intake = stack.open_task(case_no, "ZWFW", "clerk")
    asked = stack.call("POST", f"/tasks/{intake['taskId']}/decision", "clerk",
                       {"decision": "supplement", "opinion": "复印件不清晰",
                        "materials": MATERIALS})
    assert asked.status_code == 200, asked.data
    found = _wait_kinds(stack, case_no, ["supplement_notice"])
    signed = _signed(stack, case_no, found[0]["documentId"])
    text = _text(signed)
    assert signed["document"]["facts"]["materials"] == MATERIALS
    assert all(f"{n}. {name}" in text for n, name in enumerate(MATERIALS, 1))
    assert "一次性告知" in text and "说明：复印件不清晰" in text
    supplied = stack.call("POST", f"/cases/{case_no}/supplement", "company", {"materials": [
        {"name": name, "materialId": stack.upload(
            "company", f"%PDF-1.7 {name}".encode(), material=name)["materialId"]}
        for name in MATERIALS]})
    assert supplied.status_code == 200, supplied.data
    again = stack.open_task(case_no, "ZWFW", "clerk")
    stack.decide(again["taskId"], "clerk", "accept", "受理")
    stack.wait_status(case_no, 8)
    review = stack.open_task(case_no, "SCJG", "scjg")
    stack.decide(review["taskId"], "scjg", "deny", "经营场所布局不符合要求")
    stack.wait_status(case_no, 13)
    found = _wait_kinds(stack, case_no,
                        ["supplement_notice", "acceptance_notice", "denial_decision"])
    denial = _signed(stack, case_no, found[-1]["documentId"])
    text = _text(denial)
    assert denial["document"]["title"] == "不予行政许可决定书"
    assert "理由：经营场所布局不符合要求" in text
    assert denial["document"]["facts"]["legalBasis"] in text
    assert "60日内向深圳市人民政府申请行政复议" in text and "提起行政诉讼" in text
    assert document_proof.verify(denial, _keys(stack)).valid


def test_withdrawal_and_revocation_are_written_too(stack):
    case_no = _apply(stack)
    stack.open_task(case_no, "ZWFW", "clerk")
    stack.call("POST", f"/cases/{case_no}/withdraw", "company", {"reason": "信息填错"})
    found = _wait_kinds(stack, case_no, ["termination_notice"])
    assert "撤回理由：信息填错" in _text(_signed(stack, case_no, found[0]["documentId"]))
    approved = stack.approve_in_parallel()["caseNo"]
    _wait_kinds(stack, approved, ["acceptance_notice", "approval_decision"])
    stack.call("POST", f"/cases/{approved}/revoke", "supervisor",
               {"reason": "以欺骗手段取得许可"})
    found = _wait_kinds(stack, approved,
                        ["acceptance_notice", "approval_decision", "revocation_decision"])
    revocation = _signed(stack, approved, found[-1]["documentId"])
    assert "以欺骗手段取得许可" in _text(revocation) and "第六十九条" in _text(revocation)
    assert "同时撤销" in _text(revocation) and "行政复议" in _text(revocation)


def test_only_the_owner_and_staff_who_read_the_case_see_its_documents(stack):
    case_no = stack.approve_in_parallel()["caseNo"]
    found = _wait_kinds(stack, case_no, ["acceptance_notice", "approval_decision"])
    path = f"/cases/{case_no}/documents"
    assert stack.call("GET", path).status_code == 401
    assert stack.call("GET", path, "applicant").status_code == 404     # someone else
    assert stack.call("GET", path, "scjg").status_code == 404          # no task on it
    assert [d["documentId"] for d in _documents(stack, case_no, "wsjk")] == \
        [d["documentId"] for d in found]
    one = f"{path}/{found[0]['documentId']}"
    assert stack.call("GET", one, "applicant").status_code == 404
    assert stack.call("GET", f"{path}/{case_no}-ZZ999", "company").status_code == 404
    assert stack.call("GET", "/documents/nonsense/status?key=x").status_code == 404


def test_redelivered_changes_make_no_second_document(stack, delivered):
    """Every path's changes delivered twice more, after the cases moved on: an approval,
    a refusal, a supplement then a denial, a special procedure then a withdrawal."""
    approved = stack.approve_in_parallel()["caseNo"]
    refused, _ = _refused(stack)
    denied = _accepted(stack)
    review = stack.open_task(denied, "SCJG", "scjg")
    stack.call("POST", f"/tasks/{review['taskId']}/decision", "scjg", {
        "decision": "supplement", "opinion": "请补充", "materials": [MATERIALS[1]]})
    stack.call("POST", f"/cases/{denied}/supplement", "company", {"materials": [
        {"name": MATERIALS[1], "materialId": stack.upload("company")["materialId"]}]})
    stack.wait_status(denied, 8)
    stack.decide(review["taskId"], "scjg", "deny", "不符合条件")
    withdrawn = _accepted(stack)
    special = stack.open_task(withdrawn, "SCJG", "scjg")
    stack.call("POST", f"/tasks/{special['taskId']}/special-procedure", "scjg",
               {"type": "inspection", "reason": "现场核查"})
    stack.call("POST", f"/cases/{withdrawn}/withdraw", "company", {"reason": "不办了"})
    expected = {
        approved: ["acceptance_notice", "approval_decision"],
        refused: ["refusal_decision"],
        denied: ["acceptance_notice", "supplement_notice", "denial_decision"],
        withdrawn: ["acceptance_notice", "special_procedure_notice", "termination_notice"]}
    before = {case_no: _wait_kinds(stack, case_no, kinds)
              for case_no, kinds in expected.items()}
    stack.pump.run_until(lambda: False, timeout=0.5)
    for source, event in list(delivered) * 2:
        _handler(source.handler_string)(copy.deepcopy(event), LambdaContext(source.name))
    assert {case_no: _documents(stack, case_no) for case_no in expected} == before


def test_deliveries_of_one_decision_at_once_make_one_document(stack):
    case_no = _apply(stack)
    task = stack.open_task(case_no, "ZWFW", "clerk")
    stack.decide(task["taskId"], "clerk", "refuse", "不符合条件")
    _wait_kinds(stack, case_no, ["refusal_decision"])
    # The case's change to 5 as the stream hands it over, delivered six times at once.
    raw = boto3.client("dynamodb", region_name=REGION).get_item(
        TableName=stack.env["OW_CASES_TABLE"], Key={"pk": {"S": case_no}, "sk": {"S": "META"}},
        ConsistentRead=True)["Item"]
    case = models.decode_image(handlers.image(raw))
    assert case["status"] == 5
    old = {**case, "status": 1}
    existing = [r for r in DocumentRecord.query(case_no) if isinstance(r, DocumentRecord)]
    for record in existing:
        record.delete()
    start = threading.Barrier(6)
    answers = []

    def deliver():
        start.wait()
        answers.append(case_documents.issue_for_change(old, case))
    threads = [threading.Thread(target=deliver) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stored = [r for r in DocumentRecord.query(case_no) if isinstance(r, DocumentRecord)]
    assert len(stored) == 1 and set(answers) == {stored[0].documentId}
    assert stored[0].documentId == existing[0].documentId
    assert document_proof.verify(_signed(stack, case_no, stored[0].documentId),
                                 _keys(stack)).valid


@pytest.mark.parametrize("user", ["company", "wsjk"])
def test_a_flipped_byte_anywhere_fails_offline(stack, user):
    case_no = stack.approve_in_parallel()["caseNo"]
    found = _wait_kinds(stack, case_no, ["acceptance_notice", "approval_decision"])
    signed = _signed(stack, case_no, found[0]["documentId"], user)
    keys = _keys(stack)
    assert document_proof.verify(signed, keys).valid
    raw = json.dumps(signed["document"], ensure_ascii=False)
    for at in range(0, len(raw), max(1, len(raw) // 25)):
        if raw[at] in '{}[]":,\\ ':
            continue
        flipped = raw[:at] + chr(ord(raw[at]) ^ 1) + raw[at + 1:]
        try:
            document = json.loads(flipped)
        except ValueError:
            continue
        if document == signed["document"]:
            continue
        assert not document_proof.verify({**signed, "document": document}, keys).valid, at


def test_the_pdf_reads_back_with_its_text_seal_and_the_qr_code_of_its_status(stack):
    from tests.pdfs import read_pdf
    case_no = _apply(stack)
    task = stack.open_task(case_no, "ZWFW", "clerk")
    stack.decide(task["taskId"], "clerk", "refuse", "经营场所不在本区")
    found = _wait_kinds(stack, case_no, ["refusal_decision"])
    document_id = found[0]["documentId"]
    signed = _signed(stack, case_no, document_id)
    path = f"/cases/{case_no}/documents/{document_id}/print.pdf"
    assert stack.call("GET", path, "company").status_code == 406
    assert stack.call("GET", path, "applicant",
                      headers={"Accept": "application/pdf"}).status_code == 404
    answer = stack.call("GET", path, "company", headers={"Accept": "application/pdf"})
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "application/pdf"
    read = read_pdf(answer.body)
    text = "".join(re.sub(r"\s", "", page) for page in read.pages)
    document = signed["document"]
    for expected in (document["title"], document_id, document["issuer"],
                     *document["paragraphs"]):
        assert re.sub(r"\s", "", expected) in text, expected
    assert case_documents_domain.date_text(document["issueDate"]) in text
    # The seal's appearance: the seal's name, one character at a time around its ring.
    seal_name = document.get("sealName") or document["issuer"]
    assert all(character in text for character in seal_name)
    assert read.fonts and all("NotoSansCJK" in font for font in read.fonts)
    # The QR code opens the document's status: a page for a browser, JSON for a program.
    status_url = f"/documents/{document_id}/status?key={signed['sha256'][:16]}"
    assert len(read.scanned) == 1 and read.scanned[0].endswith(status_url)
    page = stack.call("GET", status_url, headers={"Accept": "text/html"})
    assert page.headers["Content-Type"].startswith("text/html")
    html = page.body.decode()
    assert "有效" in html and document["title"] in html and signed["sha256"] in html
    assert "深圳小吃" not in html and "经营场所不在本区" not in html


def _refused(stack, opinion="经营场所不在本区"):
    case_no = _apply(stack)
    task = stack.open_task(case_no, "ZWFW", "clerk")
    stack.decide(task["taskId"], "clerk", "refuse", opinion)
    return case_no, _wait_kinds(stack, case_no, ["refusal_decision"])[0]["documentId"]


def test_the_department_corrects_a_clerical_error_as_a_new_version(stack):
    case_no, first = _refused(stack, "经营场所不在本区，请向南山区申请")
    base = f"/cases/{case_no}/documents/{first}"
    fix = {"reason": "区名笔误", "corrections": [{"wrong": "南山区", "right": "宝安区"}]}
    # Only the department that issued it (SCJG: the item's implementing department).
    assert stack.call("POST", f"{base}/correct", "company", fix).status_code == 403
    assert stack.call("POST", f"{base}/correct", "wsjk", fix).status_code == 404
    assert stack.call("POST", f"{base}/correct", "clerk", fix).status_code == 403
    missing = stack.call("POST", f"{base}/correct", "scjg", {
        "reason": "笔误", "corrections": [{"wrong": "罗湖区", "right": "宝安区"}]})
    assert missing.status_code == 422 and missing.data["error"]["field"] == \
        "corrections.0.wrong"
    answer = stack.call("POST", f"{base}/correct", "scjg", fix)
    assert answer.status_code == 201, answer.data
    corrected = answer.data
    assert corrected["document"]["documentId"] == f"{first}-1"
    assert corrected["document"]["corrects"] == first
    assert corrected["document"]["correction"]["reason"] == "区名笔误"
    assert "请向宝安区申请" in _text(corrected) and "南山区" not in _text(corrected)
    assert document_proof.verify(corrected, _keys(stack)).valid
    old = _signed(stack, case_no, first)
    assert (old["state"], old["supersededBy"], old["stateReason"]) == (
        "superseded", f"{first}-1", "区名笔误")
    assert "南山区" in _text(old)           # the old version is kept as it was
    assert stack.call("POST", "/documents/verify", None, old).data["reason"] == "superseded"
    status = stack.call("GET", f"/documents/{first}/status?key={old['sha256'][:16]}").data
    assert (status["state"], status["supersededBy"]) == ("superseded", f"{first}-1")
    assert "stateReason" not in status          # the reason is for the applicant
    # The superseded version is not corrected again; the new one is, as -2.
    again = stack.call("POST", f"{base}/correct", "scjg", fix)
    assert again.status_code == 409 and again.data["error"]["code"] == "document_not_valid"
    second = stack.call("POST", f"/cases/{case_no}/documents/{first}-1/correct", "scjg", {
        "reason": "补正标点",
        "corrections": [{"wrong": "宝安区申请", "right": "宝安区市场监管局申请"}]})
    assert second.status_code == 201 and second.data["document"]["documentId"] == f"{first}-2"
    # On the timeline: each version superseded as the next is issued with its hash.
    assert stack.pump.run_until(lambda: [
        (e["action"], (e.get("detail") or {}).get("documentId"))
        for e in stack.case(case_no)["timeline"] if e["action"].startswith("document_")] == [
        ("document_issued", first), ("document_superseded", first),
        ("document_issued", f"{first}-1"), ("document_superseded", f"{first}-1"),
        ("document_issued", f"{first}-2")])
    assert [d["state"] for d in _documents(stack, case_no)] == ["superseded", "superseded",
                                                                 "valid"]


def test_two_corrections_at_once_make_one_version(stack):
    case_no, first = _refused(stack)
    fix = {"reason": "笔误", "corrections": [{"wrong": "本区", "right": "本市"}]}
    start = threading.Barrier(4)
    codes = []

    def correct():
        start.wait()
        codes.append(stack.call("POST", f"/cases/{case_no}/documents/{first}/correct",
                                "scjg", fix).status_code)
    threads = [threading.Thread(target=correct) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(codes) == [201, 409, 409, 409]
    assert [d["documentId"] for d in _documents(stack, case_no)] == [first, f"{first}-1"]


def test_the_applicant_asks_for_a_correction_and_the_department_answers(stack):
    case_no, first = _refused(stack)
    base = f"/cases/{case_no}/documents/{first}"
    ask = {"reason": "决定书中的区名有误"}
    assert stack.call("POST", f"{base}/correction-request", "applicant", ask).status_code \
        == 404
    assert stack.call("POST", f"{base}/correction-request", "scjg", ask).status_code == 403
    asked = stack.call("POST", f"{base}/correction-request", "company", ask)
    assert asked.status_code == 201 and asked.data["correctionRequest"]["state"] == "open"
    twice = stack.call("POST", f"{base}/correction-request", "company", ask)
    assert twice.status_code == 409 and twice.data["error"]["code"] == "correction_requested"
    refused = stack.call("POST", f"{base}/correction-request/refusal", "scjg",
                         {"reason": "原文无误"})
    assert refused.status_code == 200
    assert (refused.data["correctionRequest"]["state"],
            refused.data["correctionRequest"]["answer"]) == ("refused", "原文无误")
    assert _signed(stack, case_no, first)["correctionRequest"]["state"] == "refused"
    # Asked again, then accepted by correcting: the request says by which version.
    assert stack.call("POST", f"{base}/correction-request", "company",
                      ask).status_code == 201
    corrected = stack.call("POST", f"{base}/correct", "scjg", {
        "reason": "区名有误", "corrections": [{"wrong": "本区", "right": "本市"}]})
    assert corrected.status_code == 201
    request = _signed(stack, case_no, first)["correctionRequest"]
    assert (request["state"], request["correctedBy"]) == ("accepted", f"{first}-1")
    late = stack.call("POST", f"{base}/correction-request/refusal", "scjg",
                      {"reason": "晚了"})
    assert late.status_code == 409


def test_a_revocation_annuls_the_approval_and_license_changes_are_written(stack):
    case = stack.approve_in_parallel()
    case_no = case["caseNo"]
    found = _wait_kinds(stack, case_no, ["acceptance_notice", "approval_decision"])
    license_path = f"/licenses/{case['licenseId']}"
    reissued = stack.call("POST", f"{license_path}/reissue", "wsjk", {
        "changes": {"holder": "深圳大吃有限公司"}, "reason": "企业名称变更"})
    assert reissued.status_code == 201
    new_license = reissued.data["license"]["identifier"]
    assert stack.call("POST", f"/licenses/{new_license}/revoke", "wsjk",
                      {"reason": "以欺骗手段取得许可"}).status_code == 200
    kinds = ["acceptance_notice", "approval_decision", "license_reissue_notice",
             "license_revocation_notice"]
    notices = _wait_kinds(stack, case_no, kinds)[2:]
    reissue, revocation = (_signed(stack, case_no, d["documentId"]) for d in notices)
    assert reissue["document"]["title"] == "电子证照换发通知书"
    assert new_license in _text(reissue) and "企业名称变更" in _text(reissue)
    assert revocation["document"]["facts"]["licenseId"] == new_license
    assert "以欺骗手段取得许可" in _text(revocation) and "行政复议" in _text(revocation)
    assert all(document_proof.verify(s, _keys(stack)).valid for s in (reissue, revocation))
    # The supervisor revokes the case: its decision, and the approval annulled.
    stack.call("POST", f"/cases/{case_no}/revoke", "supervisor", {"reason": "虚假材料"})
    _wait_kinds(stack, case_no, [*kinds, "revocation_decision"])
    approval = _signed(stack, case_no, found[1]["documentId"])
    assert approval["state"] == "annulled" and "已被撤销" in approval["stateReason"]
    assert stack.call("POST", "/documents/verify", None,
                      approval).data["reason"] == "annulled"
    assert stack.pump.run_until(lambda: "document_annulled" in [
        e["action"] for e in stack.case(case_no)["timeline"]])


def _accepted(stack):
    case_no = _apply(stack)
    task = stack.open_task(case_no, "ZWFW", "clerk")
    stack.decide(task["taskId"], "clerk", "accept", "受理")
    stack.wait_status(case_no, 8)
    return case_no


def test_a_special_procedure_is_notified_with_its_type_duration_and_the_clock_stopped(stack):
    case_no = _accepted(stack)
    review = stack.open_task(case_no, "SCJG", "scjg")
    started = stack.call("POST", f"/tasks/{review['taskId']}/special-procedure", "scjg",
                         {"type": "inspection", "reason": "需现场核查经营场所"})
    assert started.status_code == 200, started.data
    found = _wait_kinds(stack, case_no, ["acceptance_notice", "special_procedure_notice"])
    notice = _signed(stack, case_no, found[1]["documentId"])
    facts, text = notice["document"]["facts"], _text(notice)
    procedure = stack.case(case_no)["specialProcedures"][0]
    assert (facts["procedure"], facts["procedureType"], facts["reason"]) == (
        "现场勘验", "inspection", "需现场核查经营场所")
    due = clock.local_date(worktime.parse(procedure["dueAt"])).isoformat()
    assert facts["procedureDueBy"] == due and facts["procedureLimit"].endswith("个工作日")
    assert f"现场勘验的期限为{facts['procedureLimit']}" in text
    assert case_documents_domain.date_text(due) in text
    assert "不计算在办理时限内" in text and "第四十五条" in text
    # Its end is a step, not a decision: no document.
    stack.call("POST", f"/tasks/{review['taskId']}/special-procedure/end", "scjg",
               {"result": "合格"})
    stack.wait_status(case_no, 8)
    stack.pump.run_until(lambda: False, timeout=0.5)
    assert _kinds(stack, case_no) == ["acceptance_notice", "special_procedure_notice"]


def test_an_approval_with_materials_to_follow_names_them_and_their_limit(stack):
    case_no = _accepted(stack)
    review = stack.open_task(case_no, "SCJG", "scjg")
    approved = stack.call("POST", f"/tasks/{review['taskId']}/decision", "scjg", {
        "decision": "approve", "opinion": "容缺受理",
        "pendingMaterials": ["食品安全管理制度文本"]})
    assert approved.status_code == 200, approved.data
    case = stack.wait_status(case_no, 12)
    found = _wait_kinds(stack, case_no, ["acceptance_notice", "approval_decision"])
    approval = _signed(stack, case_no, found[1]["documentId"])
    facts, text = approval["document"]["facts"], _text(approval)
    due = clock.local_date(worktime.parse(case["materialsDueBy"])).isoformat()
    assert (facts["pendingMaterials"], facts["materialsDueBy"]) == (
        ["食品安全管理制度文本"], due)
    assert f"应当于{case_documents_domain.date_text(due)}前补交以下材料：1. 食品安全管理制度文本" \
        in text
    # The materials come in (12 -> 11): approved already, no second decision document.
    done = stack.call("POST", f"/cases/{case_no}/supplement", "company", {
        "materials": [{"name": "食品安全管理制度文本",
                       "materialId": stack.upload("company")["materialId"]}]})
    assert done.data["status"] == 11
    stack.pump.run_until(lambda: False, timeout=1)
    assert _kinds(stack, case_no) == ["acceptance_notice", "approval_decision"]


def test_racing_decisions_on_one_task_make_one_decision_and_one_document(stack):
    case_no = _apply(stack)
    task = stack.open_task(case_no, "ZWFW", "clerk")
    decisions = [("accept", "受理"), ("refuse", "不符合条件"), ("accept", "受理"),
                 ("refuse", "不符合条件")]
    start = threading.Barrier(len(decisions))
    answers = []

    def decide(decision, opinion):
        start.wait()
        answers.append(stack.decide(task["taskId"], "clerk", decision, opinion))
    threads = [threading.Thread(target=decide, args=pair) for pair in decisions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    won = [a for a in answers if a.status_code == 200]
    assert len(won) == 1, [a.status_code for a in answers]
    expected = "acceptance_notice" if won[0].data["caseStatus"] == 3 else "refusal_decision"
    _wait_kinds(stack, case_no, [expected])
    stack.pump.run_until(lambda: False, timeout=1)
    assert _kinds(stack, case_no) == [expected]


def test_an_approval_written_after_its_case_was_revoked_is_annulled_at_once(
        stack, delivered):
    """The approval's change replayed late (its document effect had failed; the
    reconciliation replays it after a supervisor revoked the case): its decision is
    written annulled, never valid beside the revocation."""
    case = stack.approve_in_parallel()
    case_no = case["caseNo"]
    found = _wait_kinds(stack, case_no, ["acceptance_notice", "approval_decision"])
    approval_change = next(
        (source, event) for source, event in delivered if source.name == "case_timeline"
        and any((r.get("dynamodb", {}).get("NewImage", {}).get("status") or {}).get("N")
                == "11" for r in event["Records"]))
    DocumentRecord.get(case_no, f"DOC#{found[1]['documentId']}").delete()
    stack.call("POST", f"/cases/{case_no}/revoke", "supervisor", {"reason": "虚假材料"})
    _wait_kinds(stack, case_no, ["acceptance_notice", "revocation_decision"])
    source, event = approval_change
    _handler(source.handler_string)(copy.deepcopy(event), LambdaContext(source.name))
    states = {d["kind"]: d["state"] for d in _documents(stack, case_no)}
    assert states == {"acceptance_notice": "valid", "approval_decision": "annulled",
                      "revocation_decision": "valid"}


def _race(*calls):
    start = threading.Barrier(len(calls))
    answers = [None] * len(calls)

    def run(n, call):
        start.wait()
        answers[n] = call()
    threads = [threading.Thread(target=run, args=(n, call)) for n, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return [answer.status_code for answer in answers]


FIX = {"reason": "笔误", "corrections": [{"wrong": "本区", "right": "本市"}]}


def _request_meets_correction(stack) -> None:
    case_no, first = _refused(stack)
    base = f"/cases/{case_no}/documents/{first}"
    codes = _race(
        lambda: stack.call("POST", f"{base}/correction-request", "company",
                           {"reason": "区名有误"}),
        lambda: stack.call("POST", f"{base}/correct", "scjg", FIX))
    old = _signed(stack, case_no, first)
    if old["state"] == "superseded":
        # Corrected: a request the correction had not seen was refused (it came too
        # late), or it made the correction start again (409).
        assert (old.get("correctionRequest") or {}).get("state") != "open", (codes, old)
    else:
        assert codes[1] == 409 and old["correctionRequest"]["state"] == "open"


def _refusal_meets_correction(stack) -> None:
    case_no, first = _refused(stack)
    base = f"/cases/{case_no}/documents/{first}"
    ask = {"reason": "有误"}
    assert sorted(_race(
        lambda: stack.call("POST", f"{base}/correction-request", "company", ask),
        lambda: stack.call("POST", f"{base}/correction-request", "company", ask))) \
        == [201, 409]
    codes = _race(
        lambda: stack.call("POST", f"{base}/correction-request/refusal", "scjg",
                           {"reason": "无误"}),
        lambda: stack.call("POST", f"{base}/correct", "scjg", FIX))
    request = _signed(stack, case_no, first)["correctionRequest"]
    # Refused first: the correction that read the open request starts again (409), or
    # came after it and corrects on the department's own account; corrected first: the
    # request was accepted by it, and the refusal finds none open.
    if codes[0] == 200:
        assert request["state"] == "refused" and codes[1] in (201, 409), codes
    else:
        assert codes == [409, 201] and request["state"] == "accepted", (codes, request)


def test_a_request_a_refusal_and_a_correction_at_once_never_leave_a_request_open(stack):
    """Two requests at once: one is taken; a request and a correction, or a refusal and a
    correction, at once: never a superseded document with its request still open, never a
    request both refused and accepted."""
    for _ in range(3):
        _request_meets_correction(stack)
        _refusal_meets_correction(stack)
