"""The applicant supplies what was asked for (补正, 6 -> 7) or the materials an approval
let follow (容缺, 12 -> 11): `POST /cases/{caseNo}/supplement`."""
from ..domain import identity
from ..domain.case_file import case_key
from ..domain.changes import Change, ConditionFailed, Equals, merged
from ..domain.errors import Conflict, Forbidden, NotFound, ValidationError
from ..domain.identifiers import is_valid_case_number
from ..domain.lifecycle import Status
from ..domain.task_states import TaskState
from . import casefile, catalogue, clock, materials
from .case_files import CaseFiles
from .cases import applicant_in_clear, owner_id, require_readable
from .license_library import LicenseLibrary
from .tasks import reopen


def supply(case_files: CaseFiles, library: LicenseLibrary,
           principal: identity.Principal | None, case_no: str, body: dict,
           channel: str = "api") -> dict:
    """Supply the materials asked for on `case_files`; a license named for one is looked
    up in `library`."""
    principal = identity.require(principal)
    found = case_files.load(case_no) if is_valid_case_number(case_no) else None
    if found is None:
        raise NotFound(f"no case {case_no}", field="caseNo")
    case, _, tasks = found
    require_readable(principal, case, tasks)
    counter = principal.role == identity.CLERK and channel == "counter"
    if not identity.owns(principal, case.applicant.sub, owner_id(case)) and \
            not counter:
        raise Forbidden("only the applicant (or a clerk at the counter for them) supplies "
                        "materials")
    refs = [{k: v for k, v in m.items()
             if k in ("name", "materialId", "licenseId", "license", "checkedAtCounter")
             and v is not None}
            for m in body["materials"]]
    item = catalogue.pinned_version(case.itemCode, case.itemVersion)
    # What a reviewer asked for by name may be no material of the version's list.
    asked_names = [*((case.supplement or {}).get("materials") or ()),
                   *(case.pendingMaterials or ())]
    holder_id = applicant_in_clear(case)["idNumber"] if any(
        "licenseId" in r or "license" in r for r in refs) else ""
    supplied = materials.given_in_case(library, item, refs, holder_id, case.owner,
                                       also=asked_names, at_counter=counter)
    given = supplied.entries
    names = {m["name"] for m in given}
    actor = (principal.sub, principal.role, channel, body.get("note") or "已补正")
    now = clock.now()
    if case.status == Status.SUPPLEMENT_REQUESTED:
        asked = case.supplement or {}
        _covers(asked.get("materials", []), names)
        task = next(t for t in tasks if t.taskId == asked["taskId"])
        reopen(case_files, task, case, tasks, now, Status.SUPPLEMENT_SUPPLIED, actor, {
            "materials": [*(case.materials or []), *given],
            "supplement": {**asked, "suppliedAt": now.isoformat(),
                           "supplied": sorted(names)}},
            expect=(Equals("state", TaskState.SUPPLEMENT),))
        materials.record_uses(supplied, principal, case_no, item, case.owner, now)
        return {"caseNo": case_no, "status": int(Status.SUPPLEMENT_SUPPLIED)}
    if case.status == Status.APPROVED_PENDING_MATERIALS:
        _covers(case.pendingMaterials or [], names)
        try:
            case_files.commit([merged(
                casefile.status_change(case, Status.APPROVED, *actor, now),
                Change(case_key(case_no), set={"materials": [*(case.materials or []), *given]},
                       remove=frozenset({"pendingMaterials"})))])
        except ConditionFailed:
            raise Conflict(f"case {case_no} changed meanwhile", code="case_changed") \
                from None
        materials.record_uses(supplied, principal, case_no, item, case.owner, now)
        return {"caseNo": case_no, "status": int(Status.APPROVED)}
    raise Conflict(f"case {case_no} is not waiting for materials (status {case.status})",
                   code="nothing_to_supply", field="caseNo")


def _covers(asked: list[str], names: set[str]) -> None:
    missing = [name for name in asked if name not in names]
    if missing:
        raise ValidationError(f"materials must include {', '.join(missing)}",
                              field="materials")
