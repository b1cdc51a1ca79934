"""Demo data for the local stack and the tests: the shipped catalogue and demo identities."""
import json
from pathlib import Path

from ..services import catalogue

DATA = Path(__file__).resolve().parent / "data"

# Demo identities (the ID numbers are valid by checksum, not real people).
USERS = {
    "applicant": {"sub": "person:zhang-san", "role": "applicant", "name": "张三",
                  "idNumber": "11010519491231002X"},
    "company": {"sub": "org:shenzhen-xiaochi", "role": "applicant", "name": "深圳小吃有限公司",
                "idNumber": "91440300MA5FXK7Q3T"},
    "clerk": {"sub": "staff:li-clerk", "role": "clerk", "dept": "ZWFW", "name": "李窗口"},
    "scjg": {"sub": "staff:wang-scjg", "role": "reviewer", "dept": "SCJG", "name": "王审查"},
    "wsjk": {"sub": "staff:zhao-wsjk", "role": "reviewer", "dept": "WSJK", "name": "赵卫健"},
    "xfjy": {"sub": "staff:qian-xfjy", "role": "reviewer", "dept": "XFJY", "name": "钱消防"},
    "admin": {"sub": "staff:admin", "role": "admin", "name": "管理员"},
}


def items() -> list[dict]:
    return json.loads((DATA / "items.json").read_text("utf-8"))


def load_catalogue() -> int:
    loaded = items()
    for item in loaded:
        catalogue.publish(item)
    return len(loaded)
