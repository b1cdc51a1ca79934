"""数据共享 / 免填 / 秒批 on the real stack: consents, purpose-bound registry queries over
HTTP (the demo registries), pre-filled forms with their sources, instant approval through
the starts consumer with its trace, and the access log that shows every query and every
staff read."""
import json
from concurrent.futures import ThreadPoolExecutor

import boto3
import pytest

from infra.local import demo

from .harness import FOOD, REGION, application

ELDERLY = demo.code_of("000505012000", "MZJ")   # 高龄津贴申领: instant approval
ELDER = demo.USERS["elder"]
COMPANY_ID = application(FOOD)["applicant"]["idNumber"]


def _consent(stack, user: str, item: str, **body) -> dict:
    answer = stack.call("POST", "/me/consents", user, {"itemCode": item, **body})
    assert answer.status_code in (200, 201), answer.data
    return answer.data


def _log(stack, user: str, query: str = "") -> list[dict]:
    answer = stack.call("GET", f"/me/access-log{query}", user)
    assert answer.status_code == 200, answer.data
    return answer.data["entries"]


def _prefill(stack, user: str, item: str, consent: str | None, company: str | None = None):
    query = "&".join(part for part in (f"consent={consent}" if consent else "",
                                       f"for={company}" if company else "") if part)
    return stack.call("GET", f"/items/{item}/prefill?{query}", user)


def _elder_applies(stack, user: str = "elder", consent: bool = True) -> str:
    person = demo.USERS[user]
    body = {"itemCode": ELDERLY, "channel": "web",
            "applicant": {"type": "natural", "name": person["name"],
                          "idNumber": person["idNumber"]},
            "form": {"name": person["name"], "registeredAddress": "广东省深圳市福田区福中路28号",
                     "payout": "社会保障卡"}}
    if consent:
        body["consentId"] = _consent(stack, user, ELDERLY)["consentId"]
    answer = stack.call("POST", "/cases", user, body)
    assert answer.status_code == 201, answer.data
    return answer.data["caseNo"]


def _checked(stack, case_no: str, owner: str = "elder") -> dict:
    """The case once its rules were checked, read by its owner (a staff read would be
    logged in the owner's access log)."""
    assert stack.pump.run_until(
        lambda: stack.case(case_no, owner).get("ruleCheck") is not None, 30)
    return stack.case(case_no, owner)


def _executions(stack, case_no: str) -> list:
    sfn = boto3.client("stepfunctions", region_name=REGION)
    return [e for e in sfn.list_executions(
        stateMachineArn=stack.env["OW_STATE_MACHINE_ARN"])["executions"]
        if e["name"] == case_no]


# -- consent ---------------------------------------------------------------------------

def test_consent_terms_name_the_registries_fields_and_purpose(stack):
    terms = stack.call("GET", f"/items/{ELDERLY}/consent-terms").data
    assert terms["registries"] == ["population"]
    # What is read: the birth date (the rules' age is computed from it), the name.
    assert "population.birthDate" in terms["fields"] and "population.name" in terms["fields"]
    assert "population.age" not in terms["fields"]
    assert "高龄津贴" in terms["purpose"]
    food = stack.call("GET", f"/items/{FOOD}/consent-terms").data
    assert food["registries"] == ["legalPerson"]
    assert "legalPerson.registeredAddress" in food["fields"]


def test_a_consent_is_given_once_listed_revoked_and_given_again(stack):
    with ThreadPoolExecutor(4) as pool:
        given = list(pool.map(lambda _: stack.call("POST", "/me/consents", "elder",
                                                   {"itemCode": ELDERLY}), range(4)))
    assert sorted(a.status_code for a in given) == [200, 200, 200, 201]
    assert len({a.data["consentId"] for a in given}) == 1
    consent = given[0].data
    listed = stack.call("GET", "/me/consents", "elder").data["consents"]
    assert [c["consentId"] for c in listed] == [consent["consentId"]]
    assert listed[0]["active"] is True
    revoked = stack.call("POST", f"/me/consents/{consent['consentId']}/revoke", "elder")
    assert revoked.status_code == 200 and revoked.data["active"] is False
    again = _consent(stack, "elder", ELDERLY)
    assert again["consentId"] == consent["consentId"] and again["active"] is True
    # Nobody else sees or revokes it.
    assert stack.call("POST", f"/me/consents/{consent['consentId']}/revoke",
                      "lisi").status_code == 404


def test_consent_is_refused_for_an_item_without_base_data_and_to_staff(stack):
    hygiene = demo.code_of("000201025000", "WSJK")
    refused = stack.call("POST", "/me/consents", "company", {"itemCode": hygiene})
    assert (refused.status_code, refused.data["error"]["field"]) == (422, "itemCode")
    assert stack.call("POST", "/me/consents", "clerk",
                      {"itemCode": ELDERLY}).status_code == 403


# -- prefill ---------------------------------------------------------------------------

def test_prefill_without_consent_asks_no_registry(stack):
    answer = _prefill(stack, "agent", FOOD, None, COMPANY_ID)
    assert (answer.status_code, answer.data["error"]["code"]) == (403, "consent_required")
    assert stack.registries.queries == []
    assert _log(stack, "company") == []


def test_the_companys_form_comes_prefilled_with_sources_and_the_query_is_logged(stack):
    consent = _consent(stack, "company", FOOD)["consentId"]
    answer = _prefill(stack, "company", FOOD, consent)
    assert answer.status_code == 200, answer.data
    fields = answer.data["fields"]
    assert fields["businessName"] == {"value": "深圳小吃有限公司", "source": "legalPerson.name",
                                      "sourceName": "法人库", "editable": False}
    assert fields["address"]["value"] == "深圳市南山区粤海街道科苑路1号"
    assert fields["address"]["editable"] is True
    assert "category" not in fields
    assert [m["name"] for m in answer.data["materials"]] == ["营业执照"]
    assert answer.data["notes"] == []
    # One query, stating who, why and on what basis; in the company's log once.
    assert len(stack.registries.queries) == 1
    asked = stack.registries.queries[0]
    assert (asked["registry"], asked["subject"], asked["basis"]) == \
        ("legalPerson", COMPANY_ID, f"consent:{consent}")
    [entry] = _log(stack, "company")
    assert (entry["action"], entry["registry"], entry["basis"]) == \
        ("query", "legalPerson", f"consent:{consent}")
    assert "营业执照" in entry["purpose"]


def test_an_agent_prefills_for_its_company_but_not_for_another(stack):
    consent = _consent(stack, "agent", FOOD, **{"for": COMPANY_ID})["consentId"]
    assert _prefill(stack, "agent", FOOD, consent, COMPANY_ID).status_code == 200
    other = _prefill(stack, "agent", FOOD, consent, "91440300MA5G0GL78D")
    assert other.status_code == 403


def test_a_revoked_consent_asks_nothing(stack):
    consent = _consent(stack, "company", FOOD)["consentId"]
    stack.call("POST", f"/me/consents/{consent}/revoke", "company")
    answer = _prefill(stack, "company", FOOD, consent)
    assert (answer.status_code, answer.data["error"]["code"]) == (403, "consent_required")
    assert stack.registries.queries == []


@pytest.mark.parametrize("control", [{"down": True}, {"delaySeconds": 3}],
                         ids=["down", "slow"])
def test_a_registry_down_or_slow_leaves_the_form_empty_with_a_note(stack, control):
    stack.registries.control["legalPerson"] = control
    consent = _consent(stack, "company", FOOD)["consentId"]
    answer = _prefill(stack, "company", FOOD, consent)
    assert answer.status_code == 200, answer.data
    assert answer.data["fields"] == {} and answer.data["materials"] == []
    assert answer.data["notes"] == [{"registry": "legalPerson",
                                     "note": "法人库暂时无法访问，请手动填写"}]
    assert answer.data["token"] is None


def test_the_case_records_which_values_came_from_which_source(stack):
    consent = _consent(stack, "company", FOOD)["consentId"]
    filled = _prefill(stack, "company", FOOD, consent).data
    form = {name: field["value"] for name, field in filled["fields"].items()}
    form.update(category="餐饮服务", address="深圳市南山区科技园科苑路2号")   # changed: allowed
    body = application(FOOD, form=form, consentId=consent, prefill=filled["token"])
    answer = stack.call("POST", "/cases", "company", body)
    assert answer.status_code == 201, answer.data
    case = stack.case(answer.data["caseNo"], "company")
    assert case["dataUse"] == {"consentId": consent,
                               "sources": {"businessName": "legalPerson.name"},
                               "changed": ["address"]}
    [by_data] = [m for m in case["materials"] if m["name"] == "营业执照"]
    assert by_data["fromData"]["registry"] == "legalPerson"
    assert by_data["fromData"]["sha256"] == filled["materials"][0]["sha256"]
    assert len(stack.registries.queries) == 1   # the application asked nothing again


def test_a_locked_prefilled_value_changed_or_a_forged_token_is_refused(stack):
    consent = _consent(stack, "company", FOOD)["consentId"]
    filled = _prefill(stack, "company", FOOD, consent).data
    form = {"businessName": "别的公司", "address": "深圳市南山区科技园科苑路2号",
            "category": "餐饮服务"}
    locked = stack.call("POST", "/cases", "company", application(
        FOOD, form=form, consentId=consent, prefill=filled["token"]))
    assert (locked.status_code, locked.data["error"]["code"],
            locked.data["error"]["field"]) == (422, "prefilled_field_locked",
                                               "form.businessName")
    body, mac = filled["token"].split(".")
    forged = stack.call("POST", "/cases", "company", application(
        FOOD, consentId=consent, prefill=body[:-2] + "AA." + mac))
    assert (forged.status_code, forged.data["error"]["code"]) == (422, "prefill_not_valid")
    # A token for another item is not this one's (the consent is the right one).
    registration = demo.code_of("000201001000", "SCJG")
    other = _consent(stack, "company", registration)["consentId"]
    misused = stack.call("POST", "/cases", "company", {
        "itemCode": registration, "channel": "web", "consentId": other,
        "prefill": filled["token"], "applicant": application(FOOD)["applicant"],
        "form": {"companyName": "深圳小吃有限公司", "address": "深圳市南山区科技园1号",
                 "registeredCapital": 50, "scope": "餐饮服务"}})
    assert (misused.status_code, misused.data["error"]["code"],
            misused.data["error"]["field"]) == (422, "prefill_not_valid", "prefill")
    assert stack.call("GET", "/me/cases", "company").data["cases"] == []


# -- instant approval ------------------------------------------------------------------

def test_an_eighty_year_old_is_approved_by_the_rules_with_the_trace(stack):
    case_no = _elder_applies(stack)
    case = stack.wait_status(case_no, 11)
    assert case["workflow"] == "instant"
    check = case["ruleCheck"]
    assert check["outcome"] == "approved" and check["ruleSet"].startswith(ELDERLY)
    assert [(s["id"], s["held"]) for s in check["trace"]] == [
        ("age", True), ("resident", True), ("registered", True), ("notReceiving", True)]
    assert check["trace"][0]["inputs"]["population.age"] >= 80
    timeline = [(e["action"], e.get("status"), e["actor"]) for e in case["timeline"]]
    assert ("rules_checked", None, "system") in timeline
    assert ("status", 3, "system") in timeline and ("status", 11, "system") in timeline
    assert _executions(stack, case_no) == []   # no workflow, no human wait
    # The applicant sees the trace; the decision document carries it.
    mine = stack.case(case_no, "elder")
    assert mine["ruleCheck"]["trace"] == check["trace"]
    assert stack.pump.run_until(lambda: any(
        d["kind"] == "approval_decision" for d in stack.call(
            "GET", f"/cases/{case_no}/documents", "elder").data["items"]), 20)
    decision = [d for d in stack.call("GET", f"/cases/{case_no}/documents",
                                      "elder").data["items"]
                if d["kind"] == "approval_decision"][0]
    signed = stack.call("GET", f"/cases/{case_no}/documents/{decision['documentId']}",
                        "elder").data["document"]
    text = "".join(signed["paragraphs"])
    assert signed["facts"]["rules"] == ["年满80周岁", "户籍在本市", "户籍状态正常",
                                        "未在领取高龄津贴"]
    assert "年满80周岁" in text and "秒批" in text
    # The registry query is in the elder's access log, with the case and the purpose.
    queries = [e for e in _log(stack, "elder") if e["action"] == "query"]
    assert [(e["registry"], e["caseNo"]) for e in queries] == [("population", case_no)]
    # The supervision record holds the check with its trace (the event, appended).
    from chalicelib.adapters.models import SupervisionEntry

    def recorded() -> list[dict]:
        # The event's id is <caseNo>/<its timeline key>, which ends #rules.
        return [entry.body["event"] for entry in SupervisionEntry.scan()
                if entry.seq > 0 and (entry.key or "").startswith(f"{case_no}/")
                and entry.key.endswith("#rules")]
    assert stack.pump.run_until(lambda: recorded(), 20)
    [event] = recorded()
    assert event["outcome"] == "approved" and event["trace"] == check["trace"]


def test_failed_rules_go_to_people_who_see_why(stack):
    case_no = _elder_applies(stack, "applicant")   # 张三: 76, registered in Beijing
    case = _checked(stack, case_no, "applicant")
    check = case["ruleCheck"]
    assert check["outcome"] == "referred"
    failed = {s["id"]: s for s in check["trace"] if not s["held"]}
    assert set(failed) == {"age", "resident"}
    assert failed["age"]["why"] == "条件不满足"
    # The workflow starts as for any case: the counter accepts, 民政 reviews.
    task = stack.open_task(case_no, "ZWFW", "clerk")
    staff_view = stack.case(case_no, "clerk")
    assert staff_view["ruleCheck"]["outcome"] == "referred"
    assert task["caseNo"] == case_no
    assert len(_executions(stack, case_no)) == 1


def test_no_consent_means_no_query_and_a_person_decides(stack):
    case_no = _elder_applies(stack, consent=False)
    check = _checked(stack, case_no)["ruleCheck"]
    assert check["outcome"] == "referred"
    assert check["notes"] == ["申请人未授权查询人口库"]
    assert stack.registries.queries == []


def test_a_consent_revoked_before_the_check_asks_nothing(stack, monkeypatch):
    from chalicelib.services import instant_approval
    real = instant_approval.gather

    def revoked_first(case, item, rules):
        consent = case.dataUse["consentId"]
        assert stack.call("POST", f"/me/consents/{consent}/revoke", "elder").status_code == 200
        return real(case, item, rules)
    monkeypatch.setattr(instant_approval, "gather", revoked_first)
    case_no = _elder_applies(stack)
    check = _checked(stack, case_no)["ruleCheck"]
    assert check["outcome"] == "referred"
    assert check["notes"] == ["申请人已撤回授权，未查询人口库"]
    assert stack.registries.queries == []


def test_a_registry_down_at_the_check_refers_the_case_and_loses_nothing(stack):
    stack.registries.control["population"] = {"down": True}
    case_no = _elder_applies(stack)
    case = _checked(stack, case_no)
    assert case["ruleCheck"]["outcome"] == "referred"
    assert case["ruleCheck"]["notes"] == ["人口库暂时无法访问"]
    assert all(not s["held"] for s in case["ruleCheck"]["trace"][:3])
    stack.open_task(case_no, "ZWFW", "clerk")   # people take it from here


def test_switched_off_the_item_goes_to_people_at_once(stack):
    off = stack.call("PUT", f"/items/{ELDERLY}/instant-approval", "supervisor",
                     {"enabled": False, "reason": "规则复核期间暂停秒批"})
    assert off.status_code == 200 and off.data["enabled"] is False
    assert stack.call("PUT", f"/items/{ELDERLY}/instant-approval", "clerk",
                      {"enabled": True, "reason": "x"}).status_code == 403
    case_no = _elder_applies(stack)
    check = _checked(stack, case_no)["ruleCheck"]
    assert check["outcome"] == "referred"
    assert check["notes"] == ["该事项的秒批已关闭，转人工审查"]
    assert stack.registries.queries == []
    on = stack.call("PUT", f"/items/{ELDERLY}/instant-approval", "admin",
                    {"enabled": True, "reason": "复核完成"})
    assert on.data["enabled"] is True
    stack.wait_status(_elder_applies(stack, "lisi"), 1)   # 李四 (36) is checked again


def test_a_redelivered_start_adds_nothing(stack):
    case_no = _elder_applies(stack)
    stack.wait_status(case_no, 11)
    stack.pump.run_until(lambda: False, 2)   # its documents and their events written
    case = stack.case(case_no, "elder")
    sqs = boto3.client("sqs", region_name=REGION)
    for _ in range(3):
        sqs.send_message(QueueUrl=stack.env["OW_STARTS_QUEUE_URL"],
                         MessageBody=json.dumps({"caseNo": case_no}))
    stack.pump.run_until(lambda: False, 3)
    again = stack.case(case_no, "elder")
    assert again["timeline"] == case["timeline"]
    assert len(stack.registries.queries) == 1
    assert _executions(stack, case_no) == []


def test_a_second_application_while_receiving_is_not_instant(stack):
    first = _elder_applies(stack)
    stack.wait_status(first, 11)
    # The same person again (another payout: a distinct application).
    consent = _consent(stack, "elder", ELDERLY)["consentId"]
    answer = stack.call("POST", "/cases", "elder", {
        "itemCode": ELDERLY, "channel": "web", "consentId": consent,
        "applicant": {"type": "natural", "name": ELDER["name"], "idNumber": ELDER["idNumber"]},
        "form": {"name": ELDER["name"], "registeredAddress": "广东省深圳市福田区福中路28号",
                 "payout": "银行账户"}})
    check = _checked(stack, answer.data["caseNo"])["ruleCheck"]
    failed = [s for s in check["trace"] if not s["held"]]
    assert [s["id"] for s in failed] == ["notReceiving"]
    assert failed[0]["inputs"] == {"history.approved": 1, "history.open": 0}


# -- the access log --------------------------------------------------------------------

def test_every_staff_read_of_a_case_is_logged_once_with_its_purpose(stack):
    case_no = _elder_applies(stack, "applicant")
    _checked(stack, case_no, "applicant")
    stack.open_task(case_no, "ZWFW", "clerk")   # the clerk reads it once its task is there
    assert [e for e in _log(stack, "applicant") if e["action"] == "view"] == []
    readers = ["clerk", "supervisor", "clerk", "admin", "supervisor", "clerk"]
    with ThreadPoolExecutor(len(readers)) as pool:
        answers = list(pool.map(lambda user: stack.call("GET", f"/cases/{case_no}", user),
                                readers))
    assert [a.status_code for a in answers] == [200] * len(readers)
    stack.case(case_no, "applicant")   # the owner's own read is not logged
    views = [e for e in _log(stack, "applicant") if e["action"] == "view"]
    assert sorted((e["by"], e["purpose"]) for e in views) == sorted(
        (demo.USERS[user]["sub"], {"clerk": "受理办件", "supervisor": "监督检查",
                                   "admin": "系统管理"}[user]) for user in readers)
    assert {e["caseNo"] for e in views} == {case_no}


# -- people over the machine: sampling, simulation --------------------------------------

def test_a_sampled_approval_lands_in_the_supervisors_queue_to_check_or_revoke(stack,
                                                                           monkeypatch):
    from chalicelib.services import instant_approval
    monkeypatch.setattr(instant_approval, "sampled", lambda case_no, share, key: True)
    case_no = _elder_applies(stack)
    stack.wait_status(case_no, 11)
    # Staff see that it is sampled; the applicant is not told.
    assert stack.case(case_no, "supervisor")["ruleCheck"]["sampled"] is True
    assert "sampled" not in stack.case(case_no, "elder")["ruleCheck"]
    queue = stack.call("GET", "/supervision/instant-samples", "supervisor").data["samples"]
    assert [(s["caseNo"], s["state"]) for s in queue] == [(case_no, "open")]
    assert stack.call("GET", "/supervision/instant-samples", "clerk").status_code == 403
    # The supervisor finds it wrong: revokes the case, then marks the sample checked.
    revoked = stack.call("POST", f"/cases/{case_no}/revoke", "supervisor",
                         {"reason": "抽查发现户籍信息有误"})
    assert revoked.status_code == 200, revoked.data
    checked = stack.call("POST", f"/supervision/instant-samples/{case_no}/checked",
                         "supervisor", {"note": "已撤销"})
    assert checked.status_code == 200 and checked.data["state"] == "checked"
    assert stack.call("GET", "/supervision/instant-samples",
                      "supervisor").data["samples"] == []
    done = stack.call("GET", "/supervision/instant-samples?state=checked",
                      "supervisor").data["samples"]
    assert [(s["caseNo"], s["note"]) for s in done] == [(case_no, "已撤销")]
    stack.wait_status(case_no, 15)
    # A case that was not sampled is not the queue's.
    other = _elder_applies(stack, "applicant")
    _checked(stack, other, "applicant")
    refused = stack.call("POST", f"/supervision/instant-samples/{other}/checked",
                         "supervisor", {"note": "x"})
    assert (refused.status_code, refused.data["error"]["code"]) == (422, "not_sampled")


def test_new_rules_are_simulated_on_the_items_checked_cases(stack):
    approved = _elder_applies(stack)
    stack.wait_status(approved, 11)
    referred = _elder_applies(stack, "applicant")
    _checked(stack, referred, "applicant")
    # One checked while instant approval was off: it read nothing, there is nothing to
    # replay.
    stack.call("PUT", f"/items/{ELDERLY}/instant-approval", "admin",
               {"enabled": False, "reason": "暂停"})
    _checked(stack, _elder_applies(stack, "lisi"), "lisi")
    stack.call("PUT", f"/items/{ELDERLY}/instant-approval", "admin",
               {"enabled": True, "reason": "恢复"})
    # A draft that asks for 85 years.
    stack.call("POST", f"/admin/items/{ELDERLY}/versions", "admin", {"reason": "调整年龄"})
    draft = stack.call("GET", f"/admin/items/{ELDERLY}/versions/2", "admin")
    item = {k: v for k, v in draft.data.items() if k not in ("status", "lineage", "version")}
    item["instantApproval"]["rules"][0] = {"id": "age", "name": "年满85周岁",
                                           "expression": "population.age >= 85"}
    saved = stack.call("PUT", f"/admin/items/{ELDERLY}/versions/2", "admin",
                       {"item": item, "reason": "年龄改为85"},
                       headers={"If-Match": draft.headers["ETag"]})
    assert saved.status_code == 200, saved.data
    simulated = stack.call("POST", f"/admin/items/{ELDERLY}/versions/2/simulate", "admin")
    assert simulated.status_code == 200, simulated.data
    history = simulated.data["rulesOnHistory"]
    assert (history["replayed"], history["wouldApprove"], history["wouldRefer"],
            history["notReplayable"]) == (2, 0, 2, 1)
    assert history["changed"] == [{"caseNo": approved, "was": "approved",
                                   "would": "referred"}]
    named = {r["caseNo"]: {f["id"] for f in r["failed"]} for r in history["referred"]}
    assert named == {approved: {"age"}, referred: {"age", "resident"}}
    # A rule that is not valid CEL is refused when the draft is saved.
    draft = stack.call("GET", f"/admin/items/{ELDERLY}/versions/2", "admin")
    item["instantApproval"]["rules"][0]["expression"] = "population.age >="
    bad = stack.call("PUT", f"/admin/items/{ELDERLY}/versions/2", "admin",
                     {"item": item, "reason": "坏规则"},
                     headers={"If-Match": draft.headers["ETag"]})
    assert (bad.status_code, bad.data["error"]["code"],
            bad.data["error"]["field"]) == (422, "rule_not_valid",
                                             "item.instantApproval.rules.0.expression")


def test_a_field_comes_from_the_applicants_last_case_of_the_item(stack):
    first = _elder_applies(stack)
    stack.wait_status(first, 11)
    consent = _consent(stack, "elder", ELDERLY)["consentId"]
    fields = _prefill(stack, "elder", ELDERLY, consent).data["fields"]
    assert fields["payout"] == {"value": "社会保障卡", "source": "lastCase.payout",
                                "sourceName": "上次申请", "editable": True}
    assert fields["name"]["source"] == "population.name"


def test_a_field_comes_from_a_license_the_applicant_holds_with_no_registry_asked(stack):
    hygiene = demo.code_of("000201025000", "WSJK")
    business = stack.business_license()   # the company's 营业执照
    stack.call("POST", f"/admin/items/{hygiene}/versions", "admin", {"reason": "免填"})
    draft = stack.call("GET", f"/admin/items/{hygiene}/versions/2", "admin")
    item = {k: v for k, v in draft.data.items() if k not in ("status", "lineage", "version")}
    item["formSchema"]["properties"]["placeName"].update({
        "x-source": "license.11100000MB0143028R002.holder", "x-source-editable": True})
    assert stack.call("PUT", f"/admin/items/{hygiene}/versions/2", "admin",
                      {"item": item, "reason": "名称取自营业执照"},
                      headers={"If-Match": draft.headers["ETag"]}).status_code == 200
    assert stack.call("POST", f"/admin/items/{hygiene}/versions/2/publish", "admin",
                      {"reason": "发布"}).status_code == 200
    answer = _prefill(stack, "company", hygiene, None)   # its own license: no consent
    assert answer.status_code == 200, answer.data
    assert answer.data["fields"]["placeName"] == {
        "value": "深圳小吃有限公司", "source": "license.11100000MB0143028R002.holder",
        "sourceName": "电子证照", "editable": True}
    assert stack.registries.queries == []
    # Revoked, it fills nothing.
    stack.call("POST", f"/licenses/{business}/revoke", "scjg", {"reason": "吊销"})
    assert _prefill(stack, "company", hygiene, None).data["fields"] == {}


def test_a_case_withdrawn_before_its_check_is_neither_checked_nor_started(stack,
                                                                          monkeypatch):
    from chalicelib.services import instant_approval
    real, withdrawals = instant_approval.gather, []

    def withdrawn_meanwhile(case, item, rules):
        withdrawals.append(stack.call("POST", f"/cases/{case.pk}/withdraw", "elder",
                                      {"reason": "不办了"}).status_code)
        return real(case, item, rules)
    monkeypatch.setattr(instant_approval, "gather", withdrawn_meanwhile)
    case_no = _elder_applies(stack)
    stack.pump.run_until(lambda: False, 3)
    case = stack.case(case_no, "elder")
    assert case["status"] == 2 and "ruleCheck" not in case
    assert withdrawals == [200]   # gathered once: the closed case is not checked again
    assert _executions(stack, case_no) == []


def test_concurrent_revocations_switches_and_prefills_each_count_once(stack):
    consent = _consent(stack, "company", FOOD)["consentId"]
    with ThreadPoolExecutor(6) as pool:
        prefills = list(pool.map(lambda _: _prefill(stack, "company", FOOD, consent),
                                 range(6)))
    assert [a.status_code for a in prefills] == [200] * 6
    # Each query asked once and logged once.
    assert len(stack.registries.queries) == 6
    assert len([e for e in _log(stack, "company") if e["action"] == "query"]) == 6
    with ThreadPoolExecutor(4) as pool:
        revoked = list(pool.map(lambda _: stack.call(
            "POST", f"/me/consents/{consent}/revoke", "company"), range(4)))
    assert {a.status_code for a in revoked} == {200}
    [listed] = stack.call("GET", "/me/consents", "company").data["consents"]
    # The first revocation's moment stands, whichever request answered.
    assert {a.data["revokedAt"] for a in revoked} == {listed["revokedAt"]}
    assert listed["active"] is False
    switches = [{"enabled": n % 2 == 0, "reason": f"切换{n}"} for n in range(6)]
    with ThreadPoolExecutor(6) as pool:
        answers = list(pool.map(lambda body: stack.call(
            "PUT", f"/items/{ELDERLY}/instant-approval", "admin", body), switches))
    assert {a.status_code for a in answers} == {200}
    state = stack.call("GET", f"/items/{ELDERLY}/instant-approval", "supervisor").data
    assert {"enabled": state["enabled"], "reason": state["reason"]} in switches


def test_a_staff_read_of_a_decision_document_is_logged_for_the_applicant(stack):
    case_no = _elder_applies(stack)
    stack.wait_status(case_no, 11)
    documents = f"/cases/{case_no}/documents"
    assert stack.pump.run_until(lambda: any(
        d["kind"] == "approval_decision"
        for d in stack.call("GET", documents, "elder").data["items"]), 20)
    decision = next(d for d in stack.call("GET", documents, "elder").data["items"]
                    if d["kind"] == "approval_decision")["documentId"]
    before = [e for e in _log(stack, "elder") if e["action"] == "view"]
    assert stack.call("GET", f"{documents}/{decision}", "elder").status_code == 200
    assert stack.call("GET", f"{documents}/{decision}", "supervisor").status_code == 200
    views = [e for e in _log(stack, "elder") if e["action"] == "view"][:-len(before) or None]
    assert [(e["by"], e["purpose"], e["caseNo"]) for e in views] == [
        ("staff:feng-jc", f"监督检查：文书{decision}", case_no)]


def test_an_approval_interrupted_after_acceptance_is_finished_by_the_next_delivery(
        stack, monkeypatch):
    from chalicelib.services import instant_approval, progress
    real, failed, down = instant_approval._approve, [], [True]

    def dies_while_down(*args):
        if down[0]:
            failed.append(args[2])
            raise RuntimeError("the function died between acceptance and approval")
        return real(*args)
    monkeypatch.setattr(instant_approval, "_approve", dies_while_down)
    case_no = _elder_applies(stack)
    assert stack.pump.run_until(lambda: len(failed) >= 2, 20)   # redelivered, died again
    case = stack.case(case_no, "elder")
    # Accepted by its rules, not sent to review (no task, no workflow), not approved yet:
    # the reconciliation sees it waiting.
    assert (case["status"], case["workflow"], case["tasks"]) == (3, "instant", [])
    assert progress.start_pending(case_no)
    down[0] = False   # back: the next delivery finishes it, once
    case = stack.wait_status(case_no, 11)
    assert not progress.start_pending(case_no)
    assert [e["status"] for e in case["timeline"] if e["action"] == "status"] == [1, 3, 11]
    assert _executions(stack, case_no) == []
    assert len(stack.registries.queries) == 1   # the check was not made again


def test_a_consent_serves_only_the_item_version_it_was_given_for(stack):
    registration = demo.code_of("000201001000", "SCJG")   # 企业设立登记: also 法人库
    given = _consent(stack, "company", registration)["consentId"]
    # Not for 食品经营许可's prefill, nor for its application.
    answer = _prefill(stack, "company", FOOD, given)
    assert (answer.status_code, answer.data["error"]["code"]) == (403, "consent_required")
    applied = stack.call("POST", "/cases", "company", application(FOOD, consentId=given))
    assert (applied.status_code, applied.data["error"]["code"]) == (403, "consent_required")
    # Nor another applicant's consent for the right item.
    elders = _consent(stack, "elder", ELDERLY)["consentId"]
    theirs = stack.call("POST", "/cases", "lisi", {
        "itemCode": ELDERLY, "channel": "web", "consentId": elders,
        "applicant": {"type": "natural", "name": "李四", "idNumber": "440305199003070014"},
        "form": {"name": "李四", "registeredAddress": "广东省深圳市南山区粤海街道科苑路8号",
                 "payout": "银行账户"}})
    assert (theirs.status_code, theirs.data["error"]["code"]) == (403, "consent_required")
    assert stack.registries.queries == []
    assert stack.call("GET", "/me/cases", "company").data["cases"] == []


def test_a_check_asks_only_what_its_rules_read_and_a_repeat_is_one_log_entry(stack):
    from chalicelib.adapters.models import CaseRecord
    from chalicelib.services import catalogue, instant_approval
    case_no = _elder_applies(stack)
    stack.wait_status(case_no, 11)
    assert stack.registries.queries[0]["fields"] == ["birthDate", "registeredArea", "status"]
    # The check's gathering done again (a redelivery that died before its commit): the
    # registry is asked again, the elder's log holds the query once.
    case = CaseRecord.get(case_no, "META")
    item = catalogue.pinned_version(case.itemCode, case.itemVersion)
    facts, notes = instant_approval.gather(case, item, instant_approval.rules_of(item))
    assert facts["population"]["age"] >= 80 and notes == []
    assert len(stack.registries.queries) == 2
    queries = [e for e in _log(stack, "elder") if e["action"] == "query"]
    assert [(e["registry"], e["caseNo"]) for e in queries] == [("population", case_no)]


def test_a_start_the_batch_has_no_time_left_for_is_left_for_the_next_delivery(stack,
                                                                             monkeypatch):
    from chalicelib.events import handlers
    from chalicelib.services import progress
    monkeypatch.setattr(handlers, "START_MARGIN_MS", 10 ** 9)   # no batch has the time
    case_no = _elder_applies(stack)
    stack.pump.run_until(lambda: False, 2)
    case = stack.case(case_no, "elder")
    assert (case["status"], case["workflow"]) == (1, "queued") and "ruleCheck" not in case
    assert stack.registries.queries == [] and progress.start_pending(case_no)
    monkeypatch.setattr(handlers, "START_MARGIN_MS", 15_000)
    assert stack.wait_status(case_no, 11)["workflow"] == "instant"


def test_the_items_with_rules_are_listed_with_their_switch(stack):
    listed = stack.call("GET", "/instant-approval/items", "supervisor").data["items"]
    assert [(i["itemCode"], i["rules"], i["enabled"]) for i in listed] == [(ELDERLY, 4, True)]
    stack.call("PUT", f"/items/{ELDERLY}/instant-approval", "supervisor",
               {"enabled": False, "reason": "暂停"})
    [item] = stack.call("GET", "/instant-approval/items", "clerk").data["items"]
    assert (item["enabled"], item["reason"], item["updatedBy"]) == (
        False, "暂停", "staff:feng-jc")
    assert stack.call("GET", "/instant-approval/items", "elder").status_code == 403
