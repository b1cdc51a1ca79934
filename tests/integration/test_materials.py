"""Materials (申请材料) end to end on moto: declared, uploaded straight to the bucket with
the presigned form, checked when the bucket's notice arrives, listed for their owner,
named by id in an application — and a license named in place of one (免提交)."""
import hashlib
import json
from concurrent.futures import ThreadPoolExecutor

import boto3
import requests

from chalicelib.services import materials

from .harness import FOOD, REGION, another, application, license_and_material_uses

USCC = application(FOOD)["applicant"]["idNumber"]   # the company's
PLAN = "经营场所平面图和设备布局图"
BUSINESS_LICENSE = "营业执照"


def _declare(stack, user: str, data: bytes, **extra):
    return stack.call("POST", "/materials", user, {
        "name": "plan.pdf", "contentType": "application/pdf", "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(), **extra})


def _post(form: dict, data: bytes, content_type: str = "application/pdf"):
    return requests.post(form["url"], data=form["fields"],
                         files={"file": ("plan.pdf", data, content_type)})


def _versions(stack, identifier: str) -> list[dict]:
    return boto3.client("s3", region_name=REGION).list_object_versions(
        Bucket=stack.env["OW_MATERIALS_BUCKET"], Prefix=f"materials/{identifier}"
    ).get("Versions", [])


def test_a_material_is_uploaded_to_the_bucket_checked_and_listed_for_its_owner(stack):
    data = b"%PDF-1.7 floor plan"
    declared = _declare(stack, "company", data, material=PLAN)
    assert declared.status_code == 201 and declared.data["state"] == "pending"
    form = declared.data["upload"]
    # The form binds the file: its key, type, exact size and SHA-256; encrypted at rest.
    policy = json.loads(__import__("base64").b64decode(form["fields"]["policy"]))
    assert ["content-length-range", len(data), len(data)] in policy["conditions"]
    assert {"x-amz-checksum-sha256": materials.rules.checksum_base64(
        hashlib.sha256(data).hexdigest())} in policy["conditions"]
    assert {"x-amz-server-side-encryption": "AES256"} in policy["conditions"]
    assert form["fields"]["key"] == f"materials/{declared.data['materialId']}"

    assert _post(form, data).status_code == 204
    identifier = declared.data["materialId"]
    assert stack.pump.run_until(lambda: stack.material("company", identifier)["state"]
                                == "stored")
    material = stack.material("company", identifier)
    assert (material["size"], material["material"], material["contentType"]) == (
        len(data), PLAN, "application/pdf")
    # Its owner (and the owner's agent) list it and fetch it; nobody else sees it.
    mine = stack.call("GET", "/me/materials", "company").data["materials"]
    assert [m["materialId"] for m in mine] == [identifier]
    assert stack.call("GET", f"/me/materials?for={USCC}", "agent").data["materials"] == mine
    link = stack.call("GET", f"/materials/{identifier}/download", "agent").data["url"]
    assert requests.get(link).content == data
    for stranger in ("lisi", "scjg"):
        assert stack.call("GET", f"/materials/{identifier}", stranger).status_code == 404
        assert stack.call("GET", f"/materials/{identifier}/download?purpose=x",
                          stranger).status_code == 404
    # The same file again is the same material: nothing more to upload.
    again = _declare(stack, "company", data)
    assert (again.status_code, again.data["materialId"], "upload" in again.data) == (
        200, identifier, False)


def test_a_file_other_than_declared_is_rejected_and_deleted(stack):
    declared = _declare(stack, "company", b"%PDF-1.7 the declared file")
    identifier = declared.data["materialId"]
    # moto's S3 does not enforce the form's checksum (AWS does): our check must.
    assert _post(declared.data["upload"], b"%PDF-1.7 another file!!!!").status_code == 204
    assert stack.pump.run_until(lambda: stack.material("company", identifier)["state"]
                                == "rejected")
    material = stack.material("company", identifier)
    assert material["reason"] == "the file has 25 bytes, 26 were declared"
    assert _versions(stack, identifier) == []
    # The bucket's notice delivered again finds the object gone and changes nothing.
    assert materials.arrived(f"materials/{identifier}") == "gone"
    assert stack.material("company", identifier)["state"] == "rejected"
    # Declared again, it gets a fresh form; the right file is then stored.
    retry = _declare(stack, "company", b"%PDF-1.7 the declared file")
    assert retry.status_code == 200 and retry.data["state"] == "pending"
    assert _post(retry.data["upload"], b"%PDF-1.7 the declared file").status_code == 204
    assert stack.pump.run_until(lambda: stack.material("company", identifier)["state"]
                                == "stored")
    assert "reason" not in stack.material("company", identifier)


def test_wrong_type_or_bad_declarations_are_refused(stack):
    data = b"%PDF-1.7"
    declared = _declare(stack, "company", data)
    # A client that changes the form's type (AWS refuses it by the form's policy).
    form = declared.data["upload"]
    form = {**form, "fields": {**form["fields"], "Content-Type": "image/png"}}
    assert _post(form, data, "image/png").status_code == 204
    identifier = declared.data["materialId"]
    assert stack.pump.run_until(lambda: stack.material("company", identifier)["state"]
                                == "rejected")
    assert "image/png" in stack.material("company", identifier)["reason"]
    for body, field in (({"contentType": "text/html"}, "contentType"),
                        ({"size": 20 * 1024 * 1024 + 1}, "size"),
                        ({"sha256": "XYZ"}, "sha256")):
        refused = stack.call("POST", "/materials", "company", {
            "name": "a.pdf", "contentType": "application/pdf", "size": 1,
            "sha256": "0" * 64, **body})
        assert (refused.status_code, refused.data["error"]["field"]) == (400, field)
    assert stack.call("POST", "/materials", "agent", {
        "name": "a.pdf", "contentType": "application/pdf", "size": 1, "sha256": "0" * 64,
        "holder": "91440300MA5FXK7Q3U"}).status_code in (400, 403)
    assert stack.call("POST", "/materials", "scjg", {
        "name": "a.pdf", "contentType": "application/pdf", "size": 1,
        "sha256": "0" * 64}).status_code == 403
    assert len(stack.call("GET", "/me/materials", "company").data["materials"]) == 1


def test_concurrent_declarations_and_repeated_notices_make_one_material(stack):
    data = b"%PDF-1.7 once"
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda _: _declare(stack, "company", data), range(8)))
    assert {a.status_code for a in answers} <= {200, 201}
    assert len({a.data["materialId"] for a in answers}) == 1
    assert sum(a.status_code == 201 for a in answers) == 1
    identifier = answers[0].data["materialId"]
    # Two uploads with the same form, and the bucket's notice delivered twice over.
    assert _post(answers[0].data["upload"], data).status_code == 204
    assert stack.pump.run_until(lambda: stack.material("company", identifier)["state"]
                                == "stored")
    stored = stack.material("company", identifier)
    key = f"materials/{identifier}"
    assert materials.arrived(key) == "duplicate"
    assert _post(answers[1].data["upload"], data).status_code == 204
    stack.pump.run_until(lambda: len(_versions(stack, identifier)) == 1)
    assert [v["IsLatest"] for v in _versions(stack, identifier)] == [True]
    assert stack.material("company", identifier) == stored
    assert len(stack.call("GET", "/me/materials", "company").data["materials"]) == 1


def test_an_application_names_uploads_by_id(stack):
    plan = stack.upload("company", b"%PDF-1.7 plan", material=PLAN)["materialId"]
    rules = stack.upload("agent", b"%PDF-1.7 rules", holder=USCC)["materialId"]
    body = application(FOOD, materials=[{"name": PLAN, "materialId": plan},
                                        {"name": "食品安全管理制度文本", "materialId": rules}])
    created = stack.call("POST", "/cases", "company", body)
    assert created.status_code == 201, created.data
    case_no = created.data["caseNo"]
    case = stack.case(case_no)
    assert [(m["name"], m["materialId"], m["sha256"]) for m in case["materials"]] == [
        (PLAN, plan, hashlib.sha256(b"%PDF-1.7 plan").hexdigest()),
        ("食品安全管理制度文本", rules, hashlib.sha256(b"%PDF-1.7 rules").hexdigest())]
    assert stack.material("company", plan)["usedIn"] == [case_no]
    # Reused in a second application (the version sets no limit): listed there too.
    second = stack.call("POST", "/cases", "company", another(
        FOOD, materials=[{"name": PLAN, "materialId": plan}])).data["caseNo"]
    assert stack.material("company", plan)["usedIn"] == [case_no, second]
    # The accepting clerk opens the file with a purpose; the owner's log shows it.
    stack.open_task(case_no, "ZWFW", "clerk")
    assert stack.call("GET", f"/materials/{plan}/download", "clerk").status_code == 422
    opened = stack.call("GET", f"/materials/{plan}/download?purpose=受理审查", "clerk")
    assert requests.get(opened.data["url"]).content == b"%PDF-1.7 plan"
    log = license_and_material_uses(
        stack.call("GET", "/me/access-log", "company").data["entries"])
    assert [(e["action"], e["materialId"], e["caseNo"], e["purpose"]) for e in log] == [
        ("view", plan, case_no, "受理审查")]


def test_an_application_refuses_materials_that_are_not_the_applicants_or_not_ready(stack):
    theirs = stack.upload("lisi", b"%PDF-1.7 lisi")["materialId"]
    pending = _declare(stack, "company", b"%PDF-1.7 never sent").data["materialId"]
    other = stack.upload("company", b"%PDF-1.7 rules", material="食品安全管理制度文本")
    # What the document states (exactly one of the three) is a 400; what it cannot (whose
    # upload, its state, the item's materials) a 422.
    for ref, field, status in (
            ({"name": PLAN, "materialId": theirs}, "materials.0.materialId", 422),
            ({"name": PLAN, "materialId": pending}, "materials.0.materialId", 422),
            ({"name": PLAN, "materialId": other["materialId"]}, "materials.0.materialId",
             422),
            ({"name": "不存在的材料", "materialId": theirs}, "materials.0.name", 422),
            ({"name": PLAN}, "materials.0", 400),
            ({"name": PLAN, "materialId": theirs, "licenseId": "x"}, "materials.0", 400)):
        refused = stack.call("POST", "/cases", "company", application(FOOD, materials=[ref]))
        assert (refused.status_code, refused.data["error"]["field"]) == (status, field), ref
    assert stack.call("GET", "/me/cases", "company").data["cases"] == []


def test_an_upload_the_version_lets_be_used_once_is_not_reused(stack):
    owner = stack.material("company", stack.upload("company")["materialId"])
    from chalicelib.adapters.models import MaterialRecord
    record = MaterialRecord.get(owner["materialId"])
    once = {"name": PLAN, "reusableForDays": 0}
    assert materials.uploaded(record.materialId, once, record.owner, "f")[1] is False
    materials.mark_used(record.materialId, "44030020261125000001")
    materials.mark_used(record.materialId, "44030020261125000001")   # a retry: once
    assert MaterialRecord.get(record.materialId).usedIn == ["44030020261125000001"]
    try:
        materials.uploaded(record.materialId, once, record.owner, "f")
    except materials.UnprocessableEntity as refused:
        assert "anew" in refused.message and refused.field == "f"
    else:
        raise AssertionError("a used upload was taken again")


def test_a_license_stands_in_for_a_material_verified_and_logged(stack):
    license_id = stack.business_license()
    body = application(FOOD, materials=[{"name": BUSINESS_LICENSE, "licenseId": license_id}])
    created = stack.call("POST", "/cases", "agent", body)
    assert created.status_code == 201, created.data
    case_no = created.data["caseNo"]
    named = stack.case(case_no, "supervisor")["materials"]
    assert len(named) == 1 and named[0]["name"] == BUSINESS_LICENSE
    assert {k: named[0]["license"][k] for k in ("identifier", "trustLevel", "verified",
                                                "area")} == {
        "identifier": license_id, "trustLevel": "A", "verified": True, "area": "440300"}
    log = license_and_material_uses(
        stack.call("GET", "/me/access-log", "company").data["entries"])
    assert [(e["action"], e["licenseId"], e["caseNo"], e["by"], e["organisation"])
            for e in log] == [("use", license_id, case_no, "person:chen-dai", "SCJG")]
    # Not for a material the version does not let it replace, not another's, not revoked.
    wrong = stack.call("POST", "/cases", "company", application(
        FOOD, materials=[{"name": PLAN, "licenseId": license_id}]))
    assert (wrong.status_code, wrong.data["error"]["field"]) == (
        422, "materials.0.licenseId")
    not_theirs = stack.call("POST", "/cases", "lisi", application(
        FOOD, applicant={"type": "legal", "name": "别的公司", "idNumber": "91440300MA5FXK7Q3T"},
        materials=[{"name": BUSINESS_LICENSE, "licenseId": license_id}]))
    assert not_theirs.status_code == 403
    stack.call("POST", f"/licenses/{license_id}/revoke", "scjg", {"reason": "吊销"})
    revoked = stack.call("POST", "/cases", "company", body)
    assert (revoked.status_code, revoked.data["error"]["code"]) == (422, "license_not_valid")
    # The signed license itself, as another region would be given it, is checked the
    # same way: this region's library says it is revoked.
    signed = stack.call("GET", f"/licenses/{license_id}", "company").data
    as_signed = stack.call("POST", "/cases", "company", application(FOOD, materials=[
        {"name": BUSINESS_LICENSE, "license": {"license": signed["license"],
                                               "signature": signed["signature"]}}]))
    assert (as_signed.status_code, as_signed.data["error"]["field"]) == (
        422, "materials.0.license")


def test_uses_a_dying_function_left_unrecorded_come_from_the_cases_stream_once(
        stack, delivered, monkeypatch):
    """The function writes the case, then dies before the uses: the upload's usedIn and
    the license's use are recorded from the cases stream. The request's own record and
    the stream's, and the stream's delivered again, are one entry."""
    from .test_redelivery import _replay
    license_id = stack.business_license()
    plan = stack.upload("company", b"%PDF-1.7 plan for a crash", material=PLAN)["materialId"]
    real, calls = materials.record_uses, []

    def dies_the_first_time(*args, **kwargs):
        calls.append(args[2])
        if len(calls) == 1:
            raise RuntimeError("the function died after writing the case")
        return real(*args, **kwargs)
    monkeypatch.setattr(materials, "record_uses", dies_the_first_time)
    body = application(FOOD, materials=[{"name": BUSINESS_LICENSE, "licenseId": license_id},
                                        {"name": PLAN, "materialId": plan}])
    assert stack.call("POST", "/cases", "company", body).status_code == 500
    case_no = calls[0]
    assert stack.case(case_no)["status"] == 1          # the case was written
    assert "usedIn" not in stack.material("company", plan)

    def uses() -> list:
        return [(e["action"], e["licenseId"], e["caseNo"]) for e in license_and_material_uses(
            stack.call("GET", "/me/access-log", "company").data["entries"])]
    assert stack.pump.run_until(lambda: stack.material("company", plan).get("usedIn")
                                == [case_no] and uses())
    assert uses() == [("use", license_id, case_no)]
    # A normal application: the request records the uses, the stream again; one each.
    monkeypatch.setattr(materials, "record_uses", real)
    second = stack.call("POST", "/cases", "company", {**body, "form": another(FOOD)["form"]}
                        ).data["caseNo"]
    stack.pump.run_until(lambda: False, timeout=1)
    _replay(delivered)
    assert uses() == [("use", license_id, second), ("use", license_id, case_no)]
    assert stack.material("company", plan)["usedIn"] == [case_no, second]


def _tag(stack, identifier: str, version_id: str | None = None) -> dict:
    extra = {"VersionId": version_id} if version_id else {}
    found = boto3.client("s3", region_name=REGION).get_object_tagging(
        Bucket=stack.env["OW_MATERIALS_BUCKET"], Key=f"materials/{identifier}", **extra)
    return {t["Key"]: t["Value"] for t in found["TagSet"]}


def test_an_upload_no_case_names_expires_and_one_a_case_names_is_kept(stack, monkeypatch):
    from datetime import datetime, timedelta

    from chalicelib.domain import materials as rules
    from chalicelib.services import clock
    kept_bytes, idle_bytes = b"%PDF-1.7 plan, named", b"%PDF-1.7 plan, never named"
    kept = stack.upload("company", kept_bytes, material=PLAN)
    idle = stack.upload("company", idle_bytes, material=PLAN)
    term = datetime.fromisoformat(idle["createdAt"]) + timedelta(days=rules.UNUSED_DAYS)
    assert abs(datetime.fromisoformat(idle["expiresAt"]) - term) < timedelta(seconds=1)
    assert _tag(stack, idle["materialId"]) == {rules.USE_TAG: "unused"}
    # Named in cases at once: each case listed once, the object tagged used, no term.
    with ThreadPoolExecutor(4) as pool:
        created = list(pool.map(lambda n: stack.call("POST", "/cases", "company", another(
            FOOD, n, materials=[{"name": PLAN, "materialId": kept["materialId"]}])), range(4)))
    assert [c.status_code for c in created] == [201] * 4
    named = stack.material("company", kept["materialId"])
    assert sorted(named["usedIn"]) == sorted(c.data["caseNo"] for c in created)
    assert "expiresAt" not in named
    assert _tag(stack, kept["materialId"]) == {rules.USE_TAG: "used"}
    stack.pump.run_until(lambda: False, timeout=0.5)   # the stream records them again
    assert len(stack.material("company", kept["materialId"])["usedIn"]) == 4
    # Past its term the idle one is gone for the API (before TTL and lifecycle delete it).
    later = clock.now() + timedelta(days=rules.UNUSED_DAYS, minutes=1)
    monkeypatch.setattr(clock, "now", lambda: later)
    assert stack.material("company", idle["materialId"])["state"] == "expired"
    assert stack.call("GET", f"/materials/{idle['materialId']}/download",
                      "company").status_code == 404
    refused = stack.call("POST", "/cases", "company", application(
        FOOD, materials=[{"name": PLAN, "materialId": idle["materialId"]}]))
    assert (refused.status_code, refused.data["error"]["field"]) == (
        422, "materials.0.materialId")
    assert stack.material("company", kept["materialId"])["state"] == "stored"
    assert stack.call("GET", f"/materials/{kept['materialId']}/download",
                      "company").status_code == 200
    # The same file declared again is a fresh upload with a fresh term.
    again = stack.upload("company", idle_bytes, material=PLAN)
    assert (again["materialId"], again["state"]) == (idle["materialId"], "stored")
    assert datetime.fromisoformat(again["expiresAt"]) > later + timedelta(days=29)


def test_the_bucket_deletes_unused_uploads_at_the_term_the_api_keeps(stack):
    """The lifecycle rule and the table's TTL are the template's, applied to the local
    bucket as to a deployment, with the term and the tag the code uses."""
    from chalicelib.domain import materials as rules
    from infra.template import render
    template = render()["Resources"]
    rule = next(r for r in template["MaterialsBucket"]["Properties"][
        "LifecycleConfiguration"]["Rules"] if r["Id"] == "ExpireUnusedUploads")
    assert (rule["TagFilters"], rule["ExpirationInDays"]) == (
        [{"Key": rules.USE_TAG, "Value": "unused"}], rules.UNUSED_DAYS)
    assert template["MaterialsTable"]["Properties"]["TimeToLiveSpecification"] == {
        "AttributeName": "expiresAt", "Enabled": True}
    applied = boto3.client("s3", region_name=REGION).get_bucket_lifecycle_configuration(
        Bucket=stack.env["OW_MATERIALS_BUCKET"])["Rules"]
    local = next(r for r in applied if r["ID"] == "ExpireUnusedUploads")
    assert local["Filter"]["And"]["Tags"] == [{"Key": rules.USE_TAG, "Value": "unused"}]
    assert local["Expiration"]["Days"] == rules.UNUSED_DAYS


def test_a_late_unused_tag_of_a_notice_delivered_twice_never_outlives_a_use(
        stack, monkeypatch):
    """Two deliveries of one bucket notice: while the first is tagging the object unused,
    the second stores the material and a case names it; the first's tag lands last. The
    object still ends tagged used: the bucket will not delete what a case names."""
    from chalicelib.adapters import storage
    from chalicelib.domain import materials as rules
    identifier = stack.upload("company", b"%PDF-1.7 twice noticed", material=PLAN,
                              wait=False)["materialId"]
    key = f"materials/{identifier}"
    version = _versions(stack, identifier)[0]["VersionId"]
    real_tag, meanwhile = storage.tag, []

    def lands_late(k, version_id, name, value):
        if value == "unused" and not meanwhile:
            meanwhile.append("the other delivery")
            meanwhile.append(materials.arrived(k, version_id))
            meanwhile.append(stack.call("POST", "/cases", "company", application(
                FOOD, materials=[{"name": PLAN, "materialId": identifier}])).status_code)
        real_tag(k, version_id, name, value)
    monkeypatch.setattr(storage, "tag", lands_late)
    assert materials.arrived(key, version) == "duplicate"
    assert meanwhile == ["the other delivery", "stored", 201]
    assert _tag(stack, identifier, version) == {rules.USE_TAG: "used"}


def test_an_upload_whose_record_expired_before_its_notice_came_is_deleted(stack):
    """A notice back from the dead-letter queue after the table's TTL deleted the record:
    the bytes go too (twice delivered, the second finds them gone)."""
    from chalicelib.adapters.models import MaterialRecord
    identifier = stack.upload("company", b"%PDF-1.7 noticed too late", material=PLAN,
                              wait=False)["materialId"]
    version = _versions(stack, identifier)[0]["VersionId"]
    MaterialRecord(identifier).delete()                   # as DynamoDB's TTL would
    key = f"materials/{identifier}"
    assert materials.arrived(key, version) == "orphan"
    assert _versions(stack, identifier) == []
    assert materials.arrived(key, version) == "gone"


def test_a_version_that_wants_materials_complete_refuses_an_online_application_without(
        stack):
    import copy

    from infra.local import demo
    first = stack.call("POST", "/cases", "company", application(FOOD),
                       headers={"Idempotency-Key": "before-v2"})
    assert first.status_code == 201
    stack.call("POST", f"/admin/items/{FOOD}/versions", "admin", {"reason": "网上申报须齐全"})
    v2 = copy.deepcopy(next(i for i in demo.items() if i["baseCode"] == "000201012000"))
    v2["completeAtSubmission"] = True
    assert stack.call("PUT", f"/admin/items/{FOOD}/versions/2", "admin",
                      {"item": v2, "reason": "网上申报须齐全"}).status_code == 200
    assert stack.call("POST", f"/admin/items/{FOOD}/versions/2/publish", "admin",
                      {"reason": "发布"}).status_code == 200
    mandatory = [m["name"] for m in v2["materials"] if m["mandatory"]]
    # A retry of the request made under v1 answers as it did, not by v2's rule.
    retried = stack.call("POST", "/cases", "company", application(FOOD),
                         headers={"Idempotency-Key": "before-v2"})
    assert (retried.status_code, retried.data["caseNo"]) == (201, first.data["caseNo"])
    assert retried.headers.get("Idempotent-Replayed") == "true"
    refused = stack.call("POST", "/cases", "company", application(FOOD))
    assert (refused.status_code, refused.data["error"]["field"]) == (422, "materials")
    assert all(name in refused.data["error"]["detail"] for name in mandatory)
    # Complete, with a license in place of the 营业执照 copy: accepted under v2.
    named = [{"name": BUSINESS_LICENSE, "licenseId": stack.business_license()}] + [
        {"name": name, "materialId": stack.upload(
            "company", f"%PDF-1.7 {name}".encode(), material=name)["materialId"]}
        for name in mandatory if name != BUSINESS_LICENSE]
    complete = stack.call("POST", "/cases", "company", another(FOOD, 1, materials=named))
    assert complete.status_code == 201, complete.data
    assert stack.case(complete.data["caseNo"])["itemVersion"] == 2
    # One short is refused, naming what is missing; at the counter the clerk checks.
    short = stack.call("POST", "/cases", "company", application(FOOD, materials=named[1:]))
    assert short.status_code == 422 and BUSINESS_LICENSE in short.data["error"]["detail"]
    counter = stack.call("POST", "/cases", "clerk", {**another(FOOD, 2), "channel": "counter"})
    assert counter.status_code == 201, counter.data


def _ofd(entries: dict[str, bytes]) -> bytes:
    import io
    import zipfile
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_an_upload_is_checked_for_what_it_is_not_only_what_it_was_declared(stack):
    import io

    import segno
    from fpdf import FPDF
    pdf = FPDF()
    pdf.add_page()
    real_pdf = bytes(pdf.output())
    png = io.BytesIO()
    segno.make("平面图").save(png, kind="png")
    ofd = _ofd({"OFD.xml": b"<ofd:OFD xmlns:ofd='http://www.ofdspec.org/2016'/>",
                "Doc_0/Document.xml": b"<ofd:Document/>"})
    for data, name, kind in ((real_pdf, "plan.pdf", "application/pdf"),
                             (png.getvalue(), "plan.png", "image/png"),
                             (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00 photo", "p.jpg", "image/jpeg"),
                             (ofd, "plan.ofd", "application/ofd")):
        assert stack.upload("company", data, name=name, content_type=kind)["state"] == \
            "stored", kind
    # A Windows executable declared as a PDF: rejected, its bytes deleted.
    exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200
    for data, name, kind, why in (
            (exe, "plan.pdf", "application/pdf", "Windows executable"),
            (b"%PDF-1.7 not a picture", "plan.png", "image/png", "not image/png"),
            (_ofd({"word/document.xml": b"<w/>"}), "plan.ofd", "application/ofd",
             "not application/ofd"),
            (b"PK\x03\x04 a broken zip", "plan.ofd", "application/ofd", "not a readable ZIP")):
        material = stack.upload("company", data, name=name, content_type=kind)
        assert material["state"] == "rejected" and why in material["reason"], (kind, material)
        assert _versions(stack, material["materialId"]) == []


def flag_eicar(bucket: str, key: str, version_id: str | None, content_type: str):
    """A stand-in malware scanner (OW_MATERIAL_SCANNER): the EICAR test string."""
    body = boto3.client("s3", region_name=REGION).get_object(
        Bucket=bucket, Key=key, **({"VersionId": version_id} if version_id else {}))
    return "EICAR test file found" if b"EICAR-STANDARD" in body["Body"].read() else None


def test_the_configured_malware_scanner_sees_every_upload_before_it_is_stored(
        stack, monkeypatch):
    from chalicelib import config
    monkeypatch.setenv("OW_MATERIAL_SCANNER", f"{__name__}:flag_eicar")
    config.reset()
    try:
        infected = stack.upload("company", b"%PDF-1.7 EICAR-STANDARD-ANTIVIRUS-TEST-FILE")
        assert (infected["state"], infected["reason"]) == ("rejected", "EICAR test file found")
        assert _versions(stack, infected["materialId"]) == []
        assert stack.upload("company", b"%PDF-1.7 clean")["state"] == "stored"
    finally:
        monkeypatch.undo()
        config.reset()


def test_a_clerk_records_the_materials_checked_at_the_counter_and_nobody_else_can(stack):
    # At the counter the applicant hands the papers over: the clerk says, per material, that
    # the original was checked or a paper copy kept, and the case keeps that word.
    checked = [{"name": "食品经营许可申请书", "checkedAtCounter": "original"},
               {"name": BUSINESS_LICENSE, "checkedAtCounter": "copy"}]
    body = {**another(FOOD, 7, materials=checked), "channel": "counter"}
    created = stack.call("POST", "/cases", "clerk", body)
    assert created.status_code == 201, created.data
    case = stack.case(created.data["caseNo"])
    assert case["materials"] == [{"name": "食品经营许可申请书", "checkedAtCounter": "original"},
                                 {"name": BUSINESS_LICENSE, "checkedAtCounter": "copy"}]
    # The owner reads it as staff do.
    assert stack.case(created.data["caseNo"], "company")["materials"] == case["materials"]

    def numbers():
        return {c["caseNo"] for c in stack.call("GET", "/me/cases?limit=100", "company")
                .data["cases"]}
    license_id = stack.business_license()   # (a case of its own, concluded)
    before = numbers()
    # An applicant online cannot say a material was checked at a counter.
    online = stack.call("POST", "/cases", "company", another(FOOD, 8, materials=checked[:1]))
    assert (online.status_code, online.data["error"]["code"], online.data["error"]["field"]) \
        == (422, "material_not_accepted", "materials.0.checkedAtCounter")
    # Nor does the clerk name a material the item does not ask for, or one two ways.
    unknown = stack.call("POST", "/cases", "clerk", {**another(FOOD, 9, materials=[
        {"name": "户口本", "checkedAtCounter": "original"}]), "channel": "counter"})
    assert (unknown.status_code, unknown.data["error"]["field"]) == (422, "materials.0.name")
    both = stack.call("POST", "/cases", "clerk", {**another(FOOD, 10, materials=[
        {"name": BUSINESS_LICENSE, "checkedAtCounter": "copy",
         "licenseId": license_id}]), "channel": "counter"})
    assert both.status_code == 400 and both.data["error"]["field"].startswith("materials.0")
    unheard = stack.call("POST", "/cases", "clerk", {**another(FOOD, 11, materials=[
        {"name": BUSINESS_LICENSE, "checkedAtCounter": "seen"}]), "channel": "counter"})
    assert (unheard.status_code, unheard.data["error"]["field"]) == (
        400, "materials.0.checkedAtCounter")
    assert numbers() == before
