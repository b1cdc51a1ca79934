"""The printable service guide (办事指南) of an item, rendered with Jinja2."""
import base64
import functools
import hashlib
import re
from pathlib import Path

from ..domain.catalogue import KINDS

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
UNITS = {"workdays": "个工作日", "workhours": "个工作小时"}
FORMS = {"electronic": "电子", "paper": "纸质", "both": "纸质和电子"}
AUDIENCE = {"natural": "自然人", "legal": "法人"}
SOURCES = {"applicant": "申请人自备", "department": "政府部门核发", "third_party": "第三方出具",
           "intermediary": "中介机构出具"}
CHANNELS = {"web": "网上办事大厅", "miniprogram": "小程序", "api": "开放接口",
            "counter": "窗口"}


_STYLE = re.compile(r"<style>(.*?)</style>", re.S)


@functools.lru_cache(maxsize=1)
def page_headers() -> dict[str, str]:
    """What every HTML page (guide, printed license) is sent with: a Content-Security-
    Policy that loads nothing (the QR code is inline SVG, the fonts the reader's own)
    but the templates' own <style> blocks, named by hash — so markup that slipped past
    escaping could neither run, load, nor style anything — and no framing by anyone
    (frame-ancestors, and X-Frame-Options for browsers that predate it)."""
    hashes = []
    for template in sorted(TEMPLATES.glob("*.html")):
        for style in _STYLE.findall(template.read_text(encoding="utf-8")):
            # A hash names fixed text: a style block with template syntax would differ
            # from page to page.
            assert "{{" not in style and "{%" not in style, template.name
            digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
            hashes.append(f"'sha256-{digest}'")
    policy = (f"default-src 'none'; style-src {' '.join(hashes)}; img-src data:; "
              "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
    return {"Content-Security-Policy": policy, "X-Frame-Options": "DENY"}


@functools.lru_cache(maxsize=1)
def environment():
    """The Jinja2 environment of the printable pages (chalicelib/templates)."""
    import jinja2
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES),
                                     autoescape=jinja2.select_autoescape(["html"]))
    environment.filters["limit"] = lambda limit: f"{limit['value']}{UNITS[limit['unit']]}"
    return environment


def render(item: dict, departments: dict) -> str:
    return environment().get_template("guide.html").render(
        item=item, kinds=KINDS, forms=FORMS, audience=AUDIENCE, channels=CHANNELS,
        sources=SOURCES,
        dept=lambda code: departments.get(code, {}).get("name", code))
