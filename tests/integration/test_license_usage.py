"""The use log (用证记录): every view by staff and every verification by someone else is
logged with who, which organisation, when and why; staff and third parties must state a
purpose; the holder (and its agent) reads the log and its licenses, nobody else does."""
from concurrent.futures import ThreadPoolExecutor

from .harness import HYGIENE, application, license_and_material_uses

USCC = application(HYGIENE)["applicant"]["idNumber"]   # the company's


def _licensed(stack) -> tuple[dict, str]:
    case = stack.approve_in_parallel()
    signed = stack.call("GET", f"/licenses/{case['licenseId']}", "company").data
    return signed, case["licenseId"]


def _log(stack, user: str = "company", query: str = "") -> list[dict]:
    answer = stack.call("GET", f"/me/access-log{query}", user)
    assert answer.status_code == 200, answer.data
    return license_and_material_uses(answer.data["entries"])


def test_views_and_verifications_are_logged_for_the_holder(stack):
    signed, license_id = _licensed(stack)
    assert _log(stack) == []   # the holder's own read is not logged
    viewed = stack.call("GET", f"/licenses/{license_id}?purpose=复核许可，电话13812345678",
                        "wsjk")
    assert viewed.status_code == 200
    anonymous = stack.call("POST", "/licenses/verify", body={
        **signed, "purpose": "开立对公账户", "organisation": "某某银行深圳分行"})
    assert anonymous.data["valid"] is True
    # The holder verifying its own license states a purpose too, and is not logged.
    assert stack.call("POST", "/licenses/verify?purpose=自查", "company",
                      body=signed).data["valid"]
    # Anyone without a purpose (the holder too) is refused, and nothing is logged.
    for user in (None, "company"):
        refused = stack.call("POST", "/licenses/verify", user, body=signed)
        assert (refused.status_code, refused.data["error"]["code"],
                refused.data["error"]["field"]) == (422, "purpose_required", "purpose")

    entries = _log(stack)
    assert [(e["action"], e.get("by"), e.get("role"), e["organisation"]) for e in entries] == [
        ("verify", None, None, "某某银行深圳分行"),             # newest first
        ("view", "staff:zhao-wsjk", "reviewer", "WSJK")]
    assert entries[0]["purpose"] == "开立对公账户" and "by" not in entries[0]
    assert entries[1]["by"] == "staff:zhao-wsjk" and entries[1]["organisation"] == "WSJK"
    assert "13812345678" not in entries[1]["purpose"]   # masked
    assert {e["licenseId"] for e in entries} == {license_id}
    # The company's agent reads the company's log; another applicant has none of it.
    assert _log(stack, "agent", f"?for={USCC}") == entries
    assert _log(stack, "lisi") == []
    assert stack.call("GET", f"/me/access-log?for={USCC}", "lisi").status_code == 403
    assert stack.call("GET", "/me/access-log", "wsjk").status_code == 403


def test_the_holder_lists_its_licenses_with_their_status(stack):
    _, license_id = _licensed(stack)
    mine = stack.call("GET", "/me/licenses", "company").data["licenses"]
    assert [(m["identifier"], m["status"]) for m in mine] == [(license_id, "valid")]
    assert "holder" not in mine[0] and mine[0]["caseNo"]
    stack.call("POST", f"/licenses/{license_id}/suspend", "wsjk", {"reason": "停业整顿"})
    mine = stack.call("GET", "/me/licenses", "company").data["licenses"]
    assert (mine[0]["status"], mine[0]["statusReason"]) == ("suspended", "停业整顿")
    assert stack.call("GET", "/me/licenses", "lisi").data["licenses"] == []


def test_concurrent_verifications_are_each_logged(stack):
    signed, _ = _licensed(stack)
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda n: stack.call("POST", "/licenses/verify", body={
            **signed, "purpose": f"核验{n}"}), range(8)))
    assert all(a.data["valid"] for a in answers)
    assert sorted(e["purpose"] for e in _log(stack)) == sorted(f"核验{n}" for n in range(8))


def test_anonymous_verifiers_cannot_grow_the_holders_log_without_bound(stack):
    from chalicelib.services import usage

    from .test_concurrency import race
    signed, license_id = _licensed(stack)
    same = {**signed, "purpose": "开立对公账户", "organisation": "某某银行"}
    # One verifier, thirty times at once: one entry that counts them.
    assert all(a.data["valid"] for a in race(30, lambda n: stack.call(
        "POST", "/licenses/verify", body=same)))
    assert [(e["purpose"], e["count"], e["licenseId"]) for e in _log(stack)] == \
        [("开立对公账户", 30, license_id)]
    # Forty more, each stating something else: the day's places for distinct verifiers
    # fill, and the rest are merged into one entry — none is lost from the count.
    assert all(a.data["valid"] for a in race(40, lambda n: stack.call(
        "POST", "/licenses/verify", body={**signed, "purpose": f"核验{n}"})))
    entries = _log(stack, query="?limit=100")
    assert len(entries) == usage.ANONYMOUS_PER_DAY + 1
    assert sum(e["count"] for e in entries) == 70
    merged = [e for e in entries if e.get("merged")]
    assert len(merged) == 1 and merged[0]["count"] == 40 - (usage.ANONYMOUS_PER_DAY - 1)
    assert "purpose" not in merged[0] and merged[0]["lastAt"][:10] == merged[0]["at"][:10]
    # Signed-in verifiers are accountable: each of theirs is its own entry still.
    for _ in range(2):
        stack.call("POST", "/licenses/verify?purpose=开户", "lisi", body=signed)
    assert len(_log(stack, query="?limit=100")) == usage.ANONYMOUS_PER_DAY + 3


def test_a_signed_in_caller_who_is_not_the_holder_states_a_purpose_too(stack):
    signed, _ = _licensed(stack)
    for user in ("wsjk", "lisi"):
        refused = stack.call("POST", "/licenses/verify", user, body=signed)
        assert (refused.status_code, refused.data["error"]["code"],
                refused.data["error"]["field"]) == (422, "purpose_required", "purpose"), user
    long = stack.call("POST", f"/licenses/verify?purpose={'很' * 201}", body=signed)
    assert (long.status_code, long.data["error"]["field"]) == (400, "purpose")
    assert stack.call("POST", "/licenses/verify?purpose=%E5%BC%80%E6%88%B7", "lisi",
                      body=signed).data["valid"] is True
    assert [(e["action"], e.get("by"), e["purpose"]) for e in _log(stack)] == [
        ("verify", "person:li-si", "开户")]


def test_an_annotated_copy_says_what_it_is_for_and_until_when(stack):
    from datetime import date, timedelta

    from chalicelib.domain import license_proof
    from chalicelib.services import clock
    _, license_id = _licensed(stack)
    today = clock.local_date(clock.now())
    until = (today + timedelta(days=7)).isoformat()
    path = f"/licenses/{license_id}/annotated-copy"
    made = stack.call("POST", path, "company", {"purpose": "仅供某某银行开户使用",
                                                 "validUntil": until})
    assert made.status_code == 200, made.data
    copy = made.data
    assert copy["annotation"]["purpose"] == "仅供某某银行开户使用"
    assert copy["annotation"]["copyOf"] == license_id
    # The recipient verifies it, stating its purpose as every verifier does.
    verdict = stack.call("POST", "/licenses/verify?purpose=开户核验", body=copy).data
    assert (verdict["valid"], verdict["annotation"]) == (
        True, {"purpose": "仅供某某银行开户使用", "validUntil": until})
    assert [(e["action"], e["purpose"]) for e in _log(stack)] == [
        ("verify", "开户核验")]
    # The annotation is signed with the license: changed, the copy does not verify.
    stretched = {**copy, "annotation": {**copy["annotation"], "validUntil": "2031-01-01"}}
    assert stack.call("POST", "/licenses/verify?purpose=开户核验",
                      body=stretched).data["reason"] == \
        "signature_mismatch"
    # Offline, with the published keys: valid until its term, then not.
    keys = stack.call("GET", "/.well-known/license-keys").data["keys"]
    assert license_proof.verify(copy, keys, today).valid
    assert license_proof.verify(copy, keys, date.fromisoformat(until) + timedelta(days=1)) \
        .reason == "annotation_expired"
    # Only the holder makes one, for a term within the license's, of a valid license.
    assert stack.call("POST", path, "company", {"purpose": "开户", "validUntil": "2099-01-01"}
                      ).data["error"]["field"] == "validUntil"
    assert stack.call("POST", path, "wsjk", {"purpose": "开户", "validUntil": until}) \
        .status_code == 403
    assert stack.call("POST", path, "lisi", {"purpose": "开户", "validUntil": until}) \
        .status_code == 404
    stack.call("POST", f"/licenses/{license_id}/suspend", "wsjk", {"reason": "停业整顿"})
    refused = stack.call("POST", path, "company", {"purpose": "开户", "validUntil": until})
    assert (refused.status_code, refused.data["error"]["code"]) == (409, "license_state")
    assert stack.call("POST", "/licenses/verify?purpose=开户核验",
                      body=copy).data["reason"] == "suspended"
