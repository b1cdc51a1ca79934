"""The formal documents (文书) a case's decisions are written in: which decision makes which
document, its number, and the facts it states. Pure rules; the wording is the region's
templates' (chalicelib/templates/documents/), the signing and storing services/case_documents.

A decision of the department is a written document of that department (行政许可法 §32,
§38): it names the applicant, the application and the item, states the facts, the
reason and the legal basis, and when it goes against the applicant, the rights of
administrative reconsideration (行政复议, within 60 days, 行政复议法 §20) and litigation
(行政诉讼, within 6 months, 行政诉讼法 §46) with the authority and court the region names.
"""
from dataclasses import dataclass
from typing import Any, Literal

from .errors import UnprocessableEntity
from .lifecycle import CONCLUDED, Status

# Reconsideration within 60 days of knowing the decision, litigation within 6 months: the
# statutes', the same in every region; the authority and the court are the region's.
RECONSIDERATION_DAYS = 60
LITIGATION_MONTHS = 6


@dataclass(frozen=True)
class Kind:
    name: str          # the document kind, as the API names it
    code: str          # its part of the document number
    title: str
    adverse: bool      # goes against the applicant: states the rights of remedy


ACCEPTANCE_NOTICE = Kind("acceptance_notice", "SL", "受理通知书", adverse=False)
REFUSAL_DECISION = Kind("refusal_decision", "BSL", "不予受理决定书", adverse=True)
SUPPLEMENT_NOTICE = Kind("supplement_notice", "BZ", "补正材料通知书", adverse=False)
SPECIAL_PROCEDURE_NOTICE = Kind("special_procedure_notice", "TB", "特别程序告知书",
                                adverse=False)
APPROVAL_DECISION = Kind("approval_decision", "ZY", "准予行政许可决定书", adverse=False)
DENIAL_DECISION = Kind("denial_decision", "BY", "不予行政许可决定书", adverse=True)
TERMINATION_NOTICE = Kind("termination_notice", "ZZ", "终止办理通知书", adverse=False)
REVOCATION_DECISION = Kind("revocation_decision", "CX", "撤销行政许可决定书", adverse=True)
# A license the issuing department revoked, or replaced by a new version, on its own (a
# license revoked with its case is in the case's revocation decision).
LICENSE_REVOCATION_NOTICE = Kind("license_revocation_notice", "ZX", "电子证照撤销决定书",
                                 adverse=True)
LICENSE_REISSUE_NOTICE = Kind("license_reissue_notice", "HF", "电子证照换发通知书",
                              adverse=False)

KINDS = {kind.name: kind for kind in (
    ACCEPTANCE_NOTICE, REFUSAL_DECISION, SUPPLEMENT_NOTICE, SPECIAL_PROCEDURE_NOTICE,
    APPROVAL_DECISION, DENIAL_DECISION, TERMINATION_NOTICE, REVOCATION_DECISION,
    LICENSE_REVOCATION_NOTICE, LICENSE_REISSUE_NOTICE)}
# The kinds as the contract publishes them: the same names, in the same order.
KindName = Literal["acceptance_notice", "refusal_decision", "supplement_notice",
                   "special_procedure_notice", "approval_decision", "denial_decision",
                   "termination_notice", "revocation_decision",
                   "license_revocation_notice", "license_reissue_notice"]

# The status a decision brings the case to -> the document it is written in. Not every
# status is a decision of the department: received (1), supplied (7), in review (8) and
# the end of a special procedure (10) are steps, and write none.
BY_STATUS = {
    Status.ACCEPTED: ACCEPTANCE_NOTICE,
    Status.NOT_ACCEPTED: REFUSAL_DECISION,
    Status.REFUSED: REFUSAL_DECISION,
    Status.SUPPLEMENT_REQUESTED: SUPPLEMENT_NOTICE,
    Status.SPECIAL_PROCEDURE: SPECIAL_PROCEDURE_NOTICE,
    Status.APPROVED: APPROVAL_DECISION,
    Status.APPROVED_PENDING_MATERIALS: APPROVAL_DECISION,
    Status.DENIED: DENIAL_DECISION,
    Status.WITHDRAWN_BEFORE_ACCEPTANCE: TERMINATION_NOTICE,
    Status.WITHDRAWN: TERMINATION_NOTICE,
    Status.REVOKED: REVOCATION_DECISION,
}
# Item kinds whose decision is a 行政许可 (事项类型 01); another kind's decision is titled as
# the handling of the item (准予办理 / 不予办理).
LICENSING = "01"
OTHER_TITLES = {APPROVAL_DECISION.name: "准予办理决定书",
                DENIAL_DECISION.name: "不予办理决定书",
                REVOCATION_DECISION.name: "撤销决定书"}


# A change of a case's license (its record on the case's timeline) -> its notice.
BY_LICENSE_ACTION = {"revoke": LICENSE_REVOCATION_NOTICE, "reissue": LICENSE_REISSUE_NOTICE}


def made_by(old: dict[str, Any] | None, new: dict[str, Any] | None) -> Kind | None:
    """The document a change of the cases table makes: a case record whose status changed
    to a decision's, or a license's change the department made; None for any other."""
    if new and new.get("rt") == "license" and old is None:
        return BY_LICENSE_ACTION.get(new.get("action", ""))
    if not new or new.get("rt") != "case" or not old:
        return None
    if old.get("status") == new.get("status"):
        return None
    status = Status(int(new["status"]))
    if status == Status.APPROVED and \
            int(old["status"]) == Status.APPROVED_PENDING_MATERIALS:
        return None   # the materials to follow came in: approved already, in writing
    return BY_STATUS.get(status)


def document_id(case_no: str, kind: Kind, serial: int | str) -> str:
    """The document's number: the case's, the kind's code and a serial derived from the
    change that made it — the version of the case the decision wrote, or the moment of a
    license's change (digits) — the same for every delivery of that change, another for
    the next decision of that kind (a second supplement asked)."""
    return f"{case_no}-{kind.code}{serial:03d}" if isinstance(serial, int) \
        else f"{case_no}-{kind.code}{serial}"


def serial_of(change: dict[str, Any]) -> int | str:
    """The serial of the change a document is made from (see `document_id`)."""
    if change.get("rt") == "license":
        return "".join(c for c in str(change["at"]) if c.isdigit())[:20]
    return int(change["version"])


def corrected_id(document_id_: str) -> str:
    """The number of the version that corrects `document_id_` (更正): the first document's
    number and the count of corrections, `…-ZY007` -> `…-ZY007-1` -> `…-ZY007-2`."""
    case_no, first, *done = document_id_.split("-")
    return f"{case_no}-{first}-{int(done[0]) + 1 if done else 1}"


# A document's status address carries a key, the first characters of its hash: its number
# is derived from its case's (and so guessable), and its status — that a case exists, was
# accepted, refused or revoked — is for whoever holds the document.
STATUS_KEY_CHARS = 16


def status_key(sha256: str) -> str:
    return sha256[:STATUS_KEY_CHARS]


def case_of(document_id_: str) -> str:
    """The case number a document number carries."""
    return document_id_.split("-", 1)[0]


def title(kind: Kind, item_kind: str | None) -> str:
    return kind.title if item_kind == LICENSING else OTHER_TITLES.get(kind.name, kind.title)


def limit_text(limit: dict[str, Any] | None) -> str:
    """A time limit as the documents write it: 20个工作日, 8个工作时."""
    if not limit:
        return ""
    unit = "个工作日" if limit.get("unit") == "workdays" else "个工作小时"
    return f"{int(limit['value'])}{unit}"


def date_text(day: str | None) -> str:
    """2026-12-05 -> 2026年12月05日."""
    if not day:
        return ""
    year, month, date_ = day[:10].split("-")
    return f"{year}年{month}月{date_}日"


@dataclass(frozen=True)
class Remedies:
    """Where an adverse decision may be challenged: the region's reviewing authority
    (行政复议机关) and court (人民法院)."""
    authority: str
    court: str

    def as_dict(self) -> dict[str, Any]:
        return {"reconsideration": {"authority": self.authority,
                                    "days": RECONSIDERATION_DAYS},
                "litigation": {"court": self.court, "months": LITIGATION_MONTHS}}


def facts(kind: Kind, case: dict[str, Any], item: dict[str, Any], dates: dict[str, str],
          remedies: Remedies, previous: int,
          license_change: dict[str, Any] | None = None) -> dict[str, Any]:
    """What a document of `kind` states about `case` (a case record, as stored) under
    `item` (the version it applied under), the decision having moved it on from status
    `previous`: the same names in every kind, the ones a kind has no use for left out.
    `dates` are the case's moments as local dates (YYYY-MM-DD): applied, decided,
    promisedBy, materialsDueBy, procedureDueBy."""
    found: dict[str, Any] = {
        "caseNo": case["pk"], "itemCode": case["itemCode"], "itemName": case["itemName"],
        "itemVersion": str(case["itemVersion"]), "applicant": case["applicant"]["name"],
        "appliedOn": dates["applied"], "decidedOn": dates["decided"],
        "legalBasis": item.get("legalBasis", ""),
        "licensing": item.get("kind") == LICENSING,
    }
    reason = case.get("opinion")
    if kind == ACCEPTANCE_NOTICE:
        found.update(promisedLimit=limit_text(item.get("promisedLimit")),
                     statutoryLimit=limit_text(item.get("statutoryLimit")),
                     expectedBy=dates.get("promisedBy", ""))
    elif kind == SUPPLEMENT_NOTICE:
        asked = case.get("supplement") or {}
        found.update(materials=list(asked.get("materials") or []),
                     reason=asked.get("opinion") or reason or "",
                     stage="intake" if asked.get("context") != "review" else "review")
    elif kind == SPECIAL_PROCEDURE_NOTICE:
        procedure = (case.get("procedures") or [{}])[-1]
        limits = {p["type"]: p["limit"] for p in item.get("specialProcedures") or []}
        found.update(procedure=procedure.get("name", ""), procedureType=procedure.get("type"),
                     reason=procedure.get("reason", ""),
                     procedureLimit=limit_text(limits.get(procedure.get("type"))),
                     procedureDueBy=dates.get("procedureDueBy", ""))
    elif kind == APPROVAL_DECISION:
        result = item.get("result") or {}
        found.update(reason=reason or "", licenseId=case.get("licenseId") or "",
                     licenseName=result.get("licenseName", "") if case.get("licenseId")
                     else "",
                     pendingMaterials=list(case.get("pendingMaterials") or []),
                     materialsDueBy=dates.get("materialsDueBy", ""))
        # 秒批: decided by the version's rules, each named (their trace is on the case).
        check = case.get("ruleCheck") or {}
        approved_by_rules = check.get("outcome") == "approved"
        found.update(rules=[step["name"] for step in check.get("trace") or []]
                     if approved_by_rules else [],
                     ruleSet=check.get("ruleSet", "") if approved_by_rules else "")
    elif kind == TERMINATION_NOTICE:
        found.update(reason=reason or "", accepted=bool(case.get("acceptedAt")))
    elif kind in (LICENSE_REVOCATION_NOTICE, LICENSE_REISSUE_NOTICE):
        change = license_change or {}
        found.update(reason=change.get("reason") or "", licenseId=change.get("licenseId", ""),
                     licenseName=(item.get("result") or {}).get("licenseName", ""),
                     **({"supersededBy": change["supersededBy"]}
                        if change.get("supersededBy") else {}))
    elif kind == REVOCATION_DECISION:
        found.update(reason=reason or "", licenseId=case.get("licenseId") or "",
                     concluded=Status(previous) in CONCLUDED)
    else:   # refusal, denial
        found.update(reason=reason or "")
    if kind == REFUSAL_DECISION:
        # 不受理 (4): the matter is not this department's to decide (§32 (一)(二)).
        found.update(notCompetent=int(case["status"]) == Status.NOT_ACCEPTED)
    if kind.adverse:
        found.update(remedies.as_dict())
    return found


def example_facts(kind: Kind) -> dict[str, Any]:
    """A document of `kind` stating everything it can: what a region's template is
    checked against (services/case_documents/templates.check) and docs/documents.md
    shows."""
    case = {"pk": "4403002026120500000019", "itemCode": "0002010120004403000000001144030000"
                                                        "7542808J01",
            "itemName": "食品经营许可（新办）", "itemVersion": "3",
            "applicant": {"name": "深圳市示例餐饮有限公司"}, "status": Status.APPROVED,
            "opinion": "经核查，经营场所与申报一致。", "licenseId": "11440300MB2C92138W0012",
            "acceptedAt": "2026-12-01T02:00:00+00:00",
            "supplement": {"materials": ["营业执照", "经营场所平面图"], "opinion": "平面图不清晰",
                           "context": "intake"},
            "procedures": [{"type": "inspection", "name": "现场勘验",
                            "reason": "需核实经营场所布局"}],
            "pendingMaterials": ["从业人员健康证明"]}
    item = {"kind": LICENSING, "legalBasis": "《中华人民共和国食品安全法》第三十五条",
            "promisedLimit": {"value": 10, "unit": "workdays"},
            "statutoryLimit": {"value": 20, "unit": "workdays"},
            "specialProcedures": [{"type": "inspection",
                                   "limit": {"value": 5, "unit": "workdays"}}],
            "result": {"licenseName": "食品经营许可证"}}
    dates = {"applied": "2026-12-01", "decided": "2026-12-05", "promisedBy": "2026-12-15",
             "materialsDueBy": "2026-12-25", "procedureDueBy": "2026-12-12"}
    change = {"licenseId": "1.2.156.3005.2.11100000000013127D001.11440300007542808J."
                           "4403002026120500000019.001.7", "reason": "经营场所已变更",
              "supersededBy": "1.2.156.3005.2.11100000000013127D001.11440300007542808J."
                              "4403002026120500000019.002.5"}
    return facts(kind, case, item, dates, Remedies("深圳市人民政府", "深圳市福田区人民法院"),
                 Status.APPROVED, change)


# A correction (更正) mends words — a misspelt name, a wrong district or date — never the
# decision or the rights of remedy: no text naming what was decided or the remedies may be
# replaced or written in, the paragraph stating the remedies is never touched, and the
# facts that say what was decided and where to challenge it stay as they are.
DECISION_WORDS = ("准予", "不予", "受理", "撤销", "撤回", "终止", "许可", "决定", "复议",
                  "诉讼", "日内", "个月", "人民法院", "人民政府")
FIXED_FACTS = frozenset({"caseNo", "itemCode", "itemVersion", "licensing", "notCompetent",
                         "concluded", "accepted", "stage", "procedureType", "licenseId",
                         "supersededBy", "reconsideration", "litigation"})


def _remedies(paragraph: str) -> bool:
    return "行政复议" in paragraph or "行政诉讼" in paragraph


def corrected(document: dict[str, Any], corrections: list[dict[str, str]]) -> dict[str, Any]:
    """The document with each correction's wrong text replaced by the right one, in its
    text (but the remedies), its addressee and the facts a correction may mend. 422 naming
    the correction that would change the decision or the remedies, or whose text is not
    where a correction may reach."""
    found = dict(document)
    for index, correction in enumerate(corrections):
        wrong, right = correction["wrong"], correction["right"]
        touched = [word for word in DECISION_WORDS if word in wrong or word in right]
        if touched:
            raise UnprocessableEntity(
                f"a correction mends words, not the decision or the remedies: "
                f"{touched[0]!r} may not be corrected", field=f"corrections.{index}",
                code="correction_not_clerical")
        reachable = [p for p in found["paragraphs"] if not _remedies(p)]
        if not any(wrong in p for p in reachable) and wrong not in found.get("addressee", ""):
            raise UnprocessableEntity(f"{wrong!r} is not in the document",
                                      field=f"corrections.{index}.wrong",
                                      code="correction_not_found")

        def mend(value: Any, wrong: str = wrong, right: str = right) -> Any:
            if isinstance(value, str):
                return value.replace(wrong, right)
            if isinstance(value, list):
                return [mend(v) for v in value]
            return value
        found["paragraphs"] = [p if _remedies(p) else mend(p) for p in found["paragraphs"]]
        found["addressee"] = mend(found["addressee"])
        found["facts"] = {k: v if k in FIXED_FACTS else mend(v)
                          for k, v in found["facts"].items()}
    return found

