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


# The documents that say where things are in the repository: every path they name exists.
WHERE_THINGS_ARE = ("docs/architecture.md", "CONTRIBUTING.md")
# What a repository path starts with (the tracked top-level folders) …
TOP_FOLDERS = ("chalicelib/", "tests/", "infra/", "docs/", "web/", "bench/",
               "statemachines/", ".ci/")
# … or, for a path named from inside the package (`services/settlement.py`), what it ends
# with: a file's extension, or `/` for a folder.
FILE_END = re.compile(r"\.(py|md|json|ts|vue|toml|ini|txt|ya?ml|html)$|/$")
# What make and npm write, which git ignores: a fresh checkout has none of it.
WRITTEN_BY_TOOLS = ("build/", ".venv/", "web/dist/", "web/node_modules/")


def named_paths(text: str) -> list[str]:
    """The repository paths named in backticks (code spans and fenced blocks) of `text`:
    a path from the root (`chalicelib/wiring.py`, `tests/unit/x.py::test_y`, `infra/local/`)
    or from inside the package (`adapters/tokens.py`); not a URL path (`/openapi.json`), a
    module's attribute (`api/http.route`), what the tools write (`build/pytest-cache/`) or
    a command's other words."""
    spans = re.findall(r"^```[^\n]*\n(.*?)^```", text, re.S | re.M)
    spans += re.findall(r"`([^`\n]+)`", re.sub(r"^```.*?^```", "", text, flags=re.S | re.M))
    paths = []
    for span in spans:
        for word in span.split():
            word = word.strip("(),;:'\"")
            path = word.split("::")[0]
            if "/" in path and not path.startswith(("/", *WRITTEN_BY_TOOLS)) \
                    and re.fullmatch(r"[\w./-]+", path) \
                    and (path.startswith(TOP_FOLDERS) or FILE_END.search(path)):
                paths.append(word)
    return paths


def _missing(word: str) -> bool:
    """Whether a named path (with a test's name after `::`) is not in the repository."""
    path, _, test = word.partition("::")
    found = next((ROOT / base / path for base in ("", "chalicelib")
                  if (ROOT / base / path).exists()), None)
    if found is None:
        return True
    return bool(test) and not re.search(rf"^def {re.escape(test)}\(",
                                        found.read_text("utf-8"), re.M)


def test_a_named_path_is_recognised_and_one_that_is_not_there_is_caught():
    text = ("The seam is `chalicelib/services/case_files.py`, its fake `tests/fakes/x.py`;\n"
            "`services/settlement.py`, `adapters/models/` and `api/http.route` (`/openapi.json`,"
            " `OW_CLOCK_FILE`, `build/mypy-cache/`).\n```\n"
            ".venv/bin/python -m pytest -q tests/unit/test_docs.py::test_nope\n```\n")
    assert sorted(named_paths(text)) == sorted([
        "chalicelib/services/case_files.py", "tests/fakes/x.py", "services/settlement.py",
        "adapters/models/", "tests/unit/test_docs.py::test_nope"])
    assert sorted(w for w in named_paths(text) if _missing(w)) == [
        "tests/fakes/x.py", "tests/unit/test_docs.py::test_nope"]


def test_every_path_the_architecture_and_contributing_name_exists():
    for doc in WHERE_THINGS_ARE:
        named = named_paths((ROOT / doc).read_text("utf-8"))
        assert len(named) > 20, doc   # the recogniser still finds what the document names
        assert [word for word in named if _missing(word)] == [], doc


def _anchors(doc: Path) -> set[str]:
    """The anchors of a Markdown file's headings, as GitHub makes them."""
    text = re.sub(r"^```.*?^```", "", doc.read_text("utf-8"), flags=re.S | re.M)
    return {re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
            for heading in re.findall(r"^#+ (.+)$", text, re.M)}


def test_every_link_to_a_section_finds_its_heading():
    """CONTRIBUTING.md sends a reader to docs/architecture.md's sections by anchor (adding
    an event consumer, the case file…): each anchor is a heading there."""
    linked = 0
    for doc in [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *DOCS.glob("*.md")]:
        for target, anchor in re.findall(r"\]\(([^)#:]*)#([^)]+)\)", doc.read_text("utf-8")):
            assert anchor in _anchors(doc.parent / target if target else doc), (doc.name,
                                                                                target, anchor)
            linked += 1
    assert linked >= 1
