"""What a request may carry: JSON the system can store and serve back.

Python's JSON parser accepts things DynamoDB, UTF-8 and our own serialisers cannot take:
a lone surrogate (`"\\ud800"`) cannot be encoded as UTF-8, so a record holding one can
never be written or, worse, never be read back. Deep nesting exhausts the recursion of
every serialiser on the way. `check` refuses both, naming the field.
"""
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
    `max_depth` levels and every string and key is valid Unicode text."""
    stack = [(value, (), 0)]
    while stack:
        node, path, depth = stack.pop()
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
