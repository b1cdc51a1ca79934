"""Demo data for the local stack and the tests: the shipped catalogue and demo identities.

The catalogue files under data/ are loaded through the same service functions (and so the
same validation and lifecycle) as the admin API.
"""
import json
from pathlib import Path

from chalicelib.domain.catalogue import implementation_code
from chalicelib.services import catalogue

DATA = Path(__file__).resolve().parent / "data"
AREA = "440300000000"

# Demo identities (the ID numbers are valid by checksum, not real people).
USERS = {
    "applicant": {"sub": "person:zhang-san", "role": "applicant", "name": "张三",
                  "idNumber": "11010519491231002X"},
    "company": {"sub": "org:shenzhen-xiaochi", "role": "applicant", "name": "深圳小吃有限公司",
                "idNumber": "91440300MA5FXK7Q3T", "assurance": 3},
    # A second natural person, and the company's authorised agent (代办).
    "lisi": {"sub": "person:li-si", "role": "applicant", "name": "李四",
             "idNumber": "440305199003070014"},
    "agent": {"sub": "person:chen-dai", "role": "applicant", "name": "陈代办",
              "idNumber": "440305198807150023",
              "actsFor": [{"uscc": "91440300MA5FXK7Q3T", "name": "深圳小吃有限公司"}],
              "assurance": 3},
    "clerk": {"sub": "staff:li-clerk", "role": "clerk", "dept": "ZWFW", "name": "李窗口"},
    "scjg": {"sub": "staff:wang-scjg", "role": "reviewer", "dept": "SCJG", "name": "王审查"},
    "scjg2": {"sub": "staff:wu-scjg", "role": "reviewer", "dept": "SCJG", "name": "吴审查"},
    "scjg_lead": {"sub": "staff:zheng-scjg", "role": "reviewer", "dept": "SCJG",
                  "name": "郑科长", "lead": True},
    "wsjk": {"sub": "staff:zhao-wsjk", "role": "reviewer", "dept": "WSJK", "name": "赵卫健"},
    "xfjy": {"sub": "staff:qian-xfjy", "role": "reviewer", "dept": "XFJY", "name": "钱消防"},
    "cgj": {"sub": "staff:sun-cgj", "role": "reviewer", "dept": "CGJ", "name": "孙城管"},
    "rsj": {"sub": "staff:zhou-rsj", "role": "clerk", "dept": "RSJ", "name": "周人社"},
    # An 80-year-old of the city (高龄津贴: approved by its rules, 秒批), and the civil
    # affairs bureau's reviewer of the cases the rules refer to people.
    "elder": {"sub": "person:wang-guiying", "role": "applicant", "name": "王桂英",
              "idNumber": "440300194203150022", "assurance": 3},
    "mzj": {"sub": "staff:lin-mzj", "role": "reviewer", "dept": "MZJ", "name": "林民政"},
    "supervisor": {"sub": "staff:feng-jc", "role": "supervisor", "name": "冯监察"},
    "admin": {"sub": "staff:admin", "role": "admin", "name": "管理员"},
    "evaluator": {"sub": "ext:pingjia", "role": "evaluator", "name": "第三方评估"},
}


def departments() -> list[dict]:
    return json.loads((DATA / "departments.json").read_text("utf-8"))


def catalogue_entries() -> list[dict]:
    return json.loads((DATA / "catalogue.json").read_text("utf-8"))


def items() -> list[dict]:
    return json.loads((DATA / "items.json").read_text("utf-8"))


def bundles() -> list[dict]:
    """The shipped "one thing" bundles (一件事), their items by implementation code."""
    return json.loads((DATA / "bundles.json").read_text("utf-8"))


def code_of(base_code: str, dept: str, sequence: str = "01") -> str:
    """The implementation code of a shipped item (base code + area + dept USCC + seq)."""
    uscc = next(d["uscc"] for d in departments() if d["code"] == dept)
    return implementation_code(base_code, AREA, uscc, sequence)


def load_departments() -> int:
    """Register the shipped departments as the admin API does (POST /admin/departments:
    the same contract model, the same service); those registered before are left."""
    from chalicelib.contract import models
    from chalicelib.domain import documents
    from chalicelib.domain.errors import Conflict
    registered = 0
    for dept in departments():
        body = {"department": dept, "reason": "shipped demo departments"}
        documents.conform(body, models.DepartmentRegistration)
        try:
            catalogue.register_department("system:demo-loader", body)
        except Conflict:
            continue
        registered += 1
    return registered


def load_catalogue() -> int:
    load_departments()
    catalogue.import_entries(catalogue_entries(), actor="system:demo-loader",
                             reason="shipped demo catalogue")
    imported = catalogue.import_published(items(), actor="system:demo-loader",
                                          reason="shipped demo catalogue")
    catalogue.import_bundles(bundles(), actor="system:demo-loader",
                             reason="shipped demo catalogue")
    return len(imported)
