"""A review decided the moment its task appears, while the stream is still moving the case
from accepted (3) to review (8), is taken — never a 409 illegal_transition; and a
conclude message approves only a case whose reviews concluded it."""
import json
import random
import threading
import time

import boto3

from chalicelib.services import progress, review_entry

from .harness import FOOD, REGION, another, application, task_recorded


def _wait_for_task(stack, case_no: str, dept: str, user: str, timeout: float = 180) -> dict:
    """Poll the inbox (as a reviewer's screen would) until the case's task is in it. Patient:
    with other test files running beside this one, eight cases' workflows on a loaded
    2-core machine took over 30 s to reach review (make test, 2026-12-04)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        tasks = stack.call("GET", f"/tasks?dept={dept}", user).data["tasks"]
        mine = [t for t in tasks if t["caseNo"] == case_no]
        if mine:
            return mine[0]
        time.sleep(0.01)
    raise AssertionError(f"no {dept} task for {case_no}")


def test_a_review_decided_as_soon_as_it_appears_is_never_an_illegal_transition(
        stack, monkeypatch):
    # A busy stream: the case's move from 3 to 8 comes only once its review's task is in
    # the inbox, a moment later (at random) — the window the tester's `deny` fell into.
    # Half the cases are held until their decision has been made, so the race is run
    # whatever the machine's speed: those decisions certainly come first.
    move, held = progress.move_to_review, {}

    def late_move(case_files, case_no, status, version):
        if case_no in held:
            held[case_no].wait(timeout=60)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and not task_recorded(case_no, f"{case_no}-R1-SCJG"):
            time.sleep(0.01)
        time.sleep(random.uniform(0, 0.2))
        return move(case_files, case_no, status, version)

    monkeypatch.setattr(progress, "move_to_review", late_move)
    # Who moved each case to review: the stream (a pump thread) or a decision that came
    # first.
    enter, moved_by_decision = review_entry.enter, []

    def watched_enter(case, case_files):
        moved = enter(case, case_files)
        if moved and not threading.current_thread().name.startswith("pump"):
            moved_by_decision.append(case.pk)
        return moved

    monkeypatch.setattr(review_entry, "enter", watched_enter)
    stop = threading.Event()
    threads = stack.pump.threads(stop, interval=0.01)  # one thread per source, as deployed
    for thread in threads:
        thread.start()
    cases = [stack.call("POST", "/cases", "company", another(FOOD, n)).data["caseNo"]
             for n in range(8)]
    held.update({case_no: threading.Event() for case_no in cases[1::2]})
    decisions = [("deny", "不符合条件") if i % 2 == 0 else ("supplement", "请补充材料")
                 for i in range(len(cases))]
    answers: dict[str, object] = {}
    try:
        deciders = [threading.Thread(target=_review, args=(stack, case_no, decision, answers,
                                                           held.get(case_no)))
                    for case_no, decision in zip(cases, decisions, strict=True)]
        for thread in deciders:
            thread.start()
        for thread in deciders:
            thread.join()
        failures = {c: (a.status_code, a.data) for c, a in answers.items()
                    if a.status_code != 200}
        assert len(answers) == len(cases) and failures == {}
        expected = {case_no: 13 if decisions[i][0] == "deny" else 6
                    for i, case_no in enumerate(cases)}
        # The pump's threads deliver meanwhile: wait for them, not for pump_once.
        assert _until(lambda: _settled(stack, expected), 30), {
            c: [e["status"] for e in stack.case(c)["timeline"] if e["action"] == "status"]
            for c in cases}
        # Every case went through review (8) once, whoever moved it there; the held ones
        # were moved by their decision, before the stream's move.
        assert {answer.data["caseStatus"] for answer in answers.values()} <= {13, 6}
        assert set(held) <= set(moved_by_decision)
    finally:
        stack.pump.halt(stop)
        for thread in threads:
            thread.join(timeout=10)


def _review(stack, case_no: str, decision: tuple[str, str], answers: dict,
            held: threading.Event | None) -> None:
    """The clerk accepts as soon as the case is in the inbox, and SCJG decides as soon as
    its review appears; a held case's move to review is let go once decided."""
    accept = _wait_for_task(stack, case_no, "ZWFW", "clerk")
    assert stack.decide(accept["taskId"], "clerk", "accept", "受理").status_code == 200
    task = _wait_for_task(stack, case_no, "SCJG", "scjg")
    kind, opinion = decision
    body = {"decision": kind, "opinion": opinion}
    if kind == "supplement":
        body["materials"] = ["食品安全管理制度文本"]
    answers[case_no] = stack.call("POST", f"/tasks/{task['taskId']}/decision", "scjg", body)
    if held is not None:
        held.set()


def _settled(stack, expected: dict[str, int]) -> bool:
    """Every case's status timeline is 1, 3, 8 and then its expected status."""
    for case_no, status in expected.items():
        timeline = [e["status"] for e in stack.case(case_no)["timeline"]
                    if e["action"] == "status"]
        if timeline != [1, 3, 8, status]:
            return False
    return True


def _until(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def _drained(stack) -> bool:
    """Whether the conclude queue's messages were all taken and handled (none waiting,
    none in flight)."""
    counts = boto3.client("sqs", region_name=REGION).get_queue_attributes(
        QueueUrl=stack.env["OW_CONCLUDE_QUEUE_URL"], AttributeNames=[
            "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])
    return set(counts["Attributes"].values()) == {"0"}


def _conclude_message(stack, case_no: str) -> None:
    boto3.client("sqs", region_name=REGION).send_message(
        QueueUrl=stack.env["OW_CONCLUDE_QUEUE_URL"], MessageBody=json.dumps({"caseNo": case_no}))


def test_a_conclude_message_for_a_case_still_in_review_approves_nothing(stack):
    case_no = stack.call("POST", "/cases", "company", application(FOOD)).data["caseNo"]
    accept = stack.open_task(case_no, "ZWFW", "clerk")
    stack.decide(accept["taskId"], "clerk", "accept", "受理")
    review = stack.open_task(case_no, "SCJG", "scjg")
    stack.wait_status(case_no, 8)
    # A message moved to the conclude queue by mistake, and delivered twice.
    _conclude_message(stack, case_no)
    _conclude_message(stack, case_no)
    assert stack.pump.run_until(lambda: _drained(stack), timeout=30)
    case = stack.case(case_no)
    assert case["status"] == 8 and not case.get("licenseId")
    assert [t["state"] for t in case["tasks"] if t["taskId"] == review["taskId"]] == ["open"]
    queues = boto3.client("sqs", region_name=REGION)
    dead = stack.env["OW_DEAD_LETTER_QUEUE_URLS"].split(",")[1]
    assert queues.receive_message(QueueUrl=dead).get("Messages") is None  # nothing parked

    # The review decided, its own message concludes the case, once.
    stack.decide(review["taskId"], "scjg", "approve", "同意")
    case = stack.wait_status(case_no, 11)
    assert case["licenseId"]
    _conclude_message(stack, case_no)
    assert stack.pump.run_until(lambda: _drained(stack), timeout=30)
    assert [e["status"] for e in stack.case(case_no)["timeline"]
            if e["action"] == "status"] == [1, 3, 8, 11]


def test_a_conclude_message_for_a_case_whose_review_was_never_recorded_does_nothing(
        stack, monkeypatch):
    """In review, its review task not recorded yet: a misrouted message finds no review
    decided and concludes nothing."""
    case_no = stack.call("POST", "/cases", "company", application(FOOD)).data["caseNo"]
    accept = stack.open_task(case_no, "ZWFW", "clerk")
    # The workflow is not resumed: the review is not asked for (yet).
    monkeypatch.setattr(progress, "resume_decided", lambda old, new: False)
    stack.decide(accept["taskId"], "clerk", "accept", "受理")
    stack.wait_status(case_no, 8)
    _conclude_message(stack, case_no)
    assert stack.pump.run_until(lambda: _drained(stack), timeout=30)
    case = stack.case(case_no)
    assert case["status"] == 8 and not case.get("licenseId")
