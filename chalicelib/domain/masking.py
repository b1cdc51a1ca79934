"""Masking of personal data (ID and phone numbers) for logs, for non-owners, and in every
free text staff or applicants write (opinions, reasons, notes, purposes, comments) before
it is stored or published.

`mask_text` finds, in any text:
- mainland mobile numbers, whole or grouped 3-4-4 (`13800138000`, `138 0013 8000`,
  `138-0013-8000`, `138.0013.8000`), with a country code (`+86 138 0013 8000`,
  `8613911112222`, `0086 139…`);
- resident ID numbers: 18 characters (`11010519491231002X`, `110105 19491231 002X`) and
  the old 15 digits (`110105491231002`), with a real-looking birth date;
- unified social credit codes of individual businesses (个体工商户, `92…`): a person's;
- all of these in full-width digits too (`１３８…`): each character is read through NFKC
  for matching only, so the text keeps its own characters and its length.

Each alone, among Chinese text, or after a label glued to it (`TEL13800138000`,
`ID11010519491231002X`). What it never touches: a number glued into a longer run of ASCII
letters or digits (case numbers, 22 digits; item codes, license serials and identifiers,
digits among letters), dates, or a company's USCC (`91…`, public). A masked text is the
original with some digits (and a USCC's letters) replaced by `*`, of the same length:
masking twice changes nothing more.
"""
import re
import unicodedata
from collections.abc import Iterable, Sequence

_SEP = r"[ \-.]?"
# A number stands alone: no ASCII letter or digit right before or after it. So a run of
# digits inside a longer one (a case number), or among letters (an item code, a license
# serial or identifier), is never taken for one; in Chinese text (电话13800138000) a
# number next to a character is.
_ALONE, _END = r"(?<![0-9A-Za-z])", r"(?![0-9A-Za-z])"
# ...save after a label people glue to a number (TEL13800138000, ID11010519491231002X,
# No.138…): the label is a word of its own, so `hotel13800138000` is still not a number.
_LEAD = _ALONE + r"(?:(?i:tel|phone|mobile|mob|cell|id|idn|idno|no)[:.#]?)?"
# Mainland mobile numbers: 1[3-9]x, then 8 digits, grouped 3-4-4 by a space, a dash or a
# dot (or not), after an optional country code.
_PHONE_RE = re.compile(
    _LEAD + r"(?:(?:\+|00)?86[ \-]?)?"
    r"1[3-9][0-9]" + _SEP + r"(?P<hide>[0-9]{4})" + _SEP + r"[0-9]{4}" + _END)
_BIRTH8 = r"(?:18|19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])"
_BIRTH6 = r"[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])"
# Resident ID numbers: region (6, its first digit 1 to 8), birth date (8, or 6 in the old
# 15-digit numbers), sequence and check; the groups may be spaced or dashed (6 8 4). Its
# hidden part is the birth date.
_ID_RE = re.compile(
    _LEAD + r"[1-8][0-9]{5}" + _SEP + r"(?P<hide>" + _BIRTH8 + r")" + _SEP
    + r"[0-9]{3}[0-9Xx]" + _END
    + r"|" + _LEAD + r"[1-8][0-9]{5}(?P<hide15>" + _BIRTH6 + r")[0-9]{3}" + _END)
# A unified social credit code registered by market regulation (9) for an individual
# business (2): the code of a person's business. Hidden: its organisation code's middle.
_PERSONAL_USCC_RE = re.compile(
    _ALONE + r"92[0-9]{6}(?P<hide>[0-9A-HJ-NPQRTUWXY]{8})[0-9A-HJ-NPQRTUWXY]{2}" + _END)
_PATTERNS = ((_PHONE_RE, ("hide",)), (_ID_RE, ("hide", "hide15")),
             (_PERSONAL_USCC_RE, ("hide",)))


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
    """`text` with the digits of every ID number, mobile number and personal USCC in it
    hidden (the first and last few kept): the one masker of free text and log lines."""
    if not text:
        return text
    readable = _matchable(text)
    hidden = bytearray(len(text))
    for pattern, groups in _PATTERNS:
        for match in pattern.finditer(readable):
            for group in groups:
                if match.group(group) is not None:
                    hidden[match.start(group):match.end(group)] = \
                        b"\x01" * (match.end(group) - match.start(group))
    if not any(hidden):
        return text
    return "".join("*" if flag and readable[index].isalnum() else text[index]
                   for index, flag in enumerate(hidden))


def _matchable(text: str) -> str:
    """`text` as the patterns read it: each character that NFKC makes one ASCII character
    (full-width digits and letters, the ideographic space, the full-width plus and hyphen)
    replaced by it, every other left as it is — so positions stay those of `text`."""
    if text.isascii():
        return text
    return "".join(_ascii_of(character) for character in text)


def _ascii_of(character: str) -> str:
    if character.isascii():
        return character
    folded = unicodedata.normalize("NFKC", character)
    return folded if len(folded) == 1 and folded.isascii() else character


def mask_fields(value: object, paths: Iterable[Sequence[str]]) -> object:
    """`value` (a request body) with the strings at `paths` masked (mask_text): each path
    the keys to a field, "*" standing for every item of a list."""
    for path in paths:
        value = _mask_at(value, path)
    return value


def _mask_at(value: object, path: Sequence[str]) -> object:
    if not path:
        return mask_text(value) if isinstance(value, str) else value
    step, rest = path[0], path[1:]
    if step == "*" and isinstance(value, list):
        return [_mask_at(item, rest) for item in value]
    if isinstance(value, dict) and step in value:
        return {**value, step: _mask_at(value[step], rest)}
    return value


def split_personal(value: object, pointer: str = "") -> tuple[object, dict[str, str]]:
    """`value` (an application form: any JSON) with every string that holds an ID or
    mobile number masked, and those strings in clear by JSON pointer — the stored case
    keeps the first and seals the second."""
    found: dict[str, str] = {}
    if isinstance(value, dict):
        masked_fields: dict[str, object] = {}
        for key, item in value.items():
            masked_fields[key], inner = split_personal(item, _step(pointer, key))
            found.update(inner)
        return masked_fields, found
    if isinstance(value, list):
        masked_items: list[object] = []
        for index, item in enumerate(value):
            item_masked, inner = split_personal(item, _step(pointer, index))
            masked_items.append(item_masked)
            found.update(inner)
        return masked_items, found
    if isinstance(value, str) and mask_text(value) != value:
        return mask_text(value), {pointer: value}
    return value, {}


def restore_personal(value: object, found: dict[str, str] | None, pointer: str = "") -> object:
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


def _step(pointer: str, key: str | int) -> str:
    """The JSON pointer (RFC 6901) of `key` under `pointer`."""
    return f"{pointer}/{str(key).replace('~', '~0').replace('/', '~1')}"
