"""What a change of the vocabulary costs: the files touched to add a review decision and an
event consumer, as walked through and recorded below, and a check against the code as it
is now that each walk would still touch those files and no others.

    python -m bench.run changes     # or `make bench BENCH_ARGS=changes`; JSON on stdout

The counts are recorded, not measured: a walk-through is an edit someone makes and tries
(the tests, the type check, the packaging). What can be measured is where the vocabulary
is named today, which is where the next walk must edit:
- a decision: the files that name the decision literal `not_accept` (the one decision's
  name that prose never uses as a plain word), outside the decision table, the tests and
  the generated files — each of them lists decisions, as the walk found;
- an event consumer: for each consumer of lifecycle events (a `LifecycleRule` target),
  the files of the package and infra/ that name it (its handler, function, queue or
  dead-letter queue), and in the stack template the lists that name its queues (each an
  edit of the walk).
When a check fails, the recorded walk no longer says what a new one costs: walk it again
and update the figures here and in CONTRIBUTING.md, which prints the same ones
(tests/unit/test_bench_change_cost.py holds the two together and runs the checks).
"""
import json
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Walked through on a scratch copy (not committed) for issue 27: `approve_with_conditions`
# (附条件准予), a review decision that needs an opinion and leaves the case in review as an
# approval does. CONTRIBUTING.md, "Adding a review decision", says what each edit was.
DECISION_TABLE = "chalicelib/domain/decisions.py"
DECISION_BY_HAND = (
    DECISION_TABLE,
    "chalicelib/services/tasks/deciding.py",
    "docs/api.md",
    "web/src/staff/pages/tasks/TaskFile.vue",
    "web/src/staff/messages/zh-CN/tasks.ts",
    "tests/unit/test_decisions.py",
    "tests/unit/test_task_rules.py",
)
DECISION_REGENERATED = ("docs/events.md", "docs/events.schema.json", "web/src/api/schema.d.ts")

# Walked through on a scratch copy (not committed) for issue 27: `archive_event`, a
# consumer of every lifecycle event on a queue of its own (`ArchiveQueue`) that reads the
# event's case. CONTRIBUTING.md, "Adding an event consumer", says what each edit was.
CONSUMER_EDITS = {
    "chalicelib/events/registry.py": 1,
    "chalicelib/events/handlers.py": 1,
    "infra/template.json": 3,
    "docs/events.md": 1,
}

# A decision's name no prose uses as a plain word: where it is named, decisions are listed.
DECISION_WORD = "not_accept"
# Written by a command from the code, never edited (python -m infra.events_schema, python
# -m infra.typescript_schema).
GENERATED = ("docs/events.schema.json", "web/src/api/schema.d.ts")
# This module names the word to look for.
HERE = "bench/change_cost.py"
# docs/events.md is partly written: its table of event fields.
WRITTEN_TABLE = re.compile(r"<!-- event-fields: .*?<!-- /event-fields -->", re.S)
TEXT_SUFFIXES = (".py", ".ts", ".vue", ".js", ".md", ".json", ".html", ".toml", ".ini",
                 ".txt", ".yml", ".yaml")
TEMPLATE = "infra/template.json"


def tracked(root: Path = ROOT) -> list[str]:
    """The repository's tracked text files, as paths from its root."""
    names = subprocess.run(["git", "ls-files"], cwd=root, capture_output=True, text=True,
                           check=True).stdout.split()
    return sorted(n for n in names if n.endswith(TEXT_SUFFIXES) and (root / n).is_file())


def _hand_written(root: Path, name: str) -> str:
    text = (root / name).read_text("utf-8", errors="ignore")
    return WRITTEN_TABLE.sub("", text) if name == "docs/events.md" else text


def decision_places(root: Path = ROOT) -> list[str]:
    """The files outside the table, the tests, the generated ones and this module that
    name a decision."""
    word = re.compile(rf"\b{DECISION_WORD}\b")
    return [name for name in tracked(root)
            if name not in (DECISION_TABLE, HERE, *GENERATED) and not name.startswith("tests/")
            and word.search(_hand_written(root, name))]


def _refers(node: object, names: set[str]) -> bool:
    """Whether `node` is one of `names`, or a reference to it (Ref, Fn::GetAtt)."""
    if isinstance(node, str):
        return node in names
    if isinstance(node, dict) and len(node) == 1:
        (function, argument), = node.items()
        if function == "Ref":
            return argument in names
        if function == "Fn::GetAtt":
            return argument[0] in names
    return False


def _lists_naming(node: object, names: set[str]) -> int:
    """How many JSON lists under `node` hold an element for one of `names`: a reference to
    it, or an object with one among its values (a rule's target)."""
    if isinstance(node, dict):
        # An intrinsic's arguments (Fn::GetAtt's [resource, attribute]) are its reference.
        return sum(_lists_naming(value, names) for key, value in node.items()
                   if not key.startswith("Fn::"))
    if isinstance(node, list):
        here = any(_refers(item, names) or isinstance(item, dict) and any(
            _refers(value, names) for value in item.values()) for item in node)
        return int(here) + sum(_lists_naming(item, names) for item in node)
    return 0


def lifecycle_consumers(root: Path = ROOT) -> dict[str, set[str]]:
    """Each consumer of lifecycle events (handler -> the names it goes by: handler,
    function, queue, dead-letter queue), from the registry and the template's rule."""
    from chalicelib.events import registry
    template = json.loads((root / TEMPLATE).read_text("utf-8"))
    targets = template["Resources"]["LifecycleRule"]["Properties"]["Targets"]
    queues = {target["Arn"]["Fn::GetAtt"][0] for target in targets}
    return {function.handler: {function.handler, function.name, function.source.resource,
                               function.source.dead_letters}
            for function in registry.CONSUMERS
            if isinstance(function.source, registry.Queue)
            and function.source.resource in queues}


def consumer_places(names: set[str], root: Path = ROOT) -> dict[str, int]:
    """The files of the package and infra/ naming a consumer, with the edits each took: one,
    or in the stack template one per list naming it."""
    places = {}
    for name in tracked(root):
        if not name.startswith(("chalicelib/", "infra/")):
            continue
        text = (root / name).read_text("utf-8", errors="ignore")
        if not set(re.findall(r"\w+", text)) & names:
            continue
        places[name] = _lists_naming(json.loads(text), names) if name == TEMPLATE else 1
    return places


def run(root: Path = ROOT) -> dict:
    naming = decision_places(root)
    expected = sorted(name for name in DECISION_BY_HAND
                      if name != DECISION_TABLE and not name.startswith("tests/"))
    recorded_code = {name: edits for name, edits in CONSUMER_EDITS.items()
                     if name.startswith(("chalicelib/", "infra/"))}
    consumers = {handler: consumer_places(names, root)
                 for handler, names in lifecycle_consumers(root).items()}
    decision = {
        "walk_through": "approve_with_conditions (CONTRIBUTING.md, Adding a review decision)",
        "files": len(DECISION_BY_HAND) + len(DECISION_REGENERATED),
        "by_hand": len(DECISION_BY_HAND), "regenerated": len(DECISION_REGENERATED),
        "files_by_hand": list(DECISION_BY_HAND),
        "check": {"naming_decisions_now": naming, "recorded": expected,
                  "pass": naming == expected}}
    consumer = {
        "walk_through": "archive_event (CONTRIBUTING.md, Adding an event consumer)",
        "files": len(CONSUMER_EDITS), "edits": sum(CONSUMER_EDITS.values()),
        "edits_by_file": CONSUMER_EDITS,
        "check": {"naming_each_lifecycle_consumer_now": consumers, "recorded": recorded_code,
                  "pass": bool(consumers) and all(places == recorded_code
                                                  for places in consumers.values())}}
    return {"add_review_decision": decision, "add_event_consumer": consumer,
            "pass": decision["check"]["pass"] and consumer["check"]["pass"]}
