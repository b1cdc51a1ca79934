"""The printable service guide (办事指南) of an item, rendered with Jinja2."""
import functools
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


@functools.lru_cache(maxsize=1)
def environment():
    """The Jinja2 environment of the printable pages (chalicelib/templates)."""
    import jinja2
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES),
                                     autoescape=jinja2.select_autoescape(["html"]))
    environment.filters["limit"] = lambda l: f"{l['value']}{UNITS[l['unit']]}"
    return environment


def render(item: dict, departments: dict) -> str:
    return environment().get_template("guide.html").render(
        item=item, kinds=KINDS, forms=FORMS, audience=AUDIENCE, channels=CHANNELS,
        sources=SOURCES,
        dept=lambda code: departments.get(code, {}).get("name", code))
