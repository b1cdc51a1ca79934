"""Catalogue search without Scan: every published item is written under a set of *facets*
(department, kind, audience, theme, channel, base code, and keyword tokens), and a query reads the
one facet that narrows most, filtering the rest on the index entries themselves.

Keyword tokens: the Chinese bigrams of the name and the bigrams of its pinyin initials,
so "食品", "食品经营" and "spjy" all find 食品经营许可. A query reads the token of its
first two characters (letters) and is filtered on the full name (initials); a one-character
query reads the `all` facet, filtered the same way.
"""
import re
from typing import Any

from .catalogue import BASE_CODE_RE

_CJK = re.compile(r"[\u4e00-\u9fff]")
IMPLEMENTATION_CODE_RE = re.compile(r"^[0-9A-Z]{1,12}\d{12}[0-9A-Z]{18}\d{2}$")
TOKEN = 2


def initials(name: str) -> str:
    """Pinyin initials of the Chinese characters of a name: 食品经营许可 -> spjyxk."""
    from pypinyin import Style, lazy_pinyin  # only publishing needs it
    chars = [c for c in name if _CJK.match(c)]
    return "".join(p[0] for p in lazy_pinyin("".join(chars), style=Style.FIRST_LETTER) if p)


def keyword_tokens(name: str, name_initials: str) -> set[str]:
    chinese = "".join(c for c in name if _CJK.match(c))
    tokens = {f"zh#{chinese[i:i + TOKEN]}" for i in range(len(chinese) - TOKEN + 1)}
    tokens |= {f"py#{name_initials[i:i + TOKEN]}"
               for i in range(len(name_initials) - TOKEN + 1)}
    return tokens


def departments_of(doc: dict[str, Any]) -> list[str]:
    depts = [doc["implementingDept"], *doc.get("coDepts", [])]
    for stage in doc["process"]["stages"]:
        depts.extend(stage["departments"])
    return list(dict.fromkeys(depts))


def facets(doc: dict[str, Any], name_initials: str) -> set[str]:
    values = {"all", f"kind#{doc['kind']}", f"base#{doc['baseCode']}"}
    values |= {f"dept#{d}" for d in departments_of(doc)}
    values |= {f"audience#{a}" for a in doc["audience"]}
    values |= {f"theme#{t}" for t in doc.get("themes", [])}
    values |= {f"channel#{c}" for c in doc.get("channels", [])}
    return values | keyword_tokens(doc["name"], name_initials)


def normalise_query(q: str) -> str:
    return re.sub(r"\s+", "", q or "").lower()


def keyword_facet(q: str) -> tuple[str, str | None, str | None]:
    """For a keyword: (facet to read, text the name must contain, text the initials must
    contain). Codes are looked up by base code."""
    q = normalise_query(q)
    if BASE_CODE_RE.match(q.upper()) and any(c.isdigit() for c in q):
        return f"base#{q.upper()}", None, None
    if IMPLEMENTATION_CODE_RE.match(q.upper()):
        return f"base#{q.upper()[:-32]}", None, None  # lists the base item's implementations
    chinese = "".join(c for c in q if _CJK.match(c))
    if chinese:
        return (f"zh#{chinese[:TOKEN]}" if len(chinese) >= TOKEN else "all"), q, None
    return (f"py#{q[:TOKEN]}" if len(q) >= TOKEN else "all"), None, q
