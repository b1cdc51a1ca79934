"""The query password (查询密码): anyone with a case number and its password reads the
case's public view. Six digits are guessable, so wrong passwords are limited per case
number: at most ATTEMPTS in each WINDOW_SECONDS, then 429 for that case number until the
window ends — counted whether or not the case exists, so the limit tells nothing either.

The count is a conditional increment (never past the limit, however many guesses arrive
at once), kept in the cases table with a TTL.
"""
import re

from pynamodb.exceptions import UpdateError

from ..adapters import secrets
from ..adapters.models import PasswordAttempts, condition_failed
from ..domain import applications
from ..domain.errors import Forbidden, TooManyRequests
from ..domain.identifiers import is_valid_case_number
from . import clock

ATTEMPTS = 5
WELL_FORMED = re.compile(r"[0-9]{6}")
WINDOW_SECONDS = 15 * 60


def issue(case_no: str) -> str:
    return applications.query_password(_secret(), case_no)


def check(case_no: str, password: str) -> None:
    """Pass, or raise: 429 while the case number's wrong attempts are used up, 403 for a
    wrong password (or a case number that does not exist)."""
    if not WELL_FORMED.fullmatch(password or ""):
        # Never a password we issued: refused without counting (nothing is written).
        raise refused()
    window = int(clock.now().timestamp()) // WINDOW_SECONDS
    key = (f"QPW#{case_no}", f"W#{window}")
    if _used(*key) >= ATTEMPTS:
        raise _locked()
    if is_valid_case_number(case_no) and \
            applications.password_matches(_secret(), case_no, password):
        return
    try:
        PasswordAttempts(*key).update(
            actions=[PasswordAttempts.count.add(1),
                     PasswordAttempts.expiresAt.set((window + 1) * WINDOW_SECONDS + 86400),
                     PasswordAttempts.rt.set(PasswordAttempts)],
            condition=PasswordAttempts.count.does_not_exist()
            | (PasswordAttempts.count < ATTEMPTS))
    except UpdateError as error:
        if condition_failed(error):
            raise _locked() from None
        raise
    raise refused()


def refused() -> Forbidden:
    """One answer for a wrong password and a case number that does not exist."""
    return Forbidden("the case number or query password does not match", field="password")


def _used(pk: str, sk: str) -> int:
    try:
        return int(PasswordAttempts.get(pk, sk, consistent_read=True).count or 0)
    except PasswordAttempts.DoesNotExist:
        return 0


def _locked() -> TooManyRequests:
    return TooManyRequests(f"too many wrong query passwords for this case number; retry "
                           f"within {WINDOW_SECONDS // 60} minutes", field="password")


def _secret() -> str:
    return secrets.query_password()
