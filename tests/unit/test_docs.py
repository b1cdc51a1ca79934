"""The documentation answers from inside the repository and says what the code does."""
import re
import subprocess
from pathlib import Path

from chalicelib.domain.lifecycle import LABELS, TRANSITIONS, Status

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"


def _tracked() -> list[Path]:
    names = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True,
                           check=True).stdout.split()
    return [ROOT / n for n in names if (ROOT / n).is_file()]


def test_nothing_in_the_repository_points_outside_it():
    outside = re.compile(r"\.\./shared|DESIGN\.md|STACK-NOTES")
    offenders = [str(p.relative_to(ROOT)) for p in _tracked()
                 if p.suffix in (".md", ".py", ".json", ".txt", ".toml", "")
                 and p.name != "test_docs.py"
                 and outside.search(p.read_text("utf-8", errors="ignore"))]
    assert offenders == []


def test_the_readme_links_every_document_and_every_link_resolves():
    readme = (ROOT / "README.md").read_text("utf-8")
    linked = set(re.findall(r"\]\((docs/[\w.-]+\.md)\)", readme))
    assert linked == {f"docs/{p.name}" for p in DOCS.glob("*.md")}
    for doc in [ROOT / "README.md", *DOCS.glob("*.md")]:
        for target in re.findall(r"\]\(([^)#:]+)\)", doc.read_text("utf-8")):
            assert (doc.parent / target).exists(), (doc.name, target)
    assert (ROOT / "LICENSE").read_text("utf-8").lstrip().startswith("Apache License")


def test_the_glossary_lists_every_status_with_its_label_and_transitions():
    rows = re.findall(r"^\| (\d+) \| (\S+) \| [^|]+ \| ([^|]+) \|$",
                      (DOCS / "glossary.md").read_text("utf-8"), re.M)
    documented = {int(code): (label, {int(t) for t in re.findall(r"\d+", targets)})
                  for code, label, targets in rows}
    assert documented == {int(s): (LABELS[s], {int(t) for t in TRANSITIONS.get(s, ())})
                          for s in Status}


def test_every_environment_variable_the_app_reads_is_documented():
    read = set()
    for path in (ROOT / "chalicelib").rglob("*.py"):
        read |= set(re.findall(r"""env(?:iron)?(?:\.get)?[\[(]["'](OW_\w+)""",
                               path.read_text("utf-8")))
    assert len(read) > 15
    documented = (DOCS / "configuration.md").read_text("utf-8")
    assert sorted(v for v in read if f"`{v}`" not in documented) == []


def test_who_may_do_what_is_the_routes_own_rule():
    """docs/access.md lists every operation once, with exactly the roles its route lets
    through (anyone / anyone signed in when it names none)."""
    import app  # noqa: F401 - registers every route
    from chalicelib.contract.openapi import OPERATIONS
    rows = re.findall(r"^\| `(\w+) ([^`]+)` \| ([^|]+) \|", (DOCS / "access.md").read_text(
        "utf-8"), re.M)
    documented = {f"{method} {path}": who.strip() for method, path, who in rows}
    assert len(documented) == len(rows)
    routes = {f"{o.method.upper()} {o.path}": ", ".join(o.roles) if o.roles else
              "anyone" if o.public else "anyone signed in" for o in OPERATIONS}
    assert documented == routes
