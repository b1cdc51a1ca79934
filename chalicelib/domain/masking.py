"""Masking of personal data (ID and phone numbers) for logs and for non-owners."""
import re

_ID_RE = re.compile(r"\b(\d{6})\d{8}(\d{3}[0-9Xx])\b")
_PHONE_RE = re.compile(r"\b(1\d{2})\d{4}(\d{4})\b")


def mask_id(value: str | None) -> str | None:
    """First 6 (the region: 行政区划 or the USCC's registering authority and area) and last
    4 shown, the rest hidden; shorter numbers keep only 2 and 2."""
    if not value or len(value) < 8:
        return value
    shown = 6 if len(value) >= 14 else 2
    tail = 4 if len(value) >= 14 else 2
    return value[:shown] + "*" * (len(value) - shown - tail) + value[-tail:]


def mask_phone(value: str | None) -> str | None:
    if not value or len(value) < 7:
        return value
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_name(value: str | None) -> str | None:
    """A natural person's name as public views show it: the family name, the rest
    hidden (张三 -> 张*)."""
    if not value:
        return value
    return value[0] + "*" * (len(value) - 1)


def mask_text(text: str) -> str:
    """Mask every ID or mobile number found in free text (log lines)."""
    text = _ID_RE.sub(lambda m: m.group(1) + "*" * 8 + m.group(2), text)
    return _PHONE_RE.sub(lambda m: m.group(1) + "****" + m.group(2), text)
