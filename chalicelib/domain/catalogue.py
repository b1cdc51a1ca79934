"""The service catalogue's rules (docs/architecture.md), as pure functions.

An *implementation* is one region's version of a catalogue item: its guide, materials,
form schema and process definition. `check_implementation` is the one validation every
write goes through (admin API and shipped data alike); `workflow_input` turns a version's
process definition into the approval state machine's input, deadlines computed up front in
working days, so a case runs on exactly the version it applied under.
"""
import math
import re
import typing
from datetime import date
from typing import Any, NoReturn

from .approval_rules import parse_rules
from .data_use import check_sources
from .documents import BOOKKEEPING, Channel, Entry, Implementation, Limit, Process, conform
from .errors import UnprocessableEntity, ValidationError
from .workdays import add_workdays, span_basis

KINDS = {"01": "行政许可", "02": "行政处罚", "03": "行政强制", "04": "行政征收",
         "05": "行政给付", "06": "行政检查", "07": "行政确认", "08": "行政奖励",
         "09": "行政裁决", "10": "其他行政权力", "20": "公共服务"}
AUDIENCES = ("natural", "legal")
CHANNELS = typing.get_args(Channel)   # web, miniprogram, api, counter
LIMIT_UNITS = {"workdays": 1.0, "workhours": 1 / 8}  # in working days (8-hour days)

BASE_CODE_RE = re.compile(r"^[0-9A-Z]{1,12}$")


def implementation_code(base_code: str, area_code: str, dept_uscc: str, sequence: str) -> str:
    """Base code + 12-digit area code + implementing department's USCC + 2-digit sequence."""
    return f"{base_code}{area_code}{dept_uscc}{sequence}"


def split_implementation_code(code: str) -> tuple[str, str, str, str]:
    """The parts of an implementation code (the base code has 1–12 characters)."""
    if not isinstance(code, str) or not 33 <= len(code) <= 44:
        raise ValidationError("implementation code must be base code + 12-digit area + "
                              "18-char USCC + 2-digit sequence", field="code")
    base, rest = code[:-32], code[-32:]
    return base, rest[:12], rest[12:30], rest[30:]


# -- validation ------------------------------------------------------------------------
# The documents' shapes are domain/documents.py (checked first, by `conform`); what
# follows are the rules a shape cannot state.

def _fail(message: str, field: str) -> NoReturn:
    """An implementation's rule beyond its shape (departments that exist, limits that add
    up, a form schema that is one): what the OpenAPI document cannot state, so 422."""
    raise UnprocessableEntity(message, field=f"item.{field}", code="item_not_valid")


def _limit_days(limit: Limit, field: str, allow_zero: bool) -> float:
    if limit.value < (0 if allow_zero else 1):
        _fail(f"{field}.value must be a whole number {'>= 0' if allow_zero else '>= 1'}",
              f"{field}.value")
    return float(limit.value * LIMIT_UNITS[limit.unit])


def _no_repeats(values: list[str], field: str) -> None:
    if len(set(values)) != len(values):
        _fail(f"{field} lists a value twice", field)


def _check_process(process: Process, departments: set[str], promised_days: float,
                   immediate: bool) -> None:
    if process.acceptanceDept not in departments:
        _fail(f"process.acceptanceDept {process.acceptanceDept!r} is not a known "
              "department", "process.acceptanceDept")
    if not process.stages and not immediate:
        _fail("a promised (non-immediate) item needs at least one review stage",
              "process.stages")
    total = process.acceptanceDays
    for index, stage in enumerate(process.stages):
        path = f"process.stages.{index}"
        for j, dept in enumerate(stage.departments):
            if dept not in departments:
                _fail(f"{path}.departments.{j} {dept!r} is not a known department",
                      f"{path}.departments.{j}")
        if len(set(stage.departments)) != len(stage.departments):
            _fail(f"{path} lists a department twice", f"{path}.departments")
        if stage.rule == "lead" and stage.lead not in stage.departments:
            _fail(f"{path}.lead must be one of the stage's departments", f"{path}.lead")
        total += stage.days
    if total > math.ceil(promised_days):
        _fail(f"acceptance and stage limits add up to {total} working days, more than the "
              f"promised limit ({promised_days:g})", "process.stages")


def check_entry(doc: object, entries: dict[str, Any]) -> dict[str, Any]:
    """Validate a catalogue entry (事项目录: the item every region implements).

    `entries` maps base code -> entry, for the main-item reference of a sub-item.
    Raises ValidationError naming the field (as `entry.<field>`).
    """
    entry = conform(doc, Entry, "entry")
    if entry.parentCode is not None:
        main = entries.get(entry.parentCode)
        if entry.parentCode == entry.baseCode or main is None or main.get("parentCode"):
            raise UnprocessableEntity("parentCode must be the base code of an existing "
                                      "main item", field="entry.parentCode",
                                      code="item_not_valid")
        if main["kind"] != entry.kind:
            raise UnprocessableEntity("a sub-item has the kind of its main item",
                                      field="entry.kind", code="item_not_valid")
    return {"baseCode": entry.baseCode, "name": entry.name.strip(), "kind": entry.kind,
            "legalBasis": entry.legalBasis, "definingDept": entry.definingDept,
            "parentCode": entry.parentCode, "status": entry.status}


def check_implementation(doc: dict[str, Any], departments: dict[str, Any],
                         entries: dict[str, Any]) -> dict[str, Any]:
    """Validate an implementation document; return it normalised (derived code set).

    `departments` maps department code -> {"name", "uscc"} (the region's registry) and
    `entries` base code -> catalogue entry: an implementation implements an active entry
    and has its kind; its main/sub relation is the entry's.
    Raises ValidationError naming the first offending field (as `item.<path>`).
    """
    item = conform(doc, Implementation, "item")
    entry = entries.get(item.baseCode)
    if entry is None or entry.get("status") != "active":
        _fail(f"baseCode {item.baseCode} is not an active catalogue entry", "baseCode")
    if item.kind != entry["kind"]:
        _fail(f"kind must be the catalogue entry's kind ({entry['kind']})", "kind")
    code = _check_departments(item, departments)
    for field in ("coDepts", "audience", "themes", "channels"):
        _no_repeats(getattr(item, field), field)
    promised = _check_limits(item)
    _check_process(item.process, set(departments), promised, item.immediate)
    _check_form_schema(item.formSchema)
    if item.instantApproval is not None:
        parse_rules([{"id": r.id, "name": r.name, "expression": r.expression}
                     for r in item.instantApproval.rules])
    check_sources(doc)
    kept = {k: v for k, v in doc.items() if k not in BOOKKEEPING}
    return {**kept, "code": code, "parentCode": entry.get("parentCode")}


def _check_departments(item: Implementation, departments: dict[str, Any]) -> str:
    """The implementation's code, made of its implementing department's USCC: that and
    its co-departments known to the region's registry."""
    if item.implementingDept not in departments:
        _fail(f"implementingDept {item.implementingDept!r} is not a known department",
              "implementingDept")
    code = implementation_code(item.baseCode, item.areaCode,
                               departments[item.implementingDept]["uscc"], item.sequence)
    if item.code not in (None, code):
        _fail(f"code does not match its parts (expected {code})", "code")
    for index, co in enumerate(item.coDepts):
        if co not in departments or co == item.implementingDept:
            _fail(f"coDepts.{index} {co!r} is not another known department",
                  f"coDepts.{index}")
    return code


def _check_limits(item: Implementation) -> float:
    """The promised limit in working days, within the statutory one; a charged fee's
    basis and standard given."""
    statutory = _limit_days(item.statutoryLimit, "statutoryLimit", allow_zero=item.immediate)
    promised = _limit_days(item.promisedLimit, "promisedLimit", allow_zero=item.immediate)
    if promised > statutory:
        _fail("the promised limit must not exceed the statutory limit", "promisedLimit")
    if item.fees.charged:
        for field in ("basis", "standard"):
            if getattr(item.fees, field) is None:
                _fail(f"fees.{field} is required when a fee is charged", f"fees.{field}")
    return promised


def _check_form_schema(schema: dict[str, Any]) -> None:
    if schema.get("type") != "object":
        _fail("formSchema must be a JSON Schema of type object", "formSchema")
    import jsonschema
    try:
        jsonschema.Draft202012Validator.check_schema(schema)
    except jsonschema.SchemaError as exc:
        _fail(f"formSchema is not a valid JSON Schema: {exc.message}", "formSchema")


# A Chinese title: at least one CJK unified ideograph (the portal labels inputs with it).
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Keywords whose value is one subschema, or a list of them, that a form renders as inputs.
_SUBSCHEMA = ("items", "additionalProperties")
_SUBSCHEMAS = ("prefixItems",)


def check_form_titles(schema: dict[str, Any], path: str = "formSchema") -> None:
    """A version that is published carries a Chinese `title` on its form schema and on
    every property, nested objects and array items included: the portal renders the form
    from the schema alone, and an input without a title has no label. Drafts may lack
    them (authoring is incremental); publishing checks. Raises 422 `form_title_missing`
    naming the first untitled place (`item.formSchema.properties.address.title`)."""
    title = schema.get("title")
    if not isinstance(title, str) or not _HAN.search(title):
        raise UnprocessableEntity(
            f"{path} needs a Chinese title (what the form shows as its label) before it "
            "is published", field=f"item.{path}.title", code="form_title_missing")
    for name, sub in (schema.get("properties") or {}).items():
        if isinstance(sub, dict):
            check_form_titles(sub, f"{path}.properties.{name}")
    for keyword in _SUBSCHEMA:
        if isinstance(schema.get(keyword), dict):
            check_form_titles(schema[keyword], f"{path}.{keyword}")
    for keyword in _SUBSCHEMAS:
        for index, sub in enumerate(schema.get(keyword) or []):
            if isinstance(sub, dict):
                check_form_titles(sub, f"{path}.{keyword}.{index}")


def check_publishable(doc: dict[str, Any]) -> None:
    """What a published version needs beyond what any version needs (check_implementation):
    a titled form schema."""
    check_form_titles(doc["formSchema"])


def validate_form(schema: dict[str, Any], form: dict[str, Any]) -> None:
    """Validate an application form against the item version's JSON Schema."""
    import jsonschema  # only applications need it; keeps it off every cold start
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(form), key=lambda e: list(e.absolute_path))
    if errors:
        err = errors[0]
        path = list(err.absolute_path)
        if err.validator == "required":
            # the missing property is named in the message, not in the path
            missing = err.message.split("'")[1] if "'" in err.message else ""
            path.append(missing)
        field = ".".join(["form", *[str(p) for p in path]])
        # The item version's rule, not the API's: the OpenAPI document cannot state it.
        raise UnprocessableEntity(f"{field}: {err.message}", field=field,
                                  code="form_not_valid")


# -- planning ------------------------------------------------------------------------

def workflow_input(case_no: str, item: dict[str, Any], applied_on: date) -> dict[str, Any]:
    """The state machine input for one case: who reviews, in which order, by when.

    `reviews` is every department review of every stage, in one list: the workflow waits
    on all of them at once (one Map, no state per stage), and a review of a later stage
    stays `upcoming` — out of the inbox — until the stages before it are decided
    (services/stages.py). `stages` is the same plan grouped, for people to read.
    `veto` marks the departments whose denial ends review: every department under the
    rule "all", only the lead under "lead" (the others' opinions are advisory).
    """
    process = item["process"]
    acceptance_days = process.get("acceptanceDays", 1)
    accept_by = add_workdays(applied_on, acceptance_days)
    stages, elapsed, last = [], acceptance_days, accept_by
    for index, stage in enumerate(process["stages"], start=1):
        elapsed += stage["days"]
        last = add_workdays(applied_on, elapsed)
        rule = stage.get("rule", "all")
        stages.append({
            "stage": index,
            "name": stage["name"],
            "departments": [{"dept": dept, "deadline": last.isoformat(),
                             "veto": rule == "all" or dept == stage.get("lead")}
                            for dept in stage["departments"]],
        })
    return {
        "caseNo": case_no,
        # official: every deadline follows an announced holiday schedule; provisional:
        # one crosses a year whose schedule is computed (see domain/workdays.py).
        "calendar": span_basis(applied_on, last),
        "itemCode": item["code"],
        "itemVersion": int(item["version"]),
        "acceptance": {"dept": process["acceptanceDept"], "deadline": accept_by.isoformat()},
        "stages": stages,
        "reviews": [{"stage": stage["stage"], **department}
                    for stage in stages for department in stage["departments"]],
        "issueLicense": bool((item.get("result") or {}).get("licenseType")),
    }


def review_plan(item: dict[str, Any]) -> dict[int, list[str]]:
    """The departments of each review stage of an item version, by stage number."""
    return {index: list(stage["departments"])
            for index, stage in enumerate(item["process"]["stages"], start=1)}


def promised_by(plan: dict[str, Any]) -> str:
    """The date a case is promised to conclude (the last stage's deadline)."""
    last = plan["stages"][-1]["departments"][0] if plan["stages"] else plan["acceptance"]
    deadline: str = last["deadline"]
    return deadline


def dry_run(item: dict[str, Any], start: date) -> dict[str, Any]:
    """What a case applied on `start` would go through: stages, departments, deadlines."""
    plan = workflow_input("SIMULATION", item, start)
    return {"startDate": start.isoformat(), "acceptance": plan["acceptance"],
            "stages": plan["stages"], "promisedBy": promised_by(plan),
            "calendar": plan["calendar"],
            "issuesLicense": plan["issueLicense"]}


# Fields the service sets; a diff of two versions leaves them out.
_BOOKKEEPING = ("version", "status", "createdAt", "createdBy", "publishedAt", "publishedBy")


def diff(old: dict[str, Any] | None, new: dict[str, Any], path: str = "",
         ignore: tuple[str, ...] = _BOOKKEEPING) -> list[dict[str, Any]]:
    """Field-by-field changes from `old` to `new` (objects recursed, lists compared whole),
    leaving out the top-level fields in `ignore` (by default the version bookkeeping)."""
    old = old or {}
    changes = []
    for key in sorted(set(old) | set(new)):
        if not path and key in ignore:
            continue
        where = f"{path}.{key}" if path else key
        before, after = old.get(key), new.get(key)
        if isinstance(before, dict) and isinstance(after, dict):
            changes.extend(diff(before, after, where, ignore))
        elif before != after:
            changes.append({"field": where, "from": before, "to": after})
    return changes
