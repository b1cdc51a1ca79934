"""The package's layers point one way: api -> services -> adapters -> domain, and nothing
in the Lambda package imports the development-only code (infra/, bench/, tests/)."""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "chalicelib"

# Which first-level parts of chalicelib (and which frameworks) each layer may import.
ALLOWED = {
    "domain": {"domain"},
    "adapters": {"domain", "adapters", "config"},
    "services": {"domain", "adapters", "services", "config", "logs", "tracing"},
    # api and events take the repositories the composition root built (wiring.stores()).
    "events": {"domain", "adapters", "services", "events", "config", "logs", "metrics",
               "wiring"},
    "api": {"domain", "adapters", "services", "api", "config", "logs", "contract", "wiring"},
    "metrics": {"config"},
    "tracing": {"config", "domain"},
    "contract": {"domain", "contract"},
}
FRAMEWORKS = {"chalice", "boto3", "botocore", "pynamodb"}
FRAMEWORK_FREE = {"domain", "contract"}
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
