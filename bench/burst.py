"""Burst intake on the local stack: many applications at once, as when a popular service
opens. Starts the stack as `make run` does, fires N POST /cases (distinct Idempotency-Keys)
from C concurrent keep-alive clients, then counts what the stack holds and how long the
queued starts took until every workflow ran and waited at acceptance (polled each second).

    python -m bench.burst [--applications 2000] [--concurrency 32]   # prints JSON
"""
import argparse
import http.client
import json
import os
import threading
import time
import uuid
from collections import Counter
from urllib.parse import urlsplit

from infra.local import demo

FOOD = demo.code_of("000201012000", "SCJG")
COMPANY = {"type": "legal", "name": "深圳小吃有限公司", "idNumber": "91440300MA5FXK7Q3T"}


def _body(n: int) -> bytes:
    return json.dumps({"itemCode": FOOD, "channel": "web", "applicant": COMPANY,
                       "form": {"businessName": f"小吃店{n}", "address": "深圳市南山区科技园1号",
                                "category": "餐饮服务"}}, ensure_ascii=False).encode()


def _token(issuer: str) -> str:
    """The demo company's access token from the stack's OIDC issuer (password grant)."""
    from urllib.parse import urlencode

    from infra.local.oidc import DEMO_PASSWORD
    parts = urlsplit(issuer)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    connection.request("POST", "/token", urlencode({
        "grant_type": "password", "username": "company", "password": DEMO_PASSWORD}),
        {"Content-Type": "application/x-www-form-urlencoded"})
    return json.loads(connection.getresponse().read())["access_token"]


def fire(url: str, issuer: str, applications: int, concurrency: int) -> dict:
    """POST the applications; statuses, connection errors, case numbers, seconds."""
    parts, token, run = urlsplit(url), _token(issuer), uuid.uuid4().hex[:8]
    statuses, errors, case_numbers = Counter(), Counter(), []
    lock, next_index = threading.Lock(), iter(range(applications))

    def client():
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
        while True:
            with lock:
                n = next(next_index, None)
            if n is None:
                break
            try:
                connection.request("POST", "/cases", _body(n), {
                    "Content-Type": "application/json", "Authorization": f"Bearer {token}",
                    "Idempotency-Key": f"burst-{run}-{n}"})
                response = connection.getresponse()
                answer = response.read()
            except (OSError, http.client.HTTPException) as error:
                with lock:
                    errors[type(error).__name__] += 1
                connection.close()
                connection = http.client.HTTPConnection(parts.hostname, parts.port,
                                                        timeout=120)
                continue
            with lock:
                statuses[response.status] += 1
                if response.status == 201:
                    case_numbers.append(json.loads(answer)["caseNo"])
        connection.close()

    started = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"statuses": dict(statuses), "errors": dict(errors), "caseNumbers": case_numbers,
            "seconds": time.monotonic() - started, "started": started}


def _count(fetch) -> int:
    return sum(1 for _ in fetch())


def stack_counts(moto_endpoint: str, with_cases: bool = True) -> dict:
    """Workflows started, acceptance tasks waiting and (`with_cases`) cases in the table,
    read from moto. Counting the cases scans the table, which is moto's work too: the
    bench polls without it and counts them once at the end."""
    import boto3
    kwargs = {"region_name": "cn-north-1", "endpoint_url": moto_endpoint,
              "aws_access_key_id": "local", "aws_secret_access_key": "local"}
    dynamodb, sfn = boto3.client("dynamodb", **kwargs), boto3.client("stepfunctions", **kwargs)
    table = dynamodb.list_tables()["TableNames"]
    cases_table = next(t for t in table if "CasesTable" in t)

    def cases():
        for page in dynamodb.get_paginator("scan").paginate(
                TableName=cases_table, FilterExpression="rt = :case",
                ExpressionAttributeValues={":case": {"S": "case"}}, ProjectionExpression="pk"):
            yield from page["Items"]

    machine = sfn.list_state_machines()["stateMachines"][0]["stateMachineArn"]

    def executions():
        for page in sfn.get_paginator("list_executions").paginate(stateMachineArn=machine):
            yield from page["executions"]

    waiting = dynamodb.query(TableName=cases_table, IndexName="inbox", Select="COUNT",
                             KeyConditionExpression="inboxDept = :d",
                             ExpressionAttributeValues={":d": {"S": "ZWFW"}})["Count"]
    counts = {"executions": _count(executions), "waiting_at_acceptance": waiting}
    return counts | {"cases": _count(cases)} if with_cases else counts


# How long the bench watches the workflows of a burst at most.
SETTLE_SECONDS = 600.0


def settle(counts_now, accepted: int, started: float, limit: float = SETTLE_SECONDS,
           clock=time.monotonic, sleep=time.sleep) -> tuple[dict, float | None, float | None]:
    """Poll `counts_now()` each second until every accepted application's workflow waits
    at acceptance, for `limit` seconds at most: the last counts, and the seconds (from
    `started`) until every workflow had started and until every one waited — None for a
    moment that did not come before the limit (never the limit itself as if it had)."""
    deadline = clock() + limit
    counts = counts_now()
    all_started = all_waiting = None
    while True:
        if all_started is None and counts["executions"] >= accepted:
            # Starts are queued (StartsQueue, bounded concurrency): this is how long the
            # queue took to start every workflow of the burst.
            all_started = clock() - started
        if counts["waiting_at_acceptance"] >= accepted:
            all_waiting = clock() - started
            return counts, all_started, all_waiting
        if clock() >= deadline:
            return counts, all_started, None
        sleep(1)
        counts = counts_now()


def run(applications: int = 2000, concurrency: int = 32) -> dict:
    from tests.e2e.local_stack import LocalStack, peak_rss_mb
    load_before = os.getloadavg()
    stack = LocalStack()
    try:
        if not stack.ready.wait(180) or not stack.url:
            raise RuntimeError("the local stack did not start:\n" + stack.output())
        burst = fire(stack.url, stack.issuer, applications, concurrency)
        accepted = len(set(burst["caseNumbers"]))
        _, all_started, all_waiting = settle(
            lambda: stack_counts(stack.moto_endpoint, with_cases=False), accepted,
            burst["started"])
        counts = stack_counts(stack.moto_endpoint)
        memory = peak_rss_mb(stack.process.pid)
    finally:
        stop_seconds = stack.stop(timeout=30)
    return {
        "applications": applications, "concurrency": concurrency,
        "created_201": burst["statuses"].get(201, 0),
        "other_statuses": {str(k): v for k, v in burst["statuses"].items() if k != 201},
        "connection_errors": burst["errors"],
        "distinct_case_numbers": accepted,
        "duplicate_case_numbers": len(burst["caseNumbers"]) - accepted,
        "cases_in_table": counts["cases"],
        "workflows_started": counts["executions"],
        "workflows_waiting_at_acceptance": counts["waiting_at_acceptance"],
        "seconds_to_accept_all": round(burst["seconds"], 1),
        "seconds_until_every_workflow_started":
            round(all_started, 1) if all_started is not None else None,
        "seconds_until_every_workflow_waits_at_acceptance":
            round(all_waiting, 1) if all_waiting is not None else None,
        "watched_seconds_at_most": SETTLE_SECONDS,
        # Absolute times on a shared machine: how loaded it was before and after.
        "load_average_1_5_15_before": [round(n, 2) for n in load_before],
        "load_average_1_5_15_after": [round(n, 2) for n in os.getloadavg()],
        "peak_memory_mb_stack_and_moto": memory,
        "seconds_to_stop_on_sigterm": round(stop_seconds, 1),
        "stack_exit_code": stack.process.returncode,
    }


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applications", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=32)
    args = parser.parse_args(argv)
    print(json.dumps(run(args.applications, args.concurrency), indent=2))


if __name__ == "__main__":
    main()
