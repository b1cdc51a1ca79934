"""Supervision, notifications and statistics figures for `make bench`, on the running
bench stack:

- DynamoDB calls of one overdue sweep over 10,000 open cases of which 1 % are due (the
  100 due ones are real applications; the 9,900 others are watch entries of cases not due
  for a year, written straight into the table: the sweep must never read them);
- notifications stored per reference case, by audience;
- DynamoDB calls of GET /stats over 24 months (a route, counted with the others)."""
from datetime import timedelta


def _not_due(stack, count: int, far: str) -> None:
    import boto3
    table = boto3.resource("dynamodb", region_name="cn-north-1").Table(
        stack.env["OW_CASES_TABLE"])
    with table.batch_writer() as batch:
        for n in range(count):
            batch.put_item(Item={"pk": f"BENCH{n:016d}", "sk": "META", "rt": "case",
                                 "watchShard": f"W#{n % 8}", "watchAt": far})


def sweep_calls(stack, measure, counts, application, item: str) -> dict:
    from chalicelib import wiring
    from chalicelib.domain import worktime
    from chalicelib.services import clock, overdue
    due = 100
    for n in range(due):   # distinct applications: an identical one is refused while open
        assert stack.call("POST", "/cases", "company", application(item, n)).status_code == 201
    stack.pump.run_until(lambda: False, timeout=2)
    later = clock.now() + timedelta(days=30)
    _not_due(stack, 10_000 - due, worktime.utc_text(later + timedelta(days=365)))
    name = "sweep: 10,000 open cases, 1 % due"
    with measure(name):
        found = overdue.sweep(wiring.stores().supervision, later)
    calls = counts.pop(name)[-1]
    return {"open_cases": 10_000, "due": due, "dynamodb_calls": calls,
            "dynamodb_calls_per_due_case": round(calls / due, 2),
            "marked": found}


def notifications_per_case(case_no: str) -> dict:
    from collections import Counter

    from chalicelib.adapters.models import NotificationRecord
    found = Counter(record.audience for record in NotificationRecord.scan(
        NotificationRecord.caseNo == case_no))
    return {"total": sum(found.values()), **dict(sorted(found.items()))}


def stats_read(stack, measure, months: int = 24) -> None:
    from chalicelib.services import clock
    end = clock.local_date(clock.now())
    first = end.year * 12 + end.month - 1 - (months - 1)
    start = f"{first // 12:04d}-{first % 12 + 1:02d}"
    with measure(f"GET /stats ({months} months, a department)"):
        answer = stack.call("GET", f"/stats?from={start}&to={end:%Y-%m}&dept=SCJG",
                            "supervisor")
    assert answer.status_code == 200, answer.data
    assert len(answer.data["months"]) == months
