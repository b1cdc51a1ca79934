"""The supervision record's chain: every kind of tampering is found, at its first entry."""
from chalicelib.domain import chain

CHAIN = chain.chain_id("440300", "2026-11-25")


def _written(count: int) -> list[dict]:
    entries, previous = [], chain.GENESIS
    for seq in range(1, count + 1):
        body = {"kind": "yellow_card", "caseNo": f"44030020261125{seq:07d}X", "n": seq}
        digest = chain.entry_hash(previous, seq, body)
        entries.append({"seq": seq, "prevHash": previous, "hash": digest, "body": body})
        previous = digest
    return entries


def _seal(entries, signature="good"):
    return {"seq": len(entries), "hash": entries[-1]["hash"] if entries else chain.GENESIS,
            "signature": signature}


def _genuine(message, signature):
    return signature == "good"


def test_a_chain_as_written_verifies_sealed_or_not():
    entries = _written(5)
    assert chain.verify(CHAIN, entries, None, _genuine) is None
    assert chain.verify(CHAIN, entries, _seal(entries), _genuine) is None
    assert chain.verify(CHAIN, [], None, _genuine) is None
    # Entries appended after the last seal are chained; the next seal covers them.
    assert chain.verify(CHAIN, entries + _written(6)[5:], _seal(entries), _genuine) is None


def test_an_edited_entry_is_found():
    entries = _written(5)
    entries[2] = {**entries[2], "body": {**entries[2]["body"], "kind": "warning"}}
    assert chain.verify(CHAIN, entries, None, _genuine) == chain.Broken(
        CHAIN, 3, "its content was changed")


def test_an_edit_that_rehashes_the_entry_is_found_at_the_next():
    entries = _written(5)
    body = {**entries[2]["body"], "kind": "warning"}
    entries[2] = {**entries[2], "body": body,
                  "hash": chain.entry_hash(entries[2]["prevHash"], 3, body)}
    assert chain.verify(CHAIN, entries, None, _genuine).seq == 4


def test_a_deleted_entry_is_found():
    entries = _written(5)
    del entries[1]
    broken = chain.verify(CHAIN, entries, None, _genuine)
    assert broken.seq == 2 and "missing or out of order" in broken.reason


def test_reordered_entries_are_found():
    entries = _written(5)
    entries[1], entries[2] = entries[2], entries[1]
    assert chain.verify(CHAIN, entries, None, _genuine).seq == 2
    # Renumbered to look in order, they no longer follow each other.
    swapped = [dict(e) for e in _written(5)]
    swapped[1], swapped[2] = {**swapped[2], "seq": 2}, {**swapped[1], "seq": 3}
    assert chain.verify(CHAIN, swapped, None, _genuine).seq == 2


def test_a_tail_cut_after_sealing_and_a_forged_seal_are_found():
    entries = _written(5)
    seal = _seal(entries)
    broken = chain.verify(CHAIN, entries[:3], seal, _genuine)
    assert broken.seq == 4 and "the seal covers 5 entries, 3 are there" in broken.reason
    assert chain.verify(CHAIN, entries, _seal(entries, "forged"), _genuine).seq == 0
    # A whole chain rewritten from the first entry does not match the seal.
    rewritten = _written(5)
    rewritten[0]["body"]["n"] = 99
    rebuilt, previous = [], chain.GENESIS
    for entry in rewritten:
        digest = chain.entry_hash(previous, entry["seq"], entry["body"])
        rebuilt.append({**entry, "prevHash": previous, "hash": digest})
        previous = digest
    assert chain.verify(CHAIN, rebuilt, seal, _genuine).seq == 5
