"""The supervision record (电子监察记录): append-only, and what is taken from it or slipped
into it is evidence (domain/chain.py; docs/supervision.md says what is found, from when).

Entries go to one of the CHAINS chains of the area's day (the office date they are
recorded on; the chain the key's hash picks: domain/chain.py `shard`), each hashing the
one before. An append reads how far its chain goes and writes the next place only if it
is free, in one transaction with a marker of what it records (its chain, place and hash),
the chain's head moved on, and — a chain's first — the day among the open ones: two
appends at once never take one place (the loser reads again and takes the next), appends
to different chains never meet, and a redelivered event finds its marker and appends
nothing.

Every sweep seals (`seal`): one document, numbered on from the last, naming its digest,
listing every chain not sealed for good with its length, head and the hash of each entry
added since, and the Merkle root of those chains, signed with the region's KMS key and
stored in the write-once bucket; a chain is sealed for good by the first sweep
`FINAL_AFTER` past its day's end. The sweep seals only what holds: an entry that does not
follow the seal before, or whose marker does not name it, stops the chain's seal before
it (and is logged, every sweep, until dealt with). `verify_days` reads every seal from the
store and names, per day, the first entry of its chains that is not as sealed or recorded;
`report` is what `make verify-audit` prints of it, and `GET /supervision/record-status`
answers (`status`).
"""
import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from pynamodb.exceptions import PutError, TransactWriteError

from .. import config
from ..adapters import seal_store, signer
from ..adapters.models import SupervisionEntry, cancellation_codes, condition_failed, transact_write
from ..domain import chain as chains
from ..domain import identity, license_proof, worktime
from ..domain.errors import UnprocessableEntity, ValidationError
from . import clock
from .at_once import map_at_once
from .licenses import region_keys

log = logging.getLogger("onewindow")

ATTEMPTS = 20
SEAL = 0    # the table's copy of the chain's seal; a marker's place
HEAD = -1   # the chain's head
# A day's chain is sealed for good this long after the day ends: an append that read the
# clock before midnight lands within it.
FINAL_AFTER = timedelta(minutes=10)


def _chain(name: str, area: str | None = None) -> str:
    """The chain's partition key: its area and its label (`<day>#<nn>`)."""
    return chains.chain_id(area or config.get().area_code, name)


def _day_of(name: str) -> date:
    return date.fromisoformat(chains.day_of(name))


def _found(area: str, day: date, thorough: bool = True) -> set[str]:
    """The day's chains that hold anything. `thorough` (a day still open: the sweep, and
    verify-audit on it): one one-item read of each of its chains, eight at a time, so
    whatever is left of a chain — its entries without their head or first entry, or an
    entry slipped into a chain no append used — is found, sealed or named. Otherwise (a
    day sealed for good, whose chains its seals list): the chains with a head or a first
    entry, in two batch reads."""
    names = chains.labels(day.isoformat())
    if not thorough:
        keys = [(_chain(name, area), place) for name in names for place in (HEAD, 1)]
        return {item.chain.removeprefix(f"{area}#")
                for item in SupervisionEntry.batch_get(keys, consistent_read=True)}

    def holds(name: str) -> bool:
        return any(True for _ in SupervisionEntry.query(_chain(name, area), limit=1,
                                                        consistent_read=True))
    return {name for name, held in zip(names, map_at_once(holds, names), strict=True)
            if held}


def _open(area: str) -> str:
    return f"OPEN#{area}"


def _pointer(area: str) -> str:
    return f"SEALS#{area}"


def _marker(key: str) -> str:
    return f"KEY#{key}"


def _day_number(day: date) -> int:
    return int(day.strftime("%Y%m%d"))


def _last(chain: str) -> tuple[int, str]:
    """How far the chain goes: its last entry or its head, whichever is further (a
    deleted last entry leaves its place taken)."""
    found = list(SupervisionEntry.query(chain, SupervisionEntry.seq > SEAL,
                                        scan_index_forward=False, limit=1,
                                        consistent_read=True))
    seq, digest = (found[0].seq, found[0].hash) if found else (0, chains.GENESIS)
    try:
        head = SupervisionEntry.get(chain, HEAD, consistent_read=True)
        if head.lastSeq > seq:
            seq, digest = head.lastSeq, head.lastHash
    except SupervisionEntry.DoesNotExist:
        pass
    return seq, digest


def record(kind: str, key: str, body: dict, at: datetime | None = None) -> bool:
    """Append one entry for `key` (what happened, derived from the event: its id); False
    if that key was recorded already."""
    return record_all([(kind, key, body)], at)[0]


# Entries appended in one transaction at most: each is two of its items (the entry and
# its marker), with the head and the open day's item DynamoDB's 100 items are far off.
BATCH = 25


def record_all(events: list[tuple[str, str, dict]], at: datetime | None = None) -> list[bool]:
    """Append an entry for each (kind, key, body) — False for a key recorded already (or
    twice in `events`) — BATCH at a time, each batch in one transaction onto one chain
    (the one its first key picks): a queue's batch of events takes one round of the
    chain's turns, not one each."""
    outcome: dict[int, bool] = {}
    seen: set[str] = set()
    pending = []
    for n, event in enumerate(events):
        if event[1] in seen:
            outcome[n] = False   # the same event twice in one batch: one entry
        else:
            seen.add(event[1])
            pending.append((n, event))
    for start in range(0, len(pending), BATCH):
        outcome.update(_append(pending[start:start + BATCH], at))
    return [outcome[n] for n in range(len(events))]


def _append(pending: list[tuple[int, tuple[str, str, dict]]],
            given: datetime | None) -> dict[int, bool]:
    """One transaction appending `pending` (each with its place in the caller's list) at
    the end of one chain; retried on a chain another append moved on, without the keys
    found recorded before."""
    area, outcome = config.get().area_code, {}
    for _ in range(ATTEMPTS):
        if not pending:
            return outcome
        # Read again each try: an entry goes to the chain of the day it is written on,
        # never to one a sweep may have sealed for good meanwhile.
        at = given or clock.now()
        day = clock.local_date(at)
        chain = _chain(chains.label(day.isoformat(), chains.shard(pending[0][1][1])), area)
        last, previous = _last(chain)
        try:
            with transact_write() as transaction:
                for seq, (_, (kind, key, body)) in enumerate(pending, start=last + 1):
                    content = {"kind": kind, "key": key, "at": worktime.utc_text(at), **body}
                    digest = chains.entry_hash(previous, seq, content)
                    transaction.save(SupervisionEntry(chain, seq, body=content,
                                                      prevHash=previous, key=key, hash=digest),
                                     condition=SupervisionEntry.seq.does_not_exist())
                    transaction.save(SupervisionEntry(_marker(key), SEAL, body={
                        "chain": chain, "seq": seq, "hash": digest}),
                        condition=SupervisionEntry.chain.does_not_exist())
                    previous = digest
                end = last + len(pending)
                transaction.save(SupervisionEntry(chain, HEAD, lastSeq=end, lastHash=previous),
                                 condition=SupervisionEntry.chain.does_not_exist()
                                 | (SupervisionEntry.lastSeq < end))
                if last == 0:
                    transaction.save(SupervisionEntry(_open(area), _day_number(day),
                                                      body={"day": day.isoformat()}))
            outcome.update({n: True for n, _ in pending})
            return outcome
        except TransactWriteError as error:
            codes = cancellation_codes(error)
            before = {n for i, (n, _) in enumerate(pending)
                      if codes[2 * i + 1:2 * i + 2] == ["ConditionalCheckFailed"]}
            if before:
                outcome.update({n: False for n in before})   # recorded before
                pending = [(n, event) for n, event in pending if n not in before]
                continue
            if not {"ConditionalCheckFailed", "TransactionConflict"} & set(codes):
                raise
            # Another append took these places (or is taking them): read the chain again.
    raise RuntimeError(f"supervision record of {[event[1] for _, event in pending]}: no free "
                       f"place after {ATTEMPTS} tries")


EVENT_PREFIX = "onewindow."


def record_events(envelopes: list[dict]) -> list[bool]:
    """Lifecycle events as EventBridge delivers them (docs/events.md): appended to
    today's record, each under its `eventId`; False for one recorded before."""
    return record_all([(envelope["detail-type"].removeprefix(EVENT_PREFIX),
                        envelope["detail"]["eventId"], {"event": envelope["detail"]})
                       for envelope in envelopes])


# --- sealing -------------------------------------------------------------------------

def _genuine():
    """Whether a seal is signed by one of this region's keys: its signing key, or one it
    retired into the trust list (docs/runbook.md, "Rotate keys") — a rotation leaves the
    seals before it genuine, and the next seal follows them."""
    # The region's keys alone: the departments' identities under them sign no seal (and
    # reading them would take the registry, which the sweep has no grant to query).
    keys = {key["keyArn"]: key for key in region_keys() if key.get("keyArn")}

    def genuine(message: bytes, signature) -> bool:
        key = keys.get(signature.get("keyId")) if isinstance(signature, dict) else None
        return key is not None and license_proof.signature_holds(
            key, message, signature.get("value", ""))
    return genuine


@dataclass
class Latest:
    """Where the area's seals stand: the last genuine seal (None before the first), the
    number the table's pointer named, the last number the store holds (past the last
    genuine seal only when something not genuine sits there) and how many such objects
    the sweep passed over to find it."""
    document: dict | None
    pointer: int
    last_number: int
    not_genuine: int = 0


def _latest(area: str) -> Latest:
    """The area's last genuine seal: the pointer says which was last copied, the store
    what was stored since (the pointer may be behind, or gone). An object that is not a
    genuine seal under a number (written by anyone but the sweep: Object Lock keeps it
    for years) is passed over and counted, never sealed on from: the next seal takes the
    next free number and follows the last genuine one."""
    try:
        known = SupervisionEntry.get(_pointer(area), SEAL, consistent_read=True).sealSeq
    except SupervisionEntry.DoesNotExist:
        known = 0
    last = seal_store.last_after(area, known)
    document = seal_store.read(area, last) if last else None
    if last and document is None:
        last = seal_store.last_after(area, 0)   # the pointer named a seal never stored
        document = seal_store.read(area, last) if last else None
    genuine, passed = _genuine(), 0
    for number in range(last, 0, -1):
        if number != last:
            document = seal_store.read(area, number)
        if document is not None and document.get("n") == number and \
                genuine(chains.seal_message(document), document.get("signature")):
            if passed:
                log.error("supervision seals of %s: %d object(s) after seal %d are not "
                          "genuine seals; sealing on from %d (docs/runbook.md)", area,
                          passed, number, number)
            return Latest(document, known, last, passed)
        passed += 1
    if passed:
        log.error("supervision seals of %s: no genuine seal among %d object(s); sealing "
                  "from the first (docs/runbook.md)", area, passed)
    return Latest(None, known, last, passed)


def _end_of(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=clock.zone())


def _entries(chain: str, after: int) -> list[SupervisionEntry]:
    return list(SupervisionEntry.query(chain, SupervisionEntry.seq > after,
                                       consistent_read=True))


def _markers(items: list[SupervisionEntry]) -> dict[int, dict | None]:
    """Each entry's marker (what its key says was recorded where), by the entry's place."""
    wanted = {_marker(item.key): item.seq for item in items if item.key}
    found = {m.chain: m.body for m in SupervisionEntry.batch_get(
        [(name, SEAL) for name in wanted], consistent_read=True)} if wanted else {}
    return {item.seq: found.get(_marker(item.key)) if item.key else None for item in items}


def _plain(item: SupervisionEntry) -> dict:
    return {"seq": item.seq, "prevHash": item.prevHash, "hash": item.hash, "body": item.body}


def _table_seal(chain: str) -> SupervisionEntry | None:
    try:
        return SupervisionEntry.get(chain, SEAL, consistent_read=True)
    except SupervisionEntry.DoesNotExist:
        return None


def _window(area: str, latest: dict | None, now: datetime) -> dict[str, dict | None]:
    """The chains to seal and how far each is sealed: every chain the last seal left open,
    every chain found on the days recorded as opened since (a chain's first append) and —
    before the first seal — today's and yesterday's. A day whose chains are all sealed
    for good, and over, leaves the open ones."""
    listed = (latest or {}).get("chains", {})
    window: dict[str, dict | None] = {name: part for name, part in listed.items()
                                      if not part.get("final")}
    today = clock.local_date(now)
    days = {date.fromisoformat(item.body["day"]): item
            for item in SupervisionEntry.query(_open(area), consistent_read=True)}
    if latest is None:
        for day in (today - timedelta(days=1), today):
            days.setdefault(day, None)
    for day, opened in sorted(days.items(), key=lambda pair: pair[0]):
        done = True
        for name in sorted(_found(area, day)):
            if name in window:
                done = False
            elif not listed.get(name, {}).get("final") and not _final_before(area, name,
                                                                              latest):
                window[name], done = None, False
        if done and opened is not None and now >= _end_of(day) + FINAL_AFTER:
            opened.delete()   # every chain sealed for good
    return window


def _final_before(area: str, name: str, latest: dict | None) -> bool:
    """Whether a seal before the last sealed the chain for good (the table's copy says
    which; the seal itself decides)."""
    sealed = _table_seal(_chain(name, area)) if latest else None
    return bool(sealed and sealed.final and _sealed_for_good(area, name, sealed.sealN))


def _sealed_for_good(area: str, name: str, n: int | None) -> bool:
    """Whether the store's seal `n` — genuine — seals the chain for good (the table's copy
    only says where to look: a copy claiming it is not taken at its word)."""
    document = seal_store.read(area, n) if n else None
    return bool(document and document.get("n") == n
                and _genuine()(chains.seal_message(document), document.get("signature"))
                and document.get("chains", {}).get(name, {}).get("final"))


def _next(area: str, latest: dict | None, now: datetime) -> tuple[dict, bool, int]:
    """The next seal (unsigned), whether it says anything the last one did not, and how
    many chains it stops short of a bad entry in."""
    parts, changed, refused = {}, False, 0
    for name, part in sorted(_window(area, latest, now).items()):
        sealed_seq, sealed_head = (part["seq"], part["head"]) if part else (0, chains.GENESIS)
        chain = _chain(name, area)
        new = _entries(chain, sealed_seq)
        good, broken = chains.check_new(chain, sealed_seq, sealed_head,
                                        [_plain(e) for e in new], _markers(new))
        if broken:
            refused += 1
            log.error("supervision record %s: entry %d %s; not sealed past it "
                      "(docs/runbook.md)", chain, broken.seq, broken.reason)
        if not good and not part:
            continue    # nothing recorded in it (or nothing that holds)
        final = broken is None and now >= _end_of(_day_of(name)) + FINAL_AFTER
        parts[name] = {
            "from": sealed_seq, "seq": sealed_seq + len(good),
            "head": good[-1]["hash"] if good else sealed_head,
            "hashes": [e["hash"] for e in good], "final": final}
        changed = changed or bool(good) or final
    n = latest["n"] + 1 if latest else 1
    return {"area": area, "n": n, "at": worktime.utc_text(now),
            "prev": chains.seal_digest(latest) if latest else chains.GENESIS,
            "chains": parts, "root": chains.merkle_root(parts)}, changed, refused


def seal(now: datetime | None = None, area: str | None = None) -> int:
    """The sweep's seal of the area's open chains as they stand (at `now`, the service
    clock's time by default): the number of the seal written, or of the last one when
    nothing changed since."""
    return sealing(now, area)[0]


def sealing(now: datetime | None = None, area: str | None = None) -> tuple[int, int]:
    """`seal`, and how many chains it stopped short of a bad entry in (the sweep's metric
    SupervisionRecordRefused: anything but 0 means the record was tampered with)."""
    now, area = now or clock.now(), area or config.get().area_code
    for _ in range(3):
        found = _latest(area)
        latest, pointer = found.document, found.pointer
        if latest and pointer != latest["n"]:
            # A sweep stopped before its copies: the table's word of which chains are
            # sealed for good comes from them, so they are made before sealing on.
            _copy_to_table(area, latest)
        document, changed, refused = _next(area, latest, now)
        refused += found.not_genuine
        if not changed:
            return (latest["n"] if latest else 0), refused
        document["n"] = found.last_number + 1
        document["signature"] = signer.sign(config.get().signing_key_id,
                                            chains.seal_message(document))
        if seal_store.create(area, document["n"], document):
            _copy_to_table(area, document)
            return document["n"], refused
        # Another sweep stored this number meanwhile: look again.
    raise RuntimeError(f"supervision seals of {area}: no free number after 3 tries")


def _copy_to_table(area: str, document: dict) -> None:
    """The table's pointer to the last seal, each chain's copy of its seal, and the days
    sealed for good out of the open ones. Only a convenience: the store is the record."""
    n = document["n"]
    # Every chain the seal lists, changed or not: a copy a stopped sweep did not write
    # is written by the next (the pointer, written last, says whether all were).
    for name, part in document["chains"].items():
        _put_unless_newer(SupervisionEntry(
            _chain(name, area), SEAL, sealSeq=part["seq"],
            sealHash=part["head"], sealN=n, final=part["final"]), n)
    # A day whose every chain this seal sealed for good leaves the open ones (one sealed
    # for good before: `_window` takes the day off at the next sweep).
    final = {name for name, part in document["chains"].items() if part["final"]}
    for day in sorted({_day_of(name) for name in final}):
        if _found(area, day) <= final:
            SupervisionEntry(_open(area), _day_number(day)).delete()
    _put_unless_newer(SupervisionEntry(_pointer(area), SEAL, sealSeq=n, sealN=n,
                                       sealHash=chains.seal_digest(document)), n)


def _put_unless_newer(item: SupervisionEntry, n: int) -> None:
    try:
        item.save(condition=SupervisionEntry.chain.does_not_exist()
                  | SupervisionEntry.sealN.does_not_exist() | (SupervisionEntry.sealN < n))
    except PutError as error:
        if not condition_failed(error):
            raise


# --- verifying -----------------------------------------------------------------------

def _stored_seals(area: str, since: datetime | None) -> tuple[
        list[dict], chains.BrokenSeal | None]:
    """The area's seals, each as first written — every one, or from the last written
    before `since` on (found by halving: seals are numbered in the order written) — and
    the first one the store shows was overwritten, deleted or missing."""
    stored = seal_store.versions(area)
    problem = None
    numbers = sorted(stored)
    for n in numbers:
        if problem is None and (len(stored[n]["versions"]) != 1 or stored[n]["deleted"]):
            problem = chains.BrokenSeal(n, "was overwritten or deleted in the write-once "
                                           "store (its first version is read)")

    def first_version(n: int) -> dict | None:
        return seal_store.read(area, n, stored[n]["versions"][0]) \
            if stored[n]["versions"] else None
    low = 0
    if since is not None:
        high = len(numbers)
        while low < high:
            middle = (low + high) // 2
            found = _written_at(first_version(numbers[middle]))
            if found is None or found >= since:
                high = middle
            else:
                low = middle + 1
        low = max(low - 1, 0)
    documents = map_at_once(first_version, numbers[low:])
    seals = []
    for n, document in zip(numbers[low:], documents, strict=True):
        if document is None or document.get("n") != n:
            # Named, and passed over as not genuine (chain.read_seals): the seals after
            # it are still read.
            problem = problem or chains.BrokenSeal(n, "is not a seal as numbered")
            document = {"n": n}
        seals.append(document)
    return seals, problem


def _written_at(document: dict | None) -> datetime | None:
    try:
        return worktime.parse(document["at"]) if document else None
    except (KeyError, TypeError, ValueError):
        return None


def verify_days(start: date, end: date, area: str | None = None) -> dict:
    """The record of the days from `start` to `end` checked against the seals: the seals
    read (how many, the last, the first that is not genuine or intact) and each day's
    chains (`_day_status`: how many entries, how much is sealed, the first break or None).
    Seals written before the first day began cannot list its chains: they are not read,
    but for the last one, which the next must follow."""
    area = area or config.get().area_code

    def asked(name: str) -> bool:
        return start.isoformat() <= chains.day_of(name) <= end.isoformat()
    seals, problem = _stored_seals(area, datetime.combine(start, time(0), tzinfo=clock.zone()))
    sealed, broken_seal = chains.read_seals(seals, _genuine(), asked, anchored=True)
    if any(asked(name) and len(found.hashes) != found.count for name, found in sealed.items()):
        # A chain of those days listed before they began (a local clock set back): all.
        seals, problem = _stored_seals(area, None)
        sealed, broken_seal = chains.read_seals(seals, _genuine(), asked)
    # The first of the store's and the chain's findings, by number.
    problem = min((p for p in (problem, broken_seal) if p is not None),
                  key=lambda p: p.n if isinstance(p.n, int) else 0, default=None)
    last_at = next((_written_at(seal) for seal in reversed(seals) if _written_at(seal)),
                   None)
    days = []
    day = start
    while day <= end:
        days.append(day)
        day += timedelta(days=1)

    opened = {item.body["day"] for item in SupervisionEntry.query(_open(area),
                                                                  consistent_read=True)}

    def day_chains(day: date) -> list[str]:
        # The chains the seals list and the ones the table holds (every one of a day
        # still open).
        return sorted({name for name in sealed if chains.day_of(name) == day.isoformat()}
                      | _found(area, day, thorough=day.isoformat() in opened))

    def check(name: str) -> dict:
        return _verify_chain(area, name, sealed.get(name), last_at)
    names = map_at_once(day_chains, days)
    found = iter(map_at_once(check, [name for day_names in names for name in day_names]))
    checked = [_day_status(area, day, [next(found) for _ in day_names])
               for day, day_names in zip(days, names, strict=True)]
    return {"seals": {"count": len(seals), "last": seals[-1]["n"] if seals else 0,
                      "broken": None if problem is None else {"n": problem.n,
                                                              "reason": problem.reason}},
            "chains": [day for day in checked
                       if day["entries"] or day["sealed"] or day["broken"]]}


def _day_status(area: str, day: date, found: list[dict]) -> dict:
    """A day's chains as one: their entries and sealed entries, whether all are sealed for
    good, and the first break (naming its chain)."""
    broken = next((f for f in found if f["broken"]), None)
    return {"chain": chains.chain_id(area, day.isoformat()), "chains": len(found),
            "entries": sum(f["entries"] for f in found),
            "sealed": sum(f["sealed"] for f in found),
            "final": bool(found) and all(f["final"] for f in found),
            "broken": None if broken is None else {"chain": broken["chain"],
                                                   **broken["broken"]}}


def _verify_chain(area: str, name: str, sealed: chains.Sealed | None,
                  last_at: datetime | None) -> dict:
    chain = _chain(name, area)
    entries, head, table_seal = [], None, None
    for item in SupervisionEntry.query(chain, consistent_read=True):
        if item.seq == HEAD:
            head = {"seq": item.lastSeq, "hash": item.lastHash}
        elif item.seq == SEAL:
            table_seal = {"seq": item.sealSeq, "hash": item.sealHash}
        elif item.seq > 0:
            entries.append(item)
    covered = len(sealed.hashes) if sealed else 0
    markers = _markers([e for e in entries if e.seq > covered])
    overdue = last_at is not None and last_at >= _end_of(_day_of(name)) + FINAL_AFTER
    broken = chains.verify(chain, [_plain(e) for e in entries], sealed, markers, head,
                           table_seal, overdue)
    return {"chain": chain, "entries": len(entries), "sealed": covered,
            "final": bool(sealed and sealed.final),
            "broken": None if broken is None else {"seq": broken.seq,
                                                   "reason": broken.reason}}


def verify(day: date, area: str | None = None) -> dict:
    """One day's chains checked against every seal."""
    found = verify_days(day, day, area)["chains"]
    area = area or config.get().area_code
    return found[0] if found else _day_status(area, day, [])


# The most days `GET /supervision/record-status` checks at once: verify-audit's default.
MAX_DAYS = 31


def report(start: date, end: date, area: str | None = None) -> dict:
    """What `make verify-audit` reports of the days from `start` to `end` (and the API's
    record status): the seals and chains as `verify_days` checked them, how many entries
    they hold, and whether every seal and chain holds."""
    checked = verify_days(start, end, area)
    found, seals = checked["chains"], checked["seals"]
    holds = seals["broken"] is None and not any(c["broken"] for c in found)
    return {"from": start.isoformat(), "to": end.isoformat(), "seals": seals,
            "chains": found, "entries": sum(c["entries"] for c in found), "holds": holds}


def _day(value: str, name: str) -> date:
    try:
        if len(value) != 10:
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationError(f"{name} must be a date, YYYY-MM-DD", field=name) from None


def status(principal: identity.Principal | None, start: str | None,
           end: str | None) -> dict:
    """The record's chain status for a supervisor: `report` of at most MAX_DAYS days, by
    default (as verify-audit) the last 31 up to today, the region's office date."""
    identity.require_role(principal, identity.SUPERVISOR)
    last = _day(end, "to") if end is not None else clock.local_date(clock.now())
    first = _day(start, "from") if start is not None else last - timedelta(days=MAX_DAYS - 1)
    if first > last:
        raise UnprocessableEntity("from must not be after to", field="from")
    if (last - first).days >= MAX_DAYS:
        raise UnprocessableEntity(f"at most {MAX_DAYS} days at once", field="to")
    return report(first, last)
