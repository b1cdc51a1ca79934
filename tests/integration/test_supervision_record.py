"""The supervision record in DynamoDB and its seals in the write-once bucket: appends at
once take distinct places, redelivery appends nothing, every sweep seals every chain not
sealed for good, and `make verify-audit` names the first entry that is not as written in
each of the tester's sixteen tampers made directly in the table (issue 23).

The tampers are made in one chain: here a day's entries all go to one (`one_chain`), so a
test can say which entry is which. A day's 64 chains, the sweep over them and their
Merkle root: test_supervision_chains.py."""
import json
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import boto3
import pytest
from boto3.dynamodb.conditions import Key

from chalicelib.adapters import seal_store
from chalicelib.domain import chain as chains
from chalicelib.services import supervision_record

from .harness import REGION

AT = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)   # 11:00 in Shenzhen
DAY = AT.date()
DAY_RECORD = f"440300#{DAY}"      # the day, as the report names it
CHAIN = f"{DAY_RECORD}#00"        # its one chain
LABEL = f"{DAY}#00"               # the chain's name in a seal
NEXT_LABEL = "2026-11-26#00"
SWEEP = AT + timedelta(hours=1)                          # a sweep that day
SWEEP_LATER = AT + timedelta(hours=2)
NEXT_DAY = datetime(2026, 11, 25, 16, 30, tzinfo=UTC)   # 00:30 the day after


@pytest.fixture(autouse=True)
def one_chain(monkeypatch):
    monkeypatch.setattr(chains, "CHAINS", 1)


def _table(stack):
    return boto3.resource("dynamodb", region_name=REGION).Table(
        stack.env["OW_SUPERVISION_TABLE"])


def _items(stack, chain: str = CHAIN) -> list[dict]:
    items, extra = [], {}
    while True:
        page = _table(stack).query(KeyConditionExpression=Key("chain").eq(chain),
                                   ConsistentRead=True, **extra)
        items += page["Items"]
        if "LastEvaluatedKey" not in page:
            return items
        extra = {"ExclusiveStartKey": page["LastEvaluatedKey"]}


def _entries(stack, chain: str = CHAIN) -> dict[int, dict]:
    return {int(e["seq"]): e for e in _items(stack, chain) if int(e["seq"]) > 0}


def _record(n: int, at: datetime = AT) -> bool:
    return supervision_record.record("yellow_card", f"card-{n}",
                                     {"caseNo": f"44030020261125{n:07d}X"}, at=at)


_BUILT: dict[tuple, tuple[list[dict], dict[str, bytes]]] = {}


def _built(stack, sealed: int, tail: int = 0) -> dict[int, dict]:
    """A chain of `sealed` entries sealed by a sweep that day, then `tail` more not
    sealed yet: built once per shape (through the service), then restored as it was
    written, table and store."""
    shape = (sealed, tail)
    s3 = boto3.client("s3", region_name=REGION)
    bucket = stack.env["OW_SUPERVISION_SEALS_BUCKET"]
    if shape not in _BUILT:
        for n in range(sealed):
            _record(n)
        assert supervision_record.seal(SWEEP) == 1
        for n in range(sealed, sealed + tail):
            _record(n)
        objects = {o["Key"]: s3.get_object(Bucket=bucket, Key=o["Key"])["Body"].read()
                   for o in s3.list_objects_v2(Bucket=bucket).get("Contents", [])}
        _BUILT[shape] = (_table(stack).scan(ConsistentRead=True)["Items"], objects)
    else:
        items, objects = _BUILT[shape]
        with _table(stack).batch_writer() as batch:
            for item in items:
                batch.put_item(Item=item)
        for key, body in objects.items():
            s3.put_object(Bucket=bucket, Key=key, Body=body)
    entries = _entries(stack)
    assert len(entries) == sealed + tail
    return entries


def _verify_audit(capsys) -> tuple[int, dict]:
    from infra import verify_audit
    status = verify_audit.main(["--from", str(DAY), "--to", str(DAY)])
    return status, json.loads(capsys.readouterr().out)


def _named(capsys) -> tuple[str, int, str]:
    """What `make verify-audit` names: the chain, the first bad entry and what is wrong."""
    status, report = _verify_audit(capsys)
    assert status == 1 and report["holds"] is False
    broken = [c for c in report["chains"] if c["broken"]]
    assert len(broken) == 1, report
    return (broken[0]["broken"]["chain"], broken[0]["broken"]["seq"],
            broken[0]["broken"]["reason"])


def _put(stack, entry: dict) -> None:
    _table(stack).put_item(Item=entry)


def _delete(stack, seq: int, chain: str = CHAIN) -> None:
    _table(stack).delete_item(Key={"chain": chain, "seq": seq})


def _body(entry: dict) -> dict:
    return json.loads(entry["body"])


def _edited(entry: dict, **changes) -> dict:
    return {**entry, "body": json.dumps({**_body(entry), **changes}, ensure_ascii=False)}


def _rehash(stack, entries: list[dict], previous: str, first: int) -> None:
    """Write `entries` back at first, first+1, … each hashed onto the one before, as an
    editor who knows the hash would; the chain's head follows them."""
    with _table(stack).batch_writer() as batch:
        for seq, entry in enumerate(entries, start=first):
            digest = chains.entry_hash(previous, seq, _body(entry))
            batch.put_item(Item={**entry, "seq": seq, "prevHash": previous, "hash": digest})
            previous = digest
        batch.put_item(Item={"chain": CHAIN, "seq": -1, "lastSeq": first + len(entries) - 1,
                             "lastHash": previous})


def test_appends_at_once_and_redeliveries_make_one_unbroken_chain(stack):
    with ThreadPoolExecutor(8) as pool:
        first = list(pool.map(_record, range(12)))
        again = list(pool.map(_record, range(12)))   # every event delivered twice
    assert first == [True] * 12 and again == [False] * 12
    entries = _entries(stack)
    assert sorted(entries) == list(range(1, 13))
    assert sorted(e["key"] for e in entries.values()) == sorted(f"card-{n}" for n in range(12))
    assert supervision_record.seal(SWEEP) == 1
    assert supervision_record.verify(DAY) == {
        "chain": DAY_RECORD, "chains": 1, "entries": 12, "sealed": 12, "final": False,
        "broken": None}


def test_every_sweep_seals_every_open_chain_until_its_day_is_sealed_for_good(stack):
    """Seals number on and name the one before; a day stays in them after it ended until
    a sweep past its end seals it for good; nothing new, no new seal."""
    s3 = boto3.client("s3", region_name=REGION)
    bucket = stack.env["OW_SUPERVISION_SEALS_BUCKET"]

    def stored(n: int) -> dict:
        return json.loads(s3.get_object(Bucket=bucket, Key=f"seals/440300/{n:012d}.json")[
            "Body"].read())
    for n in range(3):
        _record(n)
    assert supervision_record.seal(SWEEP) == 1
    assert supervision_record.seal(SWEEP_LATER) == 1          # nothing new
    _record(3, at=SWEEP_LATER)
    assert supervision_record.seal(SWEEP_LATER) == 2
    _record(4, at=NEXT_DAY - timedelta(minutes=20))            # 00:10 the day after
    assert supervision_record.seal(NEXT_DAY - timedelta(minutes=25)) == 3   # 00:05
    assert supervision_record.seal(NEXT_DAY) == 4
    seals = [stored(n) for n in (1, 2, 3, 4)]
    assert [s["prev"] for s in seals[1:]] == [chains.seal_digest(s) for s in seals[:-1]]
    assert [(d, p["from"], p["seq"], p["final"]) for s in seals
            for d, p in sorted(s["chains"].items())] == [
        (LABEL, 0, 3, False),
        (LABEL, 3, 4, False),
        (LABEL, 4, 4, False), (NEXT_LABEL, 0, 1, False),  # not over 10 minutes yet
        (LABEL, 4, 4, True), (NEXT_LABEL, 1, 1, False)]
    assert [s["n"] for s in seals] == [1, 2, 3, 4]
    assert seals[1]["chains"][LABEL]["hashes"] == [_entries(stack)[4]["hash"]]
    assert supervision_record.seal(NEXT_DAY + timedelta(hours=1)) == 4
    # The day sealed for good has left the window.
    _record(5, at=NEXT_DAY + timedelta(hours=1))
    assert supervision_record.seal(NEXT_DAY + timedelta(hours=1)) == 5
    assert list(stored(5)["chains"]) == [NEXT_LABEL]
    checked = supervision_record.verify_days(DAY, DAY + timedelta(days=1))
    assert checked["seals"] == {"count": 5, "last": 5, "broken": None}
    assert [(c["entries"], c["sealed"], c["final"], c["broken"])
            for c in checked["chains"]] == [(4, 4, True, None), (2, 2, False, None)]


def test_two_sweeps_at_once_write_one_seal_of_each_number(stack):
    for n in range(5):
        _record(n)
    with ThreadPoolExecutor(4) as pool:
        numbers = list(pool.map(lambda _: supervision_record.seal(SWEEP), range(4)))
    assert set(numbers) == {1}
    assert supervision_record.verify_days(DAY, DAY)["seals"] == {
        "count": 1, "last": 1, "broken": None}


def test_a_seal_is_write_once_and_an_overwrite_is_found(stack, capsys):
    from infra import template
    resource = template.render()["Resources"]["SupervisionSealsBucket"]
    assert (resource["DeletionPolicy"], resource["UpdateReplacePolicy"]) == ("Retain", "Retain")
    assert resource["Properties"]["ObjectLockEnabled"] is True
    assert resource["Properties"]["ObjectLockConfiguration"]["Rule"]["DefaultRetention"][
        "Mode"] == "COMPLIANCE"
    _built(stack, 12)
    s3 = boto3.client("s3", region_name=REGION)
    bucket = stack.env["OW_SUPERVISION_SEALS_BUCKET"]
    lock = s3.get_object_lock_configuration(Bucket=bucket)["ObjectLockConfiguration"]
    assert lock["Rule"]["DefaultRetention"]["Mode"] == "COMPLIANCE"
    key = "seals/440300/000000000001.json"
    first = s3.list_object_versions(Bucket=bucket, Prefix=key)["Versions"][0]["VersionId"]
    with pytest.raises(s3.exceptions.ClientError, match="AccessDenied"):
        s3.delete_object(Bucket=bucket, Key=key, VersionId=first)
    forged = json.loads(s3.get_object(Bucket=bucket, Key=key)["Body"].read())
    forged["chains"][LABEL]["hashes"][4] = "0" * 64
    s3.put_object(Bucket=bucket, Key=key, Body=json.dumps(forged).encode())
    status, report = _verify_audit(capsys)
    assert status == 1 and report["seals"]["broken"]["n"] == 1
    assert "overwritten" in report["seals"]["broken"]["reason"]
    # The chains are still checked against the seal as first written: they hold.
    assert [c["broken"] for c in report["chains"]] == [None]


def test_a_sweep_stopped_after_storing_its_seal_is_finished_by_the_next(stack, monkeypatch):
    """The seal is in the store but the table's copies are not: the next sweep reads
    the store, writes the copies, and does not seal the day sealed for good again."""
    _built(stack, 12)
    copy_to_table = supervision_record._copy_to_table
    monkeypatch.setattr(supervision_record, "_copy_to_table", lambda *_: 1 / 0)
    _record(12, at=SWEEP_LATER)
    with pytest.raises(ZeroDivisionError):
        supervision_record.seal(SWEEP_LATER)         # seal 2: entry 13
    monkeypatch.setattr(supervision_record, "_copy_to_table", copy_to_table)
    assert supervision_record.verify(DAY)["broken"]["seq"] == 0   # the copy is behind
    assert supervision_record.seal(SWEEP_LATER) == 2              # nothing new: copied
    assert supervision_record.verify(DAY)["broken"] is None
    monkeypatch.setattr(supervision_record, "_copy_to_table", lambda *_: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        supervision_record.seal(NEXT_DAY)            # seal 3: the day for good
    monkeypatch.setattr(supervision_record, "_copy_to_table", copy_to_table)
    _record(100, at=NEXT_DAY)
    assert supervision_record.seal(NEXT_DAY + timedelta(minutes=15)) == 4
    checked = supervision_record.verify_days(DAY, DAY + timedelta(days=1))
    assert checked["seals"] == {"count": 4, "last": 4, "broken": None}
    assert [(c["sealed"], c["final"], c["broken"]) for c in checked["chains"]] == [
        (13, True, None), (1, False, None)]


def test_the_operators_command_passes_on_a_record_as_written(stack, capsys):
    _built(stack, 12, tail=3)
    status, report = _verify_audit(capsys)
    assert status == 0 and report["holds"] is True and report["entries"] == 15
    assert report["chains"] == [{"chain": DAY_RECORD, "chains": 1, "entries": 15,
                                 "sealed": 12, "final": False, "broken": None}]


def test_verify_audit_reads_the_seals_from_the_days_asked_for_on(stack, capsys):
    """Seals written before the first day asked for cannot list its chains: of those,
    only the last is read, which the next must follow."""
    earlier = AT - timedelta(days=2)
    for n in range(3):
        _record(n, at=earlier)
    assert supervision_record.seal(earlier + timedelta(hours=1)) == 1
    assert supervision_record.seal(earlier + timedelta(days=1)) == 2   # for good
    for n in range(3, 8):
        _record(n)
    assert supervision_record.seal(SWEEP) == 3
    assert supervision_record.verify_days(DAY, DAY)["seals"] == {
        "count": 2, "last": 3, "broken": None}
    assert supervision_record.verify_days(earlier.date(), DAY)["seals"]["count"] == 3
    _put(stack, _edited(_entries(stack)[2], kind="warning"))
    assert _named(capsys) == (CHAIN, 2, "its content was changed")


def test_a_chain_sealed_before_its_day_began_is_checked_from_its_first_seal(stack):
    """A local clock set back seals a day before it began: all seals are read then."""
    earlier = AT - timedelta(days=2)
    _record(0, at=earlier)
    assert supervision_record.seal(earlier + timedelta(hours=1)) == 1
    for n in range(1, 4):
        _record(n)
    assert supervision_record.seal(AT - timedelta(days=1)) == 2   # the clock set back
    _record(4, at=SWEEP)
    assert supervision_record.seal(SWEEP) == 3
    checked = supervision_record.verify_days(DAY, DAY)
    assert checked["seals"] == {"count": 3, "last": 3, "broken": None}
    assert [(c["entries"], c["sealed"], c["broken"]) for c in checked["chains"]] == [
        (4, 4, None)]


# --- the tester's sixteen tampers, each named by `make verify-audit` -------------------

@pytest.mark.parametrize("seq", [5, 200], ids=["entry-5", "entry-200"])
def test_an_entry_edited_without_rehashing_is_named(stack, capsys, seq):
    entries = _built(stack, 210)
    _put(stack, _edited(entries[seq], kind="warning"))
    assert _named(capsys) == (CHAIN, seq, "its content was changed")


def test_a_deleted_entry_7_is_named(stack, capsys):
    _built(stack, 210)
    _delete(stack, 7)
    chain, seq, reason = _named(capsys)
    assert (chain, seq) == (CHAIN, 7) and reason.startswith("is missing")


def test_a_deleted_first_entry_is_named(stack, capsys):
    _built(stack, 210)
    _delete(stack, 1)
    chain, seq, reason = _named(capsys)
    assert (chain, seq) == (CHAIN, 1) and reason.startswith("is missing")


@pytest.mark.parametrize("one,other", [(10, 11), (3, 150)], ids=["10-11", "3-150"])
def test_swapped_entries_are_named_at_the_first(stack, capsys, one, other):
    entries = _built(stack, 210)
    _put(stack, {**entries[other], "seq": one})
    _put(stack, {**entries[one], "seq": other})
    chain, seq, reason = _named(capsys)
    assert (chain, seq) == (CHAIN, one) and "not the entry that was sealed" in reason


def test_a_sealed_tail_cut_off_is_named_at_its_first_entry(stack, capsys):
    _built(stack, 210)
    for seq in range(201, 211):
        _delete(stack, seq)
    _put(stack, {"chain": CHAIN, "seq": -1, "lastSeq": 200,
                 "lastHash": _entries(stack)[200]["hash"]})
    chain, seq, reason = _named(capsys)
    assert (chain, seq) == (CHAIN, 201) and reason == "is missing: seal 1 covers 210 entries"


def test_the_documented_tamper_command_is_named(stack, capsys, monkeypatch, tmp_path):
    from infra.local import paths, tamper
    _built(stack, 12)
    local_env = tmp_path / "local-env.json"
    local_env.write_text(json.dumps(stack.env))
    monkeypatch.setattr(paths, "env_file", lambda: local_env)
    monkeypatch.delenv("OW_SUPERVISION_TABLE")
    assert tamper.main(["--day", str(DAY)]) == 0
    assert json.loads(capsys.readouterr().out)["seq"] == 1
    assert _named(capsys) == (CHAIN, 1, "its content was changed")


def test_an_edit_at_20_with_the_rest_rehashed_is_named_at_20(stack, capsys):
    entries = _built(stack, 210)
    rest = [_edited(entries[20], kind="warning")] + [entries[s] for s in range(21, 211)]
    _rehash(stack, rest, entries[19]["hash"], 20)
    chain, seq, reason = _named(capsys)
    assert (chain, seq) == (CHAIN, 20) and "changed and re-hashed" in reason


def test_entry_30_deleted_and_the_rest_renumbered_and_rehashed_is_named_at_30(stack, capsys):
    entries = _built(stack, 210)
    _delete(stack, 210)
    _rehash(stack, [entries[s] for s in range(31, 211)], entries[29]["hash"], 30)
    chain, seq, reason = _named(capsys)
    assert (chain, seq) == (CHAIN, 30) and "changed and re-hashed" in reason


def test_the_seal_deleted_then_20_edited_and_rehashed_is_named_at_20_after_a_sweep(
        stack, capsys, log_lines):
    entries = _built(stack, 210)
    _delete(stack, 0)
    rest = [_edited(entries[20], kind="warning")] + [entries[s] for s in range(21, 211)]
    _rehash(stack, rest, entries[19]["hash"], 20)
    errors = log_lines()
    _record(999, at=SWEEP_LATER)   # a genuine entry after, onto the rewritten chain
    supervision_record.seal(SWEEP_LATER)   # the sweep does not seal the rewrite
    assert any(f"{CHAIN}: entry 211 does not follow" in line for line in errors)
    chain, seq, reason = _named(capsys)
    assert (chain, seq) == (CHAIN, 20) and "changed and re-hashed" in reason


def test_the_seal_deleted_alone_is_named(stack, capsys):
    _built(stack, 12)
    _delete(stack, 0)
    assert _named(capsys) == (CHAIN, 0, "the chain's seal is missing from the table (seal "
                                        "1 covers 12 entries)")


def test_a_whole_days_chain_deleted_with_its_seal_is_named(stack, capsys):
    _built(stack, 12, tail=2)
    for item in _items(stack):
        _delete(stack, item["seq"])
    assert _named(capsys) == (CHAIN, 1, "is missing: seal 1 covers 12 entries")


def test_a_forged_entry_after_the_sealed_head_is_named_and_the_sweep_does_not_seal_it(
        stack, capsys, log_lines):
    entries = _built(stack, 12)
    body = {**_body(entries[12]), "key": "card-forged", "caseNo": "440300202611259999999X"}
    digest = chains.entry_hash(entries[12]["hash"], 13, body)
    _put(stack, {"chain": CHAIN, "seq": 13, "body": json.dumps(body), "key": "card-forged",
                 "prevHash": entries[12]["hash"], "hash": digest})
    _put(stack, {"chain": CHAIN, "seq": -1, "lastSeq": 13, "lastHash": digest})
    assert _named(capsys) == (CHAIN, 13, "no marker records it here: the record did not "
                                         "write it")
    errors = log_lines()
    _record(999, at=SWEEP_LATER)   # genuine, after the forgery
    # Nothing past the forgery sealed, and the sweep says so (its alarm's metric).
    assert supervision_record.sealing(SWEEP_LATER) == (1, 1)
    assert supervision_record.sealing(SWEEP_LATER) == (1, 1)   # every sweep, until fixed
    assert any(f"{CHAIN}: entry 13 no marker" in line for line in errors)
    assert supervision_record.verify(DAY)["sealed"] == 12
    assert _named(capsys)[1] == 13


def test_an_unsealed_tail_edited_and_rehashed_is_named(stack, capsys):
    entries = _built(stack, 20, tail=5)
    rest = [_edited(entries[23], kind="warning"), entries[24], entries[25]]
    _rehash(stack, rest, entries[22]["hash"], 23)
    assert _named(capsys) == (CHAIN, 23, "differs from its marker: changed and re-hashed "
                                         "after it was recorded")


def test_the_last_entry_of_an_unsealed_tail_deleted_is_named(stack, capsys):
    _built(stack, 20, tail=5)
    _delete(stack, 25)
    assert _named(capsys) == (CHAIN, 25, "is missing: the chain's head says 25 entries "
                                         "were recorded")


def test_an_entry_added_after_the_days_final_seal_is_named(stack, capsys):
    """Even written with a marker and the head moved on, as the record would have."""
    entries = _built(stack, 12)
    assert supervision_record.seal(NEXT_DAY) == 2     # the day sealed for good
    body = {**_body(entries[12]), "key": "card-late"}
    digest = chains.entry_hash(entries[12]["hash"], 13, body)
    _put(stack, {"chain": CHAIN, "seq": 13, "body": json.dumps(body), "key": "card-late",
                 "prevHash": entries[12]["hash"], "hash": digest})
    _put(stack, {"chain": "KEY#card-late", "seq": 0,
                 "body": json.dumps({"chain": CHAIN, "seq": 13, "hash": digest})})
    _put(stack, {"chain": CHAIN, "seq": -1, "lastSeq": 13, "lastHash": digest})
    assert _named(capsys) == (CHAIN, 13, "was added after the chain's final seal (2)")


def test_seals_made_before_a_key_rotation_still_verify_and_the_sweep_seals_on(
        stack, tmp_path, monkeypatch):
    """Rotated as docs/runbook.md says (the old JWK retired into the trust list, a new
    KMS key signing): the sweep checks the last seal with the retired key and seals on;
    make verify-audit checks both."""
    from chalicelib import config
    from chalicelib.services import licenses
    for n in range(3):
        _record(n, at=AT)
    assert supervision_record.sealing(SWEEP_LATER) == (1, 0)
    old = stack.call("GET", "/.well-known/license-keys").data["keys"][0]
    trust = tmp_path / "trust.json"
    trust.write_text(json.dumps({"retired": [{**old, "validTo": DAY.isoformat()}]}), "utf-8")
    new_key = boto3.client("kms", region_name=REGION).create_key(
        KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY")["KeyMetadata"]["KeyId"]
    monkeypatch.setenv("OW_SIGNING_KEY_ID", new_key)
    monkeypatch.setenv("OW_TRUST_LIST_FILE", str(trust))
    config.reset()
    licenses.keys._trust_list.cache_clear()
    try:
        _record(10, at=SWEEP_LATER)
        assert supervision_record.sealing(SWEEP_LATER + timedelta(minutes=15)) == (2, 0)
        checked = supervision_record.verify(DAY)
        assert (checked["broken"], checked["sealed"], checked["entries"]) == (None, 4, 4)
    finally:
        monkeypatch.undo()
        config.reset()
        licenses.keys._trust_list.cache_clear()


def test_an_object_that_is_not_a_genuine_seal_is_passed_over_named_and_alarmed(stack):
    """Something no key of the region signed, stored under the next seals' numbers
    (Object Lock keeps it): the sweep that finds it counts it (the alarm's metric), seals
    on from the last genuine seal with the next free number, and verify-audit names it
    and checks the chain against the genuine seals after it."""
    _record(1, at=AT)
    assert supervision_record.sealing(SWEEP_LATER) == (1, 0)
    s3 = boto3.client("s3", region_name=REGION)
    bucket = stack.env["OW_SUPERVISION_SEALS_BUCKET"]
    s3.put_object(Bucket=bucket, Key=seal_store.key("440300", 2), Body=b'{"n": 2}',
                  ChecksumAlgorithm="SHA256")
    s3.put_object(Bucket=bucket, Key=seal_store.key("440300", 3), Body=b"not json",
                  ChecksumAlgorithm="SHA256")
    _record(2, at=SWEEP_LATER)
    assert supervision_record.sealing(SWEEP_LATER + timedelta(minutes=15)) == (4, 2)
    _record(3, at=SWEEP_LATER)
    assert supervision_record.sealing(SWEEP_LATER + timedelta(minutes=30)) == (5, 0)
    checked = supervision_record.verify_days(DAY, DAY)
    assert checked["seals"]["broken"]["n"] == 2
    (chain,) = checked["chains"]
    assert (chain["broken"], chain["sealed"], chain["entries"]) == (None, 3, 3)


def test_a_forged_final_copy_in_the_table_keeps_no_day_out_of_the_seals(stack):
    """A copy in the table claiming a new day was sealed for good (no seal in the store
    says so): the sweep still seals the day, so an entry edited after is named."""
    day2 = datetime(2026, 11, 26, 3, 0, tzinfo=UTC)
    chain2 = f"440300#{NEXT_LABEL}"
    _record(1, at=AT)
    assert supervision_record.sealing(SWEEP_LATER) == (1, 0)
    for n in range(2, 5):
        _record(n, at=day2)
    _table(stack).put_item(Item={"chain": chain2, "seq": 0, "sealSeq": 0,
                                 "sealHash": "0" * 64, "sealN": 1, "final": True})
    n, refused = supervision_record.sealing(day2 + timedelta(hours=1))
    assert refused == 0 and NEXT_LABEL in seal_store.read("440300", n)["chains"]
    item = _table(stack).get_item(Key={"chain": chain2, "seq": 2})["Item"]
    _table(stack).put_item(Item={**item, "body": item["body"].replace("yellow_card",
                                                                      "nothing")})
    assert supervision_record.verify(day2.date())["broken"]["seq"] == 2
