"""`make bench`: one JSON object of the numbers that shape cost and latency.

- DynamoDB calls per API route and per event-handler invocation, counted with a botocore
  `before-call.dynamodb` event hook on every session (boto3's and PynamoDB's alike), only
  on the thread serving the request (the Step Functions executor's own calls run on
  other threads and are the workflow's, counted as state transitions instead);
- state transitions (`*StateEntered` events in the execution history) per reference case,
  with the Step Functions Standard price of that many transitions;
- an instant approval (秒批: 高龄津贴, approved by its rules with no execution) beside the
  reference case: its transitions and all-in cost per 1,000, and what logging a staff read
  of a case file costs (calls, and the time ratio against the owner's unlogged read);
- the all-in cost of the reference case and of the "one thing" item per 1,000 cases, from
  what one case measurably spends (bench/cost.py, bench/capacity.py), and the reference
  case's write units by table (the write paths docs/capacity.md gives a ceiling each);
  alone, with the rest of these per-case figures: `make bench BENCH_ARGS=capacity`;
- supervision (bench/supervision.py): DynamoDB calls of one overdue sweep over 10,000 open
  cases with 1 % due, notifications per reference case, GET /stats over 24 months;
- license verification (bench/licenses.py): offline and API verifications per second
  (alternating rounds, medians and their ratio); DynamoDB calls per verification are the
  route's;
- cold start (bench/cold_start.py): each kind of function's handler imported from its
  package as shipped, in fresh processes, against `import boto3` from the same package
  (median ratio of alternating pairs), the API's first request, the packages' sizes;
  alone: `make bench BENCH_ARGS=cold-start`;
- the public read path (bench/read_path.py): GET /items/{code} against the barest route
  at concurrency 16, alternating rounds, median ratio;
- a burst on the local stack (bench/burst.py): N applications at concurrency C
  (`make bench BENCH_ARGS="--applications 5000 --concurrency 64"`);
- the portal (bench/web.py): compressed JavaScript of the home and guide pages, axe-core
  on every page, Lighthouse performance and accessibility, each with its target and a
  pass flag; alone: `make bench BENCH_ARGS=web`;
- the daily loop (bench/loop.py): the unit tests `make unit` runs and the wall time of its
  Python part, against its 30 s target; alone: `make bench BENCH_ARGS=loop`;
- the whole suite (bench/suite.py): `make test` beside `make test PYTEST_WORKERS=0`, wall
  times, their ratio and the 12-minute target; alone only (two whole runs of the suite):
  `make bench BENCH_ARGS=suite`;
- the moto shim's answer parts (bench/moto_answers.py): two integration files with the shim
  as it is and with moto's own answer serializer and JSONPath parsing, CPU seconds side by
  side; alone only: `make bench BENCH_ARGS=moto`;
- the local stack's moto server (bench/moto_server.py): the same requests to moto's own
  werkzeug server and to waitress, CPU seconds of both sides, and an idle stack's CPU
  share; alone only: `make bench BENCH_ARGS=moto-server`;
- what a change costs (bench/change_cost.py): the files touched to add a review decision
  and an event consumer, as walked through, each with a check that the code still agrees;
  alone: `make bench BENCH_ARGS=changes` (and beside the loop's numbers in `loop`).
No thresholds here: targets are read off this output, never asserted in tests.
"""
import json
import statistics
import sys
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRICE_PER_TRANSITION = 0.025 / 1000  # USD, Standard workflows, us-east-1 list price

_label = threading.local()
_counts: dict[str, list[int]] = defaultdict(list)
# Every AWS call of one reference case (API and handlers), by service:operation.
_case_calls: Counter = Counter()
_case = {"collect": False, "invocations": 0, "own_cpu_s": 0.0, "log_bytes": 0}
_meter = None  # bench.capacity.Meter, installed with the hooks
_case_lock = threading.Lock()


def _count_call(model, params, **_):
    label = getattr(_label, "name", None)
    if label is None:
        return
    service = model.service_model.signing_name
    if service == "dynamodb":
        _label.calls += 1
    if not _case["collect"]:
        return
    with _case_lock:
        if model.name == "TransactWriteItems":
            for item in params["TransactItems"]:
                _case_calls[f"dynamodb:transact:{next(iter(item))}"] += 1
        elif model.name == "PutEvents":
            _case_calls["events:PutEvents"] += len(params["Entries"])
        else:
            _case_calls[f"{service}:{model.name}"] += 1


def _call_started(**_):
    _label.call_started = time.thread_time()


def _call_ended(**_):
    started = getattr(_label, "call_started", None)
    if started is not None:
        _label.in_calls = getattr(_label, "in_calls", 0.0) + time.thread_time() - started
        _label.call_started = None


def _install_hook():
    global _meter
    import botocore.handlers

    from bench.capacity import Meter
    botocore.handlers.BUILTIN_HANDLERS.append(("before-parameter-build", _count_call))
    botocore.handlers.BUILTIN_HANDLERS.append(("before-call", _call_started))
    botocore.handlers.BUILTIN_HANDLERS.append(("after-call", _call_ended))
    _meter = Meter()
    _meter.install(lambda event, handler: botocore.handlers.BUILTIN_HANDLERS.append(
        (event, handler)))


class measure:
    """DynamoDB calls of one request or handler invocation, and — while a reference case
    is collected — the CPU time our own code spent in it: the thread's CPU time less
    what it spent inside AWS calls (moto answers them in this process)."""
    def __init__(self, name: str):
        self.name = name

    def __enter__(self):
        _label.name, _label.calls = self.name, 0
        _label.in_calls, _label.started = 0.0, time.thread_time()

    def __exit__(self, *exc):
        _counts[self.name].append(_label.calls)
        if _case["collect"]:
            own = time.thread_time() - _label.started - _label.in_calls
            with _case_lock:
                _case["own_cpu_s"] += max(own, 0.0)
        _label.name = None


class _LogBytes:
    """A text stream that passes everything on and counts the UTF-8 bytes written while a
    reference case is collected."""

    def __init__(self, stream):
        self._stream = stream

    def write(self, text: str) -> int:
        if _case["collect"]:
            with _case_lock:
                _case["log_bytes"] += len(text.encode("utf-8"))
        return self._stream.write(text)

    def flush(self) -> None:
        self._stream.flush()

    def __getattr__(self, name):
        return getattr(self._stream, name)


def _transitions(stack, case_no: str) -> int:
    import boto3
    sfn = boto3.client("stepfunctions", region_name="cn-north-1")
    arn = stack.env["OW_STATE_MACHINE_ARN"].replace(":stateMachine:", ":execution:")
    events = sfn.get_execution_history(executionArn=f"{arn}:{case_no}",
                                       maxResults=1000)["events"]
    return sum(1 for e in events if e["type"].endswith("StateEntered"))


def _reference_case(stack, item: str, stages: list[list[tuple[str, str]]],
                    body: dict | None = None) -> tuple[str, dict]:
    """One case from application to license, stage by stage; returns its number and what
    it cost in calls (API requests, handler invocations, AWS calls)."""
    from tests.integration.harness import application
    _case_calls.clear()
    _meter.reset()
    _case.update(collect=True, invocations=0, own_cpu_s=0.0, log_bytes=0)
    _meter.active = True
    with measure("POST /cases"):
        case_no = stack.call("POST", "/cases", "company",
                             body or application(item)).data["caseNo"]
    task = stack.open_task(case_no, "ZWFW", "clerk")
    with measure("POST /tasks/{id}/decision (acceptance)"):
        stack.decide(task["taskId"], "clerk", "accept", "受理")
    reviews = 0
    for stage in stages:
        for dept, user in stage:
            review = stack.open_task(case_no, dept, user)
            with measure("POST /tasks/{id}/decision (review)"):
                stack.decide(review["taskId"], user, "approve", "同意")
            reviews += 1
    stack.wait_status(case_no, 11)
    stack.pump.run_until(lambda: False, timeout=1.0)  # let the timeline catch up
    # What moving the case from application to license took: the applicant's, the
    # clerk's and each department's request, and everything that followed from them.
    _case["collect"] = _meter.active = False
    spent = {"calls": dict(_case_calls), "api_requests": 2 + reviews,
             "invocations": _case["invocations"] + 2 + reviews,
             "callback_states": 1 + reviews, "write_units": _meter.write_units,
             "write_units_by_table": dict(_meter.write_units_by_table),
             "read_units": _meter.read_units, "own_cpu_s": _case["own_cpu_s"],
             "log_bytes": _case["log_bytes"]}
    with measure("GET /cases/{caseNo}"):
        case = stack.case(case_no)
    with measure("GET /tasks"):
        stack.call("GET", "/tasks?dept=ZWFW", "clerk")
    with measure("GET /licenses/{id}"):
        signed = stack.call("GET", f"/licenses/{case['licenseId']}", "company").data
    with measure("POST /licenses/verify"):
        assert stack.call("POST", "/licenses/verify",
                          body={**signed, "purpose": "bench"}).data["valid"]
    return case_no, spent


def _instant_case(stack) -> tuple[str, dict, int]:
    """One 高龄津贴 case approved by its rules (秒批): consent, prefill, application, the
    rule check and conclusion in the starts consumer. Returns its number, what it cost
    (as a reference case's), and its state transitions (it starts no execution)."""
    import boto3

    from infra.local import demo
    elderly = demo.code_of("000505012000", "MZJ")
    elder = demo.USERS["elder"]
    _case_calls.clear()
    _meter.reset()
    _case.update(collect=True, invocations=0, own_cpu_s=0.0, log_bytes=0)
    _meter.active = True
    asked = len(stack.registries.queries)
    with measure("POST /me/consents"):
        consent = stack.call("POST", "/me/consents", "elder",
                             {"itemCode": elderly}).data["consentId"]
    with measure("GET /items/{code}/prefill"):
        filled = stack.call("GET", f"/items/{elderly}/prefill?consent={consent}",
                            "elder").data
    with measure("POST /cases (with consent and prefill)"):
        case_no = stack.call("POST", "/cases", "elder", {
            "itemCode": elderly, "channel": "web", "consentId": consent,
            "prefill": filled["token"],
            "applicant": {"type": "natural", "name": elder["name"],
                          "idNumber": elder["idNumber"]},
            "form": {**{k: f["value"] for k, f in filled["fields"].items()},
                     "payout": "社会保障卡"}}).data["caseNo"]
    assert stack.pump.run_until(lambda: stack.case(case_no, "elder")["status"] == 11, 60)
    stack.pump.run_until(lambda: False, timeout=1.0)
    _case["collect"] = _meter.active = False
    spent = {"calls": dict(_case_calls), "api_requests": 3,
             "invocations": _case["invocations"] + 3, "callback_states": 0,
             "write_units": _meter.write_units,
             "write_units_by_table": dict(_meter.write_units_by_table),
             "read_units": _meter.read_units, "own_cpu_s": _case["own_cpu_s"],
             "log_bytes": _case["log_bytes"],
             # HTTP round trips to the registries (the prefill's and the check's): the
             # exchange's own price, not AWS's.
             "registry_queries": len(stack.registries.queries) - asked}
    sfn = boto3.client("stepfunctions", region_name="cn-north-1")
    executions = [e for e in sfn.list_executions(
        stateMachineArn=stack.env["OW_STATE_MACHINE_ARN"])["executions"]
        if e["name"] == case_no]
    transitions = _transitions(stack, case_no) if executions else 0
    return case_no, spent, transitions


def _case_read_logging(stack, case_no: str, owner: str, pairs: int = 15) -> dict:
    """What logging a staff read of a case costs (docs/data-sharing.md): the same case
    read by its owner (not logged) and by a supervisor (logged: one write more), rounds
    alternating, DynamoDB calls of each, and the median of the per-pair time ratios."""
    ratios = []
    for _ in range(pairs):
        started = time.perf_counter()
        with measure("GET /cases/{caseNo} (owner: not logged)"):
            stack.case(case_no, owner)
        owner_s = time.perf_counter() - started
        started = time.perf_counter()
        with measure("GET /cases/{caseNo} (staff: logged for the applicant)"):
            stack.case(case_no, "supervisor")
        ratios.append((time.perf_counter() - started) / owner_s)
    return {"dynamodb_calls_owner_read": max(_counts["GET /cases/{caseNo} (owner: not logged)"]),
            "dynamodb_calls_staff_read": max(
                _counts["GET /cases/{caseNo} (staff: logged for the applicant)"]),
            "staff_over_owner_time_median_ratio": round(statistics.median(ratios), 3),
            "pairs": pairs}


def _by_table(env: dict, units: dict[str, int]) -> dict[str, int]:
    """Write units by table, the tables named as the stack template names them (the write
    paths docs/capacity.md gives a ceiling each)."""
    names = {value: key.removeprefix("OW_").removesuffix("_TABLE").lower()
             for key, value in env.items() if key.startswith("OW_") and key.endswith("_TABLE")}
    return dict(sorted(((names.get(table, table), count) for table, count in units.items()),
                       key=lambda pair: -pair[1]))


def _route_and_workflow_numbers() -> dict:
    sys.path.insert(0, str(ROOT))
    import tests.conftest  # noqa: F401  (fake credentials, region)
    from chalicelib import logs
    # stdout carries the JSON result only; what the functions log (and their metrics'
    # lines) counted while a reference case runs: what CloudWatch Logs would ingest.
    counted_stream = _LogBytes(sys.stderr)
    logs.configure(stream=counted_stream)
    from chalicelib import metrics
    metrics.set_stream(counted_stream)
    _install_hook()
    from moto import mock_aws

    from bench import cost, licenses, supervision
    from infra.local.pump import EventPump
    from tests.integration.harness import FOOD, HYGIENE, RESTAURANT, another, start_stack

    original_invoke = EventPump.invoke

    def counted_invoke(self, source, event):
        if _case["collect"]:
            with _case_lock:
                _case["invocations"] += 1
        with measure(f"event {source.name} (per batch)"):
            return original_invoke(self, source, event)

    EventPump.invoke = counted_invoke
    with mock_aws(config={"stepfunctions": {"execute_state_machine": True}}):
        stack = start_stack()
        catalogue_reads = {
            "GET /items (page of 20)": "/items",
            "GET /items?q=spjy (pinyin initials)": "/items?q=spjy",
            "GET /items?q=食品经营 (Chinese)": "/items?q=食品经营",
            "GET /items?dept=RSJ&kind=20": "/items?dept=RSJ&kind=20",
            "GET /items/{code} (guide)": f"/items/{FOOD}",
            "GET /items/{code}/versions/{v}": f"/items/{FOOD}/versions/1",
            "GET /items/{code}/guide.html": f"/items/{FOOD}/guide.html",
        }
        for name, path in catalogue_reads.items():
            with measure(name):
                assert stack.client.http.get(path).status_code == 200, path
        single, _ = _reference_case(stack, FOOD, [[("SCJG", "scjg")]])
        parallel, spent = _reference_case(stack, HYGIENE, [[("WSJK", "wsjk"),
                                                            ("XFJY", "xfjy")]])
        one_thing, one_thing_spent = _reference_case(
            stack, RESTAURANT, [[("SCJG", "scjg")], [("SCJG", "scjg"), ("WSJK", "wsjk"),
                                                     ("XFJY", "xfjy")], [("CGJ", "cgj")]])
        instant, instant_spent, instant_transitions = _instant_case(stack)
        read_logging = _case_read_logging(stack, instant, "elder")
        stack.pump.run_until(lambda: False, timeout=2)
        notifications = supervision.notifications_per_case(parallel)
        supervision.stats_read(stack, measure)
        sweep = supervision.sweep_calls(stack, measure, _counts, another, FOOD)
        case = stack.case(parallel)
        verifications = licenses.verification_rates(stack, stack.call(
            "GET", f"/licenses/{case['licenseId']}", "company").data)
        transitions = {"one department (食品经营许可)": _transitions(stack, single),
                       "reference: two departments in parallel + license (公共场所卫生许可)":
                           _transitions(stack, parallel),
                       "one thing: three stages, five reviews (开办餐厅一件事)":
                           _transitions(stack, one_thing),
                       "instant approval: rules, no execution (高龄津贴, 秒批)":
                           instant_transitions}
    routes = {name: max(calls) for name, calls in sorted(_counts.items())
              if not name.startswith("event ")}
    events = {name[len("event "):]: round(statistics.mean(calls), 2)
              for name, calls in sorted(_counts.items()) if name.startswith("event ")}
    return {
        "dynamodb_calls_per_route": routes,
        "dynamodb_calls_per_event_batch_mean": events,
        "state_transitions_per_case": transitions,
        "workflow_cost_usd_per_1000_cases": {
            name: round(count * PRICE_PER_TRANSITION * 1000, 4)
            for name, count in transitions.items()},
        "write_units_per_reference_case_by_table": _by_table(
            stack.env, spent["write_units_by_table"]),
        "cost_reference_case": {
            **cost.per_case(spent, transitions[
                "reference: two departments in parallel + license (公共场所卫生许可)"]),
            "aws_calls": spent["calls"]},
        "notifications_per_reference_case": notifications,
        "overdue_sweep": sweep,
        "license_verification": verifications,
        "cost_one_thing_case": cost.per_case(
            one_thing_spent, transitions["one thing: three stages, five reviews (开办餐厅一件事)"]),
        # 秒批 beside the reference case: the same per-case accounting (docs/data-sharing.md).
        "instant_approval": {
            "state_transitions": instant_transitions,
            "cost_per_case": cost.per_case(instant_spent, instant_transitions),
            "aws_calls": instant_spent["calls"],
            "registry_queries": instant_spent["registry_queries"]},
        "case_read_logging": read_logging,
    }


def main(argv=None) -> None:
    import argparse
    parser = argparse.ArgumentParser(description="OneWindow benchmarks (JSON on stdout)")
    parser.add_argument("--applications", type=int, default=2000,
                        help="applications in the burst run (default 2000)")
    parser.add_argument("--concurrency", type=int, default=32,
                        help="concurrent clients in the burst run (default 32)")
    parser.add_argument("only", nargs="?",
                        choices=["web", "loop", "changes", "suite", "moto", "moto-server",
                                 "capacity", "cold-start"],
                        help="run one bench only: web (the portal's quality bars), loop "
                             "(the unit tests' count and wall time, and what a change "
                             "costs), changes (the files a new decision or consumer "
                             "touches), suite (make test, parallel and in one process), "
                             "moto (what the moto shim's answer parts save) or moto-server "
                             "(waitress against moto's own server, an idle stack) or "
                             "capacity (calls, write units by table, transitions and "
                             "cost of the reference cases: docs/capacity.md) or cold-start "
                             "(each function's import from its package as shipped)")
    args = parser.parse_args(argv)
    from bench import change_cost, cold_start, loop, moto_answers, moto_server, suite, web
    # The benches run alone: what each prints, under which key.
    alone = {"web": {"web": web.run}, "changes": {"changes": change_cost.run},
             "loop": {"loop": loop.run, "changes": change_cost.run},
             "suite": {"suite": suite.run}, "moto": {"moto_answers": moto_answers.run},
             "moto-server": {"moto_server": moto_server.run},
             "capacity": {"capacity": _route_and_workflow_numbers},
             "cold-start": {"cold_start": cold_start.run}}
    if args.only:
        print(json.dumps({key: run() for key, run in alone[args.only].items()},
                         ensure_ascii=False, indent=2))
        return
    # First, before the stacks and threads of the other benches load the machine.
    unit_loop = loop.run()
    cold = cold_start.run()
    result = _route_and_workflow_numbers()
    result["cold_start"] = cold
    from bench import burst, read_path
    result["read_path_get_item_vs_bare_route"] = read_path.run()
    result["burst"] = burst.run(args.applications, args.concurrency)
    result["web"] = web.run()
    result["loop"] = unit_loop
    result["changes"] = change_cost.run()
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
