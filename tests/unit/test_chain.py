"""The supervision record's chain and seals: every kind of tampering is found, at its first
entry — against the seals' hashes where the chain is sealed, against its markers and head
past them."""
import hashlib
from collections import Counter

import pytest

from chalicelib.domain import chain
from chalicelib.domain.canonical import canonical_bytes

CHAIN = chain.chain_id("440300", "2026-11-25")
DAY = "2026-11-25"


def _written(count: int) -> list[dict]:
    entries, previous = [], chain.GENESIS
    for seq in range(1, count + 1):
        body = {"kind": "yellow_card", "caseNo": f"44030020261125{seq:07d}X", "n": seq}
        digest = chain.entry_hash(previous, seq, body)
        entries.append({"seq": seq, "prevHash": previous, "hash": digest, "body": body})
        previous = digest
    return entries


def _markers(entries) -> dict[int, dict]:
    return {e["seq"]: {"chain": CHAIN, "seq": e["seq"], "hash": e["hash"]} for e in entries}


def _genuine(message, signature):
    return signature == "good"


def _seals(entries, *cuts, final=False) -> list[dict]:
    """Seals of `entries` cut after each of `cuts` places, chained; the last one final
    if asked."""
    seals, previous, done = [], None, 0
    for n, cut in enumerate(cuts, start=1):
        seal = {"area": "440300", "n": n, "at": f"2026-11-25T0{n}:00:00Z",
                "prev": chain.seal_digest(previous) if previous else chain.GENESIS,
                "chains": {DAY: {"from": done, "seq": cut,
                                 "head": entries[cut - 1]["hash"] if cut else chain.GENESIS,
                                 "hashes": [e["hash"] for e in entries[done:cut]],
                                 "final": final and n == len(cuts)}},
                "signature": "good"}
        seal["root"] = chain.merkle_root(seal["chains"])
        seals.append(seal)
        previous, done = seal, cut
    return seals


def _sealed(entries, *cuts, final=False) -> chain.Sealed:
    found, broken = chain.read_seals(_seals(entries, *cuts, final=final), _genuine)
    assert broken is None
    return found[DAY]


def _table_seal(entries, count):
    return {"seq": count, "hash": entries[count - 1]["hash"]}


def _verify(entries, sealed, count, *, head=None, markers=None, table_seal="same",
            overdue=False):
    return chain.verify(CHAIN, entries, sealed,
                        _markers(entries) if markers is None else markers,
                        head or {"seq": entries[-1]["seq"], "hash": entries[-1]["hash"]}
                        if entries else head,
                        _table_seal(_written(count), count) if table_seal == "same"
                        else table_seal, overdue)


def test_a_record_as_written_verifies_sealed_in_parts_with_an_unsealed_tail():
    entries = _written(30)
    sealed = _sealed(entries, 10, 25)
    assert sealed.hashes == [e["hash"] for e in entries[:25]] and sealed.seal == 2
    assert _verify(entries, sealed, 25) is None
    assert chain.verify(CHAIN, [], None, {}, None, None) is None


def test_seals_that_do_not_follow_or_are_not_signed_are_found():
    entries = _written(30)
    seals = _seals(entries, 10, 20, 25)
    seals[1]["signature"] = "forged"
    assert chain.read_seals(seals, _genuine)[1] == chain.BrokenSeal(
        2, "its signature does not verify")
    seals = _seals(entries, 10, 20, 25)
    seals[1]["chains"][DAY]["hashes"][-1] = "f" * 64   # its hashes do not reach its head
    assert chain.read_seals(seals, _genuine)[1] == chain.BrokenSeal(
        2, f"its hashes of {DAY} do not reach its head")
    seals = _seals(entries, 10, 20, 25)
    del seals[1]
    assert chain.read_seals(seals, _genuine)[1] == chain.BrokenSeal(
        3, "does not follow seal 1")
    assert chain.read_seals(_seals(entries, 10, 20)[1:], _genuine)[1] == chain.BrokenSeal(
        2, "the seals before it are missing")


def test_an_edit_without_rehash_is_named_at_it():
    entries = _written(30)
    entries[4] = {**entries[4], "body": {**entries[4]["body"], "kind": "warning"}}
    assert _verify(entries, _sealed(_written(30), 25), 25) == chain.Broken(
        CHAIN, 5, "its content was changed")


@pytest.mark.parametrize("at", [1, 7, 25])
def test_a_deleted_sealed_entry_is_named_at_it(at):
    entries = [e for e in _written(30) if e["seq"] != at]
    broken = _verify(entries, _sealed(_written(30), 25), 25)
    assert broken == chain.Broken(CHAIN, at, "is missing: seal 1 covers 25 entries")


def test_an_edit_rehashed_through_the_end_is_named_at_the_edit_not_the_seals_end():
    entries = _written(30)
    sealed = _sealed(entries, 25)
    rewritten, previous = [], entries[18]["hash"]
    for entry in entries[19:]:
        body = {**entry["body"], "kind": "warning"} if entry["seq"] == 20 else entry["body"]
        digest = chain.entry_hash(previous, entry["seq"], body)
        rewritten.append({**entry, "body": body, "prevHash": previous, "hash": digest})
        previous = digest
    broken = _verify(entries[:19] + rewritten, sealed, 25, table_seal=None)
    assert broken.seq == 20 and "changed and re-hashed" in broken.reason


def test_swapped_entries_are_named_at_the_first():
    entries = _written(30)
    entries[9], entries[10] = {**entries[10], "seq": 10}, {**entries[9], "seq": 11}
    assert _verify(entries, _sealed(_written(30), 25), 25).seq == 10


def test_past_the_seals_an_entry_needs_its_marker_and_the_chain_its_head():
    entries = _written(30)
    sealed = _sealed(entries, 25)
    markers = _markers(entries)
    del markers[27]
    assert _verify(entries, sealed, 25, markers=markers) == chain.Broken(
        CHAIN, 27, "no marker records it here: the record did not write it")
    markers = _markers(entries)
    markers[26] = {**markers[26], "hash": "e" * 64}
    assert _verify(entries, sealed, 25, markers=markers).reason.startswith(
        "differs from its marker")
    assert _verify(entries[:-1], sealed, 25, head={"seq": 30, "hash": entries[-1]["hash"]},
                   markers=_markers(entries)) == chain.Broken(
        CHAIN, 30, "is missing: the chain's head says 30 entries were recorded")


def test_an_entry_after_the_final_seal_or_never_sealed_when_it_should_be_is_named():
    entries = _written(30)
    assert _verify(entries, _sealed(entries, 25, final=True), 25) == chain.Broken(
        CHAIN, 26, "was added after the chain's final seal (1)")
    assert _verify(entries, None, 0, table_seal=None, overdue=True).seq == 1


def test_the_tables_copy_of_the_seal_missing_or_different_is_named_at_0():
    entries = _written(25)
    sealed = _sealed(entries, 25)
    assert _verify(entries, sealed, 25, table_seal=None) == chain.Broken(
        CHAIN, 0, "the chain's seal is missing from the table (seal 1 covers 25 entries)")
    assert _verify(entries, sealed, 25, table_seal=_table_seal(entries, 24)).seq == 0


def test_only_the_days_asked_for_keep_their_hashes_the_others_still_follow():
    entries = _written(30)
    seals = _seals(entries, 10, 20, 25)
    found, broken = chain.read_seals(seals, _genuine, keep=lambda day: day != DAY)
    assert broken is None
    assert (found[DAY].hashes, found[DAY].count, found[DAY].head) == (
        [], 25, entries[24]["hash"])
    seals[2]["chains"][DAY]["from"] = 19
    assert chain.read_seals(seals, _genuine, keep=lambda day: False)[1] == \
        chain.BrokenSeal(3, f"does not continue {DAY} where seal 2 left it")


def test_seals_read_from_an_anchor_follow_it_and_keep_the_hashes_after_it():
    entries = _written(30)
    seals = _seals(entries, 10, 20, 25)
    found, broken = chain.read_seals(seals[1:], _genuine, anchored=True)
    assert broken is None
    assert (found[DAY].count, found[DAY].hashes) == (25, [e["hash"] for e in entries[20:25]])
    seals[2]["prev"] = chain.GENESIS
    assert chain.read_seals(seals[1:], _genuine, anchored=True)[1] == chain.BrokenSeal(
        3, "does not follow seal 2")
    assert chain.read_seals(seals[1:], _genuine)[1] == chain.BrokenSeal(
        2, "the seals before it are missing")


def test_a_seal_whose_root_is_not_that_of_its_chains_is_found():
    entries = _written(30)
    seals = _seals(entries, 10, 20, 25)
    seals[1]["chains"][DAY]["head"] = entries[18]["hash"]   # the root still the old head's
    seals[1]["chains"][DAY]["hashes"].pop()
    seals[1]["chains"][DAY]["seq"] = 19
    assert chain.read_seals(seals, _genuine)[1] == chain.BrokenSeal(
        2, "its Merkle root is not that of the chains it lists")
    # A seal written before roots were named has none: read as it is (its signature
    # covers what it holds, so none can be taken out of a newer one).
    (seal,) = _seals(entries, 10)
    del seal["root"]
    found, broken = chain.read_seals([seal], _genuine)
    assert broken is None and found[DAY].count == 10


def _leaf(name: str, seq: int, head: str, final: bool = False) -> bytes:
    return canonical_bytes({"chain": name, "seq": seq, "head": head, "final": final})


def _h(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def test_the_merkle_root_is_rfc_6962s_tree_hash_of_the_chains_in_label_order():
    parts = {f"2026-11-25#{n:02d}": {"seq": n + 1, "head": f"{n:064x}", "final": n == 1}
             for n in range(3)}
    leaves = [_h(b"\x00" + _leaf(name, p["seq"], p["head"], p["final"]))
              for name, p in sorted(parts.items())]
    # Three leaves: the first two paired, the third alone on the right (RFC 6962 2.1).
    expected = _h(b"\x01" + _h(b"\x01" + leaves[0] + leaves[1]) + leaves[2])
    assert chain.merkle_root(dict(reversed(parts.items()))) == expected.hex()
    assert chain.merkle_root({}) == hashlib.sha256(b"").hexdigest()
    one = {"2026-11-25#00": parts["2026-11-25#00"]}
    assert chain.merkle_root(one) == leaves[0].hex()
    moved = {**parts, "2026-11-25#02": {**parts["2026-11-25#02"], "seq": 4}}
    assert chain.merkle_root(moved) != chain.merkle_root(parts)


def test_a_key_goes_to_the_same_chain_always_and_keys_spread_over_all_of_them():
    assert chain.shard("card-7") == chain.shard("card-7")
    spread = Counter(chain.shard(f"event-{n}") for n in range(6_400))
    assert set(spread) == set(range(chain.CHAINS))
    assert max(spread.values()) < 2 * 6_400 / chain.CHAINS
    assert chain.labels("2026-11-25")[7] == "2026-11-25#07"
    assert chain.day_of("2026-11-25#07") == "2026-11-25"
