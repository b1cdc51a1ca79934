"""The portal's directory (GET /directory): the themes, “one thing” bundles and departments
a person browses by, each with how many published items it leads to, and the items most
applied for.

Cheap by construction, and cached like every public catalogue read (public.py): the
published items are one Query of the `all` facet, the departments and bundles one Query
each, and popularity the statistics' own monthly counters (services/statistics.py) —
one Query per month of the window, never a Scan. A department counts the items its
`/items?dept=` list shows (implementing, co-operating or reviewing), so the number
a link shows is the length of the list it opens."""
from collections import Counter

from ... import config
from ...adapters import counters
from ...adapters.models import ItemIndexRecord
from .. import clock
from .bundles import bundles
from .departments import departments

POPULAR = 8
POPULAR_MONTHS = 12
DIMENSION = "item#"


def _months(count: int) -> list[str]:
    """This month and the `count - 1` before it (YYYY-MM, the region's calendar)."""
    today = clock.local_date(clock.now())
    year, month = today.year, today.month
    months = []
    for _ in range(count):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return months


def applications_by_item(months: int = POPULAR_MONTHS) -> Counter:
    """Applications received per item code over the last `months` months."""
    table = config.get().statistics_table
    received: Counter = Counter()
    for month in _months(months):
        for row in counters.month(table, month):
            if row["dimension"].startswith(DIMENSION):
                received[row["dimension"][len(DIMENSION):]] += row.get("received", 0)
    return received


def directory() -> dict:
    published = {r.code: r for r in ItemIndexRecord.by_facet.query("all")}
    themes = Counter(theme for r in published.values() for theme in r.themes or [])
    by_dept = Counter(dept for r in published.values() for dept in r.depts or [])
    registry = departments()
    received = applications_by_item()
    # Most applied for first; without applications, a stable order (by code).
    popular = sorted(published, key=lambda code: (-received[code], code))[:POPULAR]
    return {
        "themes": [{"name": name, "itemCount": count}
                   for name, count in sorted(themes.items(), key=lambda t: (-t[1], t[0]))],
        "bundles": [
            {"id": bundle["id"], "name": bundle["name"],
             "description": bundle["description"],
             "items": [{"code": code, "name": published[code].name}
                       for code in bundle["items"] if code in published]}
            for bundle in bundles() if any(code in published for code in bundle["items"])],
        "departments": [{"code": code, "name": registry[code]["name"], "itemCount": count}
                        for code, count in sorted(by_dept.items(),
                                                  key=lambda d: (-d[1], d[0]))
                        if code in registry],
        "popular": [published[code].summary for code in popular],
    }
