"""Bodies of base-data sharing (数据共享): consents, pre-filled forms, instant approval's
switch and rule check."""
from typing import Annotated, Any, Literal

import msgspec
from msgspec import Meta

from .shared import ItemCode, Reason, Request, Response, Timestamp

Registry = Literal["population", "legalPerson", "credit"]
ConsentId = Annotated[str, Meta(pattern=r"^C[0-9a-f]{32}$",
                                examples=["C4b1e0c7d2a9f8e3b6c5d4a3f2e1d0c9b"])]


class ConsentRequest(Request):
    itemCode: ItemCode
    # "for" is a keyword: the field is renamed in JSON.
    company: Annotated[str, Meta(max_length=18, description=(
        "a company (USCC) the caller is an authorised agent of: the company consents"))] \
        | None = msgspec.field(default=None, name="for")


class Consent(Response, omit_defaults=True):
    consentId: ConsentId
    itemCode: ItemCode
    itemName: str
    registries: list[Registry]
    fields: Annotated[list[str], Meta(description="what is read of them")]
    purpose: Annotated[str, Meta(description="用数事由, as the item version states it")]
    givenAt: Timestamp
    active: bool
    revokedAt: Timestamp | None = None


class Consents(Response):
    consents: list[Consent]


class ConsentTerms(Response):
    registries: list[Registry]
    fields: list[str]
    purpose: str


class PrefilledField(Response):
    value: Any
    source: Annotated[str, Meta(description="registry.field, or lastCase.field",
                                examples=["legalPerson.registeredAddress"])]
    sourceName: Annotated[str, Meta(examples=["法人库"])]
    editable: Annotated[bool, Meta(description="whether the applicant may change it")]


class DataMaterial(Response):
    name: str
    registry: Registry
    sourceName: str
    sha256: Annotated[str, Meta(pattern="^[0-9a-f]{64}$")]
    fetchedAt: Timestamp


class PrefillNote(Response):
    registry: Registry
    note: Annotated[str, Meta(examples=["人口库暂时无法访问，请手动填写"])]


class Prefill(Response):
    itemCode: ItemCode
    itemVersion: int
    fields: Annotated[dict[str, PrefilledField], Meta(description="by form field")]
    materials: Annotated[list[DataMaterial], Meta(
        description="materials a registry record stands in for (免提交)")]
    notes: Annotated[list[PrefillNote], Meta(
        description="what could not be filled: a registry down, slow or without a record")]
    token: Annotated[str | None, Meta(description=(
        "hand it back in the application (`prefill`): the case records the sources"))]


class InstantSwitch(Request):
    enabled: bool
    reason: Reason


class InstantSwitchState(Response, omit_defaults=True):
    itemCode: ItemCode
    enabled: bool
    updatedAt: Timestamp | None = None
    updatedBy: str | None = None
    reason: str | None = None


class InstantItem(Response, omit_defaults=True):
    itemCode: ItemCode
    itemName: str
    version: Annotated[int, Meta(description="the published version whose rules apply")]
    rules: Annotated[int, Meta(description="how many rules it declares")]
    enabled: bool
    updatedAt: Timestamp | None = None
    updatedBy: str | None = None
    reason: str | None = None


class InstantItems(Response):
    items: list[InstantItem]
