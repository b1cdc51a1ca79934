"""Masking of personal data (ID and phone numbers) for logs and for non-owners."""
import re

# Bounded by non-digits, not by \b: in Chinese text a number follows a character (联系电话
# 13800138000), and \b sees no boundary between two word characters.
_ID_RE = re.compile(r"(?<![0-9])(\d{6})\d{8}(\d{3}[0-9Xx])(?![0-9A-Za-z])")
_PHONE_RE = re.compile(r"(?<![0-9])(1\d{2})\d{4}(\d{4})(?![0-9])")


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


def split_personal(value, pointer: str = "") -> tuple[object, dict[str, str]]:
    """`value` (an application form: any JSON) with every string that holds an ID or
    mobile number masked, and those strings in clear by JSON pointer — the stored case
    keeps the first and seals the second."""
    if isinstance(value, dict):
        masked, found = {}, {}
        for key, item in value.items():
            masked[key], inner = split_personal(item, _step(pointer, key))
            found.update(inner)
        return masked, found
    if isinstance(value, list):
        masked, found = [], {}
        for index, item in enumerate(value):
            item_masked, inner = split_personal(item, _step(pointer, index))
            masked.append(item_masked)
            found.update(inner)
        return masked, found
    if isinstance(value, str) and mask_text(value) != value:
        return mask_text(value), {pointer: value}
    return value, {}


def restore_personal(value, found: dict[str, str] | None, pointer: str = ""):
    """The form `split_personal` masked, with its strings put back in clear."""
    if not found:
        return value
    if isinstance(value, dict):
        return {key: restore_personal(item, found, _step(pointer, key))
                for key, item in value.items()}
    if isinstance(value, list):
        return [restore_personal(item, found, _step(pointer, index))
                for index, item in enumerate(value)]
    return found.get(pointer, value)


def _step(pointer: str, key) -> str:
    """The JSON pointer (RFC 6901) of `key` under `pointer`."""
    return f"{pointer}/{str(key).replace('~', '~0').replace('/', '~1')}"
