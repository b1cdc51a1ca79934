"""The region's department registry (code -> name, USCC)."""
from ...adapters.models import DepartmentRecord, ItemsTableRecord
from ...domain.errors import ValidationError
from .store import DEPARTMENTS, changes_catalogue


def departments() -> dict:
    """The region's department registry: code -> {name, uscc} (one Query)."""
    return {r.sk: {"name": r.name, "uscc": r.uscc}
            for r in ItemsTableRecord.query(DEPARTMENTS) if isinstance(r, DepartmentRecord)}


@changes_catalogue
def save_department(code: str, name: str, uscc_code: str) -> None:
    from stdnum.cn import uscc
    if not uscc.is_valid(uscc_code):
        raise ValidationError(f"department {code}: not a valid USCC", field="uscc")
    DepartmentRecord(DEPARTMENTS, code, name=name, uscc=uscc_code).save()
