"""The local event pump's stream delivery with a mapping's ParallelizationFactor: a
shard's records split into lanes by partition key — one case's records all in one lane,
in the shard's order — the lanes delivered at once, and a failed lane failing the read."""
import threading
import time
from types import SimpleNamespace

from infra.local.pump import StreamSource

ARN = "arn:aws:dynamodb:cn-north-1:000000000000:table/cases/stream/x"


def _record(n: int, case: str, sk: str = "META") -> dict:
    return {"eventID": str(n), "eventName": "MODIFY",
            "dynamodb": {"Keys": {"pk": {"S": case}, "sk": {"S": sk}},
                         "SequenceNumber": f"{n:021d}"}}


class Pump:
    """Records each batch delivered (its records' ids) and the threads it ran on; a
    batch holding `fail_on` fails."""

    region = "cn-north-1"

    def __init__(self, fail_on: str | None = None):
        self.batches: list[list[str]] = []
        self.threads: set[str] = set()
        self.fail_on = fail_on
        self._lock = threading.Lock()

    def invoke(self, source, event) -> bool:
        time.sleep(0.01)   # long enough for the lanes to overlap
        ids = [r["eventID"] for r in event["Records"]]
        with self._lock:
            self.batches.append(ids)
            self.threads.add(threading.current_thread().name)
        return self.fail_on not in ids


def _source(pump, parallelization=4, batch_size=2) -> StreamSource:
    stream = StreamSource(pump, ARN, SimpleNamespace(name="case_timeline",
                                                     batch_size=batch_size),
                          parallelization=parallelization)
    stream.hash_key = "pk"
    return stream


def test_one_cases_records_stay_in_one_lane_in_order_and_lanes_run_at_once():
    records = [_record(n, f"C{n % 6}", sk=f"EV#{n}") for n in range(36)]
    pump = Pump()
    stream = _source(pump)
    lanes = stream._lanes(records)
    assert len(lanes) <= 4
    for lane in lanes:
        for case in {r["dynamodb"]["Keys"]["pk"]["S"] for r in lane}:
            mine = [r["eventID"] for r in records if r["dynamodb"]["Keys"]["pk"]["S"] == case]
            assert [r["eventID"] for r in lane if r["dynamodb"]["Keys"]["pk"]["S"] == case] \
                == mine
            assert all(r in lane for r in records if r["eventID"] in mine)
    assert stream._deliver(records)
    assert sorted(int(i) for batch in pump.batches for i in batch) == list(range(36))
    assert all(len(batch) <= 2 for batch in pump.batches)
    delivered = [i for batch in pump.batches for i in batch]
    for case in range(6):   # each case's records delivered in the shard's order
        ids = [int(i) for i in delivered if int(i) % 6 == case]
        assert ids == sorted(ids)
    assert len(pump.threads) > 1


def test_a_failed_lane_fails_the_read_so_it_is_delivered_again():
    records = [_record(n, f"C{n % 3}") for n in range(9)]
    assert not _source(Pump(fail_on="4"))._deliver(records)
    assert _source(Pump(fail_on="none"))._deliver(records)


def test_one_lane_is_the_shard_in_order_in_its_batches():
    records = [_record(n, f"C{n}") for n in range(5)]
    pump = Pump()
    assert _source(pump, parallelization=1)._deliver(records)
    assert pump.batches == [["0", "1"], ["2", "3"], ["4"]]
