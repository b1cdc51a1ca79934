"""The supervision record (电子监察记录): append-only and tamper-evident.

Entries go to the chain of the area's day (its office date), each hashing the one before
(domain/chain.py). An append reads the chain's last entry and writes the next place only if
it is free, together with a marker of what it records, in one transaction: two appends at
once never take one place (the loser reads again and takes the next), and a redelivered
event finds its marker and appends nothing. A seal (the chain's length and head, signed
with the region's KMS key) is written by the sweep; `infra/verify_audit.py` checks every
chain and seal and names the first entry that is not as written.
"""
import logging
from datetime import date, datetime

from pynamodb.exceptions import PutError, TransactWriteError

from .. import config
from ..adapters import signer
from ..adapters.models import SupervisionEntry, condition_failed, transact_write
from ..domain import chain as chains
from ..domain import worktime
from . import clock

log = logging.getLogger("onewindow")

ATTEMPTS = 20
SEAL = 0


def _chain(day: date, area: str | None = None) -> str:
    return chains.chain_id(area or config.get().area_code, day.isoformat())


def _last(chain: str) -> SupervisionEntry | None:
    found = list(SupervisionEntry.query(chain, SupervisionEntry.seq > SEAL,
                                        scan_index_forward=False, limit=1,
                                        consistent_read=True))
    return found[0] if found else None


def record(kind: str, key: str, body: dict, at: datetime | None = None) -> bool:
    """Append one entry for `key` (what happened, derived from the event: its id); False
    if that key was recorded already."""
    at = at or clock.now()
    chain = _chain(clock.local_date(at))
    content = {"kind": kind, "key": key, "at": worktime.utc_text(at), **body}
    for _ in range(ATTEMPTS):
        last = _last(chain)
        seq = last.seq + 1 if last else 1
        previous = last.hash if last else chains.GENESIS
        entry = SupervisionEntry(chain, seq, body=content, prevHash=previous, key=key,
                                 hash=chains.entry_hash(previous, seq, content))
        marker = SupervisionEntry(f"KEY#{key}", SEAL, body={"chain": chain, "seq": seq})
        try:
            with transact_write() as transaction:
                transaction.save(entry, condition=SupervisionEntry.seq.does_not_exist())
                transaction.save(marker, condition=SupervisionEntry.chain.does_not_exist())
            return True
        except TransactWriteError as error:
            codes = [r.code if r else None for r in error.cancellation_reasons or []]
            if codes[1:2] == ["ConditionalCheckFailed"]:
                return False  # recorded before
            if not {"ConditionalCheckFailed", "TransactionConflict"} & set(codes):
                raise
            # Another append took this place (or is taking it): read the chain again.
    raise RuntimeError(f"supervision record {chain}: no free place after {ATTEMPTS} tries")


EVENT_PREFIX = "onewindow."


def record_event(envelope: dict) -> bool:
    """A lifecycle event as EventBridge delivers it (docs/events.md): appended to today's
    chain under its `eventId`; False if it was recorded before."""
    detail = envelope["detail"]
    kind = envelope["detail-type"].removeprefix(EVENT_PREFIX)
    return record(kind, detail["eventId"], {"event": detail})


def seal(day: date, area: str | None = None) -> int:
    """Sign the chain's head as it stands; the number of entries the seal covers."""
    chain = _chain(day, area)
    last = _last(chain)
    if last is None:
        return 0
    try:
        current = SupervisionEntry.get(chain, SEAL, consistent_read=True)
        if current.sealSeq >= last.seq:
            return current.sealSeq
        unchanged = SupervisionEntry.sealSeq == current.sealSeq
    except SupervisionEntry.DoesNotExist:
        unchanged = SupervisionEntry.chain.does_not_exist()
    signature = signer.sign(config.get().signing_key_id,
                            chains.seal_message(chain, last.seq, last.hash))
    try:
        SupervisionEntry(chain, SEAL, sealSeq=last.seq, sealHash=last.hash,
                         signature=signature).save(condition=unchanged)
    except PutError as error:
        if condition_failed(error):
            return seal(day, area)  # sealed meanwhile: look again
        raise
    return last.seq


def verify(day: date, area: str | None = None) -> dict:
    """One chain checked: its length, whether sealed, and the first break (or None)."""
    chain = _chain(day, area)
    entries, sealed = [], None
    for item in SupervisionEntry.query(chain, consistent_read=True):
        if item.seq == SEAL:
            sealed = {"seq": item.sealSeq, "hash": item.sealHash,
                      "signature": item.signature}
        else:
            entries.append({"seq": item.seq, "prevHash": item.prevHash, "hash": item.hash,
                            "body": item.body})
    trusted = signer.key_arn(config.get().signing_key_id)

    def genuine(message: bytes, signature: dict) -> bool:
        return (isinstance(signature, dict) and signature.get("keyId") == trusted
                and signer.verify(signer.public_key_der(trusted), message,
                                  signature.get("value", "")))

    broken = chains.verify(chain, entries, sealed, genuine)
    return {"chain": chain, "entries": len(entries),
            "sealed": sealed["seq"] if sealed else 0,
            "broken": None if broken is None else {"seq": broken.seq,
                                                   "reason": broken.reason}}

