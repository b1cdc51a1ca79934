"""People over the machine's yes (秒批的人工监督):

- the supervisors' queue of sampled instant approvals (抽查): a configurable share of them
  (the version's `sampleShare`) lands here; a supervisor reads the case with its trace and
  marks it checked, or revokes it (POST /cases/{no}/revoke) and then marks it;
- a simulation of new rules on the item's history: the cases whose rules were checked,
  replayed on the facts their check read (sealed on each case) — how many the new rules
  would approve, which they would refer and why (the catalogue's change simulation)."""
from ..adapters import sealing
from ..adapters.models import CaseRecord, RuleCheckRecord
from ..domain import approval_rules, identity
from ..domain.errors import NotFound, UnprocessableEntity
from ..domain.masking import mask_text
from . import clock
from .case_access import META
from .pagination import decode_cursor, encode_cursor

REPLAYED = 500          # the most recent checks a simulation replays
LISTED_REFERRALS = 50   # the referrals a simulation names


def _view(record: RuleCheckRecord) -> dict:
    view = {"caseNo": record.caseNo, "itemCode": record.code, "itemName": record.itemName,
            "ruleSet": record.ruleSet, "checkedAt": record.checkedAt,
            "state": "checked" if record.reviewedAt else "open",
            "reviewedAt": record.reviewedAt, "reviewedBy": record.reviewedBy,
            "note": record.reviewNote}
    return {k: v for k, v in view.items() if v is not None}


def samples(principal: identity.Principal | None, state: str = "open", limit: int = 20,
            cursor: str | None = None) -> dict:
    """The sampled instant approvals, open (to check) or checked."""
    identity.require_role(principal, identity.SUPERVISOR, identity.ADMIN)
    facet = RuleCheckRecord.SAMPLES_OPEN if state == "open" else RuleCheckRecord.SAMPLES_CHECKED
    listing = f"samples/{state}"
    page = RuleCheckRecord.by_facet.query(facet, limit=limit,
                                          last_evaluated_key=decode_cursor(cursor, listing))
    return {"samples": [_view(record) for record in page],
            "next": encode_cursor(page.last_evaluated_key, listing)}


def mark_checked(principal: identity.Principal | None, case_no: str, note: str) -> dict:
    """A sampled approval checked by a supervisor, with what it found (the last word
    stands; revoking the case is its own act)."""
    principal = identity.require_role(principal, identity.SUPERVISOR, identity.ADMIN)
    case = CaseRecord.get(case_no, META) if _exists(case_no) else None
    if case is None:
        raise NotFound(f"no case {case_no}", field="caseNo")
    try:
        record = RuleCheckRecord.get(case.itemCode, f"CHECK#{case_no}", consistent_read=True)
    except RuleCheckRecord.DoesNotExist:
        record = None
    if record is None or not record.sampled:
        raise UnprocessableEntity("the case is not a sampled instant approval",
                                  field="caseNo", code="not_sampled")
    record.update(actions=[RuleCheckRecord.facet.set(RuleCheckRecord.SAMPLES_CHECKED),
                           RuleCheckRecord.reviewedAt.set(clock.now().isoformat()),
                           RuleCheckRecord.reviewedBy.set(principal.sub),
                           RuleCheckRecord.reviewNote.set(mask_text(note.strip()))])
    return _view(record)


def _exists(case_no: str) -> bool:
    try:
        CaseRecord.get(case_no, META, attributes_to_get=["pk"])
        return True
    except CaseRecord.DoesNotExist:
        return False


def replay(code: str, rules: list[approval_rules.Rule]) -> dict:
    """`rules` on the item's checked cases (the most recent REPLAYED), each on the facts
    its own check read: how many they would approve, which they would refer, and the
    cases whose outcome would change."""
    checks = list(RuleCheckRecord.query(code, RuleCheckRecord.sk.startswith("CHECK#"),
                                        scan_index_forward=False, limit=REPLAYED))
    cases = {case.pk: case for case in CaseRecord.batch_get(
        [(check.caseNo, META) for check in checks],
        attributes_to_get=["pk", "sk", "rt", "sealedFacts"])} if checks else {}
    approve, referred, changed, skipped = 0, [], [], 0
    for check in checks:
        case = cases.get(check.caseNo)
        if case is None or not case.sealedFacts:
            skipped += 1   # nothing was read (switched off): nothing to replay
            continue
        facts = sealing.open_sealed(case.sealedFacts, case.pk)
        verdict = approval_rules.evaluate(rules, facts)
        outcome = "approved" if verdict.held else "referred"
        if verdict.held:
            approve += 1
        elif len(referred) < LISTED_REFERRALS:
            referred.append({"caseNo": check.caseNo, "failed": [
                {"id": step["id"], "name": step["name"], "why": step.get("why")}
                for step in verdict.trace if not step["held"]]})
        if outcome != check.outcome:
            changed.append({"caseNo": check.caseNo, "was": check.outcome, "would": outcome})
    return {"replayed": len(checks) - skipped, "wouldApprove": approve,
            "wouldRefer": len(checks) - skipped - approve, "referred": referred,
            "changed": changed[:LISTED_REFERRALS], "notReplayable": skipped}
