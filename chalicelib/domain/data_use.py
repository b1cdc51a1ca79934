"""Using the government's base data (数据共享): which registries an item version reads, for
which form fields and materials, and the statement every query must carry.

Registries (REGISTRIES): the population registry (人口库: a natural person's household
registration), the legal-person registry (法人库 / 企业登记) and the credit registry
(信用: 失信 flags), each keyed by the data subject's ID number or USCC.

An item version maps a form field to data with `x-source` on the field's schema
(`"x-source": "legalPerson.registeredAddress"`), and says with `x-source-editable` whether
the applicant may change the value it is given; a material may be stood in for by a
registry record (`fromData: "population"`, 免提交 by data). `lastCase.<field>` fills a field
from the applicant's last case of the item, and `license.<type code>.<field>` from the
newest valid license of that type the applicant holds (`license.11100000MB0143028R002.number`).

A query states who asks (a person, a department or the system), why (用数事由), on what
basis (the data subject's consent, or a law), and for which case: `Purpose`. One that
does not is refused before anything is asked of a registry.
"""
from dataclasses import dataclass
from typing import Any

from .errors import UnprocessableEntity

REGISTRIES = {"population": "人口库", "legalPerson": "法人库", "credit": "信用信息库"}
LAST_CASE = "lastCase"
LICENSE = "license"
SOURCES = {**REGISTRIES, LAST_CASE: "上次申请", LICENSE: "电子证照"}
REQUESTERS = ("person", "department", "system")
MAX_PURPOSE = 200


@dataclass(frozen=True)
class Purpose:
    """Who asks, why, on what basis (`consent:<id>` or `law:<citation>`), for which case."""
    requester_kind: str
    requester: str
    purpose: str
    basis: str
    case_no: str | None = None
    item: tuple[str, int] | None = None   # the item version a consent must be given for

    @property
    def consent_id(self) -> str | None:
        return self.basis.removeprefix("consent:") if self.basis.startswith("consent:") \
            else None


def stated(requester_kind: str | None, requester: str | None, purpose: str | None,
           basis: str | None, case_no: str | None = None,
           item: tuple[str, int] | None = None) -> Purpose:
    """A query's statement, or 422 naming what is missing: nothing is asked without it."""
    if requester_kind not in REQUESTERS or not requester:
        raise UnprocessableEntity("a query names who asks (a person, a department or the "
                                  "system)", field="requester", code="requester_required")
    if not isinstance(purpose, str) or not purpose.strip() or len(purpose) > MAX_PURPOSE:
        raise UnprocessableEntity("a query states its purpose (用数事由)", field="purpose",
                                  code="purpose_required")
    if not isinstance(basis, str) or not (
            (basis.startswith("consent:") and len(basis) > len("consent:")) or
            (basis.startswith("law:") and len(basis.strip()) > len("law:"))):
        raise UnprocessableEntity("a query names its basis: the data subject's consent "
                                  "or a law", field="basis", code="basis_required")
    if basis.startswith("consent:") and item is None:
        raise UnprocessableEntity("a query on a consent names the item version it was "
                                  "given for", field="basis", code="basis_required")
    return Purpose(requester_kind, requester, purpose.strip(), basis, case_no, item)


@dataclass(frozen=True)
class FieldSource:
    field: str
    source: str        # population | legalPerson | credit | lastCase
    path: str          # the record's field (registeredAddress)
    editable: bool


def field_sources(form_schema: dict[str, Any]) -> list[FieldSource]:
    """The form's fields an item version fills from data, in the form's order."""
    found = []
    for name, schema in (form_schema.get("properties") or {}).items():
        where = schema.get("x-source") if isinstance(schema, dict) else None
        if isinstance(where, str):
            source, _, path = where.partition(".")
            found.append(FieldSource(name, source, path, bool(schema.get("x-source-editable"))))
    return found


def data_materials(item: dict[str, Any]) -> dict[str, str]:
    """The materials a registry record stands in for: material name -> registry."""
    return {material["name"]: material["fromData"] for material in item.get("materials", ())
            if material.get("fromData") in REGISTRIES}


def registries_of(item: dict[str, Any]) -> list[str]:
    """Every registry the version reads (prefill, materials, instant approval's rules): what
    its applicant is asked to consent to, in REGISTRIES order."""
    from .approval_rules import parse_rules, registries_read
    used = {source.source for source in field_sources(item.get("formSchema", {}))}
    used |= set(data_materials(item).values())
    rules = (item.get("instantApproval") or {}).get("rules")
    if rules:
        used |= set(registries_read(parse_rules(rules)))
    return [name for name in REGISTRIES if name in used]


def check_sources(item: dict[str, Any]) -> None:
    """An item version's mapping names known sources (422 naming the field otherwise)."""
    for source in field_sources(item.get("formSchema", {})):
        if source.source not in SOURCES or not source.path or (
                source.source == LICENSE and len(source.path.split(".")) != 2):
            raise UnprocessableEntity(
                f"x-source must be one of {', '.join(SOURCES)} and a field "
                f"(population.registeredAddress; license.<type code>.<field>)",
                field=f"item.formSchema.properties.{source.field}.x-source",
                code="item_not_valid")
    for index, material in enumerate(item.get("materials", ())):
        if "fromData" in material and material["fromData"] not in REGISTRIES:
            raise UnprocessableEntity(f"fromData must be one of {', '.join(REGISTRIES)}",
                                      field=f"item.materials.{index}.fromData",
                                      code="item_not_valid")
    _rules_read_registries_not_their_copies(item)
    if (item.get("dataUse") or {}).get("purpose") is None and registries_of(item):
        raise UnprocessableEntity("a version that reads registries states the purpose its "
                                  "applicants consent to", field="item.dataUse.purpose",
                                  code="item_not_valid")


def _rules_read_registries_not_their_copies(item: dict[str, Any]) -> None:
    """A rule reads a registry's fact from the registry, never from the form field filled
    from it: the form is what the applicant sent, and without its prefill token (or with a
    field it may change) it is self-declared — an instant approval must not rest on it."""
    from .approval_rules import parse_rules, paths_read
    rules = (item.get("instantApproval") or {}).get("rules")
    if not rules:
        return
    from_data = {f"form.{s.field}": f"{s.source}.{s.path}"
                 for s in field_sources(item.get("formSchema", {}))
                 if s.source in REGISTRIES or s.source == LICENSE}
    for index, rule in enumerate(parse_rules(rules)):
        for path in paths_read(rule):
            field = ".".join(path.split(".")[:2])
            if field in from_data:
                raise UnprocessableEntity(
                    f"{path} is filled from {from_data[field]}: a rule reads the source "
                    "itself", field=f"item.instantApproval.rules.{index}.expression",
                    code="rule_not_valid")


def subject_of(source: str, applicant: dict[str, Any]) -> str | None:
    """Whose record a registry is asked for: the population registry knows natural
    persons, the legal-person registry companies, the credit registry both."""
    id_number: str = applicant["idNumber"]
    if source == "population":
        return id_number if applicant["type"] == "natural" else None
    if source == "legalPerson":
        return id_number if applicant["type"] == "legal" else None
    return id_number
