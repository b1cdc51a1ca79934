"""chalicelib/services imports form no cycle, counting every import — also those inside
functions, which hide a cycle from Python at import time but not from the next engineer
(a module that cannot be imported on its own, a change that breaks a far-away import)."""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ROOT / "chalicelib" / "services"


def _name(path: Path, repository: Path) -> str:
    parts = path.relative_to(repository).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _graph(root: Path, repository: Path = ROOT) -> dict[str, set[str]]:
    """Module -> the modules of `root` it imports. Importing `a.b` imports the package
    `a` first, so an import of a package's module also depends on the package — but not
    from inside that package, whose `__init__` is already being imported then."""
    modules = {_name(path, repository): path for path in root.rglob("*.py")}
    graph = {}
    for module, path in modules.items():
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        imported = set()
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")
                    parts = parts[:len(parts) - node.level + 1]
                    base = ".".join(parts + ([node.module] if node.module else []))
                targets = [base, *(f"{base}.{alias.name}" for alias in node.names)]
            elif isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                continue
            for target in targets:
                while target in modules or "." in target:
                    if target in modules and not (module + ".").startswith(target + "."):
                        imported.add(target)
                    target = target.rpartition(".")[0]
        graph[module] = imported - {module}
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of `graph` as the path around it, or None."""
    done, path = set(), []

    def visit(module: str) -> list[str] | None:
        if module in path:
            return path[path.index(module):] + [module]
        if module in done:
            return None
        path.append(module)
        for target in sorted(graph.get(module, ())):
            found = visit(target)
            if found:
                return found
        path.pop()
        done.add(module)
        return None

    for module in sorted(graph):
        found = visit(module)
        if found:
            return found
    return None


def test_the_services_import_no_cycle():
    assert _cycle(_graph(SERVICES)) is None


def test_a_cycle_through_a_function_level_import_is_found(tmp_path):
    package = tmp_path / "chalicelib" / "services"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("", "utf-8")
    (package / "a.py").write_text("from . import b\n", "utf-8")
    (package / "b.py").write_text("from .sub import c\n", "utf-8")
    (package / "sub" / "__init__.py").write_text("from .c import x\n", "utf-8")
    (package / "sub" / "c.py").write_text("def x():\n    from .. import a\n", "utf-8")
    assert _cycle(_graph(package, tmp_path)) == [
        "chalicelib.services.a", "chalicelib.services.b", "chalicelib.services.sub",
        "chalicelib.services.sub.c", "chalicelib.services.a"]
    (package / "sub" / "c.py").write_text("def x():\n    pass\n", "utf-8")
    assert _cycle(_graph(package, tmp_path)) is None
