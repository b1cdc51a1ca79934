"""Who is calling, and what each role may do."""
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import payload
from .errors import Forbidden, Unauthorized, UnprocessableEntity

APPLICANT, CLERK, REVIEWER, SUPERVISOR, ADMIN, EVALUATOR = (
    "applicant", "clerk", "reviewer", "supervisor", "admin", "evaluator")
ROLES = (APPLICANT, CLERK, REVIEWER, SUPERVISOR, ADMIN, EVALUATOR)
STAFF = (CLERK, REVIEWER, SUPERVISOR, ADMIN)
# A department's own staff: they (and only they) decide its tasks, change the licenses it
# issued, call back and rectify its ratings, acknowledge and appeal its cards. Supervisors
# and the catalogue admin read every case but act on none of a department's work.
DEPARTMENT_STAFF = (CLERK, REVIEWER)
# Staff who read every case of the area; clerks and reviewers read only the cases their
# department holds or held a task on. An evaluator (third party) reads statistics only.
READS_EVERY_CASE = (SUPERVISOR, ADMIN)


@dataclass(frozen=True)
class Principal:
    sub: str
    role: str
    dept: str | None = None
    name: str | None = None
    id_number: str | None = None
    lead: bool = False  # leads their department: may hand its tasks to someone else
    # 实名等级: how strongly the identity provider verified who this is (1–4).
    assurance: int = 1
    # The legal persons (USCCs) this natural person is an authorised agent of (代办 /
    # 法人授权), as the identity provider's delegation records say.
    acts_for: tuple[str, ...] = ()
    # (USCC, name) of the companies whose delegation record names them: the verified name a
    # company's case and license carry when its agent applies.
    company_names: tuple[tuple[str, str], ...] = ()

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF

    def leads(self, dept: str) -> bool:
        """Leads `dept`: a member of its staff the identity provider marks as its lead."""
        return self.lead and self.dept == dept and self.role in DEPARTMENT_STAFF


def staff_name(principal: Principal | None) -> str | None:
    """The name a member of staff's action is recorded under (王审查), so colleagues read
    who did it; None for anyone else — a citizen's name is never written beside their
    steps (their case already names them where it may)."""
    if principal is None or not principal.is_staff or not isinstance(principal.name, str):
        return None
    return principal.name.strip() or None


def owns(principal: Principal | None, owner_sub: str | None,
         is_owner_id: Callable[[str], bool]) -> bool:
    """Whether the principal is the applicant a case (or its license) belongs to: the
    identity that applied, or an applicant signed in with the ID number the application
    names — which is how an application a clerk entered at the counter (no applicant
    identity on it) reaches its applicant — or an authorised agent of the company it
    names. `is_owner_id` tells whether an ID number is the owner's (the case keeps only a
    keyed hash of it for this)."""
    if principal is None:
        return False
    if owner_sub and principal.sub == owner_sub:
        return True
    if principal.role != APPLICANT:
        return False
    return any(is_owner_id(id_number) for id_number in
               (principal.id_number, *principal.acts_for) if id_number)


def holder_name(principal: Principal, applicant: dict[str, Any]) -> str:
    """The name a case (and the license it earns) carries for `applicant`: never the name
    an applicant typed, but the verified one — the token's name for an applicant applying
    in its own name (a person, or a company signed in as itself), the delegation's for a
    company its agent applies for. At the counter the clerk, who has seen the applicant's
    papers, enters the name (its characters are checked with every other text).

    An applicant whose identity names no usable name cannot apply: 403
    unverified_holder_name (the identity provider must send it)."""
    if principal.role != APPLICANT:
        typed: str = applicant["name"]
        return typed
    if applicant["idNumber"] == principal.id_number:
        verified, whose = principal.name, "the token names no name (claim name)"
    else:
        verified = dict(principal.company_names).get(applicant["idNumber"])
        whose = (f"the delegation for {applicant['idNumber']} names no company name (claim "
                 "acts_for: {uscc, name})")
    if not isinstance(verified, str) or not verified.strip() or \
            payload.hidden_character(verified, payload.NAME_ALLOWS) is not None:
        raise Forbidden(f"{whose}: a case is made out only in a verified name",
                        field="applicant.name", code="unverified_holder_name")
    return verified.strip()


def reads_case(principal: Principal | None, task_departments: set[str]) -> bool:
    """Whether a member of staff may read a case (in full) whose tasks went to
    `task_departments`: a supervisor or admin always, a clerk or reviewer only when their
    department holds or held a task on it."""
    if principal is None:
        return False
    if principal.role in READS_EVERY_CASE:
        return True
    return principal.role in (CLERK, REVIEWER) and principal.dept in task_departments


def require(principal: Principal | None) -> Principal:
    if principal is None:
        raise Unauthorized("a bearer token is required", field="Authorization")
    return principal


def require_role(principal: Principal | None, *roles: str) -> Principal:
    principal = require(principal)
    if principal.role not in roles:
        raise Forbidden(f"role {principal.role} may not do this; needs {' or '.join(roles)}")
    return principal


def require_own_department(principal: Principal, dept: str) -> None:
    """The caller is one of `dept`'s own staff (acting on its work: no one else, not even
    an admin)."""
    if principal.role not in DEPARTMENT_STAFF or principal.dept != dept:
        raise Forbidden(f"this is department {dept}'s to do; only its own staff act on it",
                        field="dept")


def require_department(principal: Principal, dept: str) -> None:
    if principal.role != ADMIN and principal.dept != dept:
        raise Forbidden(f"this belongs to department {dept}, not {principal.dept}",
                        field="dept")


def department_read(principal: Principal, dept: str | None) -> str:
    """The department whose inbox or listing the caller reads: its own by default;
    supervisors and admins (who read every case) any, read-only."""
    dept = dept or principal.dept
    if not dept:
        # Optional in the document: required only of a caller with no department.
        raise UnprocessableEntity("dept is required (the caller has no department)",
                                  field="dept")
    if principal.role not in READS_EVERY_CASE:
        require_department(principal, dept)
    return dept
