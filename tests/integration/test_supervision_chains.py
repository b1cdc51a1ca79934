"""A day of the supervision record in its 64 chains: appends at once spread over them by
their keys, each chain unbroken; the sweep seals every chain it finds, naming the Merkle
root of their heads; `make verify-audit` takes a day's chains together and names the chain
a break is in; from the bus, every lifecycle event reaches the record once."""
import json
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import boto3
from boto3.dynamodb.conditions import Key

from chalicelib import config
from chalicelib.adapters import seal_store, signer
from chalicelib.domain import chain as chains
from chalicelib.services import supervision_record

from .harness import REGION

AT = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)   # 11:00 in Shenzhen
DAY = AT.date()
SWEEP = AT + timedelta(hours=1)
NEXT_DAY = datetime(2026, 11, 25, 16, 30, tzinfo=UTC)   # 00:30 the day after


def _table(stack):
    return boto3.resource("dynamodb", region_name=REGION).Table(
        stack.env["OW_SUPERVISION_TABLE"])


def _record(n: int, at: datetime = AT) -> bool:
    return supervision_record.record("yellow_card", f"card-{n}",
                                     {"caseNo": f"44030020261125{n:07d}X"}, at=at)


def _chain_of(key: str, day=DAY) -> str:
    return chains.chain_id("440300", chains.label(day.isoformat(), chains.shard(key)))


def _entries_by_chain(stack, day=DAY) -> dict[str, list[dict]]:
    found = defaultdict(list)
    for name in chains.labels(day.isoformat()):
        chain = chains.chain_id("440300", name)
        for item in _table(stack).query(KeyConditionExpression=Key("chain").eq(chain),
                                        ConsistentRead=True)["Items"]:
            if int(item["seq"]) > 0:
                found[chain].append(item)
    return dict(found)


def test_appends_at_once_spread_over_the_days_chains_and_each_stays_unbroken(stack):
    with ThreadPoolExecutor(8) as pool:
        assert all(pool.map(_record, range(120)))
        assert not any(pool.map(_record, range(120)))   # every event delivered twice
    by_chain = _entries_by_chain(stack)
    # 120 keys over 64 chains: 54 of them take some, on average.
    assert len(by_chain) > 40
    for chain, entries in by_chain.items():
        assert sorted(int(e["seq"]) for e in entries) == list(range(1, len(entries) + 1))
        assert all(_chain_of(e["key"]) == chain for e in entries)
    assert sum(len(entries) for entries in by_chain.values()) == 120
    n = supervision_record.seal(SWEEP)
    document = seal_store.read("440300", n)
    assert {chains.chain_id("440300", name) for name in document["chains"]} == set(by_chain)
    assert document["root"] == chains.merkle_root(document["chains"])
    assert supervision_record.verify(DAY) == {
        "chain": f"440300#{DAY}", "chains": len(by_chain), "entries": 120, "sealed": 120,
        "final": False, "broken": None}


def test_an_edit_in_one_of_the_days_chains_is_named_with_its_chain(stack):
    for n in range(40):
        _record(n)
    supervision_record.seal(SWEEP)
    chain = _chain_of("card-7")
    item = _table(stack).get_item(Key={"chain": chain, "seq": 1}, ConsistentRead=True)["Item"]
    _table(stack).put_item(Item={**item, "body": item["body"].replace("yellow_card",
                                                                      "nothing")})
    report = supervision_record.report(DAY, DAY)
    assert report["holds"] is False and report["entries"] == 40
    (day,) = report["chains"]
    assert day["broken"] == {"chain": chain, "seq": 1, "reason": "its content was changed"}


def test_a_genuinely_signed_seal_whose_root_is_not_its_chains_is_named(stack):
    """What a faulty sweep would write: signed by the region's key, its root not the one
    of the chains it lists."""
    for n in range(10):
        _record(n)
    first = seal_store.read("440300", supervision_record.seal(SWEEP))
    _record(10, at=SWEEP)
    later = SWEEP + timedelta(minutes=15)
    document, changed, _ = supervision_record._next("440300", first, later)
    assert changed
    document["root"] = chains.merkle_root({})
    document["signature"] = signer.sign(config.get().signing_key_id,
                                        chains.seal_message(document))
    assert seal_store.create("440300", 2, document)
    assert supervision_record.report(DAY, DAY)["seals"]["broken"] == {
        "n": 2, "reason": "its Merkle root is not that of the chains it lists"}


def _open_days(stack) -> list[int]:
    return [int(item["seq"]) for item in _table(stack).query(
        KeyConditionExpression=Key("chain").eq("OPEN#440300"), ConsistentRead=True)["Items"]]


def test_a_day_leaves_the_open_ones_once_every_chain_is_sealed_for_good(stack):
    for n in range(20):
        _record(n)
    supervision_record.seal(SWEEP)
    assert _open_days(stack) == [20261125]
    final = seal_store.read("440300", supervision_record.seal(NEXT_DAY))
    assert final["chains"] and all(part["final"] for part in final["chains"].values())
    assert _open_days(stack) == []
    _record(20, at=NEXT_DAY)   # the next day's
    later = seal_store.read("440300", supervision_record.seal(NEXT_DAY + timedelta(hours=1)))
    assert {chains.day_of(name) for name in later["chains"]} == {"2026-11-26"}
    assert _open_days(stack) == [20261126]
    checked = supervision_record.verify(DAY)
    assert (checked["final"], checked["sealed"], checked["broken"]) == (True, 20, None)


# --- from the bus -----------------------------------------------------------------------

def test_every_lifecycle_event_reaches_the_record_once_and_the_sweep_seals_it(stack):
    """From the bus (the stack's LifecycleRule and queue) to today's chain: each event of
    a case approved by two departments once, redeliveries of every message appending
    nothing; the scheduled sweep seals the chain and it verifies."""
    from chalicelib.adapters.models import TimelineEvent
    from chalicelib.services import clock
    started = clock.today()
    case = stack.approve_in_parallel()

    def entries() -> list[dict]:   # the chains of the office days the test ran in
        return [e for day in sorted({started, clock.today()})
                for found in _entries_by_chain(stack, day).values() for e in found]

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
    assert stack.pump.fire_schedules() == 2   # the sweep seals every open chain
    checked = [supervision_record.verify(day) for day in sorted({started, clock.today()})]
    assert sum(c["entries"] for c in checked) == before
    assert all(c["sealed"] == c["entries"] and c["broken"] is None for c in checked)


def test_a_batch_of_events_is_one_append_onto_one_chain_and_a_redelivery_adds_nothing(stack):
    """A queue's batch: the new events in one transaction at the end of one chain, the
    ones recorded before (or twice in the batch) not again; the chain verifies."""
    for n in (3, 5):
        assert _record(n)
    batch = [("yellow_card", f"card-{n}", {"caseNo": f"44030020261125{n:07d}X"})
             for n in (1, 2, 3, 4, 2, 5, 6)]
    assert supervision_record.record_all(batch, at=AT) == [True, True, False, True, False,
                                                           False, True]
    chain = _chain_of("card-1")
    entries = _entries_by_chain(stack)[chain]
    added = [e for e in entries if e["key"] in {"card-1", "card-2", "card-4", "card-6"}]
    assert [e["key"] for e in sorted(added, key=lambda e: int(e["seq"]))] == [
        "card-1", "card-2", "card-4", "card-6"]
    assert sorted(int(e["seq"]) for e in entries) == list(range(1, len(entries) + 1))
    assert supervision_record.record_all(batch, at=AT) == [False] * 7
    supervision_record.seal(SWEEP)
    checked = supervision_record.verify(DAY)
    assert (checked["entries"], checked["sealed"], checked["broken"]) == (6, 6, None)


def test_a_chain_left_without_its_head_and_first_entry_is_still_found_and_named(stack):
    """Before any seal: the head and the first entry of one chain deleted, its other
    entries left. The sweep finds the chain all the same (not sealing past the gap) and
    verify-audit names its first entry missing."""
    batch = [("yellow_card", f"card-{n}", {"caseNo": f"44030020261125{n:07d}X"})
             for n in range(4)]
    assert supervision_record.record_all(batch, at=AT) == [True] * 4
    chain = _chain_of("card-0")
    for place in (-1, 1):
        _table(stack).delete_item(Key={"chain": chain, "seq": place})
    n, refused = supervision_record.sealing(SWEEP)
    assert refused == 1
    (day,) = supervision_record.report(DAY, DAY)["chains"]
    assert day["broken"] == {"chain": chain, "seq": 1,
                             "reason": "is missing or out of order (found 2)"}
