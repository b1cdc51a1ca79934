"""秒批 (无人干预审批): a case of an item version with rules is checked before its workflow
starts (services/starts.py). When every rule holds, the system accepts and approves it —
no person, no workflow execution, no wait — and its documents and license follow as for
any approval; when one does not, or the data could not be read, the case goes to people
as usual and they see which rules failed and why.

The check reads the applicant's registry records on the consent given with the
application (the system asks, the purpose is the version's, the case is named), the form,
and the applicant's earlier cases of the item (`history`). Its outcome and trace go on
the case (`ruleCheck`: the timeline's `rules_checked` event, and so the supervision
record) and into the decision document; the facts it read are sealed on the case, so a
later simulation of new rules can read them (services/catalogue/simulation.py).

Safe to deliver again: the check is made once (the case's `ruleCheck`), an approval
interrupted between acceptance and approval is finished by the next delivery.
"""
import hashlib
import hmac
import logging
from datetime import date, datetime
from typing import Any

from pynamodb.exceptions import PutError

from ..adapters import sealing, secrets
from ..adapters.models import (
    CaseRecord,
    InstantSwitchRecord,
    ItemCurrentRecord,
    ItemIndexRecord,
    RuleCheckRecord,
    condition_failed,
)
from ..domain import approval_rules, data_use, identity
from ..domain.case_file import case_key
from ..domain.changes import Change, ConditionFailed, merged
from ..domain.errors import Forbidden
from ..domain.lifecycle import CLOSED, CONCLUDED, Status
from ..domain.masking import mask_text
from . import casefile, catalogue, clock, data_sources, licenses
from .at_once import map_at_once
from .case_files import CaseFiles
from .catalogue.store import CURRENT
from .holders import applicant_in_clear, form_in_clear, open_applicant
from .license_library import LicenseLibrary

log = logging.getLogger("onewindow")
APPROVED, REFERRED = "approved", "referred"
SWITCH = "INSTANT#SWITCH"


def unfinished(case: CaseRecord) -> bool:
    """Accepted by its rules, and not approved yet: an approval to finish."""
    return case.workflow == "instant" and case.status == Status.ACCEPTED


def rules_of(item: dict) -> list[approval_rules.Rule]:
    declared = (item.get("instantApproval") or {}).get("rules")
    return approval_rules.parse_rules(declared) if declared else []


def switched_off(code: str) -> bool:
    """The per-item switch (PUT /items/{code}/instant-approval): off stops instant
    approval at once, whatever the published version says."""
    try:
        return not InstantSwitchRecord.get(code, SWITCH, consistent_read=True).enabled
    except InstantSwitchRecord.DoesNotExist:
        return False


def switch_state(code: str) -> dict:
    try:
        record = InstantSwitchRecord.get(code, SWITCH, consistent_read=True)
    except InstantSwitchRecord.DoesNotExist:
        catalogue.published_item(code)   # 422 for an item that is not there
        return {"itemCode": code, "enabled": True}
    return {"itemCode": code, "enabled": record.enabled, "updatedAt": record.updatedAt,
            "updatedBy": record.updatedBy, "reason": record.reason}


def instant_items() -> dict:
    """Every published item whose version declares rules, with its switch: what a
    supervisor turns off at once, whether or not any of its approvals is sampled."""
    codes = [record.code for record in ItemIndexRecord.by_facet.query("all")]
    current = [record for index in range(0, len(codes), 100)
               for record in ItemCurrentRecord.batch_get(
                   [(code, CURRENT) for code in codes[index:index + 100]])]
    with_rules = sorted((record for record in current if record.status == "published"
                         and (record.document.get("instantApproval") or {}).get("rules")),
                        key=lambda record: record.code)
    switches = {record.code: record for index in range(0, len(with_rules), 100)
                for record in InstantSwitchRecord.batch_get(
                    [(r.code, SWITCH) for r in with_rules[index:index + 100]])}
    items = []
    for record in with_rules:
        switch = switches.get(record.code)
        view = {"itemCode": record.code, "itemName": record.document["name"],
                "version": int(record.version),
                "rules": len(record.document["instantApproval"]["rules"]),
                "enabled": switch.enabled if switch else True}
        if switch:
            view.update(updatedAt=switch.updatedAt, updatedBy=switch.updatedBy,
                        reason=switch.reason)
        items.append(view)
    return {"items": items}


def set_switch(principal: identity.Principal | None, code: str, enabled: bool,
               reason: str) -> dict:
    """Turn the item's instant approval on or off, at once (the last word wins)."""
    principal = identity.require(principal)
    catalogue.published_item(code)
    InstantSwitchRecord(code, SWITCH, enabled=enabled, updatedAt=clock.now().isoformat(),
                        updatedBy=principal.sub, reason=mask_text(reason.strip())).save()
    log.info("item %s: instant approval %s by %s", code, "on" if enabled else "off",
             principal.sub)
    return switch_state(code)


def check(case_files: CaseFiles, library: LicenseLibrary, case: CaseRecord,
          item: dict) -> str | None:
    """Check the case's rules and act on the outcome; None when its version has none (the
    workflow starts as it always has), else approved or referred."""
    rules = rules_of(item)
    if not rules or (case.status in CLOSED and not case.ruleCheck):
        return None   # no rules; or withdrawn before its check (nothing to check)
    if case.ruleCheck:
        _recorded(case, item, case.ruleCheck)   # a delivery that died after the check
        if case.ruleCheck["outcome"] == APPROVED and case.status not in CONCLUDED:
            _approve(case_files, library, case.pk, item)   # interrupted: finish it
        return str(case.ruleCheck["outcome"])
    now = clock.now()
    notes: list[str] = []
    if switched_off(case.itemCode):
        verdict = approval_rules.Verdict(False, [])
        notes.append("该事项的秒批已关闭，转人工审查")
        facts: dict[str, Any] = {}
    else:
        facts, notes = gather(case, item, rules)
        verdict = approval_rules.evaluate(rules, facts)
    outcome = APPROVED if verdict.held else REFERRED
    rule_check = {"outcome": outcome, "ruleSet": f"{item['code']}@v{item['version']}",
                  "checkedAt": now.isoformat(), "trace": verdict.trace, "notes": notes,
                  "sampled": verdict.held and sampled(
                      case.pk, (item.get("instantApproval") or {}).get("sampleShare", 0.1),
                      secrets.query_password())}
    sets: dict[str, Any] = {"ruleCheck": rule_check}
    if facts:
        sets["sealedFacts"] = sealing.seal(facts, case.pk)
    try:
        if verdict.held:
            case_files.commit([merged(
                casefile.status_change(case, Status.ACCEPTED, "system", "system", "system",
                                       "规则核验全部通过，系统自动受理（秒批）", now),
                Change(case_key(case.pk), set={**sets, "workflow": "instant"}))])
        else:
            case_files.commit([Change(case_key(case.pk), set=sets, version=case.version)])
    except ConditionFailed:
        # Changed meanwhile (withdrawn, or another delivery checked it): read it again.
        fresh = case_files.get(case.pk, consistent=True)
        return check(case_files, library, fresh, item) if fresh else None
    _recorded(case, item, rule_check)
    log.info("case %s: rules %s (%s)", case.pk, outcome,
             ", ".join(f"{s['id']}={'✓' if s['held'] else '✗'}" for s in verdict.trace))
    if verdict.held:
        _approve(case_files, library, case.pk, item)
    return outcome


def _recorded(case: CaseRecord, item: dict, rule_check: dict) -> None:
    """The check under its item (what a simulation of new rules replays), a sampled
    approval in the supervisors' queue (抽查); written once, whoever writes it first."""
    record = RuleCheckRecord(
        case.itemCode, f"CHECK#{case.pk}", caseNo=case.pk, outcome=rule_check["outcome"],
        ruleSet=rule_check["ruleSet"], checkedAt=rule_check["checkedAt"],
        itemName=item["name"], sampled=bool(rule_check.get("sampled")),
        facet=RuleCheckRecord.SAMPLES_OPEN if rule_check.get("sampled") else None)
    try:
        record.save(condition=RuleCheckRecord.code.does_not_exist())
    except PutError as error:
        if not condition_failed(error):
            raise


def _approve(case_files: CaseFiles, library: LicenseLibrary, case_no: str,
             item: dict) -> None:
    case = case_files.get(case_no, consistent=True)
    if case is None or case.status != Status.ACCEPTED:
        return   # approved by an earlier delivery, or withdrawn meanwhile
    license_id = licenses.issue(library, case, item)
    opinion = "规则核验全部通过，系统自动准予（秒批）" + ("，已核发电子证照" if license_id else "")
    change = casefile.status_change(case, Status.APPROVED, "system", "system", "system",
                                    opinion, clock.now())
    try:
        case_files.commit([merged(change, Change(case_key(case_no),
                                                 set={"licenseId": license_id}))]
                          if license_id else [change])
    except ConditionFailed:
        log.info("case %s changed while being approved; the next delivery looks again",
                 case_no)
        raise


def sampled(case_no: str, share: float, key: str) -> bool:
    """抽查: whether a supervisor is asked to check this approval — the same answer for
    the same case, a `share` of all of them, keyed with a stage secret (`key`) so that no
    applicant can tell from a case number whether it will be checked (and none is told:
    the applicant's view and the events leave it out)."""
    digest = hmac.new(key.encode(), b"instant-sample:" + case_no.encode(), hashlib.sha256)
    return int(digest.hexdigest()[:8], 16) / 0xFFFFFFFF < share


def gather(case: CaseRecord, item: dict,
           rules: list[approval_rules.Rule]) -> tuple[dict[str, Any], list[str]]:
    """What the rules read of this case: registry records (on the applicant's consent),
    the form, the applicant's history of the item; and notes on what could not be read."""
    opened = open_applicant(case)   # one unsealing for the ID number and the form
    applicant = {"type": case.applicant.type,
                 "idNumber": applicant_in_clear(case, opened)["idNumber"]}
    facts: dict[str, Any] = {"form": form_in_clear(case, opened),
                             "history": history(case)}
    notes = []
    consent = (case.dataUse or {}).get("consentId")
    asked = []
    for registry in approval_rules.registries_read(rules):
        subject = data_use.subject_of(registry, applicant)
        label = data_use.REGISTRIES[registry]
        if not consent:
            notes.append(f"申请人未授权查询{label}")
        elif subject is None:
            notes.append(f"{label}不适用于该申请人")
        else:
            asked.append((registry, subject))
    purpose = data_use.stated("system", "system", (item.get("dataUse") or {}).get(
        "purpose"), f"consent:{consent}", case.pk, (item["code"], int(item["version"]))) \
        if asked else None
    # A redelivered check asks again, and its log entries are the first's (`once`).
    applied = datetime.fromisoformat(case.createdAt)

    def ask(pair: tuple[str, str]) -> data_sources.Answer | str:
        registry, subject = pair
        try:
            return data_sources.ask(registry, subject, purpose,
                                    fields=approval_rules.fields_read(rules, registry),
                                    once=(applied, f"{case.pk}-check-{registry}"))
        except Forbidden:
            return f"申请人已撤回授权，未查询{data_use.REGISTRIES[registry]}"
    # The registries at once: a check waits for the slowest, not for their sum.
    for (registry, _), answer in zip(asked, map_at_once(ask, asked), strict=True):
        if isinstance(answer, str):
            notes.append(answer)
        elif answer.record is None:
            notes.append(answer.note or f"{data_use.REGISTRIES[registry]}无此记录")
        else:
            facts[registry] = derived(registry, answer.record)
    return facts, notes


def derived(registry: str, record: dict[str, Any]) -> dict[str, Any]:
    """A record with what rules read of it computed: a person's age today."""
    if registry == "population" and isinstance(record.get("birthDate"), str):
        try:
            born = date.fromisoformat(record["birthDate"])
        except ValueError:
            return record
        today = clock.today()
        age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
        return {**record, "age": age}
    return record


def history(case: CaseRecord) -> dict[str, int]:
    """The applicant's earlier cases of the item: how many were approved, how many are
    open (this one aside)."""
    approved = open_ = 0
    if case.owner:
        for earlier in CaseRecord.by_owner.query(case.owner):
            if earlier.pk == case.pk or earlier.itemCode != case.itemCode:
                continue
            if earlier.status in (Status.APPROVED, Status.APPROVED_PENDING_MATERIALS):
                approved += 1
            elif earlier.status not in CLOSED:
                open_ += 1
    return {"approved": approved, "open": open_}
