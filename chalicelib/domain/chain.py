"""The supervision record's tamper evidence (电子监察记录). Pure functions: what an entry's
hash is, what a seal says, and where the record read back from the store stops being the
record that was written.

An area's office day is recorded in CHAINS chains, an entry going to the one its key's
hash picks (`shard`): appends to different chains never wait for each other, so the
record takes CHAINS times the appends per second one chain does. Each chain is labelled
`<day>#<nn>` (`label`) and named `<area>#<label>`; its entries each carry the hash of the
entry before them. A seal is one signed document per sweep, numbered 1, 2, … per area and
each naming the digest of the seal before it (so seals chain across days); it lists every
chain still open (its day not sealed for good) with its length and head and the hash of
every entry added since the previous seal, marks a chain `final` once its day is over, and
names the Merkle root of the heads it lists (`merkle_root`, RFC 6962's tree hash, as
Certificate Transparency logs do): one hash that commits to every chain at once, which a
verifier recomputes. Seals are kept in a write-once store, so the hash of every sealed
entry is known from outside the table:

- a sealed entry that was edited, deleted, moved, or rewritten and re-hashed with all the
  entries after it, differs from its sealed hash at its own place, which is named;
- a chain deleted whole (its seal too) is still listed by the seals, and a seal deleted
  from the table is still in the store;
- past the last seal (the unsealed tail, at most one sweep long), each entry must follow
  the one before, hash as it says, and agree with the marker written in the same
  transaction (its chain, place and hash), and the chain must reach the head that
  transaction moved on: an entry slipped in without a marker, changed and re-hashed, or
  the last one deleted, is named;
- an entry after a chain's final seal was not written by the record.
"""
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .canonical import canonical_bytes

GENESIS = "0" * 64


# Chains per area and day. One chain takes ~40 appends/s on DynamoDB (read its end, then
# a transaction that fails if another append took the place: docs/capacity.md); 64 take
# ~2,500/s, the record's share of 1,000 applications/s with room.
CHAINS = 64


def shard(key: str) -> int:
    """The number of the chain an entry's key goes to: the same whenever it is recorded
    again."""
    return int.from_bytes(hashlib.sha256(key.encode("utf-8")).digest()[:8], "big") % CHAINS


def labels(day: str) -> list[str]:
    """Every chain of a day, by label."""
    return [label(day, number) for number in range(CHAINS)]


def label(day: str, number: int) -> str:
    """A chain's name within its area: its day and its number, `2026-12-04#07`."""
    return f"{day}#{number:02d}"


def day_of(chain_label: str) -> str:
    """The day (YYYY-MM-DD) a chain's label names."""
    return chain_label.split("#", 1)[0]


def chain_id(area: str, chain_label: str) -> str:
    return f"{area}#{chain_label}"


def _leaf_hash(leaf: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + leaf).digest()


def _tree_hash(leaves: list[bytes]) -> bytes:
    """RFC 6962 section 2.1: the Merkle Tree Hash of the leaves, in order."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return _leaf_hash(leaves[0])
    split = 1 << ((len(leaves) - 1).bit_length() - 1)  # the largest power of 2 below
    return hashlib.sha256(b"\x01" + _tree_hash(leaves[:split])
                          + _tree_hash(leaves[split:])).digest()


def merkle_root(chains: dict[str, dict[str, Any]]) -> str:
    """The root a seal names over the chains it lists: one leaf per chain, in the order of
    their labels, each the canonical bytes of {"chain", "seq", "head", "final"}."""
    return _tree_hash([canonical_bytes({"chain": name, "seq": part["seq"],
                                        "head": part["head"], "final": bool(part["final"])})
                       for name, part in sorted(chains.items())]).hex()


def entry_hash(prev_hash: str, seq: int, body: dict[str, Any]) -> str:
    """SHA-256 over the previous hash, the entry's place and its canonical body."""
    return hashlib.sha256(prev_hash.encode("ascii") + b"\n" + str(seq).encode("ascii")
                          + b"\n" + canonical_bytes(body)).hexdigest()


def seal_message(document: dict[str, Any]) -> bytes:
    """What a seal's signature covers: the seal without its signature."""
    return canonical_bytes({k: v for k, v in document.items() if k != "signature"})


def seal_digest(document: dict[str, Any]) -> str:
    """What the next seal names as its `prev`: the hash of the whole seal, signed."""
    return hashlib.sha256(canonical_bytes(document)).hexdigest()


@dataclass(frozen=True)
class Broken:
    chain: str
    seq: int          # the first entry that is not as written (0: the chain's seal)
    reason: str


@dataclass
class Sealed:
    """What the seals say of one chain: every sealed entry's hash in order (kept for the
    days asked for; of the others only how many and the last), the last seal that listed
    it, and whether that seal was its final one."""
    hashes: list[str] = field(default_factory=list)
    seal: int = 0
    final: bool = False
    count: int = 0
    head: str = GENESIS


@dataclass(frozen=True)
class BrokenSeal:
    n: int
    reason: str


def read_seals(seals: list[dict[str, Any]], is_genuine: Callable[[bytes, Any], bool],
               keep: Callable[[str], bool] = lambda name: True,
               anchored: bool = False) -> tuple[dict[str, Sealed], BrokenSeal | None]:
    """The chains the seals (an area's, in order of their number: from the first, or when
    `anchored` from any one, taken as it stands) describe, by label, and the first seal that
    is not genuine or does not follow the one before; the chains as the seals before it
    described them. `is_genuine(message, signature)` checks a signature; the hashes of a
    chain are kept if `keep(label)` (from the anchor on)."""
    chains: dict[str, Sealed] = {}
    previous: dict[str, Any] | None = None
    forged: BrokenSeal | None = None
    passed = 0
    for seal in seals:
        n: Any = seal.get("n")  # as read back from the store, not trusted to be a number
        if not is_genuine(seal_message(seal), seal.get("signature")):
            # Named, and passed over: the sweep seals on from the last genuine seal with
            # the next free number (services/supervision_record.py), so what follows is
            # still checked against it.
            forged = forged or BrokenSeal(n, "its signature does not verify")
            passed += 1
            continue
        if previous is None and n != 1 and anchored:
            _take_as_it_stands(chains, seal, n)
            previous = seal
            continue
        broken = _out_of_place(seal, n, previous, passed)
        if broken:
            return chains, forged or broken
        passed = 0
        broken = _add_seal(chains, seal, n, keep)
        if broken:
            return chains, broken
        previous = seal
    return chains, forged


def _take_as_it_stands(chains: dict[str, Sealed], seal: dict[str, Any], n: int) -> None:
    """The anchor: each chain it lists as it says, its hashes before it unknown."""
    for name, part in seal.get("chains", {}).items():
        chains[name] = Sealed(seal=n, final=bool(part.get("final")),
                             count=part["seq"], head=part["head"])


def _out_of_place(seal: dict[str, Any], n: int, previous: dict[str, Any] | None,
                  passed: int) -> BrokenSeal | None:
    """Why a genuine seal does not follow the genuine one before it (`passed` forged
    ones between them), or None."""
    if previous is None and n != 1 + passed:
        return BrokenSeal(n, "the seals before it are missing")
    if previous is not None and (n != previous["n"] + 1 + passed
                                 or seal.get("prev") != seal_digest(previous)):
        return BrokenSeal(n, f"does not follow seal {previous['n']}")
    return None


def _add_seal(chains: dict[str, Sealed], seal: dict[str, Any], n: int,
              keep: Callable[[str], bool]) -> BrokenSeal | None:
    """`chains` moved on by what a seal that follows lists of each chain, or why it cannot
    be (the chains as far as the seals before it took them)."""
    # Seals written before the root was named have none (taking it out would change
    # what the signature covers).
    if "root" in seal and seal["root"] != merkle_root(seal.get("chains", {})):
        return BrokenSeal(n, "its Merkle root is not that of the chains it lists")
    for name, part in sorted(seal.get("chains", {}).items()):
        known = chains.setdefault(name, Sealed())
        if known.final:
            return BrokenSeal(n, f"lists {name} after its final seal")
        if part["from"] != known.count:
            return BrokenSeal(n, f"does not continue {name} where seal "
                                 f"{known.seal} left it")
        added = list(part["hashes"])
        head = added[-1] if added else known.head
        if known.count + len(added) != part["seq"] or head != part["head"]:
            return BrokenSeal(n, f"its hashes of {name} do not reach its head")
        if keep(name):
            known.hashes += added
        known.count, known.head = part["seq"], head
        known.seal, known.final = n, bool(part.get("final"))
    return None


def check_new(chain: str, sealed_seq: int, sealed_head: str, entries: list[dict[str, Any]],
              markers: dict[int, dict[str, Any] | None],
              ) -> tuple[list[dict[str, Any]], Broken | None]:
    """Entries past a chain's last seal (each {"seq", "prevHash", "hash", "body"}, in
    order), as the sweep and the verifier check them: the ones that hold, up to the first
    that does not (and why). `markers[seq]` is the marker the entry's key names ({"chain",
    "seq", "hash"}), None when there is none."""
    good: list[dict[str, Any]] = []
    previous = sealed_head
    for expected, entry in enumerate(entries, start=sealed_seq + 1):
        if entry["seq"] != expected:
            return good, Broken(chain, expected, f"is missing or out of order "
                                                 f"(found {entry['seq']})")
        if entry["prevHash"] != previous:
            return good, Broken(chain, expected, "does not follow the entry before it")
        if entry_hash(previous, expected, entry["body"]) != entry["hash"]:
            return good, Broken(chain, expected, "its content was changed")
        marker = markers.get(expected)
        if not marker or marker.get("chain") != chain or marker.get("seq") != expected:
            return good, Broken(chain, expected, "no marker records it here: the record "
                                                 "did not write it")
        if marker.get("hash") != entry["hash"]:
            return good, Broken(chain, expected, "differs from its marker: changed and "
                                                 "re-hashed after it was recorded")
        good.append(entry)
        previous = entry["hash"]
    return good, None


def verify(chain: str, entries: list[dict[str, Any]], sealed: Sealed | None,
           markers: dict[int, dict[str, Any] | None], head: dict[str, Any] | None = None,
           table_seal: dict[str, Any] | None = None, overdue: bool = False) -> Broken | None:
    """The first break in one chain, or None.

    `entries` as stored (each {"seq", "prevHash", "hash", "body"}, in order); `sealed`
    what the write-once seals say of it (None: never sealed); `markers` the markers of the
    entries past the seals, by place; `head` the chain's head ({"seq", "hash"}: how far the
    appends took it); `table_seal` the table's copy of its seal ({"seq", "hash"});
    `overdue` whether a seal was written after its day was over (so every entry should
    be sealed)."""
    expected = sealed.hashes if sealed else []
    previous, broken = _check_sealed(chain, entries, sealed)
    return (broken or _check_unsealed(chain, entries, sealed, previous, markers, head, overdue)
            or _check_table_seal(chain, sealed, expected, table_seal))


def _check_sealed(chain: str, entries: list[dict[str, Any]],
                  sealed: Sealed | None) -> tuple[str, Broken | None]:
    """The first sealed entry that is not as sealed, and the hash of the last that is."""
    previous = GENESIS
    if sealed is None:
        return previous, None
    expected = sealed.hashes
    by_seq = {e["seq"]: e for e in entries}
    for seq in range(1, len(expected) + 1):
        entry, want = by_seq.get(seq), expected[seq - 1]
        if entry is None:
            return previous, Broken(chain, seq, f"is missing: seal {sealed.seal} covers "
                                                f"{len(expected)} entries")
        if entry_hash(previous, seq, entry["body"]) != want:
            return previous, Broken(
                chain, seq, "its content was changed" if entry["hash"] == want
                else "is not the entry that was sealed: changed and re-hashed, "
                     "moved or replaced")
        if entry["hash"] != want or entry["prevHash"] != previous:
            return previous, Broken(chain, seq, "its stored hashes were changed")
        previous = want
    return previous, None


def _check_unsealed(chain: str, entries: list[dict[str, Any]], sealed: Sealed | None,
                    previous: str, markers: dict[int, dict[str, Any] | None],
                    head: dict[str, Any] | None, overdue: bool) -> Broken | None:
    """The first break past the last seal (the entries after the sealed ones, which
    should follow `previous`), or a chain that stops short of its head."""
    count = len(sealed.hashes) if sealed else 0
    tail = [e for e in entries if e["seq"] > count]
    if tail and sealed and sealed.final:
        return Broken(chain, count + 1, f"was added after the chain's final seal "
                                        f"({sealed.seal})")
    if tail and overdue:
        return Broken(chain, count + 1, "was never sealed, though a seal was "
                                        "written after its day was over")
    _, broken = check_new(chain, count, previous, tail, markers)
    if broken:
        return broken
    last = max((e["seq"] for e in entries), default=0)
    if head and head["seq"] > last:
        return Broken(chain, last + 1, f"is missing: the chain's head says {head['seq']} "
                                       f"entries were recorded")
    return None


def _check_table_seal(chain: str, sealed: Sealed | None, expected: list[str],
                      table_seal: dict[str, Any] | None) -> Broken | None:
    """Whether the table's copy of the chain's seal is the write-once seal's."""
    if sealed and expected:
        if table_seal is None:
            return Broken(chain, 0, f"the chain's seal is missing from the table (seal "
                                    f"{sealed.seal} covers {len(expected)} entries)")
        if (table_seal["seq"], table_seal["hash"]) != (len(expected), expected[-1]):
            return Broken(chain, 0, f"the chain's seal in the table differs from seal "
                                    f"{sealed.seal}")
    elif table_seal is not None and table_seal["seq"]:
        return Broken(chain, 0, "the table has a seal no write-once seal made")
    return None
