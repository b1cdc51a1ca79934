"""The service catalogue's rules (docs/architecture.md), as pure functions.

An *implementation* is one region's version of a catalogue item: its guide, materials,
form schema and process definition. `check_implementation` is the one validation every
write goes through (admin API and shipped data alike); `workflow_input` turns a version's
process definition into the approval state machine's input, deadlines computed up front in
working days, so a case runs on exactly the version it applied under.
"""
import math
import re
from datetime import date

from .errors import ValidationError
from .workdays import add_workdays, span_basis

KINDS = {"01": "行政许可", "02": "行政处罚", "03": "行政强制", "04": "行政征收",
         "05": "行政给付", "06": "行政检查", "07": "行政确认", "08": "行政奖励",
         "09": "行政裁决", "10": "其他行政权力", "20": "公共服务"}
AUDIENCES = ("natural", "legal")
CHANNELS = ("web", "miniprogram", "api", "counter")
LIMIT_UNITS = {"workdays": 1.0, "workhours": 1 / 8}  # in working days (8-hour days)
MATERIAL_FORMS = ("electronic", "paper", "both")
MATERIAL_SOURCES = ("applicant", "department", "third_party", "intermediary")
TRUST_LEVELS = ("A", "B", "C", "D")
STAGE_RULES = ("all", "lead")
STATUSES = ("draft", "published", "superseded", "suspended", "cancelled")

BASE_CODE_RE = re.compile(r"^[0-9A-Z]{1,12}$")
AREA_CODE_RE = re.compile(r"^\d{12}$")
SEQUENCE_RE = re.compile(r"^\d{2}$")
LICENSE_TYPE_RE = re.compile(r"^[0-9A-Z]{18}\d{3}$")
DEPT_RE = re.compile(r"^[A-Z][A-Z0-9_]{1,15}$")


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

def _fail(message: str, field: str):
    raise ValidationError(message, field=f"item.{field}")


def _text(doc: dict, field: str, required: bool = True, max_len: int = 4000,
          prefix: str = "") -> None:
    path = f"{prefix}.{field}" if prefix else field
    value = doc.get(field)
    if value is None and not required:
        return
    if not isinstance(value, str) or not value.strip():
        _fail(f"{path} is required text", path)
    if len(value) > max_len:
        _fail(f"{path} is longer than {max_len} characters", path)


def _limit_days(doc: dict, field: str, allow_zero: bool) -> float:
    limit = doc.get(field)
    if not isinstance(limit, dict):
        _fail(f"{field} must be {{value, unit}}", field)
    value, unit = limit.get("value"), limit.get("unit")
    if unit not in LIMIT_UNITS:
        _fail(f"{field}.unit must be one of {', '.join(LIMIT_UNITS)}", f"{field}.unit")
    if not isinstance(value, int) or isinstance(value, bool) or value < (0 if allow_zero else 1):
        _fail(f"{field}.value must be a whole number {'>= 0' if allow_zero else '>= 1'}",
              f"{field}.value")
    return value * LIMIT_UNITS[unit]


def _string_list(doc: dict, field: str, allowed=None, required: bool = True) -> list:
    values = doc.get(field, [] if not required else None)
    if not isinstance(values, list) or (required and not values) or \
            not all(isinstance(v, str) and v for v in values):
        _fail(f"{field} must be a {'non-empty ' if required else ''}list of strings", field)
    if allowed is not None:
        for index, value in enumerate(values):
            if value not in allowed:
                _fail(f"{field} must only contain {', '.join(allowed)}", f"{field}.{index}")
    if len(set(values)) != len(values):
        _fail(f"{field} lists a value twice", field)
    return values


def _check_materials(materials) -> None:
    if not isinstance(materials, list):
        _fail("materials must be a list", "materials")
    for index, material in enumerate(materials):
        path = f"materials.{index}"
        if not isinstance(material, dict):
            _fail(f"{path} must be an object", path)
        _text(material, "name", max_len=200, prefix=path)
        if not isinstance(material.get("mandatory"), bool):
            _fail(f"{path}.mandatory must be true or false", f"{path}.mandatory")
        if material.get("form") not in MATERIAL_FORMS:
            _fail(f"{path}.form must be one of {', '.join(MATERIAL_FORMS)}", f"{path}.form")
        copies = material.get("copies", 1)
        if not isinstance(copies, int) or isinstance(copies, bool) or not 0 <= copies <= 20:
            _fail(f"{path}.copies must be 0 to 20", f"{path}.copies")
        if material.get("source", "applicant") not in MATERIAL_SOURCES:
            _fail(f"{path}.source must be one of {', '.join(MATERIAL_SOURCES)}",
                  f"{path}.source")
        for ref in ("blankForm", "sample", "acceptanceStandard"):
            if ref in material and not isinstance(material[ref], str):
                _fail(f"{path}.{ref} must be text", f"{path}.{ref}")
        replaced = material.get("replacedBy", [])
        if not isinstance(replaced, list):
            _fail(f"{path}.replacedBy must be a list", f"{path}.replacedBy")
        for j, replacement in enumerate(replaced):
            rpath = f"{path}.replacedBy.{j}"
            if not isinstance(replacement, dict) or \
                    not LICENSE_TYPE_RE.match(str(replacement.get("licenseType", ""))):
                _fail(f"{rpath}.licenseType must be a license type code (USCC + 3 digits)",
                      f"{rpath}.licenseType")
            levels = replacement.get("trustLevels")
            if not isinstance(levels, list) or not levels or \
                    any(level not in TRUST_LEVELS for level in levels):
                _fail(f"{rpath}.trustLevels must list levels among A, B, C, D",
                      f"{rpath}.trustLevels")


def _check_process(process, departments: set, promised_days: float, immediate: bool) -> None:
    if not isinstance(process, dict):
        _fail("process must be an object", "process")
    if process.get("acceptanceDept") not in departments:
        _fail(f"process.acceptanceDept {process.get('acceptanceDept')!r} is not a known "
              "department", "process.acceptanceDept")
    acceptance_days = process.get("acceptanceDays")
    if not isinstance(acceptance_days, int) or isinstance(acceptance_days, bool) or \
            acceptance_days < 0:
        _fail("process.acceptanceDays must be a whole number >= 0", "process.acceptanceDays")
    stages = process.get("stages")
    if not isinstance(stages, list):
        _fail("process.stages must be a list", "process.stages")
    if not stages and not immediate:
        _fail("a promised (non-immediate) item needs at least one review stage",
              "process.stages")
    total = acceptance_days
    for index, stage in enumerate(stages):
        path = f"process.stages.{index}"
        if not isinstance(stage, dict):
            _fail(f"{path} must be an object", path)
        _text(stage, "name", max_len=100, prefix=path)
        depts = stage.get("departments")
        if not isinstance(depts, list) or not depts:
            _fail(f"{path} has no department (empty stage)", f"{path}.departments")
        for j, dept in enumerate(depts):
            if dept not in departments:
                _fail(f"{path}.departments.{j} {dept!r} is not a known department",
                      f"{path}.departments.{j}")
        if len(set(depts)) != len(depts):
            _fail(f"{path} lists a department twice", f"{path}.departments")
        days = stage.get("days")
        if not isinstance(days, int) or isinstance(days, bool) or days < 1:
            _fail(f"{path}.days must be a whole number of working days >= 1", f"{path}.days")
        rule = stage.get("rule", "all")
        if rule not in STAGE_RULES:
            _fail(f"{path}.rule must be 'all' (every department must approve) or 'lead' "
                  "(the lead department decides)", f"{path}.rule")
        if rule == "lead" and stage.get("lead") not in depts:
            _fail(f"{path}.lead must be one of the stage's departments", f"{path}.lead")
        total += days
    if total > math.ceil(promised_days):
        _fail(f"acceptance and stage limits add up to {total} working days, more than the "
              f"promised limit ({promised_days:g})", "process.stages")


ENTRY_STATUSES = ("active", "abolished")


def check_entry(doc, entries: dict) -> dict:
    """Validate a catalogue entry (事项目录: the item every region implements).

    `entries` maps base code -> entry, for the main-item reference of a sub-item.
    Raises ValidationError naming the field (as `entry.<field>`).
    """
    def fail(message, field):
        raise ValidationError(message, field=f"entry.{field}")

    if not isinstance(doc, dict):
        raise ValidationError("the entry must be a JSON object", field="entry")
    base = doc.get("baseCode")
    if not isinstance(base, str) or not BASE_CODE_RE.match(base):
        fail("baseCode must be 1–12 uppercase letters or digits", "baseCode")
    for field, max_len in (("name", 200), ("legalBasis", 4000), ("definingDept", 100)):
        value = doc.get(field)
        if not isinstance(value, str) or not value.strip() or len(value) > max_len:
            fail(f"{field} is required text of at most {max_len} characters", field)
    if doc.get("kind") not in KINDS:
        fail(f"kind must be one of {', '.join(KINDS)}", "kind")
    parent = doc.get("parentCode")
    if parent is not None:
        main = entries.get(parent)
        if parent == base or main is None or main.get("parentCode"):
            fail("parentCode must be the base code of an existing main item", "parentCode")
        if main["kind"] != doc["kind"]:
            fail("a sub-item has the kind of its main item", "kind")
    if doc.get("status", "active") not in ENTRY_STATUSES:
        fail("status must be active or abolished", "status")
    return {"baseCode": base, "name": doc["name"].strip(), "kind": doc["kind"],
            "legalBasis": doc["legalBasis"], "definingDept": doc["definingDept"],
            "parentCode": parent, "status": doc.get("status", "active")}


def check_implementation(doc, departments: dict, entries: dict) -> dict:
    """Validate an implementation document; return it normalised (derived code set).

    `departments` maps department code -> {"name", "uscc"} (the region's registry) and
    `entries` base code -> catalogue entry: an implementation implements an active entry
    and has its kind; its main/sub relation is the entry's.
    Raises ValidationError naming the first offending field (as `item.<path>`).
    """
    if not isinstance(doc, dict):
        raise ValidationError("the item must be a JSON object", field="item")
    base = doc.get("baseCode")
    if not isinstance(base, str) or not BASE_CODE_RE.match(base):
        _fail("baseCode must be 1–12 uppercase letters or digits", "baseCode")
    entry = entries.get(base)
    if entry is None or entry.get("status") != "active":
        _fail(f"baseCode {base} is not an active catalogue entry", "baseCode")
    if doc.get("kind") != entry["kind"]:
        _fail(f"kind must be the catalogue entry's kind ({entry['kind']})", "kind")
    if not AREA_CODE_RE.match(str(doc.get("areaCode", ""))):
        _fail("areaCode must be 12 digits", "areaCode")
    dept = doc.get("implementingDept")
    if dept not in departments:
        _fail(f"implementingDept {dept!r} is not a known department", "implementingDept")
    if not SEQUENCE_RE.match(str(doc.get("sequence", ""))):
        _fail("sequence must be 2 digits", "sequence")
    code = implementation_code(base, doc["areaCode"], departments[dept]["uscc"],
                               doc["sequence"])
    if doc.get("code") not in (None, code):
        _fail(f"code does not match its parts (expected {code})", "code")
    _text(doc, "name", max_len=200)
    _text(doc, "legalBasis")
    _text(doc, "definingDept", max_len=100)
    for index, co in enumerate(_string_list(doc, "coDepts", required=False)):
        if co not in departments or co == dept:
            _fail(f"coDepts.{index} {co!r} is not another known department",
                  f"coDepts.{index}")
    _string_list(doc, "audience", AUDIENCES)
    _string_list(doc, "themes", required=False)
    _string_list(doc, "channels", CHANNELS)
    _text(doc, "conditions")
    immediate = doc.get("immediate", False)
    if not isinstance(immediate, bool):
        _fail("immediate must be true or false", "immediate")
    statutory = _limit_days(doc, "statutoryLimit", allow_zero=immediate)
    promised = _limit_days(doc, "promisedLimit", allow_zero=immediate)
    if promised > statutory:
        _fail("the promised limit must not exceed the statutory limit", "promisedLimit")
    fees = doc.get("fees")
    if not isinstance(fees, dict) or not isinstance(fees.get("charged"), bool):
        _fail("fees must say whether a fee is charged", "fees.charged")
    if fees["charged"]:
        _text(fees, "basis", prefix="fees")
        _text(fees, "standard", prefix="fees")
    depth = doc.get("onlineDepth")
    if depth not in (1, 2, 3, 4):
        _fail("onlineDepth must be 1 to 4 (网上办理深度)", "onlineDepth")
    visits = doc.get("visits")
    if visits not in (0, 1, 2):
        _fail("visits must be 0, 1 or 2 (到现场次数)", "visits")
    for field in ("where", "when", "contacts", "complaint"):
        _text(doc, field, max_len=500)
    faq = doc.get("faq", [])
    if not isinstance(faq, list) or any(
            not isinstance(f, dict) or not f.get("q") or not f.get("a") for f in faq):
        _fail("faq must be a list of {q, a}", "faq")
    _check_materials(doc.get("materials"))
    _check_process(doc.get("process"), set(departments), promised, immediate)
    schema = doc.get("formSchema")
    if not isinstance(schema, dict) or schema.get("type") != "object":
        _fail("formSchema must be a JSON Schema of type object", "formSchema")
    import jsonschema
    try:
        jsonschema.Draft202012Validator.check_schema(schema)
    except jsonschema.SchemaError as exc:
        _fail(f"formSchema is not a valid JSON Schema: {exc.message}", "formSchema")
    result = doc.get("result")
    if result is not None:
        if not isinstance(result, dict) or \
                not LICENSE_TYPE_RE.match(str(result.get("licenseType", ""))):
            _fail("result.licenseType must be a license type code (USCC + 3 digits)",
                  "result.licenseType")
        _text(result, "licenseName", max_len=100, prefix="result")
    return {**doc, "code": code, "parentCode": entry.get("parentCode")}


def validate_form(schema: dict, form: dict) -> None:
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
        raise ValidationError(f"{field}: {err.message}", field=field)


# -- planning ------------------------------------------------------------------------

def workflow_input(case_no: str, item: dict, applied_on: date) -> dict:
    """The state machine input for one case: who reviews, in which order, by when.

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
        "itemVersion": str(item["version"]),
        "attempt": {"n": 1},  # acceptance rounds (a supplement starts another)
        "acceptance": {"dept": process["acceptanceDept"], "deadline": accept_by.isoformat()},
        "stages": stages,
        "issueLicense": bool((item.get("result") or {}).get("licenseType")),
    }


def promised_by(plan: dict) -> str:
    """The date a case is promised to conclude (the last stage's deadline)."""
    if plan["stages"]:
        return plan["stages"][-1]["departments"][0]["deadline"]
    return plan["acceptance"]["deadline"]


def dry_run(item: dict, start: date) -> dict:
    """What a case applied on `start` would go through: stages, departments, deadlines."""
    plan = workflow_input("SIMULATION", item, start)
    return {"startDate": start.isoformat(), "acceptance": plan["acceptance"],
            "stages": plan["stages"], "promisedBy": promised_by(plan),
            "calendar": plan["calendar"],
            "issuesLicense": plan["issueLicense"]}


# Fields the service sets; a diff of two versions leaves them out.
_BOOKKEEPING = ("version", "status", "createdAt", "createdBy", "publishedAt", "publishedBy")


def diff(old: dict | None, new: dict, path: str = "",
         ignore: tuple[str, ...] = _BOOKKEEPING) -> list[dict]:
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
