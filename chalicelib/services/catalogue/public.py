"""What the public catalogue routes serve: each answer built once per container and kept
(services/read_cache.py) as its UTF-8 JSON (or HTML) text with its entity tag, so a repeat
costs neither a database call nor serialising, and `If-None-Match` is answered with 304.

Keys are the request's own parameters; a cursor is part of the key, so a page is the
same page for everyone who holds the same cursor.
"""
import hashlib
import json
from typing import NamedTuple

from .. import guides, read_cache
from .departments import departments
from .directory import directory as build_directory
from .entries import get_entry, list_entries
from .reads import get_item, get_item_version, list_items

JSON = "application/json; charset=utf-8"
HTML = "text/html; charset=utf-8"


class Representation(NamedTuple):
    body: str
    etag: str
    content_type: str


def _represent(value, content_type: str) -> Representation:
    """The answer as text (a JSON value serialised, HTML as it is) with its entity tag."""
    body = json.dumps(value, ensure_ascii=False, separators=(",", ":")) \
        if content_type == JSON else value
    digest = hashlib.blake2b(body.encode(), digest_size=12).hexdigest()
    return Representation(body, f'"{digest}"', content_type)


def _cached(key: tuple, load, content_type: str = JSON) -> Representation:
    return read_cache.catalogue.get(key, lambda: _represent(load(), content_type))


def item(code: str) -> Representation:
    return _cached(("item", code), lambda: get_item(code))


def item_version(code: str, version: str) -> Representation:
    return _cached(("version", code, version), lambda: get_item_version(code, version))


def form_schema(code: str, version: str) -> Representation:
    """A published version's application form as the JSON Schema (2020-12) it is checked
    against, so that a client can type and validate the `form` it sends."""
    def load():
        found = get_item_version(code, version)
        return {"$schema": "https://json-schema.org/draft/2020-12/schema",
                "title": found["name"], **found["formSchema"]}
    return _cached(("form-schema", code, version), load)


def items(**filters) -> Representation:
    return _cached(("items", tuple(sorted(filters.items()))), lambda: list_items(**filters))


def entries_page(limit: int, cursor: str | None) -> Representation:
    return _cached(("entries", limit, cursor),
                   lambda: list_entries(limit=limit, cursor=cursor))


def entry(base_code: str) -> Representation:
    return _cached(("entry", base_code), lambda: get_entry(base_code))


def guide(code: str) -> Representation:
    return _cached(("guide", code),
                   lambda: guides.render(get_item(code), departments()), HTML)


def directory() -> Representation:
    """The portal's directory: themes, bundles, departments, the most applied-for items."""
    return _cached(("directory",), build_directory)
