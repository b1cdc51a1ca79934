"""The shapes of the documents the domain takes — an application, a catalogue entry, an
implementation — declared once (msgspec) and used twice: the domain checks every document
against them (`conform`), whoever sends it (the API, the shipped catalogue loader), and the
API's contract (chalicelib/contract) publishes them in the OpenAPI document.

What a shape cannot say — check digits, a department that exists, limits that add up, a
stage's lead among its departments — the domain's rules check after `conform`.
"""
import functools
import re
from typing import Annotated, Any, Literal, TypeVar

import msgspec
import msgspec.inspect
from msgspec import Meta, Struct

from .errors import ValidationError

# Text must hold something other than spaces.
Text = Annotated[str, Meta(min_length=1, max_length=4000, pattern=r"\S")]
Name = Annotated[str, Meta(min_length=1, max_length=200, pattern=r"\S")]
ShortText = Annotated[str, Meta(min_length=1, max_length=100, pattern=r"\S")]
Line = Annotated[str, Meta(min_length=1, max_length=500, pattern=r"\S")]
BaseCode = Annotated[str, Meta(pattern=r"^[0-9A-Z]{1,12}$", examples=["000201012000"])]
ItemCode = Annotated[str, Meta(min_length=33, max_length=44, pattern=r"^[0-9A-Z]+$",
                               examples=["00020101200044030000000011440300007542808J01"])]
Dept = Annotated[str, Meta(pattern=r"^[A-Z][A-Z0-9_]{1,15}$", examples=["SCJG"])]
LicenseType = Annotated[str, Meta(pattern=r"^[0-9A-Z]{18}\d{3}$",
                                  examples=["11100000MB0143028R001"])]
Kind = Annotated[Literal["01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "20"],
                 Meta(description="事项类型: 01 行政许可 … 10 其他行政权力, 20 公共服务")]
Channel = Literal["web", "miniprogram", "api", "counter"]


# Marks a field as free text, typed by staff or an applicant (an opinion, a reason, a
# note, a file's name): whatever ID or phone number it holds is masked as the request comes
# in, before anything stores or publishes it (api/http.body, masking.mask_text).
FREE_TEXT = {"freeText": True}

READ_ONLY = Meta(description="set by the service; ignored when sent",
                 extra_json_schema={"readOnly": True})


class Document(Struct, forbid_unknown_fields=True, omit_defaults=True):
    """Base of the documents: a misspelt field is an error, not ignored."""


# -- the catalogue -------------------------------------------------------------------------

class Entry(Document):
    """A catalogue entry (事项目录)."""
    baseCode: BaseCode
    name: Name
    kind: Kind
    legalBasis: Text
    definingDept: ShortText
    parentCode: BaseCode | None = None
    status: Literal["active", "abolished"] = "active"


class Limit(Document):
    value: Annotated[int, Meta(ge=0, le=100000)]
    unit: Literal["workdays", "workhours"]


class Replacement(Document):
    """An e-license that replaces a paper material (“免提交”), at these trust levels."""
    licenseType: LicenseType
    trustLevels: Annotated[list[Literal["A", "B", "C", "D"]], Meta(min_length=1)]


class Material(Document):
    name: Name
    mandatory: bool
    form: Literal["electronic", "paper", "both"]
    copies: Annotated[int, Meta(ge=0, le=20)] = 1
    source: Literal["applicant", "department", "third_party", "intermediary"] = "applicant"
    blankForm: str | None = None
    sample: str | None = None
    acceptanceStandard: str | None = None
    replacedBy: list[Replacement] = []
    reusableForDays: Annotated[int, Meta(
        ge=0, le=36500, description="我的材料: an upload used in an earlier case may be used "
                                    "again if it is at most this many days old (0: every "
                                    "case needs its own upload; absent: no limit)")] \
        | None = None
    fromData: Annotated[Literal["population", "legalPerson", "credit"], Meta(
        description="免提交 by data: the applicant's record in this registry stands in for "
                    "the material (the case keeps the record's hash and source), when the "
                    "applicant consents")] | None = None


class Stage(Document):
    name: ShortText
    days: Annotated[int, Meta(ge=1, le=10000)]
    departments: Annotated[list[Dept], Meta(min_length=1)]
    rule: Literal["all", "lead"] = "all"
    lead: Dept | None = None


class Process(Document):
    acceptanceDept: Dept
    acceptanceDays: Annotated[int, Meta(ge=0, le=10000)]
    stages: list[Stage]
    materialsToFollowDays: Annotated[int, Meta(
        ge=1, le=365, description="容缺: a reviewer may approve with materials to follow, "
                                  "due this many working days after conclusion")] | None = None


SpecialProcedureType = Annotated[
    Literal["hearing", "expert_review", "inspection", "testing", "quarantine", "appraisal",
            "other"],
    Meta(description="听证, 专家评审, 现场勘验, 检验检测, 检疫, 鉴定, 其他")]


class SpecialProcedure(Document):
    """A special procedure the item's law allows (its time is not counted)."""
    type: SpecialProcedureType
    name: ShortText
    limit: Limit


class Fees(Document):
    charged: bool
    basis: Text | None = None
    standard: Text | None = None


class Faq(Document):
    q: Text
    a: Text


class Result(Document):
    licenseType: LicenseType
    licenseName: ShortText
    numberPrefix: Annotated[str, Meta(max_length=10)] | None = None
    validYears: Annotated[int, Meta(ge=1, le=100)] | None = None


class DataUse(Document):
    """What the version's use of base data is for: what its applicants consent to."""
    purpose: Annotated[str, Meta(min_length=2, max_length=200,
                                 examples=["核验申请人户籍和年龄，办理高龄津贴"])]


class ApprovalRule(Document):
    id: Annotated[str, Meta(pattern=r"^[a-z][A-Za-z0-9]{0,39}$", examples=["age"])]
    name: Annotated[str, Meta(min_length=1, max_length=100, examples=["年满80周岁"])]
    expression: Annotated[str, Meta(min_length=1, max_length=500, description=(
        "CEL over population, legalPerson, credit, form and history "
        "(docs/data-sharing.md)"), examples=["population.age >= 80"])]


class InstantApproval(Document):
    """秒批: when every rule holds at application, the case is accepted and approved by
    the system, with no person; otherwise it goes to people as usual."""
    rules: Annotated[list[ApprovalRule], Meta(min_length=1, max_length=20)]
    sampleShare: Annotated[float, Meta(
        ge=0, le=1, description="抽查: the share of instant approvals a supervisor is "
                                "asked to check")] = 0.1


class Implementation(Document):
    """One region's implementation of a catalogue entry (办事指南 + process)."""
    baseCode: BaseCode
    areaCode: Annotated[str, Meta(pattern=r"^\d{12}$", examples=["440300000000"])]
    implementingDept: Dept
    sequence: Annotated[str, Meta(pattern=r"^\d{2}$", examples=["01"])]
    name: Name
    kind: Kind
    legalBasis: Text
    definingDept: ShortText
    audience: Annotated[list[Literal["natural", "legal"]], Meta(min_length=1)]
    channels: Annotated[list[Channel], Meta(min_length=1)]
    conditions: Text
    statutoryLimit: Limit
    promisedLimit: Limit
    fees: Fees
    onlineDepth: Annotated[int, Meta(ge=1, le=4, description="网上办理深度 1–4")]
    visits: Annotated[int, Meta(ge=0, le=2, description="到现场次数 0–2")]
    where: Line
    when: Line
    contacts: Line
    complaint: Line
    materials: list[Material]
    process: Process
    formSchema: Annotated[dict[str, Any], Meta(
        description="JSON Schema (2020-12, type object) of the application form; a "
                    "published version's has a Chinese `title` on itself and on every "
                    "property (422 form_title_missing), fields in the order listed")]
    code: ItemCode | None = None
    coDepts: list[Dept] = []
    themes: list[ShortText] = []
    immediate: bool = False
    faq: list[Faq] = []
    result: Result | None = None
    specialProcedures: list[SpecialProcedure] = []
    minAssurance: Annotated[int, Meta(
        ge=1, le=4, description="实名等级 an applicant must be signed in with (1–4)")] = 1
    completeAtSubmission: Annotated[bool, Meta(
        description="网上申报材料齐全: an application made online (web, mini-program, API) "
                    "must name every mandatory material that is submitted electronically "
                    "(form electronic or both), as an upload or a license in its place; at "
                    "the counter the clerk checks")] = False
    dataUse: DataUse | None = None
    instantApproval: InstantApproval | None = None
    allowParallelCases: Annotated[bool, Meta(
        description="an applicant may have several open cases of this item with the same "
                    "form (without it, applying again while an identical case is open is "
                    "409 duplicate_open_case)")] = False
    # What a read of the item adds, accepted back (a client may PUT what it GOT) and
    # ignored: the entry decides parentCode, the store the rest.
    parentCode: Annotated[str | None, READ_ONLY] = None
    version: Annotated[int | None, READ_ONLY] = None
    status: Annotated[str | None, READ_ONLY] = None
    lineage: Annotated[list[dict[str, Any]] | None, READ_ONLY] = None


# What a read adds that is no part of the stored document (the store keeps version).
BOOKKEEPING = ("status", "lineage")


# -- applications --------------------------------------------------------------------------

class Applicant(Document):
    type: Annotated[Literal["natural", "legal"], Meta(
        description="natural: 公民身份号码; legal: 统一社会信用代码")]
    name: Annotated[str, Meta(min_length=1, max_length=100, pattern=r"\S",
                              examples=["深圳小吃有限公司"])]
    idNumber: Annotated[str, Meta(min_length=1, max_length=18,
                                  examples=["91440300MA5FXK7Q3T"])]
    phone: Annotated[str, Meta(pattern=r"^1\d{10}$", examples=["13800138000"])] | None = None


# GB/T 36904: 1.2.156.3005.2.<type code>.<issuer USCC>.<serial>.<version>.<check>
# (domain/identifiers.py); only the library that issued it knows whether it exists.
LicenseId = Annotated[str, Meta(
    min_length=1, max_length=128, pattern=r"\S", description="an e-license identifier",
    examples=["1.2.156.3005.2.11100000MB0143028R001.11440300MB2C92138W."
              "4403002026112500000019.001.Z"])]
MaterialId = Annotated[str, Meta(pattern=r"^M[0-9a-f]{32}$",
                                 examples=["M3f9c2a7d41b84e0c9a5e1d7b2c6f8a04"])]
# What the bucket takes: what a government archive keeps (OFD: 版式文档, GB/T 33190).
ContentType = Literal["application/pdf", "application/ofd", "image/jpeg", "image/png"]
MAX_MATERIAL_BYTES = 20 * 1024 * 1024


# How a clerk took a material at the counter: the original seen and handed back (已核验原件),
# or a paper copy kept (已收取纸质复印件).
CounterCheck = Literal["original", "copy"]


class MaterialRef(Document):
    """One material of an application or supplement: an upload (materialId), or in its
    place a license the item version accepts (免提交): this region's by its identifier
    (licenseId), any region's as signed (license); at the counter, the clerk's word that
    it was checked there (checkedAtCounter)."""
    name: Annotated[str, Meta(min_length=1, max_length=200, pattern=r"\S",
                              examples=["营业执照"])]
    materialId: MaterialId | None = None
    licenseId: LicenseId | None = None
    license: Annotated[dict[str, Any], Meta(
        description="a signed license {license, signature} (another region's, 证照互认)")] \
        | None = None
    checkedAtCounter: Annotated[CounterCheck, Meta(
        description="a clerk at the counter only (an application with channel counter, "
                    "a supplement with X-Channel counter): the material was handed over "
                    "there, its original checked (original) or a paper copy kept (copy)")] \
        | None = None


class MaterialUpload(Document):
    """What an applicant declares before uploading a material (POST /materials)."""
    name: Annotated[str, Meta(min_length=1, max_length=200, pattern=r"\S",
                              examples=["营业执照.pdf"], extra=FREE_TEXT,
                              description="the file's name, as typed (free text)")]
    contentType: ContentType
    size: Annotated[int, Meta(ge=1, le=MAX_MATERIAL_BYTES, description="bytes")]
    sha256: Annotated[str, Meta(pattern=r"^[0-9a-f]{64}$",
                                description="the file's SHA-256, lowercase hex")]
    material: Annotated[str, Meta(min_length=1, max_length=200, pattern=r"\S",
                                  description="the catalogue material it is for",
                                  examples=["食品安全管理制度文本"])] | None = None
    holder: Annotated[str, Meta(
        min_length=15, max_length=18,
        description="whose material: a company the caller is an agent of (USCC), or at "
                    "the counter the applicant's ID number; default the caller")] \
        | None = None


class Application(Document):
    itemCode: Annotated[str, Meta(min_length=1, max_length=64, pattern=r"\S",
                                  examples=["00020101200044030000000011440300007542808J01"])]
    applicant: Applicant
    channel: Channel = "api"
    form: Annotated[dict[str, Any], Meta(
        description="checked against the item version's formSchema",
        examples=[{"businessName": "深圳小吃", "address": "深圳市福田区福华路1号",
                   "category": "餐饮服务"}])] = {}
    materials: list[MaterialRef] = []
    consentId: Annotated[str, Meta(pattern=r"^C[0-9a-f]{32}$", description=(
        "the consent (授权) the applicant gave to this item's use of base data "
        "(POST /me/consents): pre-filled values, materials by data and instant "
        "approval need it"))] | None = None
    prefill: Annotated[str, Meta(max_length=8192, description=(
        "the token GET /items/{code}/prefill answered with: the case records which "
        "values came from which source"))] | None = None


# -- checking ---------------------------------------------------------------------------

_AT = re.compile(r"^(?P<what>.*?)(?: - at `\$(?P<path>[^`]*)`)?$", re.S)
_NAMED = re.compile(r"(?:required|unknown) field `(?P<name>[^`]+)`")


def field_of(message: str) -> tuple[str | None, str]:
    """msgspec's "Object missing required field `name` - at `$.applicant`" as the dotted
    field it names ("applicant.name", None for the document itself) and what is wrong."""
    match = _AT.match(message)
    what, path = (match.group("what"), match.group("path") or "") if match else (message, "")
    parts = [p for p in re.split(r"[.\[\]]+", path) if p]
    named = _NAMED.search(what)
    if named:
        parts.append(named.group("name"))
    return (".".join(parts) or None), what


T = TypeVar("T")


def conform(value: object, model: type[T], prefix: str | None = None) -> T:
    """`value` as `model`, or a ValidationError naming the first field that does not fit
    (under `prefix`: "item" -> "item.materials.0.form")."""
    try:
        return msgspec.convert(value, model)
    except msgspec.ValidationError as exc:
        field, what = field_of(str(exc))
        named = ".".join(p for p in (prefix, field) if p) or "body"
        raise ValidationError(f"{named}: {what}", field=named) from None


def free_form(value: object, model: type) -> set[tuple[str | int, ...]]:
    """The paths in `value` (which conforms to `model`) whose contents the model admits
    as any JSON: each value of an open object (`dict[str, Any]`: an application's form, a
    license as signed) and each `Any`. The document states nothing inside them but that
    they are JSON — not even which characters their text may hold (domain/payload.py)."""
    found: set[tuple[str | int, ...]] = set()
    stack: list[tuple[Any, msgspec.inspect.Type | None, tuple[str | int, ...]]] = [
        (value, _type_info(model), ())]
    while stack:
        node, info, path = stack.pop()
        while isinstance(info, msgspec.inspect.Metadata):
            info = info.type
        if isinstance(info, msgspec.inspect.UnionType):
            info = _member_for(node, info)
            if info is None:
                continue
            stack.append((node, info, path))
        elif isinstance(info, msgspec.inspect.AnyType):
            found.add(path)
        elif isinstance(info, msgspec.inspect.StructType) and isinstance(node, dict):
            stack.extend((node[field.encode_name], field.type, path + (field.encode_name,))
                         for field in info.fields if field.encode_name in node)
        elif isinstance(info, msgspec.inspect.DictType) and isinstance(node, dict):
            stack.extend((child, info.value_type, path + (key,))
                         for key, child in node.items())
        elif isinstance(info, (msgspec.inspect.ListType, msgspec.inspect.VarTupleType,
                               msgspec.inspect.SetType)) and isinstance(node, list):
            stack.extend((child, info.item_type, path + (index,))
                         for index, child in enumerate(node))
    return found


@functools.cache
def _type_info(model: type) -> msgspec.inspect.Type:
    return msgspec.inspect.type_info(model)


_KINDS = ((dict, (msgspec.inspect.StructType, msgspec.inspect.DictType)),
          (list, (msgspec.inspect.ListType, msgspec.inspect.VarTupleType,
                  msgspec.inspect.SetType)))


def _member_for(node: object,
                union: msgspec.inspect.UnionType) -> msgspec.inspect.Type | None:
    """The member of a union type a conforming `node` was taken as: the one of its kind
    (an object, an array), else Any if the union has it; None for a scalar."""
    for kind, infos in _KINDS:
        if isinstance(node, kind):
            for member in union.types:
                bare = member
                while isinstance(bare, msgspec.inspect.Metadata):
                    bare = bare.type
                if isinstance(bare, infos):
                    return member
    return next((member for member in union.types
                 if isinstance(member, msgspec.inspect.AnyType)), None)
