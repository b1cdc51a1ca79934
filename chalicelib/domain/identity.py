"""Who is calling, and what each role may do."""
from dataclasses import dataclass

from .errors import Forbidden, Unauthorized

APPLICANT, CLERK, REVIEWER, ADMIN = "applicant", "clerk", "reviewer", "admin"
ROLES = (APPLICANT, CLERK, REVIEWER, ADMIN)
STAFF = (CLERK, REVIEWER, ADMIN)


@dataclass(frozen=True)
class Principal:
    sub: str
    role: str
    dept: str | None = None
    name: str | None = None
    id_number: str | None = None

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF


def require(principal: Principal | None) -> Principal:
    if principal is None:
        raise Unauthorized("a bearer token is required", field="Authorization")
    return principal


def require_role(principal: Principal | None, *roles: str) -> Principal:
    principal = require(principal)
    if principal.role not in roles:
        raise Forbidden(f"role {principal.role} may not do this; needs {' or '.join(roles)}")
    return principal


def require_department(principal: Principal, dept: str) -> None:
    if principal.role != ADMIN and principal.dept != dept:
        raise Forbidden(f"this belongs to department {dept}, not {principal.dept}",
                        field="dept")
