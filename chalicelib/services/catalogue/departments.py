"""The region's department registry: code -> name, USCC, seal name, contacts, parent area.

Registered and changed by the admin (POST /admin/departments, PUT /admin/departments/
{code}) and by the demo loader through the same functions; each change is written with
its history record (who, when, why, what changed) in one transaction, conditional on the
record as read, so two admins registering one department get one 201 and one 409."""
from pynamodb.exceptions import TransactWriteError

from ...adapters.models import (
    DepartmentRecord,
    DepartmentUsccRecord,
    ItemsTableRecord,
    transact_write,
)
from ...domain.catalogue import diff
from ...domain.departments import check_department
from ...domain.errors import Conflict, NotFound
from .history import changes
from .store import (
    DEPARTMENTS,
    changes_catalogue,
    history_record,
    known_code,
    now,
    object_body,
    reason_of,
)


def _records() -> dict[str, DepartmentRecord]:
    return {r.sk: r for r in ItemsTableRecord.query(DEPARTMENTS)
            if isinstance(r, DepartmentRecord)}


def departments() -> dict:
    """The region's department registry: code -> {name, uscc} (one Query)."""
    return {code: {"name": r.name, "uscc": r.uscc} for code, r in _records().items()}


def department(code: str) -> dict | None:
    """One registered department as `registry` shows it (one GetItem); None if unknown."""
    try:
        return department_view(DepartmentRecord.get(DEPARTMENTS, code))
    except DepartmentRecord.DoesNotExist:
        return None


def department_view(record: DepartmentRecord) -> dict:
    return {"code": record.sk, "name": record.name, "uscc": record.uscc,
            "sealName": record.sealName, "contacts": list(record.contacts or []),
            "parentArea": record.parentArea, "updatedAt": record.updatedAt}


def registry() -> list[dict]:
    """Every department, by code."""
    return [department_view(r) for _, r in sorted(_records().items())]


def _uscc_taken(uscc: str, code: str) -> DepartmentUsccRecord:
    return DepartmentUsccRecord(f"{DEPARTMENTS}#USCC", uscc, dept=code)


def history_key(code: str) -> str:
    """Where a department's history records are kept (apart from the items')."""
    return f"{DEPARTMENTS}#{code}"


@changes_catalogue
def register_department(actor: str, body, code: str | None = None) -> dict:
    """Register a department (`code` None) or change one; recorded in its history."""
    body = object_body(body)
    reason = reason_of(body)
    known = _records()
    if code is not None:
        known_code(code, "department")
        if code not in known:
            raise NotFound(f"no department {code}", field="code")
    before = department_view(known[code]) if code is not None else None
    department = check_department(body["department"], code, before)
    if code is None and department["code"] in known:
        raise Conflict(f"department {department['code']} is registered",
                       code="department_exists", field="department.code")
    twin = next((other for other, r in known.items()
                 if r.uscc == department["uscc"] and other != department["code"]), None)
    if twin:
        raise Conflict(f"department {twin} is registered with this USCC",
                       code="department_exists", field="department.uscc")
    at = now()
    record = DepartmentRecord(DEPARTMENTS, department["code"], name=department["name"],
                              uscc=department["uscc"], sealName=department["sealName"],
                              contacts=department["contacts"] or None,
                              parentArea=department["parentArea"], updatedAt=at)
    # Created only if new; changed only if unchanged since read (a racing admin gets 409).
    if code is None:
        condition = DepartmentRecord.sk.does_not_exist()
    elif before["updatedAt"]:
        condition = DepartmentRecord.updatedAt == before["updatedAt"]
    else:
        condition = DepartmentRecord.updatedAt.does_not_exist()
    changes = diff(before, department, ignore=("updatedAt",)) if before else None
    try:
        with transact_write() as transaction:
            transaction.save(record, condition=condition)
            if code is None:  # a USCC is one department's (it cannot change after)
                transaction.save(_uscc_taken(department["uscc"], department["code"]),
                                 condition=DepartmentUsccRecord.sk.does_not_exist())
            transaction.save(history_record(
                history_key(department["code"]), "update" if code else "create", None,
                actor, reason, {"changes": changes} if changes else None, at=at))
    except TransactWriteError:
        taken = code is None and department["code"] not in _records()
        raise Conflict(f"department {department['code']} was registered or changed "
                       "meanwhile", code="department_exists" if code is None else
                       "department_changed",
                       field="department.uscc" if taken else "department.code") from None
    return department_view(record)


def department_history(code: str, limit: int = 50, cursor: str | None = None) -> dict:
    """Who registered and changed a department, when, why and what, oldest first."""
    known_code(code, "department")
    if code not in _records():
        raise NotFound(f"no department {code}", field="code")
    return changes(history_key(code), code, limit, cursor)
