"""What a request may carry: JSON the system can store and serve back.

Python's JSON parser accepts things DynamoDB, UTF-8 and our own serialisers cannot take:
a lone surrogate (`"\\ud800"`) cannot be encoded as UTF-8, so a record holding one can
never be written or, worse, never be read back. Deep nesting exhausts the recursion of
every serialiser on the way. A number too large for a float (`1e999`, `-1E400`) parses
as an infinity, which is stored as `Infinity` and then can never be served as JSON again.
Control characters (NUL, ESC …) and format characters (the bidirectional overrides such as
U+202E that make a name read otherwise than it is stored, zero-width spaces) have no place
in a name, an opinion or a form value: they hide what a text says from whoever reads it.
`check` refuses all of these, naming the field.

Where the request's document (/openapi.json) states the rule — a declared text field, an
open object's own keys — a hidden character makes the request one it does not admit: 400.
Inside an open object's values (an application's form, a license as signed, a merge's
fields: any JSON, by the document) the document cannot state it, so the same refusal is a
422 `hidden_character` (docs/errors.md): the character is refused all the same.
"""
import math
import re
import unicodedata
from collections.abc import Iterable, Iterator

from .errors import UnprocessableEntity, ValidationError

MAX_DEPTH = 32
_SURROGATE = re.compile("[\ud800-\udfff]")
# Unicode categories Cc (control) and Cf (format) are refused, bar what free text needs:
# tab and line breaks, and the zero-width (non-)joiners that emoji and some scripts need.
HIDDEN = ("Cc", "Cf")
FREE_TEXT_ALLOWS = frozenset("\t\n\r\u200c\u200d")
NAME_ALLOWS: frozenset[str] = frozenset()
# Where a value sits in a request body: its keys and list indexes from the top.
FieldPath = tuple[str | int, ...]


def has_surrogate(text: str) -> bool:
    return bool(_SURROGATE.search(text))


def hidden_character(text: str, allowed: frozenset[str] = FREE_TEXT_ALLOWS) -> str | None:
    """The first control or format character of `text` not `allowed`, or None."""
    if text.isprintable():  # the common case, in C: no character of any category C or Z
        return None
    for character in text:
        if character not in allowed and unicodedata.category(character) in HIDDEN:
            return character
    return None


def check_text(text: str, field: str, allowed: frozenset[str] = FREE_TEXT_ALLOWS) -> None:
    """Raise ValidationError naming `field` if `text` holds a control or format character
    (a name: `allowed` NAME_ALLOWS, not even a line break)."""
    found = hidden_character(text, allowed)
    if found is not None:
        named = unicodedata.name(found, "")
        raise ValidationError(f"{field} holds a control or format character: "
                              f"U+{ord(found):04X}{' ' + named if named else ''}",
                              field=field)


def _path(parts: FieldPath) -> str:
    return ".".join(str(p) for p in parts) or "body"


def check(value: object, max_depth: int = MAX_DEPTH) -> None:
    """Raise ValidationError (naming the field) unless `value` is nested at most
    `max_depth` levels, every string and key is valid Unicode text and every number is
    finite (`check_structure`), and no text holds a hidden character (`check_texts`)."""
    check_structure(value, max_depth)
    check_texts(value)


def check_structure(value: object, max_depth: int = MAX_DEPTH) -> None:
    """Raise ValidationError (naming the field) unless `value` is nested at most
    `max_depth` levels, every string and key is valid Unicode text and every number is
    finite."""
    stack: list[tuple[object, FieldPath, int]] = [(value, (), 0)]
    while stack:
        node, path, depth = stack.pop()
        if isinstance(node, float) and not math.isfinite(node):
            raise ValidationError(f"{_path(path)} is not a finite number (too large for "
                                  "a 64-bit float)", field=_path(path))
        if isinstance(node, str):
            if has_surrogate(node):
                raise ValidationError(f"{_path(path)} holds an unpaired surrogate (not "
                                      "valid Unicode text)", field=_path(path))
            continue
        if not isinstance(node, (dict, list)):
            continue
        if depth >= max_depth:
            raise ValidationError(f"{_path(path)} is nested deeper than {max_depth} levels",
                                  field=_path(path))
        if isinstance(node, dict):
            for key, child in node.items():
                if has_surrogate(key):
                    raise ValidationError(f"a key of {_path(path)} holds an unpaired "
                                          "surrogate", field=_path(path))
                stack.append((child, path + (key,), depth + 1))
        else:
            stack.extend((child, path + (index,), depth + 1)
                         for index, child in enumerate(node))


def _children(node: object, path: FieldPath) -> Iterator[tuple[object, FieldPath]]:
    """The values an object or a list holds, each with its path."""
    if isinstance(node, dict):
        for key, child in node.items():
            yield child, path + (key,)
    elif isinstance(node, list):
        for index, child in enumerate(node):
            yield child, path + (index,)


def _own_refusal(node: object, path: FieldPath) -> tuple[str, str] | None:
    """What a string, or the first of an object's keys, holds that is refused (message
    and field), or None; what the node's values hold is theirs."""
    if isinstance(node, str):
        found = hidden_character(node)
        if found is not None:
            return (f"{_path(path)} holds a control or format character: "
                    f"{_character(found)}", _path(path))
    elif isinstance(node, dict):
        for key in node:
            found = hidden_character(key, NAME_ALLOWS)
            if found is not None:
                return (f"a key of {_path(path)} holds a control or format "
                        f"character: {_character(found)}", _path(path))
    return None


def check_texts(value: object, free_form: Iterable[FieldPath] = ()) -> None:
    """Refuse a control or format character in any string or key of `value`, naming its
    field: a ValidationError (400) where the document states the rule, an
    UnprocessableEntity `hidden_character` (422) at or below the paths in `free_form`
    (values the document admits as any JSON). A stated refusal wins over a free-form one,
    whichever comes first."""
    free_paths = frozenset(free_form)
    unstated: UnprocessableEntity | None = None
    stack: list[tuple[object, FieldPath, bool]] = [(value, (), () in free_paths)]
    while stack:
        node, path, free = stack.pop()
        stack.extend((child, child_path, free or child_path in free_paths)
                     for child, child_path in _children(node, path))
        refusal = _own_refusal(node, path)
        if refusal is None:
            continue
        message, field = refusal
        if not free:
            raise ValidationError(message, field=field)
        if unstated is None:
            unstated = UnprocessableEntity(message + " (refused in any text)", field=field,
                                           code="hidden_character")
    if unstated is not None:
        raise unstated


def _character(found: str) -> str:
    named = unicodedata.name(found, "")
    return f"U+{ord(found):04X}{' ' + named if named else ''}"
