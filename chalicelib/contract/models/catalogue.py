"""Bodies of the `catalogue` tag: the public reads of the service catalogue."""
from typing import Annotated, Literal

from msgspec import Meta

from ...domain import documents
from ...domain.documents import Implementation
from .shared import BaseCode, Cursor, ItemCode, Response, Timestamp


class CatalogueEntry(Response):
    baseCode: BaseCode
    name: str
    kind: Annotated[str, Meta(examples=["01"], description="01 行政许可 … 20 公共服务")]
    legalBasis: str
    definingDept: str
    parentCode: str | None
    status: Literal["active", "abolished"]
    updatedAt: Timestamp | None = None


class ItemSummary(Response):
    code: ItemCode
    baseCode: str
    version: int
    name: str
    kind: str
    implementingDept: str
    audience: list[str]
    themes: list[str]
    immediate: bool
    promisedLimit: documents.Limit
    statutoryLimit: documents.Limit
    onlineDepth: int
    visits: int


class CatalogueEntryDetail(CatalogueEntry):
    subItems: list[str] = []
    implementations: list[ItemSummary] = []


class CataloguePage(Response):
    entries: list[CatalogueEntry]
    next: Cursor


class ItemPage(Response):
    items: list[ItemSummary]
    next: Cursor


class DirectoryTheme(Response):
    name: Annotated[str, Meta(description="a theme (主题); GET /items?theme= lists its items",
                              examples=["开办餐厅"])]
    itemCount: int


class BundleItem(Response):
    code: ItemCode
    name: str


class DirectoryBundle(Response):
    """A "one thing" bundle (一件事): the items one life or business event needs, in the
    order they are done."""
    id: Annotated[str, Meta(examples=["kaiban-canting"])]
    name: Annotated[str, Meta(examples=["开办餐厅一件事"])]
    description: str
    items: list[BundleItem]


class DirectoryDepartment(Response):
    code: Annotated[str, Meta(description="GET /items?dept= lists its items",
                              examples=["SCJG"])]
    name: str
    itemCount: Annotated[int, Meta(description="published items it implements, co-operates "
                                               "on or reviews")]


class Directory(Response):
    themes: list[DirectoryTheme]
    bundles: list[DirectoryBundle]
    departments: list[DirectoryDepartment]
    popular: Annotated[list[ItemSummary], Meta(
        description="up to 8 items, most applied for in the last 12 months first (then by "
                    "code)")]


# An item as read: the implementation document with what the service adds (code,
# version, status, lineage, parentCode), every field of the guide described.
ItemView = Implementation
