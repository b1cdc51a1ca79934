"""Public catalogue: published items, their versions and printable guides."""
from chalice import Blueprint, Response

from ..contract import models
from ..domain.catalogue import AUDIENCES, KINDS
from ..domain.errors import ValidationError
from ..services import catalogue, guides
from . import http

bp = Blueprint(__name__)
TEXT = {"type": "string", "maxLength": http.MAX_PARAM_CHARS}


@http.route(bp, "GET", "/catalogue", op="listCatalogueEntries",
            summary="catalogue entries (事项目录): base code, kind, main and sub-items",
            tag="catalogue", returns=models.CataloguePage, public=True,
            query=(http.limit_query(50), http.CURSOR_QUERY))
def list_entries():
    request = bp.current_request
    return catalogue.list_entries(limit=http.int_param(request, "limit", 50, 1, 100),
                                  cursor=http.query_param(request, "cursor"))


@http.route(bp, "GET", "/catalogue/{base_code}", op="getCatalogueEntry",
            summary="a catalogue entry, its sub-items and published implementations",
            tag="catalogue", returns=models.CatalogueEntryDetail, public=True, errors=(404,))
def get_entry(base_code):
    return catalogue.get_entry(base_code)


@http.route(bp, "GET", "/items", op="listItems",
            summary="published service items: filter by facet, search Chinese or pinyin "
                    "initials", tag="catalogue", returns=models.ItemPage, public=True,
            query=(("dept", TEXT, False, "implementing department"),
                   ("kind", {"type": "string", "enum": list(KINDS)}, False, "事项类型"),
                   ("audience", {"type": "string", "enum": list(AUDIENCES)}, False,
                    "natural or legal persons"),
                   ("theme", TEXT, False, "主题, e.g. 开办餐厅"),
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
    return catalogue.list_items(
        dept=http.query_param(request, "dept"), kind=kind, audience=audience,
        theme=http.query_param(request, "theme"), q=http.query_param(request, "q"),
        limit=http.int_param(request, "limit", 20, 1, 100),
        cursor=http.query_param(request, "cursor"))


@http.route(bp, "GET", "/items/{code}", op="getItem",
            summary="a service item's current guide (办事指南)", tag="catalogue",
            returns=models.ItemView, public=True, errors=(404,))
def get_item(code):
    return catalogue.get_item(code)


@http.route(bp, "GET", "/items/{code}/versions/{version}", op="getItemVersion",
            summary="a published (or superseded) version, as cases pinned it",
            tag="catalogue", returns=models.ItemView, public=True, errors=(404,))
def get_item_version(code, version):
    return catalogue.get_item_version(code, version)


@http.route(bp, "GET", "/items/{code}/guide.html", op="getItemGuide",
            summary="the printable service guide (办事指南)", tag="catalogue", returns=None,
            public=True, errors=(404,), media_type="text/html",
            description="the guide as an HTML page")
def guide(code):
    return Response(body=guides.render(catalogue.get_item(code), catalogue.departments()),
                    status_code=200, headers={"Content-Type": "text/html; charset=utf-8"})
