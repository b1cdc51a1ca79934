"""What a request may carry: JSON the system can store and serve back.

Python's JSON parser accepts things DynamoDB, UTF-8 and our own serialisers cannot take:
a lone surrogate (`"\\ud800"`) cannot be encoded as UTF-8, so a record holding one can
never be written or, worse, never be read back. Deep nesting exhausts the recursion of
every serialiser on the way. A number too large for a float (`1e999`, `-1E400`) parses
as an infinity, which is stored as `Infinity` and then can never be served as JSON again.
`check` refuses all three, naming the field.
"""
import math
import re

from .errors import ValidationError

MAX_DEPTH = 32
_SURROGATE = re.compile("[\ud800-\udfff]")


def has_surrogate(text: str) -> bool:
    return bool(_SURROGATE.search(text))


def _path(parts: tuple) -> str:
    return ".".join(str(p) for p in parts) or "body"


def check(value, max_depth: int = MAX_DEPTH) -> None:
    """Raise ValidationError (naming the field) unless `value` is nested at most
    `max_depth` levels, every string and key is valid Unicode text and every number is
    finite."""
    stack = [(value, (), 0)]
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
