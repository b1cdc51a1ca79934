"""The license use cases' rules on the in-memory library (tests/fakes/license_library.py):
who changes a license, which state changes are allowed, what is written with them, what a
change that lost a race is told, a case's revocation, verification. No AWS."""
import base64
from datetime import date

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from chalicelib.adapters.models import LicenseChangeRecord, LicenseRecord
from chalicelib.domain import identity, license_proof
from chalicelib.domain.errors import (
    Concealed,
    Conflict,
    Forbidden,
    NotFound,
    Unauthorized,
    UnprocessableEntity,
)
from chalicelib.domain.identifiers import make_case_number, make_license_identifier
from chalicelib.services import licenses
from chalicelib.services.license_library import license_key
from chalicelib.services.licenses import verification
from tests.fakes.license_library import FakeLicenseLibrary

ISSUER = "11440300MB2C92138W"
TYPE = "11100000000013127D001"
CASE_NO = make_case_number("440300", date(2026, 11, 25), 19)
LICENSE_ID = make_license_identifier(TYPE, ISSUER, CASE_NO)
ITEM = "440300-000-XK-0001"
DEPT = "SZ-SCJG"

REVIEWER = identity.Principal(sub="rev-1", role=identity.REVIEWER, dept=DEPT, name="王审查")
CLERK = identity.Principal(sub="clerk-1", role=identity.CLERK, dept=DEPT)
READER = identity.Principal(sub="rev-2", role=identity.REVIEWER, dept="SZ-ZJJ")
STRANGER = identity.Principal(sub="rev-3", role=identity.REVIEWER, dept="SZ-GAJ")
SUPERVISOR = identity.Principal(sub="sup-1", role=identity.SUPERVISOR)
HOLDER = identity.Principal(sub="applicant-1", role=identity.APPLICANT)


def _document(**changed) -> dict:
    return {"identifier": LICENSE_ID, "name": "食品经营许可证", "holder": "深圳小吃有限公司",
            "holderId": "91440300MA5FXK7Q3T", "issuer": "深圳市市场监督管理局",
            "issuerCode": ISSUER, "issueDate": "2026-11-25", "validFrom": "2026-11-25",
            "validTo": "2099-11-25", "area": "440300", "trustLevel": "A", "typeCode": TYPE,
            "caseNo": CASE_NO, **changed}


def _license(state="valid", **document) -> LicenseRecord:
    return LicenseRecord(LICENSE_ID, caseNo=CASE_NO, document=_document(**document),
                         signature={"alg": "ECDSA_SHA_256", "keyId": "arn:key", "value": ""},
                         state=state, issuedAt="2026-11-25T02:00:00+00:00", dept=DEPT,
                         holderSub=HOLDER.sub)


@pytest.fixture
def library() -> FakeLicenseLibrary:
    library = FakeLicenseLibrary()
    library.add(_license(itemCode=ITEM))
    # The case went to the issuing department and, for one task, to READER's.
    library.add_case(CASE_NO, ITEM, {DEPT, READER.dept})
    return library


def _stored(library) -> LicenseRecord:
    return library.get(LICENSE_ID)


# -- suspend, resume, revoke --------------------------------------------------------------

def test_the_issuing_department_suspends_with_a_reason_kept_masked(library):
    status = licenses.change_state(library, REVIEWER, LICENSE_ID, "suspend",
                                   "整改期间暂停，联系 13812345678")
    record = _stored(library)
    assert (status["status"], record.state) == ("suspended", "suspended")
    assert "13812345678" not in record.stateReason and status["statusReason"] == \
        record.stateReason
    [step] = record.history
    assert (step["action"], step["from"], step["to"], step["by"]) == \
        ("suspend", "valid", "suspended", REVIEWER.sub)
    # Its case's timeline shows it, with the item the license came from and who did it.
    [line] = library.timeline(CASE_NO)
    assert isinstance(line, LicenseChangeRecord)
    assert (line.licenseId, line.action, line.fromState, line.toState, line.itemCode,
            line.byName, line.dept) == (LICENSE_ID, "suspend", "valid", "suspended", ITEM,
                                        "王审查", DEPT)


def test_a_suspended_license_is_resumed_or_revoked_and_a_revoked_one_stays_revoked(library):
    licenses.change_state(library, CLERK, LICENSE_ID, "suspend", "整改")
    assert licenses.change_state(library, CLERK, LICENSE_ID, "resume", "已整改")["status"] \
        == "valid"
    licenses.change_state(library, CLERK, LICENSE_ID, "revoke", "吊销")
    for action in ("suspend", "resume", "revoke"):
        with pytest.raises(Conflict) as refused:
            licenses.change_state(library, CLERK, LICENSE_ID, action, "again")
        assert refused.value.code == "license_state"
    record = _stored(library)
    assert record.state == "revoked"
    assert [step["action"] for step in record.history] == ["suspend", "resume", "revoke"]
    assert len(library.timeline(CASE_NO)) == 3


def test_a_valid_license_is_not_resumed(library):
    with pytest.raises(Conflict) as refused:
        licenses.change_state(library, REVIEWER, LICENSE_ID, "resume", "why")
    assert refused.value.code == "license_state"
    assert _stored(library).history is None and library.timeline(CASE_NO) == []


def test_staff_of_another_department_are_refused_and_those_who_do_not_read_the_case_told_nothing(
        library):
    with pytest.raises(Forbidden):     # reads the case: knows the license, may not change it
        licenses.change_state(library, READER, LICENSE_ID, "suspend", "x")
    with pytest.raises(Concealed):     # does not read it: no such license
        licenses.change_state(library, STRANGER, LICENSE_ID, "suspend", "x")
    for principal in (SUPERVISOR, HOLDER, None):   # not department staff at all
        with pytest.raises((Forbidden, Unauthorized)):
            licenses.change_state(library, principal, LICENSE_ID, "suspend", "x")
    assert _stored(library).state == "valid"


def test_an_unknown_or_malformed_license_is_not_found(library):
    other = make_license_identifier(TYPE, ISSUER, make_case_number("440300",
                                                                    date(2026, 11, 25), 20))
    for license_id in (other, "not-a-license", LICENSE_ID[:-1] + "0"):
        with pytest.raises(NotFound):
            licenses.change_state(library, REVIEWER, license_id, "suspend", "x")


class _Racing(FakeLicenseLibrary):
    """Another department member's change lands between this one's read and its write."""

    def __init__(self, meanwhile: str):
        super().__init__()
        self.meanwhile = meanwhile

    def get(self, license_id, consistent=False):
        found = super().get(license_id, consistent)
        if found is not None and self.meanwhile:
            self.records[license_key(license_id)].state = self.meanwhile
            self.meanwhile = None
        return found


def test_a_change_that_lost_the_race_is_told_to_reload_and_writes_nothing():
    library = _Racing(meanwhile="revoked")
    library.add(_license(itemCode=ITEM))
    library.add_case(CASE_NO, ITEM, {DEPT})
    with pytest.raises(Conflict) as refused:
        licenses.change_state(library, REVIEWER, LICENSE_ID, "suspend", "x")
    assert refused.value.code == "license_changed"
    assert _stored(library).state == "revoked" and _stored(library).history is None
    assert library.timeline(CASE_NO) == []


def test_a_change_whose_timeline_line_exists_already_writes_nothing(library, monkeypatch):
    """The line's key is the moment and the action: a second change at the same instant
    is refused whole — the license is not changed without its line."""
    from chalicelib.services import clock
    moment = clock.now()
    monkeypatch.setattr(clock, "now", lambda: moment)
    licenses.change_state(library, REVIEWER, LICENSE_ID, "suspend", "x")
    licenses.change_state(library, REVIEWER, LICENSE_ID, "resume", "y")
    with pytest.raises(Conflict) as refused:
        licenses.change_state(library, REVIEWER, LICENSE_ID, "suspend", "z")
    assert refused.value.code == "license_changed"
    assert _stored(library).state == "valid" and len(_stored(library).history) == 2


def test_a_license_signed_before_documents_named_their_item_takes_its_cases(library):
    library.add(_license())    # no itemCode in the document
    library.add_case(CASE_NO, "440300-000-XK-0002", {DEPT})
    licenses.change_state(library, REVIEWER, LICENSE_ID, "suspend", "x")
    assert library.timeline(CASE_NO)[0].itemCode == "440300-000-XK-0002"


def test_a_suspended_license_is_not_reissued_and_another_department_may_not(library):
    with pytest.raises(Forbidden):
        licenses.reissue(library, READER, LICENSE_ID, {"holder": "新名"}, "更名")
    licenses.change_state(library, REVIEWER, LICENSE_ID, "suspend", "x")
    with pytest.raises(Conflict) as refused:
        licenses.reissue(library, REVIEWER, LICENSE_ID, {"holder": "新名"}, "更名")
    assert refused.value.code == "license_state"
    assert _stored(library).supersededBy is None
    assert library.get(make_license_identifier(TYPE, ISSUER, CASE_NO, "002")) is None


# -- revoked with its case ------------------------------------------------------------------

def test_a_revoked_case_revokes_its_valid_or_suspended_license_once(library):
    assert licenses.revoke_for_case({"licenseId": LICENSE_ID}, library) is True
    record = _stored(library)
    assert (record.state, record.stateReason) == ("revoked", "办件已被撤销 (the case was revoked)")
    assert licenses.revoke_for_case({"licenseId": LICENSE_ID}, library) is False
    assert licenses.revoke_for_case({}, library) is False
    other = make_license_identifier(TYPE, ISSUER, make_case_number("440300",
                                                                    date(2026, 11, 25), 21))
    assert licenses.revoke_for_case({"licenseId": other}, library) is False


def test_a_superseded_license_is_not_revoked_with_its_case():
    library = FakeLicenseLibrary()
    library.add(_license(state="superseded"))
    assert licenses.revoke_for_case({"licenseId": LICENSE_ID}, library) is False
    assert _stored(library).state == "superseded"


def test_issuing_again_finds_the_license_and_writes_nothing(library, monkeypatch):
    from chalicelib.adapters.models import Applicant, CaseRecord
    from chalicelib.services.licenses import issuing
    # The registry's word on the implementing department (the region's data bureau here,
    # whose USCC the stored license names).
    monkeypatch.setattr(issuing.catalogue, "department", {DEPT: {
        "code": DEPT, "name": "深圳市政务服务数据管理局", "uscc": ISSUER}}.get)
    case = CaseRecord(CASE_NO, "META", itemCode=ITEM, owner=None, applicant=Applicant(
        type="legal", name="深圳小吃有限公司", idType="001", idNumber="91440300MA5FXK7Q3T"))
    item = {"result": {"licenseType": TYPE, "licenseName": "食品经营许可证"},
            "implementingDept": DEPT}
    before = dict(library.records)
    assert licenses.issue(library, case, item) == LICENSE_ID
    assert licenses.issue(library, case, {"result": {}}) is None
    assert library.records.keys() == before.keys()
    assert _stored(library).state == "valid"


# -- reading and verifying ------------------------------------------------------------------

def test_who_reads_a_license(library):
    assert licenses.get(library, HOLDER, LICENSE_ID)["license"]["identifier"] == LICENSE_ID
    with pytest.raises(Concealed):
        licenses.get(library, STRANGER, LICENSE_ID, "核验")
    assert licenses.status_of(library, LICENSE_ID)["status"] == "valid"
    with pytest.raises(NotFound):
        licenses.status_of(library, "no-such-license")


@pytest.fixture
def signing(monkeypatch):
    """The region's key as a local one (KMS is the adapter's, not the rule's)."""
    private = ec.generate_private_key(ec.SECP256R1())
    der = private.public_key().public_bytes(serialization.Encoding.DER,
                                            serialization.PublicFormat.SubjectPublicKeyInfo)
    jwk = license_proof.jwk_of(der, keyArn="arn:key", area="440300", issuerCode=ISSUER)
    monkeypatch.setattr(verification, "known_keys", lambda: [jwk])

    def sign(document: dict) -> dict:
        signature = {"alg": "ECDSA_SHA_256", "keyId": "arn:key", "kid": jwk["kid"],
                     "canonicalization": license_proof.CANONICALIZATION}
        value = license_proof.low_s(private.sign(
            license_proof.signed_bytes(document, signature), ec.ECDSA(hashes.SHA256())))
        return {"license": document, "signature": {
            **signature, "value": base64.b64encode(value).decode()}, "purpose": "开户核验"}
    return sign


def test_a_verified_license_answers_how_its_library_says_it_stands(library, signing):
    signed = signing(_document(itemCode=ITEM))
    answer = licenses.verify(library, signed, HOLDER)   # the holder's own: not logged
    assert (answer["valid"], answer["status"]) == (True, "valid")
    licenses.change_state(library, REVIEWER, LICENSE_ID, "suspend", "整改")
    answer = licenses.verify(library, signed, HOLDER)
    assert (answer["valid"], answer["reason"], answer["status"]) == \
        (False, "suspended", "suspended")
    assert answer["statusReason"] == "整改"
    missing = FakeLicenseLibrary()
    assert licenses.verify(missing, signed, HOLDER)["reason"] == "not_in_library"
    # A changed byte breaks the signature before any library is asked.
    forged = {**signed, "license": {**signed["license"], "holder": "别人"}}
    assert licenses.verify(missing, forged, HOLDER)["reason"] == "signature_mismatch"


# -- a license standing in for a material (materials -> licenses, on the library given) ----

FOOD_ITEM = {"name": "食品经营许可", "materials": [
    {"name": "营业执照", "replacedBy": [{"licenseType": TYPE, "trustLevels": ["A"]}]}]}


def test_a_material_given_as_a_license_is_checked_against_the_library_given(
        library, signing, monkeypatch):
    from chalicelib.services import materials
    from chalicelib.services.licenses import acceptance
    monkeypatch.setattr(acceptance, "known_keys", verification.known_keys)
    signed = signing(_document(itemCode=ITEM))
    refs = [{"name": "营业执照", "license": signed}]
    holder = signed["license"]["holderId"]
    given = materials.given_in_case(library, FOOD_ITEM, refs, holder, "owner-key")
    [entry] = given.entries
    assert (entry["name"], entry["license"]["identifier"], entry["license"]["verified"]) == \
        ("营业执照", LICENSE_ID, True)
    assert given.licenses == [(LICENSE_ID, "营业执照")]
    # As its library has it now: suspended there, it stands in for nothing.
    licenses.change_state(library, REVIEWER, LICENSE_ID, "suspend", "整改")
    with pytest.raises(UnprocessableEntity) as raised:
        materials.given_in_case(library, FOOD_ITEM, refs, holder, "owner-key")
    assert (raised.value.code, raised.value.field) == ("license_not_valid",
                                                       "materials.0.license")
    # This region's license missing from the library given: not accepted either.
    with pytest.raises(UnprocessableEntity) as raised:
        materials.given_in_case(FakeLicenseLibrary(), FOOD_ITEM, refs, holder, "owner-key")
    assert "not in this region's library" in str(raised.value)


# -- a holder's licenses (GET /me/licenses) --------------------------------------------------

def test_a_holder_reads_its_licenses_newest_first_page_by_page_and_an_agent_its_companys(
        monkeypatch):
    from chalicelib.adapters import secrets
    from chalicelib.domain import lookup
    from chalicelib.services import me
    monkeypatch.setattr(secrets, "lookup", lambda: "l" * 32)
    monkeypatch.setattr(secrets, "cursor", lambda: "c" * 32)
    company = "91440300MA5FXK7Q3T"
    agent = identity.Principal(sub="agent-1", role=identity.APPLICANT,
                               id_number="110101199003077777", acts_for=(company,))
    library = FakeLicenseLibrary()
    older, newer = LICENSE_ID, make_license_identifier(
        TYPE, ISSUER, make_case_number("440300", date(2026, 11, 26), 3))
    for license_id, issued in ((older, "2026-11-25T02:00:00+00:00"),
                               (newer, "2026-11-26T02:00:00+00:00")):
        record = _license()
        record.licenseId, record.issuedAt = license_id, issued
        record.holderKey = lookup.id_key("l" * 32, company)
        library.add(record)
    first = me.my_licenses(library, agent, limit=1, for_company=company)
    assert [found["identifier"] for found in first["licenses"]] == [newer] and first["next"]
    assert first["licenses"][0]["status"] == "valid"
    second = me.my_licenses(library, agent, limit=1, cursor=first["next"],
                            for_company=company)
    assert [found["identifier"] for found in second["licenses"]] == [older]
    assert second["next"] is None
    assert me.my_licenses(library, agent)["licenses"] == []    # none in its own name
    with pytest.raises(Forbidden):
        me.my_licenses(library, agent, for_company="91110000100000000X")
