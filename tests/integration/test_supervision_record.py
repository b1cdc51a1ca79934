"""The supervision record in DynamoDB: appends at once take distinct places, redelivery
appends nothing, and the verifier finds an edit, a deletion, a reordering and a cut tail
made directly in the table, naming the first broken entry."""
import json
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

import boto3

from chalicelib.services import supervision_record

from .harness import REGION

AT = datetime(2026, 11, 25, 3, 0, tzinfo=timezone.utc)   # 11:00 in Shenzhen
DAY = AT.date()


def _table(stack):
    return boto3.resource("dynamodb", region_name=REGION).Table(
        stack.env["OW_SUPERVISION_TABLE"])


def _chain(stack) -> list[dict]:
    return _table(stack).query(
        KeyConditionExpression="chain = :c", ExpressionAttributeValues={
            ":c": f"{stack.env.get('OW_AREA_CODE', '440300')}#{DAY}"})["Items"]


def _record(n: int) -> bool:
    return supervision_record.record("yellow_card", f"card-{n}",
                                     {"caseNo": f"44030020261125{n:07d}X"}, at=AT)


def test_appends_at_once_and_redeliveries_make_one_unbroken_chain(stack):
    _empty(stack)
    with ThreadPoolExecutor(8) as pool:
        first = list(pool.map(_record, range(12)))
        again = list(pool.map(_record, range(12)))   # every event delivered twice
    assert first == [True] * 12 and again == [False] * 12
    entries = [e for e in _chain(stack) if int(e["seq"]) > 0]
    assert sorted(int(e["seq"]) for e in entries) == list(range(1, 13))
    assert sorted(e["key"] for e in entries) == sorted(f"card-{n}" for n in range(12))
    assert supervision_record.seal(DAY) == 12
    assert supervision_record.verify(DAY) == {
        "chain": f"440300#{DAY}", "entries": 12, "sealed": 12, "broken": None}


def _empty(stack):
    table = _table(stack)
    for item in table.scan()["Items"]:
        table.delete_item(Key={"chain": item["chain"], "seq": item["seq"]})


def _sealed_chain(stack, count: int = 5) -> list[dict]:
    _empty(stack)
    for n in range(count):
        _record(n)
    supervision_record.seal(DAY)
    return sorted((e for e in _chain(stack) if int(e["seq"]) > 0), key=lambda e: e["seq"])


def test_each_kind_of_tampering_in_the_table_is_found(stack):
    table = _table(stack)
    entries = _sealed_chain(stack)
    edited = dict(entries[2])
    edited["body"] = edited["body"].replace("yellow_card", "warning")
    table.put_item(Item=edited)
    assert supervision_record.verify(DAY)["broken"] == {"seq": 3,
                                                        "reason": "its content was changed"}

    entries = _sealed_chain(stack)
    table.delete_item(Key={"chain": entries[1]["chain"], "seq": entries[1]["seq"]})
    assert supervision_record.verify(DAY)["broken"]["seq"] == 2

    entries = _sealed_chain(stack)
    second, third = dict(entries[1]), dict(entries[2])
    for item, seq in ((second, entries[2]["seq"]), (third, entries[1]["seq"])):
        item["seq"] = seq
        table.put_item(Item=item)
    assert supervision_record.verify(DAY)["broken"]["seq"] == 2

    entries = _sealed_chain(stack)
    table.delete_item(Key={"chain": entries[4]["chain"], "seq": entries[4]["seq"]})
    assert supervision_record.verify(DAY)["broken"] == {
        "seq": 5, "reason": "the seal covers 5 entries, 4 are there"}

    _sealed_chain(stack)
    seal = table.get_item(Key={"chain": f"440300#{DAY}", "seq": 0})["Item"]
    seal["sealSeq"] = 4
    table.put_item(Item=seal)
    assert supervision_record.verify(DAY)["broken"]["seq"] == 0   # the signature


def test_the_operators_command_passes_then_names_a_hand_edit(stack, capsys):
    import json

    from infra import verify_audit
    entries = _sealed_chain(stack)
    argv = ["--from", str(DAY), "--to", str(DAY)]
    assert verify_audit.main(argv) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["holds"] is True and report["entries"] == 5
    edited = dict(entries[0])
    edited["body"] = edited["body"].replace("card-0", "card-x")
    _table(stack).put_item(Item=edited)
    assert verify_audit.main(argv) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["holds"] is False
    assert report["chains"][0]["broken"] == {"seq": 1, "reason": "its content was changed"}


def test_every_lifecycle_event_reaches_the_record_once_and_the_sweep_seals_it(stack):
    """From the bus (the stack's LifecycleRule and queue) to today's chain: each event of
    a case approved by two departments once, redeliveries of every message appending
    nothing; the scheduled sweep seals the chain and it verifies."""
    from chalicelib.adapters.models import TimelineEvent
    from chalicelib.services import clock
    started = clock.today()
    case = stack.approve_in_parallel()

    def entries() -> list[dict]:   # the chains of the office days the test ran in
        return [e for day in sorted({started, clock.today()}) for e in _chain_of(stack, day)
                if int(e["seq"]) > 0]

    def published() -> set[str]:
        return {f"{e.pk}/{e.sk}" for e in TimelineEvent.query(case["caseNo"])}

    def recorded() -> dict[str, str]:
        return {e["key"]: json.loads(e["body"])["kind"] for e in entries()}
    assert stack.pump.run_until(lambda: "case.approved" in recorded().values()
                                and set(recorded()) == published())
    kinds = recorded()
    assert {kinds[key] for key in published()} >= {
        "case.received", "case.accepted", "case.task_created", "case.task_decided",
        "case.in_review", "case.approved"}
    # Every message delivered again, straight onto the queue as the rule would.
    sqs = boto3.client("sqs", region_name=REGION)
    for entry in entries():
        body = json.loads(entry["body"])
        sqs.send_message(QueueUrl=stack.env["OW_SUPERVISION_QUEUE_URL"],
                         MessageBody=json.dumps({"source": "onewindow", "detail": body["event"],
                                                 "detail-type": f"onewindow.{body['kind']}"}))
    before = len(recorded())
    assert stack.pump.run_until(lambda: int(sqs.get_queue_attributes(
        QueueUrl=stack.env["OW_SUPERVISION_QUEUE_URL"], AttributeNames=[
            "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])[
        "Attributes"]["ApproximateNumberOfMessages"]) == 0)
    assert len(recorded()) == before
    assert stack.pump.fire_schedules() == 2   # the sweep seals today's (and yesterday's)
    checked = [supervision_record.verify(day) for day in sorted({started, clock.today()})]
    assert sum(c["entries"] for c in checked) == before
    assert all(c["sealed"] == c["entries"] and c["broken"] is None for c in checked)


def _chain_of(stack, day) -> list[dict]:
    items, key = [], {}
    while True:
        page = _table(stack).query(KeyConditionExpression="chain = :c",
                                   ExpressionAttributeValues={":c": f"440300#{day}"}, **key)
        items += page["Items"]
        if "LastEvaluatedKey" not in page:
            return items
        key = {"ExclusiveStartKey": page["LastEvaluatedKey"]}
