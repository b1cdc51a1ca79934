"""Applying: idempotency, validation (nothing written), who may see what."""
import json
from datetime import UTC

import boto3

from .harness import FOOD, HYGIENE, REGION, another, application
from .test_concurrency import race


def _case_records(stack) -> list[dict]:
    table = boto3.resource("dynamodb", region_name=REGION).Table(stack.env["OW_CASES_TABLE"])
    return [r for r in table.scan()["Items"] if r.get("rt") == "case"]


def _executions(stack) -> list[dict]:
    sfn = boto3.client("stepfunctions", region_name=REGION)
    return sfn.list_executions(stateMachineArn=stack.env["OW_STATE_MACHINE_ARN"])["executions"]


def test_same_idempotency_key_and_body_returns_the_same_case(stack):
    key = {"Idempotency-Key": "client-retry-42"}
    first = stack.call("POST", "/cases", "company", application(FOOD), headers=key)
    again = stack.call("POST", "/cases", "company", application(FOOD), headers=key)
    assert first.status_code == again.status_code == 201
    assert again.data == first.data
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert len(_case_records(stack)) == 1
    assert first.data["workflow"] == "queued"
    # The workflow starts from the starts queue: once, whatever the retries.
    assert stack.pump.run_until(lambda: _executions(stack))
    stack.pump.run_until(lambda: False, timeout=0.5)
    assert [e["name"] for e in _executions(stack)] == [first.data["caseNo"]]


def test_an_application_with_a_key_reads_only_its_item_before_its_one_commit(stack,
                                                                           monkeypatch):
    """Two round trips: the item's current version read, one transaction — no
    Idempotency-Key or open-application marker read first (a retry or a duplicate is found
    when the commit fails), and the number from the function's block of the day's numbers,
    which is drawn from the counter once in BLOCK applications."""
    import botocore.client

    from chalicelib.services.cases import numbering
    stack.call("POST", "/cases", "company", another(FOOD, 1))   # caches filled
    numbering.forget()   # as a new container: no block in hand
    calls = []
    original = botocore.client.BaseClient._make_api_call

    def counted(client, operation, params):
        if client.meta.service_model.service_name == "dynamodb":
            calls.append(operation)
        return original(client, operation, params)

    monkeypatch.setattr(botocore.client.BaseClient, "_make_api_call", counted)
    trips, numbers = [], []
    for n in range(numbering.BLOCK + 1):
        calls.clear()
        made = stack.call("POST", "/cases", "company", another(FOOD, 100 + n),
                          headers={"Idempotency-Key": f"two-round-trips-{n}"})
        assert made.status_code == 201, made.data
        trips.append(list(calls))
        numbers.append(int(made.data["caseNo"][14:21]))
    monkeypatch.undo()
    drawn = ["GetItem", "UpdateItem", "TransactWriteItems"]
    assert trips == [drawn] + [["GetItem", "TransactWriteItems"]] * (numbering.BLOCK - 1) \
        + [drawn], trips
    # One block's numbers in order, then the next block's first.
    assert numbers[:numbering.BLOCK] == list(range(numbers[0], numbers[0] + numbering.BLOCK))
    assert numbers[numbering.BLOCK] > numbers[numbering.BLOCK - 1]


def test_numbers_drawn_at_once_by_two_containers_never_repeat(stack):
    """Threads of one container share its block; a second container (its blocks
    forgotten) draws blocks of its own: every number handed out once, none past what the
    counter reserved."""
    from chalicelib.services.cases import numbering
    day = "20300101"
    numbering.forget()
    first = race(40, lambda i: numbering.next_sequence("440300", day))
    numbering.forget()
    second = race(40, lambda i: numbering.next_sequence("440300", day))
    handed = first + second
    assert len(set(handed)) == len(handed) == 80
    table = boto3.resource("dynamodb", region_name=REGION).Table(stack.env["OW_CASES_TABLE"])
    reserved = int(table.get_item(Key={"pk": f"SEQ#440300#{day}", "sk": "SEQ"})["Item"]["value"])
    assert max(handed) <= reserved
    # The first container's blocks used up before it drew again: 40 numbers, 4 draws.
    assert sorted(first) == list(range(1, 41))


def test_reusing_an_idempotency_key_for_another_body_is_rejected(stack):
    key = {"Idempotency-Key": "k-1"}
    first = stack.call("POST", "/cases", "company", application(FOOD), headers=key)
    assert first.status_code == 201
    other = stack.call("POST", "/cases", "company", application(HYGIENE), headers=key)
    assert other.status_code == 422
    assert other.data["error"]["code"] == "idempotency_key_reused"
    assert other.data["error"]["field"] == "Idempotency-Key"
    assert len(_case_records(stack)) == 1


def test_without_a_key_each_application_is_a_new_case(stack):
    one = stack.call("POST", "/cases", "company", application(FOOD)).data["caseNo"]
    other = application(FOOD)
    other["form"] = {**other["form"], "businessName": "小吃二店"}
    two = stack.call("POST", "/cases", "company", other).data["caseNo"]
    assert one != two and int(two[14:21]) == int(one[14:21]) + 1


def _publish(stack, code: str, **changes) -> None:
    """A new version of an item with `changes`, published."""
    item = stack.call("GET", f"/admin/items/{code}/versions/1", "admin").data
    draft = stack.call("POST", f"/admin/items/{code}/versions", "admin", {"reason": "改"})
    assert draft.status_code == 201, draft.data
    path = f"/admin/items/{code}/versions/{draft.data['version']}"
    current = stack.call("GET", path, "admin")
    changed = {**{k: v for k, v in current.data.items() if k in item}, **changes}
    assert stack.call("PUT", path, "admin", {"item": changed, "reason": "改"}, headers={
        "If-Match": current.headers["ETag"]}).status_code == 200
    assert stack.call("POST", f"{path}/publish", "admin", {"reason": "发布"}).status_code == 200


def test_an_identical_application_while_one_is_open_is_told_which_case_is_open(stack):
    from collections import Counter

    from .test_concurrency import race

    def twenty():
        return race(20, lambda i: stack.call("POST", "/cases", "company", application(FOOD)))
    answers = twenty()
    assert Counter(a.status_code for a in answers) == {201: 1, 409: 19}
    open_case = next(a.data["caseNo"] for a in answers if a.status_code == 201)
    refused = next(a for a in answers if a.status_code == 409)
    assert _error(refused) == (409, "duplicate_open_case", "itemCode")
    assert open_case in refused.data["error"]["detail"]
    assert [r["pk"] for r in _case_records(stack)] == [open_case]
    # Another form, or another applicant, is another application.
    other = application(FOOD)
    other["form"] = {**other["form"], "address": "深圳市福田区深南大道2号"}
    assert stack.call("POST", "/cases", "company", other).status_code == 201
    # Once the open case is closed (here withdrawn), the same application is taken —
    # once, however many arrive together.
    assert stack.call("POST", f"/cases/{open_case}/withdraw", "company",
                      {"reason": "重新申请"}).status_code == 200
    again = twenty()
    assert Counter(a.status_code for a in again) == {201: 1, 409: 19}
    renewed = next(a.data["caseNo"] for a in again if a.status_code == 201)
    assert renewed != open_case
    assert renewed in next(a for a in again if a.status_code == 409).data["error"]["detail"]
    # An item whose version allows parallel cases takes them.
    _publish(stack, FOOD, allowParallelCases=True)
    parallel = [stack.call("POST", "/cases", "company", application(FOOD)) for _ in range(2)]
    assert [p.status_code for p in parallel] == [201, 201]
    assert len(_case_records(stack)) == 5


def _error(response):
    return response.status_code, response.data["error"]["code"], response.data["error"].get("field")


def test_bad_input_gets_a_json_error_naming_the_field_and_writes_nothing(stack):
    bad_id = application(FOOD)
    bad_id["applicant"] = {**bad_id["applicant"], "idNumber": "91440300MA5FXK7Q3X"}
    bad_form = application(FOOD)
    bad_form["form"] = {**bad_form["form"], "category": "火锅"}
    missing = application(FOOD)
    del missing["form"]["address"]
    cases = [
        ("{not json", (400, "validation_error", "body")),
        (application(FOOD, itemCode=""), (400, "validation_error", "itemCode")),
        # What the document cannot state (an item, its form, a check character): 422.
        (application(FOOD, itemCode="NO-SUCH-ITEM"), (422, "item_not_open", "itemCode")),
        (bad_id, (422, "bad_check_character", "applicant.idNumber")),
        (bad_form, (422, "form_not_valid", "form.category")),
        (missing, (422, "form_not_valid", "form.address")),
        (application(FOOD, channel="fax"), (400, "validation_error", "channel")),
        (application(FOOD, materials=[{"name": "x"}]),
         (422, "material_not_accepted", "materials.0.name")),
        (application(FOOD, materials=[{"name": "营业执照"}]),
         (400, "validation_error", "materials.0")),
    ]
    for body, expected in cases:
        assert _error(stack.call("POST", "/cases", "company", body)) == expected, body
    # 食品经营许可 is for legal persons: 张三 applying in his own name is turned away.
    person = application(FOOD, applicant={"type": "natural", "name": "张三",
                                          "idNumber": "11010519491231002X"})
    assert _error(stack.call("POST", "/cases", "applicant", person)) == \
        (422, "unprocessable", "applicant.type")
    assert _case_records(stack) == []
    assert _executions(stack) == []


def test_applying_needs_a_token_and_ones_own_name(stack):
    assert _error(stack.call("POST", "/cases", None, application(FOOD))) == \
        (401, "unauthorized", "Authorization")
    other = application(FOOD)
    other["applicant"] = {"type": "natural", "name": "李四", "idNumber": "11010119900307803X"}
    status, code, _ = _error(stack.call("POST", "/cases", "company", other))
    assert (status, code) == (403, "forbidden")
    forged = stack.call("POST", "/cases", None, application(FOOD),
                        headers={"Authorization": "Bearer not.a.token"})
    assert forged.status_code == 401


def test_who_sees_a_case(stack):
    created = stack.call("POST", "/cases", "company", application(FOOD)).data
    case_no = created["caseNo"]
    owner = stack.call("GET", f"/cases/{case_no}", "company")
    assert owner.status_code == 200
    assert owner.data["applicant"]["idNumber"] == "91440300MA5FXK7Q3T"
    assert owner.data["applicant"]["phone"] == "13800138000"
    # Staff read a case only when their department holds or held a task on it (the
    # supervisor every case); to the others it does not exist.
    stack.open_task(case_no, "ZWFW", "clerk")
    clerk = stack.call("GET", f"/cases/{case_no}", "clerk")
    assert clerk.status_code == 200 and clerk.data["form"]["businessName"] == "小吃店"
    assert stack.call("GET", f"/cases/{case_no}", "supervisor").status_code == 200
    for outsider in ("scjg", "rsj", "applicant"):  # not yet involved, unrelated, stranger
        assert _error(stack.call("GET", f"/cases/{case_no}", outsider))[:2] == \
            (404, "not_found"), outsider
    stack.decide(f"{case_no}-A1", "clerk", "accept", "受理")
    stack.open_task(case_no, "SCJG", "scjg")
    assert stack.call("GET", f"/cases/{case_no}", "scjg").status_code == 200

    # Anonymous: 401 without a password, 403 with a wrong one — the same for a case that
    # does not exist.
    missing = "440300202611240000001X"
    for number in (case_no, missing):
        anonymous = stack.call("GET", f"/cases/{number}")
        assert _error(anonymous)[:2] == (401, "unauthorized")
        assert anonymous.headers["WWW-Authenticate"] == 'Bearer realm="onewindow"'
    wrong = "000000" if created["queryPassword"] != "000000" else "111111"
    for number in (case_no, missing):
        answer = stack.call("GET", f"/cases/{number}", headers={"X-Query-Password": wrong})
        assert _error(answer) == (403, "forbidden", "password")
    public = stack.call("GET", f"/cases/{case_no}",
                        headers={"X-Query-Password": created["queryPassword"]})
    assert public.status_code == 200
    # Status, item, dates, the holder masked: no staff, no opinions, no form.
    assert public.data["applicant"] == {"type": "legal", "idType": "001",
                                        "name": "深圳小吃有限公司",
                                        "idNumber": "914403********7Q3T"}
    assert public.data["status"] == 8
    assert not {"form", "tasks", "timeline", "materials", "supplement"} & set(public.data)


def test_unknown_ids_are_404(stack):
    assert _error(stack.call("GET", "/cases/440300202611240000001X", "clerk"))[:2] == \
        (404, "not_found")
    assert _error(stack.call("GET", "/cases/nonsense", "clerk"))[:2] == (404, "not_found")
    assert _error(stack.call("GET", "/items/NOPE"))[:2] == (404, "not_found")
    assert _error(stack.call("POST", "/tasks/440300202611240000001X-A1/decision", "clerk",
                             {"decision": "accept"}))[:2] == (404, "not_found")
    assert _error(stack.call("GET", "/licenses/1.2.156.3005.2.x", "clerk"))[:2] == \
        (404, "not_found")


def test_applications_take_only_published_items(stack):
    suspended = stack.call("POST", f"/admin/items/{FOOD}/suspend", "admin",
                           {"reason": "整改期间暂停"})
    assert suspended.status_code == 200 and suspended.data["status"] == "suspended"
    refused = stack.call("POST", "/cases", "company", application(FOOD))
    assert (refused.status_code, refused.data["error"]["code"], refused.data["error"]["field"]) == \
        (422, "item_not_open", "itemCode")
    assert "suspended" in refused.data["error"]["detail"]
    assert _case_records(stack) == []


def test_openapi_document_lists_every_route(stack):
    from chalicelib.contract.openapi import documented_path
    document = stack.call("GET", "/openapi.json").data
    assert document["openapi"].startswith("3.")
    served = {(documented_path(path), method.lower()) for path, methods in stack.app.routes.items()
              for method in methods}
    listed = {(path, method) for path, operations in document["paths"].items()
              for method in operations}
    assert served == listed


def test_chalices_own_errors_come_in_the_same_json_shape(stack):
    response = stack.client.http.post("/cases", body="a=b", headers={
        "Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 415
    import json
    assert json.loads(response.body)["error"]["code"] == "unsupported_media_type"


def test_an_applicant_applies_only_in_the_name_its_token_carries(stack):
    # No ID number in the token: no telling whose application it is.
    nameless = stack.call("POST", "/cases", body=application(FOOD),
                          headers={"Authorization": f"Bearer {stack.token('company', idn=None)}"})
    assert _error(nameless) == (403, "forbidden", "Authorization")
    other = stack.call("POST", "/cases", "applicant", application(FOOD))  # the company's USCC
    assert _error(other)[:2] == (403, "forbidden")


def test_a_license_is_read_by_its_holder_and_the_staff_of_its_case_only(stack):
    case = stack.approve_in_parallel()
    path = f"/licenses/{case['licenseId']}"
    assert stack.call("GET", path, "company").status_code == 200
    for reader in ("wsjk", "xfjy", "clerk", "supervisor"):   # staff: with a purpose
        assert _error(stack.call("GET", path, reader))[:3] == (422, "purpose_required",
                                                               "purpose"), reader
        assert stack.call("GET", f"{path}?purpose=复核", reader).status_code == 200, reader
    for outsider in ("applicant", "scjg", "rsj"):
        assert _error(stack.call("GET", path, outsider))[:2] == (404, "not_found"), outsider


def _retry_after(answers) -> list[int]:
    """The Retry-After of every 429 among `answers`: each has one, seconds within the
    window (never the whole window: the oldest guess counted was already made)."""
    from chalicelib.services import query_passwords
    found = [int(a.headers["Retry-After"]) for a in answers if a.status_code == 429]
    assert all(1 <= seconds <= query_passwords.WINDOW_SECONDS for seconds in found), found
    return found


def test_wrong_query_passwords_are_limited_per_address_in_a_sliding_window(stack, monkeypatch):
    from collections import Counter
    from datetime import datetime, timedelta

    from chalicelib.api import http
    from chalicelib.services import clock, query_passwords

    from .test_concurrency import race
    created = stack.call("POST", "/cases", "company", application(FOOD)).data
    case_no, right = created["caseNo"], created["queryPassword"]
    wrong = next(p for p in ("000000", "111111") if p != right)
    # The caller's address, as API Gateway would give it, from a test header.
    monkeypatch.setattr(http, "source_ip", lambda request: request.headers.get("x-test-ip"))
    window = query_passwords.WINDOW_SECONDS
    boundary = (int(clock.now().timestamp()) // window + 1) * window
    moment = {"now": datetime.fromtimestamp(boundary - 2, UTC)}
    monkeypatch.setattr(clock, "now", lambda: moment["now"])

    def ask(number, password, ip="203.0.113.7"):
        return stack.call("GET", f"/cases/{number}",
                          headers={"X-Query-Password": password, "X-Test-Ip": ip})
    # Twelve guesses at once just before a fixed window would end: five answered (wrong),
    # the rest locked out...
    answers = race(12, lambda i: ask(case_no, wrong))
    assert Counter(a.status_code for a in answers) == {403: 5, 429: 7}
    assert _error(answers[[a.status_code for a in answers].index(429)]) == \
        (429, "too_many_attempts", "password")
    assert len(_retry_after(answers)) == 7
    # ...and twelve more just after it: the window slides, nothing more gets through.
    moment["now"] += timedelta(seconds=4)
    later = race(12, lambda i: ask(case_no, wrong))
    assert Counter(a.status_code for a in later) == {429: 12}
    # The lock ends when the oldest guess leaves the window: 4 s later, 4 s sooner.
    assert max(_retry_after(later)) <= query_passwords.WINDOW_SECONDS - 4
    locked = ask(case_no, right)
    assert locked.status_code == 429   # the guesser is locked, right or wrong
    assert _retry_after([locked])
    # The stranger's guesses do not lock the holder out, asking from elsewhere.
    assert ask(case_no, right, ip="198.51.100.20").status_code == 200
    # A number that was never issued: the same answers, the same limit.
    missing = "440300202611240000001X"
    guesses = [ask(missing, wrong) for _ in range(6)]
    assert [a.status_code for a in guesses] == [403] * 5 + [429]
    assert _retry_after(guesses)
    moment["now"] += timedelta(seconds=window)
    assert ask(case_no, right).status_code == 200


def test_guesses_from_many_addresses_only_slow_a_case_they_never_lock_the_holder(
        stack, monkeypatch):
    from collections import Counter

    from chalicelib.api import http
    from chalicelib.services import query_passwords

    from .test_concurrency import race
    created = stack.call("POST", "/cases", "company", application(FOOD)).data
    case_no, right = created["caseNo"], created["queryPassword"]
    wrong = next(p for p in ("000000", "111111") if p != right)
    monkeypatch.setattr(http, "source_ip", lambda request: request.headers.get("x-test-ip"))

    def ask(password, ip):
        return stack.call("GET", f"/cases/{case_no}",
                          headers={"X-Query-Password": password, "X-Test-Ip": ip})
    spread = query_passwords.CASE_CEILING // query_passwords.ATTEMPTS
    answers = race(spread * query_passwords.ATTEMPTS,
                   lambda i: ask(wrong, f"192.0.2.{i % spread}"))
    assert Counter(a.status_code for a in answers) == {403: spread * query_passwords.ATTEMPTS}
    # The case's ceiling is reached: a new address gets one wrong guess, not five...
    slowed = race(6, lambda i: ask(wrong, "192.0.2.200"))
    assert Counter(a.status_code for a in slowed) == {403: 1, 429: 5}
    assert len(_retry_after(slowed)) == 5
    # ...and the holder, who has not guessed wrong, still gets in.
    assert ask(right, "198.51.100.20").status_code == 200


def test_me_and_my_cases_newest_first_by_the_id_number_in_the_token(stack):
    me = stack.call("GET", "/me", "scjg_lead").data
    assert me == {"sub": "staff:zheng-scjg", "role": "reviewer", "name": "郑科长",
                  "departments": ["SCJG"], "leads": ["SCJG"], "actsFor": [], "assurance": 1}
    assert stack.call("GET", "/me").status_code == 401
    mine = [stack.call("POST", "/cases", "company", application(
        FOOD, form={**application(FOOD)["form"], "businessName": f"小吃{n}店"})).data["caseNo"]
        for n in range(3)]
    # Entered at the counter for the company: the company's too.
    counter = stack.call("POST", "/cases", "clerk", {**application(FOOD), "channel": "counter"})
    mine.append(counter.data["caseNo"])
    first = stack.call("GET", "/me/cases?limit=3", "company").data
    rest = stack.call("GET", f"/me/cases?limit=3&cursor={first['next']}", "company").data
    listed = [c["caseNo"] for c in first["cases"] + rest["cases"]]
    assert listed == sorted(mine, reverse=True) and rest["next"] is None
    assert first["cases"][0]["statusLabel"] and first["cases"][0]["itemName"]
    # the deadline a list shows, as the case has it
    newest = stack.call("GET", f"/cases/{listed[0]}", "company").data
    assert first["cases"][0]["promisedBy"] == newest["promisedBy"]
    assert stack.call("GET", "/me/cases", "applicant").data["cases"] == []  # not theirs
    assert _error(stack.call("GET", "/me/cases", "clerk"))[:2] == (403, "forbidden")


def test_refused_accesses_are_audited_and_supervisors_read_them(stack):
    from chalicelib.services import clock
    created = stack.call("POST", "/cases", "company", application(FOOD)).data
    case_no = created["caseNo"]
    refused = [
        stack.call("GET", f"/cases/{case_no}", "applicant"),           # 404, but it exists
        stack.call("GET", f"/cases/{case_no}", headers={
            "Authorization": "Bearer not.a.token", "User-Agent": "probe/1.0"}),  # 401
        stack.call("GET", f"/cases/{case_no}", headers={"X-Query-Password": "999999"
                   if created["queryPassword"] != "999999" else "888888"}),      # 403
        stack.call("POST", f"/cases/{case_no}/revoke", "clerk", {"reason": "x"}),
    ]
    assert [r.status_code for r in refused] == [404, 401, 403, 403]
    missing = stack.call("GET", "/cases/440300202611240000001X", "applicant")
    assert missing.status_code == 404   # nothing hidden: not audited
    day = clock.now().strftime("%Y-%m-%d")
    assert _error(stack.call("GET", f"/audit?day={day}", "clerk"))[:2] == (403, "forbidden")
    assert len(stack.call("GET", f"/audit?day={day}&limit=2", "supervisor")
               .data["entries"]) == 2
    entries = stack.audit(day)
    mine = [e for e in entries if case_no in e["path"]]
    assert [(e["status"], e.get("sub")) for e in mine] == [
        (404, "person:zhang-san"), (401, None), (403, None), (403, "staff:li-clerk")]
    assert mine[1]["userAgent"] == "probe/1.0"
    assert all("not.a.token" not in json.dumps(e) for e in entries)
    assert not [e for e in entries if e["path"] == f"/cases/{'440300202611240000001X'}"
                and e["status"] == 404]
    # The supervisor's own refused read of the trail was written down too.
    assert any(e["path"] == "/audit" and e.get("sub") == "staff:li-clerk" for e in
               stack.audit(day))


def test_an_agent_applies_for_its_company_and_the_case_records_both(stack):
    created = stack.call("POST", "/cases", "agent", application(FOOD))  # the company's USCC
    assert created.status_code == 201, created.data
    case_no = created.data["caseNo"]
    case = stack.call("GET", f"/cases/{case_no}", "agent").data
    assert case["applicant"]["idNumber"] == "91440300MA5FXK7Q3T"   # the holder
    assert case["agent"] == {"sub": "person:chen-dai", "name": "陈代办",
                             "idNumber": "440305198807150023"}
    assert stack.call("GET", f"/cases/{case_no}", "company").status_code == 200
    stored = json.dumps([i for i in _case_records(stack) if i["pk"] == case_no], default=str)
    assert "440305198807150023" not in stored  # the agent's number is sealed too
    # Not an agent of this one: refused.
    other = {**application(FOOD), "applicant": {**application(FOOD)["applicant"],
                                                "idNumber": "91110108MA01A2B3CF"}}
    assert _error(stack.call("POST", "/cases", "agent", other))[:2] == (403, "forbidden")
    assert _error(stack.call("POST", "/cases", "lisi", application(FOOD)))[:2] == \
        (403, "forbidden")
    me = stack.call("GET", "/me", "agent").data
    assert me["actsFor"] == ["91440300MA5FXK7Q3T"] and me["assurance"] == 3
    listed = stack.call("GET", "/me/cases?for=91440300MA5FXK7Q3T", "agent").data["cases"]
    assert case_no in [c["caseNo"] for c in listed]
    assert _error(stack.call("GET", "/me/cases?for=91110108MA01A2B3CF", "agent"))[:3] == \
        (403, "forbidden", "for")


def test_an_item_may_require_a_stronger_verified_identity(stack):
    from chalicelib.services import catalogue as catalogue_service  # noqa: F401
    weak = stack.call("POST", "/cases", body=application(FOOD), headers={
        "Authorization": f"Bearer {stack.token('company', acr=1)}"})
    assert weak.status_code == 201  # the food item asks for level 1
    item = stack.call("GET", f"/admin/items/{FOOD}/versions/1", "admin").data
    draft = stack.call("POST", f"/admin/items/{FOOD}/versions", "admin", {"reason": "实名"})
    assert draft.status_code == 201, draft.data
    version = draft.data["version"]
    current = stack.call("GET", f"/admin/items/{FOOD}/versions/{version}", "admin")
    changed = {**{k: v for k, v in current.data.items() if k in item}, "minAssurance": 3}
    put = stack.call("PUT", f"/admin/items/{FOOD}/versions/{version}", "admin",
                     {"item": changed, "reason": "需三级实名"},
                     headers={"If-Match": current.headers["ETag"]})
    assert put.status_code == 200, put.data
    assert stack.call("POST", f"/admin/items/{FOOD}/versions/{version}/publish", "admin",
                      {"reason": "发布"}).status_code == 200
    refused = stack.call("POST", "/cases", body=application(FOOD), headers={
        "Authorization": f"Bearer {stack.token('company', acr=2)}"})
    assert _error(refused) == (403, "assurance_too_low", "Authorization")
    another = application(FOOD, form={**application(FOOD)["form"], "businessName": "二店"})
    assert stack.call("POST", "/cases", "company", another).status_code == 201


def test_id_and_phone_numbers_are_stored_sealed_and_shown_in_clear_only_to_who_may(stack):
    created = stack.call("POST", "/cases", "company", application(FOOD)).data
    raw = json.dumps([i for i in _case_records(stack) if i["pk"] == created["caseNo"]],
                     default=str, ensure_ascii=False)
    assert "91440300MA5FXK7Q3T" not in raw and "13800138000" not in raw
    assert "914403********7Q3T" in raw and "sealedApplicant" in raw
    owner = stack.call("GET", f"/cases/{created['caseNo']}", "company").data["applicant"]
    assert (owner["idNumber"], owner["phone"]) == ("91440300MA5FXK7Q3T", "13800138000")
    # Sealed for this case only: moved to another case it does not open.
    from chalicelib.adapters import sealing
    record = [i for i in _case_records(stack) if i["pk"] == created["caseNo"]][0]
    sealed = json.loads(record["sealedApplicant"]) if isinstance(
        record["sealedApplicant"], str) else record["sealedApplicant"]
    assert sealing.open_sealed(sealed, created["caseNo"])["idNumber"] == "91440300MA5FXK7Q3T"
    import pytest
    from cryptography.exceptions import InvalidTag
    with pytest.raises(InvalidTag):
        sealing.open_sealed(sealed, "440300202611240000001X")


def test_personal_data_typed_into_the_form_is_sealed_like_the_applicants(stack):
    form = {"businessName": "小吃店", "address": "深圳市南山区科技园1号 联系电话13912345678",
            "category": "餐饮服务"}
    created = stack.call("POST", "/cases", "company", application(FOOD, form=form)).data
    raw = json.dumps([i for i in _case_records(stack) if i["pk"] == created["caseNo"]],
                     default=str, ensure_ascii=False)
    import re
    assert "13912345678" not in raw, re.findall(".{80}13912345678.{20}", raw)
    assert "139****5678" in raw
    stack.open_task(created["caseNo"], "ZWFW", "clerk")
    for reader in ("company", "clerk", "supervisor"):
        assert stack.call("GET", f"/cases/{created['caseNo']}", reader).data["form"] == form


def test_only_applicants_and_counter_clerks_apply_and_staff_never_own_a_case(stack):
    """An evaluator, reviewer, supervisor or admin applying in someone's name (web or
    counter), even many at once, is refused before anything is read or written."""
    from concurrent.futures import ThreadPoolExecutor
    person = {"type": "natural", "name": "张三", "idNumber": "11010519491231002X"}
    attempts = [(user, application(FOOD, applicant=dict(person), channel=channel))
                for user in ("evaluator", "scjg", "scjg_lead", "supervisor", "admin")
                for channel in ("web", "counter")]
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda a: stack.call("POST", "/cases", a[0], a[1]), attempts))
    assert [(_error(a)[:2]) for a in answers] == [(403, "forbidden")] * len(attempts)
    assert _case_records(stack) == []
    # The applicant itself and the counter clerk still apply.
    assert stack.call("POST", "/cases", "company", application(FOOD)).status_code == 201
    assert stack.call("POST", "/cases", "clerk",
                      another(FOOD, channel="counter")).status_code == 201
    spec = stack.call("GET", "/openapi.json").data["paths"]["/cases"]["post"]
    assert spec["x-roles"] == ["applicant", "clerk"]
