"""The package's layers point one way: api -> services -> adapters -> domain, and nothing
in the Lambda package imports the development-only code (infra/, bench/, tests/); the
layer table of docs/architecture.md states exactly these rules."""
import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "chalicelib"

# Which first-level parts of chalicelib (and which frameworks) each layer may import.
ALLOWED = {
    "domain": {"domain"},
    "adapters": {"domain", "adapters", "config"},
    "services": {"domain", "adapters", "services", "config", "logs", "tracing"},
    # The handlers take the stores the composition root built (wiring.stores()).
    "events": {"domain", "adapters", "services", "events", "config", "logs", "metrics",
               "wiring", "loading"},
    "api": {"domain", "adapters", "services", "api", "config", "logs", "contract",
            "wiring"},
    "wiring": {"domain", "adapters", "services", "wiring", "config", "logs", "metrics",
               "tracing"},
    "config": {"config"},
    "logs": {"domain", "logs", "config", "metrics"},
    "metrics": {"metrics", "config"},
    "tracing": {"tracing", "config", "domain"},
    "contract": {"domain", "contract"},
    "loading": {"loading"},
}
FRAMEWORKS = {"chalice", "boto3", "botocore", "pynamodb"}
FRAMEWORK_FREE = {"domain", "contract", "loading"}
DEVELOPMENT_ONLY = {"infra", "bench", "tests", "moto"}


def _imports(path: Path) -> set[str]:
    """Absolute dotted names a module imports (relative ones resolved)."""
    module = path.relative_to(ROOT).with_suffix("").parts
    package = module[:-1] if path.name != "__init__.py" else module[:-1]
    names = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[:len(package) - node.level + 1]
                target = ".".join(base + ((node.module,) if node.module else ()))
                if node.module:
                    names.add(target)
                else:
                    names.update(f"{target}.{alias.name}" for alias in node.names)
            else:
                names.add(node.module)
    return names


def _layer(name: str) -> str | None:
    parts = name.split(".")
    return parts[1] if parts[0] == "chalicelib" and len(parts) > 1 else None


def test_layers_import_only_downwards_and_the_domain_no_framework():
    breaches = []
    for path in sorted(PACKAGE.rglob("*.py")):
        layer = path.relative_to(PACKAGE).parts[0].removesuffix(".py")
        for name in _imports(path):
            top = name.split(".")[0]
            if top in DEVELOPMENT_ONLY:
                breaches.append(f"{path.relative_to(ROOT)} imports {name}")
            if layer in FRAMEWORK_FREE and top in FRAMEWORKS:
                breaches.append(f"{path.relative_to(ROOT)} imports the framework {name}")
            target = _layer(name)
            if layer in ALLOWED and target and target not in ALLOWED[layer]:
                breaches.append(f"{path.relative_to(ROOT)} ({layer}) imports {name}")
    assert breaches == []


def test_the_check_sees_a_relative_import_up_the_tree(tmp_path):
    """The resolver above must see `from ..services import x` inside chalicelib/domain."""
    module = PACKAGE / "domain" / "_probe_for_layering_test.py"
    module.write_text("from ..services import cases\nfrom . import errors\n", "utf-8")
    try:
        assert _imports(module) == {"chalicelib.services", "chalicelib.domain.errors"}
    finally:
        module.unlink()


def _parts() -> set[str]:
    """The first-level parts of chalicelib that hold code: its packages and modules."""
    return {path.relative_to(PACKAGE).parts[0].removesuffix(".py")
            for path in PACKAGE.rglob("*.py")} - {"__init__"}


def test_every_part_of_the_package_has_its_rules():
    assert _parts() == set(ALLOWED)


def _documented_layers() -> dict[str, tuple[set[str], bool]]:
    """docs/architecture.md's layer table: part -> (what it may import besides itself,
    whether it may import a framework)."""
    text = (ROOT / "docs" / "architecture.md").read_text("utf-8")
    section = text.split("\n## Layers\n", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `(\w+)(?:/|\.py)` \|[^|]+\| ([^|]+) \| (none|allowed) \|$",
                      section, re.M)
    assert rows, "no layer table under ## Layers"
    return {part: (set(re.findall(r"`(\w+)`", may_import)), frameworks == "allowed")
            for part, may_import, frameworks in rows}


def test_the_architecture_documents_exactly_these_rules():
    documented = _documented_layers()
    assert {part: may | {part} for part, (may, _) in documented.items()} == ALLOWED
    assert {part for part, (_, frameworks) in documented.items()
            if not frameworks} == FRAMEWORK_FREE
