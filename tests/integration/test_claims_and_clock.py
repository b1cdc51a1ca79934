"""Claimed inboxes, the overdue sweep on a clock the test controls, queued workflow starts
under throttling, and lifecycle events on the project's event bus."""
import itertools
import json
from datetime import timedelta

import boto3
from botocore.exceptions import ClientError

from chalicelib.adapters import aws
from chalicelib.domain import worktime
from chalicelib.services import clock, overdue

from .harness import FOOD, HYGIENE, REGION, another, application, sweep
from .test_concurrency import race

# What these sweeps find nothing of: invitations to rate, rectification deadlines.
NOTHING_ELSE = {"invitations": 0, "rectifications": 0}
_DISTINCT = itertools.count()   # each case a distinct application


def _review(stack, item=FOOD, dept="SCJG", user="scjg"):
    case_no = stack.call("POST", "/cases", "company", another(item, next(_DISTINCT))
                         ).data["caseNo"]
    accept = stack.open_task(case_no, "ZWFW", "clerk")
    stack.decide(accept["taskId"], "clerk", "accept", "受理")
    return case_no, stack.open_task(case_no, dept, user)


def test_racing_claims_have_one_winner_and_only_the_claimant_decides(stack):
    case_no, task = _review(stack)
    path = f"/tasks/{task['taskId']}/claim"
    answers = race(12, lambda i: stack.call("POST", path, ("scjg", "scjg2")[i % 2]))
    winners = {a.data["task"]["claimedBy"] for a in answers if a.status_code == 200}
    assert len(winners) == 1
    assert {a.status_code for a in answers} <= {200, 409}
    winner = "scjg" if winners == {"staff:wang-scjg"} else "scjg2"
    loser = "scjg2" if winner == "scjg" else "scjg"
    refused = stack.decide(task["taskId"], loser, "approve", "同意")
    assert refused.status_code == 409 and refused.data["error"]["code"] == "task_claimed"
    mine = stack.call("GET", "/tasks?mine=true", winner).data["tasks"]
    assert [t["taskId"] for t in mine] == [task["taskId"]]
    assert stack.call("GET", "/tasks?mine=true", loser).data["tasks"] == []
    # The claimant lets it go; the other takes it and decides.
    assert stack.call("POST", f"/tasks/{task['taskId']}/release", loser).status_code == 403
    assert stack.call("POST", f"/tasks/{task['taskId']}/release", winner).status_code == 200
    assert stack.decide(task["taskId"], loser, "approve", "同意").status_code == 200
    stack.wait_status(case_no, 11)
    actions = [e["action"] for e in stack.case(case_no)["timeline"]]
    assert actions.count("task_claimed") == 1 and actions.count("task_released") == 1


def test_the_departments_lead_reassigns_a_claimed_task(stack):
    _, task = _review(stack)
    stack.call("POST", f"/tasks/{task['taskId']}/claim", "scjg")
    stack.call("GET", "/tasks", "scjg2")   # 吴审查 works SCJG's inbox: on its roster
    body = {"to": "staff:wu-scjg"}
    assert stack.call("POST", f"/tasks/{task['taskId']}/assign", "scjg", body).status_code == 403
    assert stack.call("POST", f"/tasks/{task['taskId']}/assign", "wsjk",
                      body).status_code == 404  # another department's: not there for it
    moved = stack.call("POST", f"/tasks/{task['taskId']}/assign", "scjg_lead", body)
    assert moved.status_code == 200 and moved.data["task"]["claimedBy"] == "staff:wu-scjg"
    assert stack.decide(task["taskId"], "scjg", "approve", "同意").status_code == 409
    assert stack.decide(task["taskId"], "scjg2", "approve", "同意").status_code == 200


def test_the_inbox_filters_by_state_item_and_overdue(stack):
    food, food_task = _review(stack)
    hygiene = stack.call("POST", "/cases", "company", application(HYGIENE)).data["caseNo"]
    stack.open_task(hygiene, "ZWFW", "clerk")
    inbox = stack.call("GET", f"/tasks?item={FOOD}", "clerk").data["tasks"]
    assert inbox == []  # the food case's acceptance is decided
    clerk = stack.call("GET", f"/tasks?item={HYGIENE}&state=open", "clerk").data["tasks"]
    assert [t["caseNo"] for t in clerk] == [hygiene]
    assert stack.call("GET", "/tasks?state=decided", "clerk").status_code == 400
    assert stack.call("GET", "/tasks?overdue=maybe", "clerk").status_code == 400
    stack.call("POST", f"/tasks/{food_task['taskId']}/decision", "scjg", {
        "decision": "supplement", "opinion": "补正", "materials": ["营业执照"]})
    assert [t["state"] for t in stack.call("GET", "/tasks?state=supplement",
                                           "scjg").data["tasks"]] == ["supplement"]
    assert stack.call("GET", "/tasks?overdue=true", "scjg").data["tasks"] == []
    assert len(stack.call("GET", "/tasks?overdue=false", "scjg").data["tasks"]) == 1


def test_the_sweep_marks_overdue_tasks_and_cases_once_and_paused_ones_not(stack, monkeypatch):
    late_case, late_task = _review(stack)
    paused_case, paused_task = _review(stack)
    stack.call("POST", f"/tasks/{paused_task['taskId']}/decision", "scjg2", {
        "decision": "supplement", "opinion": "补正", "materials": ["营业执照"]})
    now = clock.now()
    assert sweep(now) == {"tasks": 0, "cases": 0, "cards": 0, **NOTHING_ELSE}
    later = now + timedelta(days=40)
    monkeypatch.setattr(clock, "now", lambda: later)
    # Driven by the scheduled event, as deployed, and twice: marked once.
    assert stack.pump.fire_schedules() == 2
    assert sweep(later) == {"tasks": 0, "cases": 0, "cards": 0, **NOTHING_ELSE}
    late = stack.case(late_case)
    assert [t["overdue"] for t in late["tasks"] if t["taskId"] == late_task["taskId"]]
    assert late["overdue"] == ["promised", "statutory"]
    assert late["clock"]["promisedRemainingMinutes"] < 0
    paused = stack.case(paused_case)
    assert paused["overdue"] == [] and not any(t.get("overdue") for t in paused["tasks"])
    assert stack.pump.run_until(lambda: [e["action"] for e in stack.case(late_case)[
        "timeline"]].count("overdue") == 3)  # the task, promised, statutory
    # Each names the deadline it missed; the task's, the moment it fell too.
    task = next(t for t in late["tasks"] if t["taskId"] == late_task["taskId"])
    assert sorted(((e.get("taskId"), e["detail"]) for e in stack.case(late_case)["timeline"]
                   if e["action"] == "overdue"), key=lambda e: e[1]["deadline"]) == [
        (None, {"deadline": "promised"}), (None, {"deadline": "statutory"}),
        (task["taskId"], {"deadline": "task", "dueAt": task["deadline"]})]
    marked = stack.call("GET", "/tasks?overdue=true", "scjg").data["tasks"]
    assert [t["taskId"] for t in marked] == [late_task["taskId"]]
    # The workflow never failed: the late task is still decided as usual.
    stack.decide(late_task["taskId"], "scjg", "approve", "同意")
    stack.wait_status(late_case, 11)


def test_the_sweep_watches_a_special_procedures_own_limit_and_materials_to_follow(
        stack, monkeypatch):
    # 现场勘验 has 5 working days of its own; the case's clock stops meanwhile.
    inspected, task = _review(stack)
    started = stack.call("POST", f"/tasks/{task['taskId']}/special-procedure", "scjg",
                         {"type": "inspection", "reason": "需现场核查经营场所"})
    assert started.status_code == 200
    due_at = stack.case(inspected)["specialProcedures"][0]["dueAt"]
    # 容缺: approved with a material to follow within 10 working days; concluded 12.
    following, review = _review(stack)
    assert stack.call("POST", f"/tasks/{review['taskId']}/decision", "scjg", {
        "decision": "approve", "opinion": "容缺受理",
        "pendingMaterials": ["食品安全管理制度文本"]}).status_code == 200
    stack.wait_status(following, 12)
    now = clock.now()
    assert sweep(now) == {"tasks": 0, "cases": 0, "cards": 0, **NOTHING_ELSE}

    later = now + timedelta(days=20)  # past both, but the case clock of the first stopped
    assert worktime.utc_text(later) > due_at
    monkeypatch.setattr(clock, "now", lambda: later)
    # (The concluded one is also invited to rate, three days after its conclusion.)
    assert sweep(later) == {"tasks": 0, "cases": 2, "cards": 0, "invitations": 1,
                                    "rectifications": 0}
    assert sweep(later) == {"tasks": 0, "cases": 0, "cards": 0, **NOTHING_ELSE}  # once
    assert stack.case(inspected)["overdue"] == ["special_procedure#1"]
    assert stack.case(following)["overdue"] == ["materials"]
    assert stack.pump.run_until(lambda: [
        e.get("detail", {}).get("deadline") for e in stack.case(following)["timeline"]
        if e["action"] == "overdue"] == ["materials"])
    # The procedure ends: the case's own deadlines are watched again, moved on by the
    # pause; the materials come in: nothing is watched any more.
    assert stack.call("POST", f"/tasks/{task['taskId']}/special-procedure/end", "scjg",
                      {"result": "现场勘验合格"}).status_code == 200
    assert stack.call("POST", f"/cases/{following}/supplement", "company", {
        "materials": [{"name": "食品安全管理制度文本",
                       "materialId": stack.upload("company")["materialId"]}]
    }).data["status"] == 11
    assert sweep(later) == {"tasks": 0, "cases": 0, "cards": 0, **NOTHING_ELSE}
    assert stack.case(inspected)["overdue"] == ["special_procedure#1"]


def _sfn_throttled(times: int):
    """The app's Step Functions client answers the first `times` StartExecution calls
    with ThrottlingException, as AWS does beyond the start quota."""
    refused = []

    def throttle(**_):
        if len(refused) < times:
            refused.append(1)
            raise ClientError({"Error": {"Code": "ThrottlingException",
                                         "Message": "Rate exceeded"}}, "StartExecution")
    client = aws.client("stepfunctions")
    client.meta.events.register("before-call.states.StartExecution", throttle)
    return refused, lambda: client.meta.events.unregister(
        "before-call.states.StartExecution", throttle)


def test_queued_starts_under_throttling_start_every_case_exactly_once(stack):
    refused, done = _sfn_throttled(15)
    try:
        answers = race(12, lambda i: stack.call("POST", "/cases", "company",
                                                another(FOOD, i)))
        cases = {a.data["caseNo"] for a in answers}
        assert len(cases) == 12 and {a.data["workflow"] for a in answers} == {"queued"}
        assert stack.case(next(iter(cases)))["workflow"] == "queued"
        sfn = boto3.client("stepfunctions", region_name=REGION)

        def started():
            return [e["name"] for e in sfn.list_executions(
                stateMachineArn=stack.env["OW_STATE_MACHINE_ARN"])["executions"]]
        assert stack.pump.run_until(lambda: len(started()) == 12, timeout=60)
    finally:
        done()
    assert len(refused) == 15
    assert sorted(started()) == sorted(cases)
    assert {stack.case(c)["workflow"] for c in cases} == {"started"}
    for case_no in cases:
        stack.open_task(case_no, "ZWFW", "clerk")


def test_a_start_that_keeps_failing_lands_in_the_dead_letter_queue_and_is_redriven(stack):
    from chalicelib.services import operations
    sqs = boto3.client("sqs", region_name=REGION)
    starts, dead = stack.env["OW_STARTS_QUEUE_URL"], \
        stack.env["OW_DEAD_LETTER_QUEUE_URLS"].split(",")[2]
    policy = sqs.get_queue_attributes(QueueUrl=starts, AttributeNames=["RedrivePolicy"])[
        "Attributes"]["RedrivePolicy"]
    # Two receives, not the stack's eight, before SQS sets it aside: the test's patience.
    sqs.set_queue_attributes(QueueUrl=starts, Attributes={"RedrivePolicy": json.dumps(
        {**json.loads(policy), "maxReceiveCount": 2})})
    refused, done = _sfn_throttled(10 ** 6)
    try:
        case_no = stack.call("POST", "/cases", "company", application(FOOD)).data["caseNo"]

        def waiting():
            return int(sqs.get_queue_attributes(QueueUrl=dead, AttributeNames=[
                "ApproximateNumberOfMessages"])["Attributes"]["ApproximateNumberOfMessages"])
        assert stack.pump.run_until(lambda: waiting() == 1, timeout=30)
    finally:
        done()
        sqs.set_queue_attributes(QueueUrl=starts, Attributes={"RedrivePolicy": policy})
    assert stack.case(case_no)["workflow"] == "queued"
    moved = operations.redrive()
    assert moved == {dead: 1}
    stack.open_task(case_no, "ZWFW", "clerk")
    assert waiting() == 0 and stack.case(case_no)["workflow"] == "started"


def test_every_change_is_published_once_on_the_bus(stack, bus_events, delivered):
    case = stack.approve_in_parallel()
    # The approval's document follows the approval (the stream writes it).
    assert stack.pump.run_until(lambda: [e["action"] for e in stack.case(
        case["caseNo"])["timeline"]].count("document_issued") == 2)
    stack.pump.run_until(lambda: False, timeout=0.5)
    case = stack.case(case["caseNo"])
    published = bus_events()
    types = [e["detail-type"] for e in published if e["detail"]["caseNo"] == case["caseNo"]]
    assert types.count("onewindow.case.received") == 1
    assert types.count("onewindow.case.approved") == 1
    assert types.count("onewindow.case.task_created") == 3
    assert types.count("onewindow.case.task_decided") == 3
    assert [t for t in types if t.endswith("accepted")] == ["onewindow.case.accepted"]
    ids = [e["detail"]["eventId"] for e in published]
    assert len(ids) == len(set(ids)) == len(case["timeline"])
    detail = next(e["detail"] for e in published
                  if e["detail-type"] == "onewindow.case.approved")
    assert detail["status"] == 11 and detail["itemCode"] == HYGIENE
    assert "idNumber" not in json.dumps(published, ensure_ascii=False)
    # Every stream record again: nothing published twice.
    from .test_redelivery import _replay
    _replay([(s, e) for s, e in delivered if s.name == "case_timeline"])
    assert bus_events() == published


def test_only_the_departments_own_staff_act_on_its_work(stack):
    """The catalogue admin and a supervisor, racing the clerk and the reviewer, decide no
    acceptance or review, claim nothing and change no license; the lead hands a task only
    to a member of the department who handles its kind."""
    case_no = stack.call("POST", "/cases", "company", application(FOOD)).data["caseNo"]
    accept = stack.open_task(case_no, "ZWFW", "clerk")
    path = f"/tasks/{accept['taskId']}/decision"
    callers = ["admin", "supervisor", "admin", "supervisor", "clerk"]
    answers = race(len(callers), lambda i: stack.call(
        "POST", path, callers[i], {"decision": "accept", "opinion": "受理"}))
    assert [a.status_code for a in answers] == [403, 403, 403, 403, 200]
    review = stack.open_task(case_no, "SCJG", "scjg")
    for user in ("admin", "supervisor"):
        for action, body in (("claim", None), ("decision", {"decision": "approve",
                                                            "opinion": "同意"})):
            answer = stack.call("POST", f"/tasks/{review['taskId']}/{action}", user, body)
            assert (answer.status_code, answer.data["error"]["code"]) == (403, "forbidden")
    assert stack.case(case_no)["status"] == 8
    # The lead assigns within the department, to a role that handles the task.
    stack.call("GET", "/tasks", "wsjk")          # a reviewer, but of WSJK
    stack.call("GET", "/tasks", "clerk")         # ZWFW's clerk
    for outsider in ("staff:zhao-wsjk", "staff:li-clerk", "staff:nobody", "staff:wu-scjg"):
        refused = stack.call("POST", f"/tasks/{review['taskId']}/assign", "scjg_lead",
                             {"to": outsider})
        assert (refused.status_code, refused.data["error"]["code"],
                refused.data["error"]["field"]) == (422, "assignee_not_in_department", "to")
    assert stack.case(case_no)["tasks"][-1].get("claimedBy") is None
    stack.call("GET", "/tasks", "scjg2")
    moved = race(4, lambda _: stack.call("POST", f"/tasks/{review['taskId']}/assign",
                                         "scjg_lead", {"to": "staff:wu-scjg"}))
    assert {a.status_code for a in moved} <= {200, 409} and \
        any(a.status_code == 200 for a in moved)
    assert stack.decide(review["taskId"], "scjg2", "approve", "同意").status_code == 200
    case = stack.wait_status(case_no, 11)
    for user in ("admin", "supervisor"):
        answer = stack.call("POST", f"/licenses/{case['licenseId']}/suspend", user,
                            {"reason": "停业整顿"})
        assert answer.status_code == 403
    assert stack.call("GET", f"/licenses/{case['licenseId']}/status").data["status"] == "valid"


def test_no_task_goes_to_someone_who_has_moved_to_another_department(stack, monkeypatch):
    """吴审查 worked SCJG's inbox, then signs in as WSJK's (a transfer): the lead of SCJG
    can no longer hand them a task; nor someone SCJG has not seen for 30 days."""
    from datetime import timedelta
    _, task = _review(stack)
    path = f"/tasks/{task['taskId']}/assign"
    stack.call("GET", "/tasks", "scjg2")
    moved = stack.token("scjg2", dept="WSJK")
    assert stack.call("GET", "/tasks", headers={"Authorization": f"Bearer {moved}"}
                      ).status_code == 200
    refused = stack.call("POST", path, "scjg_lead", {"to": "staff:wu-scjg"})
    assert (refused.status_code, refused.data["error"]["code"]) == \
        (422, "assignee_not_in_department")
    stack.call("GET", "/tasks", "scjg")            # 王审查, seen in SCJG today
    later = clock.now() + timedelta(days=31)
    monkeypatch.setattr(clock, "now", lambda: later)
    stale = stack.call("POST", path, "scjg_lead", {"to": "staff:wang-scjg"})
    assert (stale.status_code, stale.data["error"]["code"]) == \
        (422, "assignee_not_in_department")
    stack.call("GET", "/tasks", "scjg")            # seen again: assignable again
    assert stack.call("POST", path, "scjg_lead", {"to": "staff:wang-scjg"}).status_code == 200


def _close_of_day(stack, monkeypatch, reviews: int):
    """`reviews` cases in review, the clock 40 days on (every one of them past its
    deadlines) and a run looking at two due cases itself: the cases, that moment, an SQS
    client and the due queue's URL."""
    cases = [_review(stack)[0] for _ in range(reviews)]
    later = clock.now() + timedelta(days=40)
    monkeypatch.setattr(clock, "now", lambda: later)
    monkeypatch.setattr(overdue, "INLINE", 2)
    return cases, later, boto3.client("sqs", region_name=REGION), \
        stack.env["OW_DUE_QUEUE_URL"]


def test_past_what_a_run_takes_itself_the_due_cases_are_queued_and_each_looked_at_once(
        stack, monkeypatch):
    """A close of day with more due cases than a run supervises itself: the first INLINE
    in the run, the rest one message each on the due queue, which the supervise_due
    consumer takes side by side; every message delivered twice marks nothing twice."""
    cases, later, sqs, due_queue = _close_of_day(stack, monkeypatch, 5)
    sent = []
    original = overdue.queue_due

    def queued(found, text):
        sent.extend(found)
        return original(found, text)
    monkeypatch.setattr(overdue, "queue_due", queued)
    first = sweep(later)   # the module's other open cases are due too
    assert first["queued"] == len(sent) >= 3

    def overdue_marked() -> list[list[str]]:
        return [stack.case(case_no)["overdue"] for case_no in cases]
    assert stack.pump.run_until(lambda: all(m == ["promised", "statutory"]
                                            for m in overdue_marked()), 60)
    # Every queued case delivered again: looked at again, nothing new.
    for case_no, keys in sent:
        sqs.send_message(QueueUrl=due_queue, MessageBody=json.dumps(
            {"caseNo": case_no, "keys": keys, "dueAt": "x"}))
    assert stack.pump.run_until(lambda: sum(int(n) for n in sqs.get_queue_attributes(
        QueueUrl=due_queue, AttributeNames=["ApproximateNumberOfMessages",
                                            "ApproximateNumberOfMessagesNotVisible"])[
        "Attributes"].values()) == 0)

    def marks() -> list[int]:   # the task's, promised, statutory: once each
        return [[e["action"] for e in stack.case(case_no)["timeline"]].count("overdue")
                for case_no in cases]
    assert stack.pump.run_until(lambda: marks() == [3] * len(cases)), marks()
    stack.pump.run_until(lambda: False, timeout=1)
    assert marks() == [3] * len(cases)
    assert sweep(later) == {"tasks": 0, "cases": 0, "cards": 0, **NOTHING_ELSE}


def test_while_the_due_queue_holds_a_runs_cases_the_next_run_leaves_them_to_it(
        stack, monkeypatch):
    """A run that queued due cases marks how far it went; the next run, finding the queue
    not yet empty, queues none of them again (nor looks at them itself). Once the queue is
    empty — here its messages lost — or has been busy for an hour, what is still due is
    taken again."""
    cases, later, sqs, due_queue = _close_of_day(stack, monkeypatch, 7)

    def waiting() -> int:
        return int(sqs.get_queue_attributes(QueueUrl=due_queue, AttributeNames=[
            "ApproximateNumberOfMessages"])["Attributes"]["ApproximateNumberOfMessages"])
    queued = sweep(later)["queued"]
    assert queued >= 5 and waiting() == queued
    again = sweep(later + timedelta(minutes=15))
    assert again["leftToQueue"] == queued and "queued" not in again, again
    assert again["cases"] == 0 and waiting() == queued
    # A queue that cannot be asked counts as empty: what is due is queued again (a look
    # twice marks nothing twice) rather than the run failing.
    with monkeypatch.context() as down:
        class Unavailable:
            def get_queue_attributes(self, **_):
                raise RuntimeError("SQS unavailable")
        down.setattr(overdue.aws, "client", lambda service: Unavailable())
        assert overdue._still_queued_through() is None
    sqs.purge_queue(QueueUrl=due_queue)
    third = sweep(later + timedelta(minutes=30))   # INLINE of them itself, the rest queued
    assert (third["cases"], third["queued"]) == (2, queued - 2), third
    # Left to the queue while it stays busy — but not past an hour of it being busy: then
    # what is still due is taken again all the same.
    assert sweep(later + timedelta(minutes=45))["leftToQueue"] == queued - 2
    fourth = sweep(later + timedelta(minutes=95))
    assert "leftToQueue" not in fourth, fourth
    assert (fourth["cases"], fourth.get("queued", 0)) == (min(2, queued - 2),
                                                         max(0, queued - 4)), fourth
    assert stack.pump.run_until(lambda: all(
        stack.case(case_no)["overdue"] == ["promised", "statutory"] for case_no in cases), 60)
    assert stack.pump.run_until(lambda: waiting() == 0)
    assert sweep(later + timedelta(minutes=45)) == {"tasks": 0, "cases": 0, "cards": 0,
                                                   **NOTHING_ELSE}
