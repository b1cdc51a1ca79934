"""Public catalogue: published items, their versions and printable guides."""
from chalice import Blueprint

from .. import config
from ..contract import models
from ..domain.catalogue import AUDIENCES, CHANNELS, KINDS
from ..domain.errors import ValidationError
from ..services.catalogue import public
from . import http

bp = Blueprint(__name__)
TEXT = {"type": "string", "maxLength": http.MAX_PARAM_CHARS}
CACHED = ("ETag", "Cache-Control")
IF_NONE_MATCH = (("If-None-Match", {"type": "string"},
                  "an ETag this URL gave: 304 while it still holds"),)


def _answer(representation):
    return http.cached(bp.current_request, representation,
                       config.get().catalogue_cache_seconds)


def _route(path: str, op: str, summary: str, returns, **spec):
    return http.route(bp, "GET", path, op=op, summary=summary, tag="catalogue",
                      returns=returns, public=True, response_headers=CACHED,
                      headers=IF_NONE_MATCH, **spec)


@_route("/catalogue", "listCatalogueEntries",
        "catalogue entries (事项目录): base code, kind, main and sub-items",
        models.CataloguePage, query=(http.limit_query(50), http.CURSOR_QUERY))
def list_entries():
    request = bp.current_request
    return _answer(public.entries_page(http.int_param(request, "limit", 50, 1, 100),
                                       http.query_param(request, "cursor")))


@_route("/catalogue/{base_code}", "getCatalogueEntry",
        "a catalogue entry, its sub-items and published implementations",
        models.CatalogueEntryDetail, errors=(404,))
def get_entry(base_code):
    return _answer(public.entry(base_code))


@_route("/directory", "getDirectory",
        "what a portal's home page browses by: themes, 一件事 bundles, departments (each "
        "with its number of published items) and the most applied-for items",
        models.Directory)
def get_directory():
    return _answer(public.directory())


@_route("/items", "listItems",
        "published service items: filter by facet, search Chinese or pinyin initials",
        models.ItemPage,
        query=(("dept", TEXT, False, "implementing department"),
                   ("kind", {"type": "string", "enum": list(KINDS)}, False, "事项类型"),
                   ("audience", {"type": "string", "enum": list(AUDIENCES)}, False,
                    "natural or legal persons"),
                   ("theme", TEXT, False, "主题, e.g. 开办餐厅"),
                   ("channel", {"type": "string", "enum": list(CHANNELS)}, False,
                    "taken through this channel, e.g. counter (窗口)"),
                   ("q", TEXT, False, "search: Chinese, pinyin initials or an item code"),
                   http.limit_query(20), http.CURSOR_QUERY))
def list_items():
    request = bp.current_request
    kind = http.query_param(request, "kind")
    if kind is not None and kind not in KINDS:
        raise ValidationError(f"kind must be one of {', '.join(KINDS)}", field="kind")
    audience = http.query_param(request, "audience")
    if audience is not None and audience not in AUDIENCES:
        raise ValidationError("audience must be natural or legal", field="audience")
    channel = http.query_param(request, "channel")
    if channel is not None and channel not in CHANNELS:
        raise ValidationError(f"channel must be one of {', '.join(CHANNELS)}", field="channel")
    return _answer(public.items(
        dept=http.query_param(request, "dept"), kind=kind, audience=audience,
        theme=http.query_param(request, "theme"), channel=channel,
        q=http.query_param(request, "q"),
        limit=http.int_param(request, "limit", 20, 1, 100),
        cursor=http.query_param(request, "cursor")))


@_route("/items/{code}", "getItem", "a service item's current guide (办事指南)",
        models.ItemView, errors=(404,))
def get_item(code):
    return _answer(public.item(code))


@_route("/items/{code}/versions/{version}", "getItemVersion",
        "a published (or superseded) version, as cases pinned it", models.ItemView,
        errors=(404,))
def get_item_version(code, version):
    return _answer(public.item_version(code, version))


@_route("/items/{code}/versions/{version}/form-schema", "getItemFormSchema",
        "a published version's application form, as the JSON Schema (2020-12) its `form` "
        "is checked against", None, errors=(404,),
        description="the form's JSON Schema: properties, required, patterns")
def get_item_form_schema(code, version):
    return _answer(public.form_schema(code, version))


@_route("/items/{code}/guide.html", "getItemGuide", "the printable service guide (办事指南)",
        None, errors=(404,), media_type="text/html", description="the guide as an HTML page")
def guide(code):
    return _answer(public.guide(code))
