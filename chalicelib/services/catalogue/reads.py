"""Public reads of published items: the current guide, pinned versions and faceted search,
served through the in-function cache (services/read_cache.py)."""
from pynamodb.exceptions import DoesNotExist

from ...adapters.models import ItemCurrentRecord, ItemIndexRecord, all_of
from ...domain import search
from ...domain.errors import NotFound, UnprocessableEntity
from ..pagination import decode_cursor, encode_cursor
from .store import (
    CURRENT,
    PUBLIC_VERSION_STATUSES,
    current_record,
    lineage_of,
    public_view,
    version_record,
)


def get_item(code: str) -> dict:
    """The current guide (published, or suspended / cancelled with its status)."""
    current = current_record(code)
    return public_view(current.document, current.status, lineage_of(code))


def published_item(code: str) -> dict:
    """The version new applications must use; only a published item takes them."""
    try:
        current = ItemCurrentRecord.get(code, CURRENT)
    except DoesNotExist:
        raise UnprocessableEntity(f"no published service item {code}", field="itemCode",
                                  code="item_not_open") from None
    if current.status != "published":
        raise UnprocessableEntity(f"service item {code} is {current.status} and takes no "
                                  "applications", field="itemCode", code="item_not_open")
    return current.document


def get_item_version(code: str, version, include_drafts: bool = False) -> dict:
    record = version_record(code, version)
    if not include_drafts and record.status not in PUBLIC_VERSION_STATUSES:
        raise NotFound(f"service item {code} has no published version {version}",
                       field="version")
    return public_view(record.document, record.status)


def pinned_version(code: str, version) -> dict:
    """The exact version a case applied under, whatever has happened to it since."""
    return version_record(code, version).document


def list_items(*, dept: str | None = None, kind: str | None = None,
               audience: str | None = None, theme: str | None = None,
               channel: str | None = None, q: str | None = None,
               limit: int = 20, cursor: str | None = None) -> dict:
    """Published items, by facet, one Query per page (never a Scan)."""
    name_has = initials_have = None
    if q and search.normalise_query(q):
        facet, name_has, initials_have = search.keyword_facet(q)
    elif dept:
        facet, dept = f"dept#{dept}", None
    elif kind:
        facet, kind = f"kind#{kind}", None
    elif theme:
        facet, theme = f"theme#{theme}", None
    elif audience:
        facet, audience = f"audience#{audience}", None
    elif channel:
        facet, channel = f"channel#{channel}", None
    else:
        facet = "all"
    condition = all_of(
        ItemIndexRecord.depts.contains(dept) if dept else None,
        ItemIndexRecord.kind == kind if kind else None,
        ItemIndexRecord.audience.contains(audience) if audience else None,
        ItemIndexRecord.themes.contains(theme) if theme else None,
        ItemIndexRecord.channels.contains(channel) if channel else None,
        ItemIndexRecord.name.contains(name_has) if name_has else None,
        ItemIndexRecord.initials.contains(initials_have) if initials_have else None)
    page = ItemIndexRecord.by_facet.query(
        facet, filter_condition=condition, limit=limit,
        last_evaluated_key=decode_cursor(cursor, f"items/{facet}"))
    items = [record.summary for record in page]
    return {"items": items, "next": encode_cursor(page.last_evaluated_key, f"items/{facet}")}
