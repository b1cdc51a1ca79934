"""The supervision record's tamper evidence (电子监察记录): entries of one chain (an area's
day) each carry the hash of the entry before them, and the chain's head is sealed with a
signature. Pure functions: what an entry's hash is, and where a chain read back from the
store stops being the chain that was written.

An edited entry no longer hashes to what the next one names; a deleted one leaves a gap in
the sequence; a reordered pair breaks both; a tail cut off after sealing leaves the seal
naming an entry that is not there, and an entry slipped in after sealing is past the seal
(allowed only until the next seal, which then covers it).
"""
import hashlib
from dataclasses import dataclass

from .canonical import canonical_bytes

GENESIS = "0" * 64


def chain_id(area: str, day: str) -> str:
    return f"{area}#{day}"


def entry_hash(prev_hash: str, seq: int, body: dict) -> str:
    """SHA-256 over the previous hash, the entry's place and its canonical body."""
    return hashlib.sha256(prev_hash.encode("ascii") + b"\n" + str(seq).encode("ascii")
                          + b"\n" + canonical_bytes(body)).hexdigest()


def seal_message(chain: str, seq: int, head_hash: str) -> bytes:
    """What a chain's seal signs: its id, how many entries and the last one's hash."""
    return canonical_bytes({"chain": chain, "seq": seq, "hash": head_hash})


@dataclass(frozen=True)
class Broken:
    chain: str
    seq: int          # the first entry that is not as written (0: the seal itself)
    reason: str


def verify(chain: str, entries: list[dict], seal: dict | None,
           seal_is_genuine) -> Broken | None:
    """The first break in `entries` (each {"seq", "prevHash", "hash", "body"}, in stored
    order), or None. `seal` is {"seq", "hash", "signature"} or None (a chain not sealed
    yet); `seal_is_genuine(message, signature)` checks the signature."""
    previous = GENESIS
    for expected, entry in enumerate(entries, start=1):
        if entry["seq"] != expected:
            return Broken(chain, expected, f"entry {expected} is missing or out of order "
                                           f"(found {entry['seq']})")
        if entry["prevHash"] != previous:
            return Broken(chain, expected, "does not follow the entry before it")
        if entry_hash(previous, expected, entry["body"]) != entry["hash"]:
            return Broken(chain, expected, "its content was changed")
        previous = entry["hash"]
    if seal is None:
        return None
    if not seal_is_genuine(seal_message(chain, seal["seq"], seal["hash"]), seal["signature"]):
        return Broken(chain, 0, "the seal's signature does not verify")
    if seal["seq"] > len(entries):
        return Broken(chain, len(entries) + 1, f"the seal covers {seal['seq']} entries, "
                                               f"{len(entries)} are there")
    if seal["seq"] and entries[seal["seq"] - 1]["hash"] != seal["hash"]:
        return Broken(chain, seal["seq"], "differs from the entry the seal covers")
    return None
