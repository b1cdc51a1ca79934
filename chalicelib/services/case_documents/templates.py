"""The documents' wording: Jinja templates kept as files (chalicelib/templates/documents/,
one per kind and the shared `remedies.txt`), a region's own first.

A region overrides any of them without code: `OW_DOCUMENT_TEMPLATES` names a directory
under the package root (like the holiday calendar's file) whose `<kind>.txt` replaces the
shipped one. Templates run sandboxed, and a name a template uses that the document does
not state is an error, never an empty gap in a legal text (`check` finds it before a
deployment does)."""
import functools
import re
from pathlib import Path

from ... import config
from ...domain import case_documents

DEFAULTS = Path(__file__).resolve().parents[2] / "templates" / "documents"


@functools.lru_cache(maxsize=4)
def environment(region_dir: str | None):
    import jinja2
    from jinja2.sandbox import SandboxedEnvironment
    loaders = [jinja2.FileSystemLoader(config.PACKAGE_ROOT / region_dir)] if region_dir \
        else []
    found = SandboxedEnvironment(
        loader=jinja2.ChoiceLoader([*loaders, jinja2.FileSystemLoader(DEFAULTS)]),
        undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=False)
    found.filters["date"] = case_documents.date_text
    return found


def paragraphs(kind: str, values: dict, region_dir: str | None = None) -> list[str]:
    """The document's text, paragraph by paragraph (a blank line parts them; a line break
    inside one, a list's, is kept)."""
    text = environment(region_dir if region_dir is not None
                       else config.get().document_templates).get_template(
        f"{kind}.txt").render(**values)
    return [part.strip() for part in re.split(r"\n[ \t]*\n", text) if part.strip()]


def check(region_dir: str | None) -> None:
    """Render every kind's template with a document of that kind stating everything: a
    missing file or a name no document states raises (jinja2's error names it)."""
    for kind in case_documents.KINDS.values():
        paragraphs(kind.name, case_documents.example_facts(kind), region_dir or "")
