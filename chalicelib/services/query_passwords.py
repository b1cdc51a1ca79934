"""The query password (查询密码): anyone with a case number and its password reads the
case's public view. Six digits are guessable, so wrong passwords are limited — counted
whether or not the case exists, so the limit tells nothing either.

Two sliding windows of WINDOW_SECONDS (not fixed windows: a burst straddling a window
boundary must not get twice the allowance):

- per caller address and case number: at most ATTEMPTS wrong passwords in any
  WINDOW_SECONDS; then that address gets 429 for that number, the right password too
  (else a locked guesser would still learn when it hit), until its oldest wrong guess
  leaves the window. A stranger's guesses lock the stranger, never the holder asking
  from elsewhere.
- per case number, whatever the address: once CASE_CEILING wrong passwords fell in the
  window, every address gets a single wrong guess (not ATTEMPTS) until they age out.
  That only slows a guesser spread over many addresses: an address that has not
  guessed wrong still gets its answer, so the holder is never locked out — and the
  owner signed in needs no password at all.

Each window is a set of slots (one record each, sk `S#<address>#<i>` or `C#<i>`)
holding the time of a wrong guess. A wrong guess takes a slot that is free or whose time
has left the window, by a conditional write; when no slot can be taken, the window is
full. However many guesses arrive at once, no more than the slots are ever counted.
"""
import math
import re

from pynamodb.exceptions import UpdateError

from ..adapters import secrets
from ..adapters.models import PasswordAttempts, condition_failed
from ..domain import applications
from ..domain.errors import Forbidden, TooManyRequests
from ..domain.identifiers import is_valid_case_number
from . import clock

ATTEMPTS = 5
CASE_CEILING = 20
WELL_FORMED = re.compile(r"[0-9]{6}")
WINDOW_SECONDS = 15 * 60
UNKNOWN_SOURCE = "unknown"


def issue(case_no: str) -> str:
    return applications.query_password(_secret(), case_no)


def check(case_no: str, password: str, source: str | None = None) -> None:
    """Pass, or raise: 429 while this address's wrong attempts at the case number are
    used up, 403 for a wrong password (or a case number that does not exist)."""
    if not WELL_FORMED.fullmatch(password or ""):
        # Never a password we issued: refused without counting (nothing is written).
        raise refused()
    now = clock.now().timestamp()
    cutoff = now - WINDOW_SECONDS
    pk = f"QPW#{case_no}"
    own_prefix = f"S#{source or UNKNOWN_SOURCE}#"
    own = _live(pk, own_prefix, cutoff)
    allowed = 1 if len(_live(pk, "C#", cutoff)) >= CASE_CEILING else ATTEMPTS
    if len(own) >= allowed:
        raise _locked(own, allowed, now)
    if is_valid_case_number(case_no) and \
            applications.password_matches(_secret(), case_no, password):
        return
    if not _take_slot(pk, own_prefix, allowed, own, now, cutoff):
        # guesses that arrived at once took the last slots
        raise _locked(_live(pk, own_prefix, cutoff), allowed, now)
    _take_slot(pk, "C#", CASE_CEILING, _live(pk, "C#", cutoff), now, cutoff)
    raise refused()


def refused() -> Forbidden:
    """One answer for a wrong password and a case number that does not exist."""
    return Forbidden("the case number or query password does not match", field="password")


def _live(pk: str, prefix: str, cutoff: float) -> dict[str, float]:
    """The slots under a prefix whose wrong guess is still inside the window, with when
    that guess was made."""
    return {slot.sk: slot.at for slot in PasswordAttempts.query(
        pk, PasswordAttempts.sk.startswith(prefix), consistent_read=True)
        if slot.at is not None and slot.at > cutoff}


def _take_slot(pk: str, prefix: str, slots: int, live: dict[str, float], now: float,
               cutoff: float) -> bool:
    """Record a wrong guess in the first slot that is (still) free: False when every
    slot holds a guess inside the window."""
    for index in range(slots):
        sk = f"{prefix}{index}"
        if sk in live:
            continue
        try:
            PasswordAttempts(pk, sk).update(
                actions=[PasswordAttempts.at.set(now),
                         PasswordAttempts.expiresAt.set(int(now) + WINDOW_SECONDS + 86400),
                         PasswordAttempts.rt.set(PasswordAttempts)],
                condition=PasswordAttempts.at.does_not_exist()
                | (PasswordAttempts.at <= cutoff))
            return True
        except UpdateError as error:
            if not condition_failed(error):
                raise
    return False


def _locked(own: dict[str, float], allowed: int, now: float) -> TooManyRequests:
    """429, with Retry-After the seconds until enough of this address's wrong guesses
    have left the window for it to have a guess again (fewer than `allowed` left)."""
    # (A guess made at once by another request may be stamped a moment after `now`.)
    times = sorted(own.values())
    frees = times[len(times) - allowed] if len(times) >= allowed else now
    return TooManyRequests(f"too many wrong query passwords for this case number; retry "
                           f"within {WINDOW_SECONDS // 60} minutes", field="password",
                           retry_after=min(WINDOW_SECONDS,
                                           math.ceil(frees + WINDOW_SECONDS - now)))


def _secret() -> str:
    return secrets.query_password()
