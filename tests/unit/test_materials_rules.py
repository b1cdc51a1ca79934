"""The materials rules, without AWS: identity, keys, the stored-vs-declared check, reuse
and replacement by a license (免提交)."""
import base64
import hashlib
from datetime import UTC, datetime, timedelta

from chalicelib.domain import materials as rules

SHA = hashlib.sha256(b"file").hexdigest()
NOW = datetime(2026, 11, 25, 10, tzinfo=UTC)
LICENSE_SPEC = {"name": "营业执照", "replacedBy": [
    {"licenseType": "11100000MB0143028R002", "trustLevels": ["A"]}]}


def test_one_file_of_one_owner_is_one_material():
    assert rules.material_id("owner-a", SHA) == rules.material_id("owner-a", SHA)
    assert rules.material_id("owner-a", SHA) != rules.material_id("owner-b", SHA)
    assert rules.material_id("owner-a", SHA) != rules.material_id("owner-a", "0" * 64)
    identifier = rules.material_id("owner-a", SHA)
    assert rules.id_of_key(rules.object_key(identifier)) == identifier


def test_only_material_keys_name_a_material():
    assert rules.id_of_key("materials/Mzz") is None
    assert rules.id_of_key("other/" + rules.material_id("o", SHA)) is None
    assert rules.id_of_key("materials/" + "M" + "A" * 32) is None  # uppercase hex


def test_checksum_is_the_base64_of_the_digest():
    assert rules.checksum_base64(SHA) == base64.b64encode(
        hashlib.sha256(b"file").digest()).decode()


def test_what_was_stored_must_be_what_was_declared():
    declared = {"size": 4, "contentType": "application/pdf", "sha256": SHA}
    assert rules.mismatch(declared, dict(declared)) is None
    assert "5 bytes" in rules.mismatch(declared, {**declared, "size": 5})
    assert "image/png" in rules.mismatch(declared, {**declared, "contentType": "image/png"})
    assert "SHA-256" in rules.mismatch(declared, {**declared, "sha256": "0" * 64})


def test_reuse_follows_the_item_versions_rule():
    recent, old = (NOW - timedelta(days=10)).isoformat(), (NOW - timedelta(days=200)).isoformat()
    anytime, never, half_year = ({"name": "照片"}, {"name": "照片", "reusableForDays": 0},
                                 {"name": "照片", "reusableForDays": 180})
    assert rules.reuse_refused(anytime, old, True, NOW) is None
    assert rules.reuse_refused(never, recent, False, NOW) is None   # first use
    assert "anew" in rules.reuse_refused(never, recent, True, NOW)
    assert rules.reuse_refused(half_year, recent, True, NOW) is None
    assert "180 days" in rules.reuse_refused(half_year, old, True, NOW)


def test_a_license_replaces_a_material_only_of_its_type_and_trust_level():
    assert rules.replacement_refused(LICENSE_SPEC, "11100000MB0143028R002", "A") is None
    assert "trust level A" in rules.replacement_refused(
        LICENSE_SPEC, "11100000MB0143028R002", "B")
    assert "cannot be replaced" in rules.replacement_refused(
        LICENSE_SPEC, "11100000MB0142836T001", "A")
    assert "accepted: none" in rules.replacement_refused(
        {"name": "申请表"}, "11100000MB0143028R002", "A")


def test_online_applications_name_every_mandatory_electronic_material_where_the_version_says():
    item = {"completeAtSubmission": True, "materials": [
        {"name": "申请书", "mandatory": True, "form": "electronic"},
        {"name": "营业执照", "mandatory": True, "form": "both"},
        {"name": "原件", "mandatory": True, "form": "paper"},        # handed over, not uploaded
        {"name": "补充说明", "mandatory": False, "form": "electronic"}]}
    assert rules.missing_at_submission(item, set(), "web") == ["申请书", "营业执照"]
    assert rules.missing_at_submission(item, {"营业执照"}, "miniprogram") == ["申请书"]
    assert rules.missing_at_submission(item, {"申请书", "营业执照"}, "api") == []
    assert rules.missing_at_submission(item, set(), "counter") == []     # the clerk checks
    assert rules.missing_at_submission({**item, "completeAtSubmission": False}, set(),
                                       "web") == []


def test_the_bytes_must_be_what_the_declared_type_says():
    assert rules.content_mismatch("application/pdf", b"%PDF-1.7\n") is None
    assert rules.content_mismatch("application/pdf", b"\xef\xbb\xbf junk %PDF-1.4") is None
    assert "Windows executable" in rules.content_mismatch("application/pdf", b"MZ\x90\x00")
    assert rules.content_mismatch("application/pdf", b" " * 1100 + b"%PDF-1.7")
    assert rules.content_mismatch("image/png", b"\x89PNG\r\n\x1a\n\x00") is None
    assert rules.content_mismatch("image/png", b"\xff\xd8\xff\xe0")
    assert rules.content_mismatch("image/jpeg", b"\xff\xd8\xff\xdb") is None
    assert rules.content_mismatch("image/jpeg", b"GIF89a")
    zipped = b"PK\x03\x04rest"
    assert rules.content_mismatch("application/ofd", zipped, lambda: ["OFD.xml"]) is None
    assert rules.content_mismatch("application/ofd", zipped, lambda: ["Doc_0/OFD.xml"])
    assert "readable ZIP" in rules.content_mismatch("application/ofd", zipped, lambda: None)
    assert rules.content_mismatch("application/ofd", b"%PDF-1.7", lambda: ["OFD.xml"])
    assert rules.content_mismatch("text/html", b"<html>")
