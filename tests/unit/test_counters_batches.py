"""Counting a batch of events in one transaction (adapters/counters.py `add_all`): the
rows written once with their sums, events counted before left out and the rest counted,
a conflict with another batch's transaction tried again, chunks within DynamoDB's limit."""
import pytest
from botocore.exceptions import ClientError

from chalicelib.adapters import counters


class FakeDynamoDB:
    """The client's transact_write_items: refusals given in order, then success; every
    transaction kept."""

    def __init__(self, refusals=()):
        self.refusals = list(refusals)
        self.transactions: list[list[dict]] = []

    def transact_write_items(self, TransactItems):
        self.transactions.append(TransactItems)
        if self.refusals:
            codes = self.refusals.pop(0)
            raise ClientError({"Error": {"Code": "TransactionCanceledException"},
                               "CancellationReasons": [{"Code": c} for c in codes]},
                              "TransactWriteItems")


@pytest.fixture
def client(monkeypatch):
    def install(refusals=()):
        fake = FakeDynamoDB(refusals)
        monkeypatch.setattr(counters, "_client", lambda: fake)
        monkeypatch.setattr(counters.time, "sleep", lambda seconds: None)
        return fake
    return install


def _event(n: int, month: str = "2026-12") -> counters.Counted:
    return counters.Counted(f"e{n}", {(month, "all"): {"received": 1},
                                      (month, f"dept#D{n % 2}"): {"received": 1}})


def _updates(transaction) -> dict:
    return {(i["Update"]["Key"]["dimension"]["S"]): i["Update"]["ExpressionAttributeValues"]
            for i in transaction if "Update" in i}


def test_a_batch_writes_each_row_once_with_the_sum_of_its_events(client):
    fake = client()
    assert counters.add_all("t", [_event(n) for n in range(10)] + [_event(3)], 1) == set()
    (transaction,) = fake.transactions
    assert [i["Put"]["Item"]["month"]["S"] for i in transaction if "Put" in i] == [
        f"EVENT#e{n}" for n in range(10)]
    assert _updates(transaction) == {"all": {":v0": {"N": "10"}},
                                     "dept#D0": {":v0": {"N": "5"}},
                                     "dept#D1": {":v0": {"N": "5"}}}


def test_events_counted_before_are_left_out_and_the_others_counted(client):
    fake = client([[None, "ConditionalCheckFailed", None, None, None, None]])
    assert counters.add_all("t", [_event(n) for n in range(3)], 1) == {"e1"}
    assert len(fake.transactions) == 2
    assert _updates(fake.transactions[1])["all"] == {":v0": {"N": "2"}}


def test_a_conflict_with_another_transaction_is_tried_again_then_fails_the_batch(client):
    fake = client([["TransactionConflict"]] * 2)
    assert counters.add_all("t", [_event(1)], 1) == set()
    assert len(fake.transactions) == 3
    client([["TransactionConflict"]] * (counters.CONFLICT_RETRIES + 1))
    with pytest.raises(ClientError):
        counters.add_all("t", [_event(1)], 1)
    client([["ValidationError"]])
    with pytest.raises(ClientError):
        counters.add_all("t", [_event(1)], 1)


def test_a_batch_larger_than_one_transaction_takes_several(client):
    fake = client()
    events = [_event(n, month=f"20{n:02d}-01") for n in range(40)]   # 3 items each
    assert counters.add_all("t", events, 1) == set()
    assert [len(t) for t in fake.transactions] == [99, 21]
