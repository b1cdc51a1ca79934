"""Bodies of the `me` tag: the caller, their cases, licenses, materials, notifications and the
use log of their licenses."""
from typing import Annotated, Literal

from msgspec import Meta

from .licenses import LicenseStatus
from .materials import StoredMaterial
from .shared import CaseNo, Cursor, ItemCode, Request, Response, Timestamp


class Me(Response):
    sub: str
    role: str
    departments: list[str]
    leads: Annotated[list[str], Meta(description="departments whose tasks the caller may "
                                                 "reassign")]
    actsFor: Annotated[list[str], Meta(
        description="the companies (USCC) the caller is an authorised agent of")] = []
    assurance: Annotated[int, Meta(description="实名等级 of this sign-in (1–4)")] = 1
    name: str | None = None
    idNumber: Annotated[str, Meta(description="the caller's own, unmasked")] | None = None


class MyCase(Response):
    caseNo: CaseNo
    status: int
    statusLabel: str
    itemCode: ItemCode
    createdAt: Timestamp
    itemName: str | None = None
    updatedAt: Timestamp | None = None
    promisedBy: Annotated[str | None, Meta(
        description="the date promised at application (the case view has the clock)")] = None


class MyCases(Response):
    cases: list[MyCase]
    next: Cursor


NotificationChannel = Literal["sms", "miniprogram", "email", "inapp"]


class Notification(Response):
    id: str
    caseNo: CaseNo
    type: Annotated[str, Meta(description="its template: received, accepted, refused, "
                                          "supplement, concluded, task_created, warning, "
                                          "card, red_card")]
    event: str
    text: Annotated[str, Meta(description="Chinese, ID and phone numbers masked",
                              examples=["【一网通办】您的办件 4403002026112500000019（食品经营"
                                        "许可（新办））已受理，承诺于 2026-12-02 前办结。"])]
    channels: list[NotificationChannel]
    createdAt: Timestamp
    read: bool
    readAt: Timestamp | None = None


class NotificationPage(Response):
    notifications: list[Notification]
    next: Cursor


class NotificationPreferences(Response):
    channels: list[NotificationChannel]


class NotificationChoice(Request):
    channels: Annotated[list[NotificationChannel], Meta(
        max_length=4, description="in-app is always kept")]


class MyLicense(LicenseStatus, omit_defaults=True):
    caseNo: str | None = None
    issueDate: str | None = None
    typeCode: str | None = None


class MyLicenses(Response):
    licenses: list[MyLicense]
    next: str | None


class AccessLogEntry(Response, omit_defaults=True):
    at: str
    action: Annotated[Literal["view", "verify", "use", "query"], Meta(description=(
        "view: a license, material or case read by staff or a third party; verify; use "
        "(a license in a case); query: a base-data registry asked about the holder"))]
    licenseId: str | None = None
    materialId: Annotated[str | None, Meta(description="a material of the holder's")] = None
    caseNo: Annotated[str | None, Meta(description="the case it was used in")] = None
    by: Annotated[str | None, Meta(description="who (absent: an anonymous verifier)")] = None
    role: str | None = None
    organisation: str | None = None
    purpose: Annotated[str | None, Meta(description="用证事由, as stated")] = None
    count: Annotated[int | None, Meta(description=(
        "an anonymous verifier's verifications that day, one entry"))] = None
    lastAt: Annotated[str | None, Meta(description="the last of them")] = None
    merged: Annotated[bool | None, Meta(description=(
        "the day's anonymous verifications past its limit of distinct verifiers"))] = None
    registry: Annotated[Literal["population", "legalPerson", "credit"] | None, Meta(
        description="the registry a query asked (人口库, 法人库, 信用信息库)")] = None
    basis: Annotated[str | None, Meta(description=(
        "a query's basis: consent:<consentId> (the holder's) or law:<citation>"))] = None


class AccessLog(Response):
    entries: list[AccessLogEntry]
    next: str | None


class MyMaterials(Response):
    materials: list[StoredMaterial]
    next: str | None
