"""Where a model holds free text (masked as it comes in)."""
import functools


@functools.cache
def free_text_fields(model: type) -> tuple[tuple[str, ...], ...]:
    """Where `model` holds free text (fields marked FREE_TEXT): each a path of the JSON
    names of the fields to it, "*" standing for every item of a list."""
    from msgspec import inspect

    found: list[tuple[str, ...]] = []

    def walk(kind: inspect.Type, path: tuple[str, ...], marked: bool,
             seen: frozenset[type]) -> None:
        if isinstance(kind, inspect.Metadata):
            walk(kind.type, path, marked or bool((kind.extra or {}).get("freeText")), seen)
        elif isinstance(kind, inspect.StructType) and kind.cls not in seen:
            for field in kind.fields:
                walk(field.type, path + (field.encode_name,), False, seen | {kind.cls})
        elif isinstance(kind, inspect.ListType):
            walk(kind.item_type, path + ("*",), False, seen)
        elif isinstance(kind, inspect.UnionType):
            for member in kind.types:
                walk(member, path, marked, seen)
        elif isinstance(kind, inspect.StrType) and marked:
            found.append(path)

    walk(inspect.type_info(model), (), False, frozenset())
    return tuple(dict.fromkeys(found))
