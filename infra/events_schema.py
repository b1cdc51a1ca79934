"""Write the lifecycle events' contract (chalicelib/contract/events.py) where integrators
read it: docs/events.schema.json, and the table of event types and their fields in
docs/events.md (between its `event-fields` markers).

    python -m infra.events_schema

tests/unit/test_event_schema.py fails while either differs from the code.
"""
import re
from pathlib import Path

from chalicelib.contract import events

DOCS = Path(__file__).resolve().parent.parent / "docs"
SCHEMA = DOCS / "events.schema.json"
PAGE = DOCS / "events.md"
TABLE = re.compile(r"(<!-- event-fields: [^\n]*? -->\n)(?:.*?\n)?(<!-- /event-fields -->)", re.S)


def page_with_table(page: str) -> str:
    """docs/events.md with its table of types and fields as the code has it."""
    if not TABLE.search(page):
        raise SystemExit(f"{PAGE} has no event-fields markers")
    table = "\n".join(events.fields_table()) + "\n"
    return TABLE.sub(lambda m: m.group(1) + table + m.group(2), page)


def main() -> None:
    SCHEMA.write_text(events.schema_text(), "utf-8")
    PAGE.write_text(page_with_table(PAGE.read_text("utf-8")), "utf-8")
    print(f"wrote {SCHEMA.relative_to(DOCS.parent)} and the table in "
          f"{PAGE.relative_to(DOCS.parent)}")


if __name__ == "__main__":
    main()
