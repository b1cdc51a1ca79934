"""Every state-changing route under concurrent requests: one winner where one is allowed,
a clear 409 for the others, never a 5xx, and nothing duplicated or lost."""
import threading
from collections import Counter

import boto3

from .harness import FOOD, REGION, another, application


def race(n: int, request):
    """Run request(i) on n threads released together; the responses, in order."""
    barrier, answers = threading.Barrier(n), [None] * n

    def run(i):
        barrier.wait()
        answers[i] = request(i)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def _statuses(answers) -> Counter:
    return Counter(a.status_code for a in answers)


def _items(stack, kind: str) -> list[dict]:
    table = boto3.resource("dynamodb", region_name=REGION).Table(stack.env["OW_CASES_TABLE"])
    return [i for i in table.scan()["Items"] if i.get("rt") == kind]


def test_concurrent_requests_each_see_their_own_caller(stack):
    """The owner and a stranger read one case at once: each answer is for its own caller
    (Chalice keeps the request on the app object; the local server and tests make it per
    thread, or one caller's token would serve another)."""
    case_no = stack.call("POST", "/cases", "company", application(FOOD)).data["caseNo"]
    callers = ["company", "applicant"] * 20
    for _ in range(3):
        answers = race(40, lambda i: stack.call("GET", f"/cases/{case_no}", callers[i]))
        assert [a.status_code for a in answers] == [200, 404] * 20


def test_twenty_racing_decisions_on_one_task_have_one_winner(stack):
    case_no = stack.call("POST", "/cases", "company", application(FOOD)).data["caseNo"]
    task = stack.open_task(case_no, "ZWFW", "clerk")
    decisions = ["accept", "refuse"] * 10
    answers = race(20, lambda i: stack.decide(task["taskId"], "clerk", decisions[i],
                                              f"意见{i}"))
    assert _statuses(answers) == {200: 1, 409: 19}
    assert {a.data["error"]["code"] for a in answers if a.status_code == 409} == \
        {"task_already_decided"}
    winner = next(i for i, a in enumerate(answers) if a.status_code == 200)
    expected = 3 if decisions[winner] == "accept" else 5
    stack.pump.run_until(lambda: len(stack.case(case_no)["timeline"]) >= 3)
    case = stack.case(case_no)
    assert case["status"] in (expected, 8)
    decided = [e for e in case["timeline"] if e["action"] == "decision"]
    assert [(e["decision"], e["opinion"]) for e in decided] == [(decisions[winner],
                                                                f"意见{winner}")]


def test_the_same_application_sent_twenty_times_at_once_is_one_case(stack):
    answers = race(20, lambda i: stack.call("POST", "/cases", "company", application(FOOD),
                                            headers={"Idempotency-Key": "double-click"}))
    assert _statuses(answers) == {201: 20}
    assert len({a.data["caseNo"] for a in answers}) == 1
    assert len(_items(stack, "case")) == 1
    sfn = boto3.client("stepfunctions", region_name=REGION)

    def executions():
        return sfn.list_executions(stateMachineArn=stack.env["OW_STATE_MACHINE_ARN"])[
            "executions"]
    assert stack.pump.run_until(executions)
    stack.pump.run_until(lambda: False, timeout=0.5)
    assert len(executions()) == 1


def test_concurrent_applications_without_keys_are_distinct_cases(stack):
    answers = race(16, lambda i: stack.call("POST", "/cases", "company", another(FOOD, i)))
    assert _statuses(answers) == {201: 16}
    assert len({a.data["caseNo"] for a in answers}) == 16 == len(_items(stack, "case"))


def test_identical_applications_without_keys_at_once_are_one_case(stack):
    answers = race(20, lambda i: stack.call("POST", "/cases", "company", application(FOOD)))
    assert _statuses(answers) == {201: 1, 409: 19}
    assert {a.data["error"]["code"] for a in answers if a.status_code == 409} == \
        {"duplicate_open_case"}
    assert [c["pk"] for c in _items(stack, "case")] == \
        [next(a.data["caseNo"] for a in answers if a.status_code == 201)]


def _history(stack, code: str) -> list[dict]:
    return stack.call("GET", f"/admin/items/{code}/history", "admin").data["history"]


def test_catalogue_administration_under_racing_admins(stack):
    def reason(i):
        return {"reason": f"并发{i}"}

    # A new version: one draft, the others told one exists.
    answers = race(8, lambda i: stack.call("POST", f"/admin/items/{FOOD}/versions", "admin",
                                           reason(i)))
    assert _statuses(answers) == {201: 1, 409: 7}
    # Publishing it: the first publishes, retries are the same published version.
    answers = race(8, lambda i: stack.call("POST", f"/admin/items/{FOOD}/versions/2/publish",
                                           "admin", reason(i)))
    assert set(_statuses(answers)) <= {200, 409} and _statuses(answers)[200] >= 1
    assert [h["action"] for h in _history(stack, FOOD)].count("publish") == 1
    assert stack.call("GET", f"/items/{FOOD}").data["version"] == 2
    # Suspending: one suspends, the others find it suspended.
    answers = race(8, lambda i: stack.call("POST", f"/admin/items/{FOOD}/suspend", "admin",
                                           reason(i)))
    assert _statuses(answers) == {200: 1, 409: 7}
    assert [h["action"] for h in _history(stack, FOOD)].count("suspend") == 1


def test_racing_creations_of_one_catalogue_entry_make_one(stack):
    entry = {"baseCode": "000299001000", "name": "并发测试事项", "kind": "01",
             "legalBasis": "《测试法》", "definingDept": "测试部"}
    answers = race(8, lambda i: stack.call("POST", "/admin/catalogue", "admin",
                                           {"entry": entry, "reason": f"新建{i}"}))
    assert _statuses(answers) == {201: 1, 409: 7}
    history = stack.call("GET", "/admin/items/000299001000/history", "admin").data["history"]
    assert [h["action"] for h in history] == ["create"]


def test_racing_changes_of_one_catalogue_entry_apply_one_at_a_time(stack):
    base = "000201012000"
    answers = race(6, lambda i: stack.call("PUT", f"/admin/catalogue/{base}", "admin", {
        "entry": {"name": f"食品经营许可{i}"}, "reason": f"改名{i}"}))
    assert set(_statuses(answers)) <= {200, 409} and _statuses(answers)[200] >= 1
    history = stack.call("GET", f"/admin/items/{base}/history", "admin").data["history"]
    assert len([h for h in history if h["action"] == "update"]) == _statuses(answers)[200]
    final = stack.call("GET", f"/catalogue/{base}").data["name"]
    winners = [i for i, a in enumerate(answers) if a.status_code == 200]
    assert final in {f"食品经营许可{i}" for i in winners}


def test_parallel_departments_approving_at_once_conclude_the_case_once(stack):
    from .harness import HYGIENE
    case_no = stack.call("POST", "/cases", "company", application(HYGIENE)).data["caseNo"]
    stack.decide(stack.open_task(case_no, "ZWFW", "clerk")["taskId"], "clerk", "accept",
                 "受理")
    reviews = [stack.open_task(case_no, dept, user)
               for dept, user in (("WSJK", "wsjk"), ("XFJY", "xfjy"))]
    answers = race(2, lambda i: stack.decide(reviews[i]["taskId"], ("wsjk", "xfjy")[i],
                                             "approve", "同意"))
    assert _statuses(answers) == {200: 2}
    stack.wait_status(case_no, 11)
    stack.pump.run_until(lambda: False, timeout=1.0)
    case = stack.case(case_no)
    assert [e["status"] for e in case["timeline"] if e["action"] == "status"] == [1, 3, 8, 11]
    licenses = boto3.resource("dynamodb", region_name=REGION).Table(
        stack.env["OW_LICENSES_TABLE"]).scan()["Items"]
    assert [item["licenseId"] for item in licenses if item["caseNo"] == case_no] == \
        [case["licenseId"]]


def test_racing_deliveries_open_the_next_stage_once(stack):
    from chalicelib import wiring
    from chalicelib.services import stages

    from .harness import RESTAURANT
    case_no = stack.call("POST", "/cases", "company", application(RESTAURANT)).data["caseNo"]
    stack.decide(stack.open_task(case_no, "ZWFW", "clerk")["taskId"], "clerk", "accept",
                 "受理")
    first = stack.open_task(case_no, "SCJG", "scjg")
    assert stack.pump.run_until(lambda: len(stack.case(case_no)["tasks"]) == 6)
    # The decision is committed; before the stream handler gets to it, eight deliveries
    # of "a review decided" race to move the case on: the second stage opens once.
    stack.decide(first["taskId"], "scjg", "approve", "同意")
    outcomes = race(8, lambda i: stages.advance(wiring.stores().case_files, case_no))
    opened = [int(o.split()[1]) for o in outcomes if o.startswith("opened")]
    assert sum(opened) == 3 and all(o == "waiting" or o.startswith("opened")
                                    for o in outcomes)
    stack.pump.run_until(lambda: False, timeout=1.0)
    created = [e["taskId"].split("-", 1)[1] for e in stack.case(case_no)["timeline"]
               if e["action"] == "task_created"]
    assert sorted(created) == ["A1", "R1-SCJG", "R2-SCJG", "R2-WSJK", "R2-XFJY"]
