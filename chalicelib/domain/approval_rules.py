"""Instant approval's rules (秒批, 无人干预审批): machine-checkable conditions an item version
declares, in CEL (the Common Expression Language), over a case's verified facts.

Why CEL rather than JsonLogic: a CEL rule reads as what it says (`population.age >= 80`),
so the trace a citizen and a supervisor read shows the rule itself, not a JSON tree; it is
a published standard (Kubernetes admission, Envoy, Firebase rules), not Turing-complete
(no loops, no recursion, no side effects: every evaluation ends, on data alone), and
cel-python evaluates it by walking a parsed tree: no Python `eval`, nothing of the host
reachable from a rule.

The facts a rule reads (FACTS): `population`, `legalPerson` and `credit` (the registry
records of the applicant, services/data_sources), `form` (the application's form), and
`history` (the applicant's earlier cases of the item). A rule that reads data that is not
there, or whose evaluation fails, does not hold — it is never an exception — and the trace
says why: a case lacking data goes to a person, never to a machine's yes.
"""
import functools
import re
import sys
from dataclasses import dataclass
from typing import Any

from .errors import UnprocessableEntity
from .masking import mask_id, mask_name, mask_text

FACTS = ("population", "legalPerson", "credit", "form", "history")
REGISTRIES = ("population", "legalPerson", "credit")
MAX_RULES = 20
MAX_EXPRESSION = 500
RULE_ID = re.compile(r"^[a-z][A-Za-z0-9]{0,39}$")
# Fact fields that name or identify a person: shown masked in a trace.
_NAMES = {"name", "legalRepresentative", "holderName"}
_IDS = {"idNumber", "uscc", "legalRepresentativeId"}
_ADDRESSES = {"registeredAddress", "address", "residence"}
# Codes and categories a trace shows as they are (they name no one).
_SHOWN = {"registeredArea", "status", "companyType", "category", "payout", "placeType",
          "level", "gender"}


@dataclass(frozen=True)
class Rule:
    id: str
    name: str          # what it checks, in words (年满80周岁)
    expression: str    # CEL


def _fail(message: str, field: str) -> UnprocessableEntity:
    return UnprocessableEntity(message, field=field, code="rule_not_valid")


def parse_rules(raw: object, field: str = "item.instantApproval.rules") -> list[Rule]:
    """An item version's rules, each compiled once to check it: ids unique, every
    expression valid CEL that reads only the known facts."""
    if not isinstance(raw, list) or not 1 <= len(raw) <= MAX_RULES:
        raise _fail(f"{field} must list 1 to {MAX_RULES} rules", field)
    rules, seen = [], set()
    for index, each in enumerate(raw):
        where = f"{field}.{index}"
        if not isinstance(each, dict):
            raise _fail(f"{where} must be an object", where)
        rule_id, name, expression = each.get("id"), each.get("name"), each.get("expression")
        if not isinstance(rule_id, str) or not RULE_ID.match(rule_id) or rule_id in seen:
            raise _fail(f"{where}.id must be a distinct identifier (a-z, then letters and "
                        "digits)", f"{where}.id")
        if not isinstance(name, str) or not name.strip() or len(name) > 100:
            raise _fail(f"{where}.name must say what the rule checks (1-100 characters)",
                        f"{where}.name")
        if not isinstance(expression, str) or not expression.strip() or \
                len(expression) > MAX_EXPRESSION:
            raise _fail(f"{where}.expression must be a CEL expression of at most "
                        f"{MAX_EXPRESSION} characters", f"{where}.expression")
        try:
            roots = {path.split(".")[0] for path in _compiled(expression)[1]}
        except ValueError as error:
            raise _fail(f"{where}.expression is not valid CEL: {error}",
                        f"{where}.expression") from None
        unknown = roots - set(FACTS)
        if unknown:
            raise _fail(f"{where}.expression reads {', '.join(sorted(unknown))}: a rule "
                        f"reads only {', '.join(FACTS)}", f"{where}.expression")
        seen.add(rule_id)
        rules.append(Rule(rule_id, name.strip(), expression.strip()))
    return rules


def paths_read(rule: Rule) -> tuple[str, ...]:
    """The fact paths a rule reads (population.age…): what its trace shows."""
    return _compiled(rule.expression)[1]


# Facts a check computes from a registry's record (services/instant_approval.derived):
# what is asked of the registry for them.
DERIVED = {"population": {"age": "birthDate"}}


def fields_read(rules: list[Rule], registry: str) -> list[str]:
    """The record fields of `registry` the rules read (a derived fact: its source field):
    all a check asks of the registry."""
    found = []
    for rule in rules:
        for path in paths_read(rule):
            parts = path.split(".")
            if parts[0] == registry and len(parts) > 1:
                found.append(DERIVED.get(registry, {}).get(parts[1], parts[1]))
    return sorted(set(found))


def registries_read(rules: list[Rule]) -> list[str]:
    """The registries the rules read, in REGISTRIES order (what to query, and consent to)."""
    read = {path.split(".")[0] for rule in rules for path in _compiled(rule.expression)[1]}
    return [name for name in REGISTRIES if name in read]


@functools.lru_cache(maxsize=256)
def _compiled(expression: str) -> tuple[Any, tuple[str, ...]]:
    """The expression's program, and the fact paths it reads (population.age…)."""
    import celpy  # only the functions that check rules load the parser
    # cel-python raises the process's recursion limit to 2,500 when an environment is
    # made; the API relies on the usual limit to refuse absurdly nested JSON (api/http.py),
    # and a rule of at most MAX_EXPRESSION characters needs no more: keep the limit.
    limit = sys.getrecursionlimit()
    try:
        environment = celpy.Environment()
    finally:
        sys.setrecursionlimit(limit)
    try:
        tree = environment.compile(expression)
    except celpy.celparser.CELParseError as error:
        raise ValueError(str(error).splitlines()[0]) from None
    bound = set(_MACRO_VARIABLE.findall(expression))
    return environment.program(tree), tuple(sorted(
        path for path in _paths(tree) if path.split(".")[0] not in bound))


# A variable a macro binds (`credit.flags.all(f, f != "失信")`): not a fact.
_MACRO_VARIABLE = re.compile(r"\.(?:all|exists|exists_one|map|filter)\(\s*([A-Za-z_]\w*)\s*,")


def _paths(tree: Any) -> set[str]:
    """The longest dotted chains from an identifier (`population.household.area`), and
    identifiers read alone."""
    found: set[str] = set()

    def chain(node: Any) -> str | None:
        if getattr(node, "data", None) == "member" and len(node.children) == 1:
            return chain(node.children[0])
        if getattr(node, "data", None) == "primary" and len(node.children) == 1 and \
                getattr(node.children[0], "data", None) == "ident":
            return str(node.children[0].children[0])
        if getattr(node, "data", None) == "member_dot":
            base = chain(node.children[0])
            return f"{base}.{node.children[1]}" if base else None
        return None

    for node in tree.iter_subtrees():
        if node.data in ("member_dot", "primary"):
            path = chain(node)
            if path:
                found.add(path)
    return {path for path in found
            if not any(other.startswith(path + ".") for other in found)}


@dataclass(frozen=True)
class Verdict:
    held: bool           # every rule held
    trace: list[dict[str, Any]]    # each rule: id, name, expression, inputs (masked), held, why


def evaluate(rules: list[Rule], facts: dict[str, Any]) -> Verdict:
    """Every rule over `facts`; a rule holds only when it evaluates to true."""
    import celpy
    activation = {name: celpy.adapter.json_to_cel(value) for name, value in facts.items()
                  if name in FACTS and value is not None}
    trace = []
    for rule in rules:
        program, paths = _compiled(rule.expression)
        inputs = {path: _masked(path, _value_at(facts, path)) for path in paths}
        missing = [path for path in paths if _value_at(facts, path) is None]
        try:
            result = program.evaluate(activation)
            held = isinstance(result, celpy.celtypes.BoolType) and bool(result)
            why = None if held else ("数据缺失：" + "、".join(missing) if missing else
                                     "条件不满足" if isinstance(result, celpy.celtypes.BoolType)
                                     else "规则未得出是或否")
        except Exception as error:  # noqa: BLE001 - a failing rule does not hold
            held = False
            why = "数据缺失：" + "、".join(missing) if missing else \
                f"规则无法计算（{type(error).__name__}）"
        trace.append({"id": rule.id, "name": rule.name, "expression": rule.expression,
                      "inputs": inputs, "held": held, **({"why": why} if why else {})})
    return Verdict(all(step["held"] for step in trace) and bool(trace), trace)


def _value_at(facts: dict[str, Any], path: str) -> Any:
    value: Any = facts
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def _masked(path: str, value: Any) -> Any:
    """A fact as a trace shows it: numbers, flags and codes as they are; a name, an
    identifier or an address masked; free text with ID and phone numbers hidden."""
    leaf = path.rsplit(".", 1)[-1]
    if isinstance(value, str):
        if leaf in _NAMES:
            return mask_name(value)
        if leaf in _IDS:
            return mask_id(value)
        if leaf in _ADDRESSES:
            return value[:6] + "…" if len(value) > 6 else value
        if leaf in _SHOWN:
            return mask_text(value)
        # Any other text (a date of birth, a free-text field): its beginning only — the
        # trace goes to the event bus and the append-only supervision record.
        return mask_text(value)[:2] + "…" if len(value) > 2 else value
    if isinstance(value, (dict, list)):
        return "…"   # a whole record is not shown in a trace, only what a rule reads of it
    return value
