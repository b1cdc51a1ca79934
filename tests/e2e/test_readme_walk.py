"""The README walked verbatim: every `sh` block, top to bottom, in order, on one local
stack of its own, each answer as its comment says; then what each section promises.

One case to a verified license; a fresh case claimed, sent back for a material (its
deadline moving on by the office hours it waited), put through a special procedure and
withdrawn; a 营业执照 used in place of paper, verified with openssl, revoked; the
documents of its case and of a refused one verified offline; a fresh case
SCJG leaves undecided, warned, carded yellow and red as the clock moves on in working
days, decided, rated, rectified, counted; the audit record holding, then naming a hand
edit; a catalogue version drafted, simulated and published.

The supervision block moves the stack's clock to 10:00 of working days; the checks below
hold whatever the weekday or time of day the test runs at and however slowly the machine
runs the commands (a sweep is only asked to fall on the working day the clock was moved
to, in office hours)."""
import json
from datetime import datetime
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest

from chalicelib.domain import worktime
from chalicelib.domain.workdays import add_workdays, is_workday
from tests.pdfs import read_pdf

from .local_stack import Api
from .readme_walk import Walk, sh_blocks


@pytest.fixture(scope="module")
def walk(local_stack):
    walk = Walk(local_stack.url, local_stack.issuer, local_stack.local_dir)
    walk.readme()
    return walk


SHENZHEN = ZoneInfo("Asia/Shanghai")  # the demo region's time zone


def _moment(text: str) -> datetime:
    """A UTC time a command printed (…Z), in the region's time."""
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(SHENZHEN)


def _answers(walk: Walk, heading: str) -> dict:
    """The answers of one block by path (the last of each), without the stack's address."""
    answers, _ = walk.section(heading)
    return {what.split("127.0.0.1")[1].split("/", 1)[1]: body
            for what, _, body in answers if "127.0.0.1" in what}


def _statuses(case: dict) -> list[int]:
    return [e["status"] for e in case["timeline"] if e["action"] == "status"]


def test_every_readme_block_ran_top_to_bottom(walk):
    assert len(sh_blocks()) >= 6
    assert walk.unrun() == []
    # A README block the walk had left out is named.
    assert Walk("http://x", "http://y").unrun() == [h for h, _ in sh_blocks()]


def test_one_case_runs_to_a_verified_license(walk, local_stack):
    answers = _answers(walk, "## Walk through one case with curl")
    case_no = answers["cases"]["caseNo"]
    assert answers[f"cases/{case_no}"]["status"] == 11
    verdict = next(body for what, _, body in walk.section("## Walk through")[0]
                   if "/licenses/verify?" in what)
    assert verdict["valid"] is True


def test_a_fresh_case_is_claimed_supplemented_specially_procedured_and_withdrawn(
        walk, local_stack):
    answers = _answers(walk, "### Claim, supplement by a reviewer")
    first = _answers(walk, "## Walk through one case with curl")["cases"]["caseNo"]
    case_no = walk.section("### Claim")[0][0][2]["caseNo"]
    assert case_no != first  # a fresh application, not the first case replayed
    api = Api(local_stack.url, local_stack.issuer)
    company = api.token("company")
    # Withdrawn from 8, or from 10 when it came before the stream moved the case on.
    case = api.until(lambda: api.call("GET", f"/cases/{case_no}", token=company)[1],
                     lambda c: _statuses(c) in ([1, 3, 8, 6, 7, 8, 9, 10, 8, 14],
                                                [1, 3, 8, 6, 7, 8, 9, 10, 14]))
    assert [p["kind"] for p in case["clock"]["pauses"]] == ["supplement", "special_procedure"]
    assert {t["taskId"].split("-", 1)[1]: t["state"] for t in case["tasks"]} == {
        "A1": "decided", "R1-SCJG": "cancelled"}
    # The applicant answered the next working day: the review's deadline moved on by the
    # office hours the case waited (at least the hour from opening to 10:00).
    task = f"{case_no}-R1-SCJG"
    before = next(t for t in answers["tasks?mine=true"]["tasks"] if t["taskId"] == task)
    after = next(t for t in answers["tasks?dept=SCJG"]["tasks"] if t["taskId"] == task)
    assert after["deadline"] > before["deadline"], (before, after)
    assert case["clock"]["pauses"][0]["minutes"] >= 60, case["clock"]


def test_a_license_stands_in_for_paper_is_verified_revoked_and_logged(walk, local_stack):
    answers = _answers(walk, "### Materials and e-licenses")
    food = answers[f"cases/{walk.vars['FOOD']}"]
    named = {m["name"]: m for m in food["materials"]}
    assert named["营业执照"]["license"]["identifier"] == walk.vars["YZ"]
    assert named["营业执照"]["license"]["trustLevel"] == "A"
    assert named["经营场所平面图和设备布局图"]["materialId"] == walk.vars["PLAN"]
    verdict = answers["licenses/verify?purpose=%E5%BC%80%E6%88%B7%E6%A0%B8%E9%AA%8C"]
    assert (verdict["valid"], verdict["status"]) == (False, "revoked")
    log = [e for e in answers["me/access-log"]["entries"]
           if e.get("licenseId") == walk.vars["YZ"]]
    assert [(e["action"], e.get("caseNo"), e.get("purpose")) for e in log] == [
        ("verify", None, "开户核验"),
        ("use", walk.vars["FOOD"], "食品经营许可（新办）：营业执照（免提交）")]
    # The application made with it was withdrawn before acceptance: nothing of it is open.
    assert answers[f"cases/{walk.vars['FOOD']}/withdraw"]["status"] == 2
    # The PDF the company saved: the license's text, and the QR code of its status.
    printed = read_pdf((walk.workdir / "营业执照.pdf").read_bytes())
    assert "营业执照" in printed.flat and walk.vars["YZ"] in printed.flat
    assert printed.scanned == [f"{local_stack.url}/licenses/{walk.vars['YZ']}/status"]


def test_an_approved_and_a_refused_case_have_their_documents_verified_offline(walk,
                                                                            local_stack):
    from chalicelib.domain import document_proof
    files = walk.workdir
    keys = json.loads((files / "jwks.json").read_text("utf-8"))["keys"]
    approval = json.loads((files / "approval.json").read_text("utf-8"))
    refusal = json.loads((files / "refusal.json").read_text("utf-8"))
    assert approval["document"]["kind"] == "approval_decision"
    assert approval["document"]["issuer"] == "深圳市市场监督管理局"
    assert approval["document"]["facts"]["licenseId"] == walk.vars["YZ"]
    assert refusal["document"]["caseNo"] == walk.vars["REF"]
    text = "".join(refusal["document"]["paragraphs"])
    assert "理由：经营场所不在本市" in text and "深圳市福田区人民法院提起行政诉讼" in text
    for signed in (approval, refusal):
        assert document_proof.verify(signed, keys).valid
    # The PDF the company saved: the decision's text, and the QR code of its status.
    printed = read_pdf((files / "准予行政许可决定书.pdf").read_bytes())
    document_id = approval["document"]["documentId"]
    assert "准予行政许可决定书" in printed.flat and document_id in printed.flat
    assert printed.scanned == [f"{local_stack.url}/documents/{document_id}/status"
                               f"?key={approval['sha256'][:16]}"]


def test_supervision_cards_notifications_ratings_figures_and_the_audit_record(
        walk, local_stack):
    heading = "### Supervision, notifications, ratings and statistics"
    answers, runs = walk.section(heading)
    case = next(body["caseNo"] for what, status, body in answers
                if what.endswith("/cases") and status == 201)
    assert case == walk.vars["CASE"]
    by_path = _answers(walk, heading)
    api = Api(local_stack.url, local_stack.issuer)

    # Three sweeps, each on the working day the clock was moved to (in office hours
    # there, however long the commands took): warnings, then yellow, then red cards for
    # the review task, its stage and the case, and nothing of the earlier cases.
    sweeps = [json.loads(out) for code, _, out in runs if code == "make sweep"]
    assert [(s["cards"], s["tasks"], s["cases"]) for s in sweeps] == \
        [(3, 0, 0), (3, 1, 1), (3, 0, 0)]
    moves = [(code, _moment(json.loads(out)["now"])) for code, _, out in runs
             if code.startswith('make clock ARGS="advance')]
    assert [code.split()[-1] for code, _ in moves] == ['1wd"', '5wd"', '1wd"', '3wd"']
    assert is_workday(moves[0][1].date())  # applied on a working day
    for ((_, before), (code, moved)), sweep in zip(pairwise(moves), sweeps, strict=True):
        days = int(code.split()[-1].rstrip('wd"'))
        assert moved.date() == add_workdays(before.date(), days), (before, moved)
        swept = _moment(sweep["asOf"])
        assert moved <= swept < worktime.close_of(moved.date(), SHENZHEN), (moved, swept)
    levels = {(c["scope"], c["level"])
              for c in by_path["supervision/cards?level=warning"]["cards"]
              if c["caseNo"] == case}
    assert levels == {("task", "warning"), ("stage", "warning"), ("case", "warning")}
    red = by_path["supervision/cards?dept=SCJG&level=red"]["cards"]
    assert {c["scope"] for c in red if c["caseNo"] == case} == {"task", "stage", "case"}
    view = by_path[f"cases/{case}/supervision"]
    assert view["cardLevel"] == "red" and "promised" in view["overdue"]
    assert {t["taskId"]: t["cardLevel"] for t in view["tasks"]}[f"{case}-R1-SCJG"] == "red"

    # Notifications: SCJG heard of its task and each level, the operators of the red cards,
    # the applicant of each step of its case and of the answer to its rating.
    def notified(user: str) -> list[str]:
        """The caller's notifications of the case: their type, a card's with its level."""
        found = api.call("GET", "/me/notifications?limit=100",
                         token=api.token(user))[1]["notifications"]
        return sorted(n["type"] + ("".join(f":{level}" for level in ("黄牌", "红牌")
                                           if level in n["text"]))
                      for n in found if n.get("caseNo") == case)
    api.until(lambda: notified("scjg"), lambda found: found == sorted(
        ["task_created", *["warning"] * 3, *["card:黄牌"] * 3, *["card:红牌"] * 3,
         "rectification_opened"]))
    api.until(lambda: notified("supervisor"), lambda found: found == ["red_card:红牌"] * 3)
    api.until(lambda: notified("company"), lambda found: found == sorted(
        ["received", "accepted", "concluded", "rectification_answer"]))
    # A department is named by its name, never by its code.
    texts = [n["text"] for user in ("scjg", "supervisor") for n in api.call(
        "GET", "/me/notifications?limit=100", token=api.token(user))[1]["notifications"]
        if n.get("caseNo") == case]
    named = [text for text in texts
             if text.startswith(("【红牌督办】", "【差评整改】", "【待办】"))]
    assert len(named) == 5 and all("深圳市市场监督管理局" in text for text in named), texts
    assert not [text for text in texts if "SCJG" in text], texts

    # The rectification ran to its end.
    rating = by_path[f"ratings/{walk.vars['RATING']}/response"]
    assert rating["rectification"]["state"] == "closed"
    assert rating["rectification"]["callback"]["verified"] is True

    # The figures show all of it (SCJG's: the first case and the supplemented one too),
    # once the counters have caught up with the events.
    supervisor = api.token("supervisor")

    def figures() -> dict:
        return api.call("GET", f"/stats?from={walk.vars['M']}&dept=SCJG",
                        token=supervisor)[1]["total"]
    total = api.until(figures, lambda t: t["ratings"] == 1 and t["rectified"] == 1)
    assert total["overdue"] >= 1 and total["cards"] == {"warning": 3, "yellow": 3, "red": 3}
    assert (total["satisfaction"], total["rectifications"], total["rectificationRate"]) == \
        (0.0, 1, 1.0)

    # The record held, then the hand edit was found and named.
    audits = [(status, json.loads(out)) for code, status, out in runs
              if code == "make verify-audit"]
    assert [(status, found["holds"]) for status, found in audits] == [(0, True), (2, False)]
    assert audits[0][1]["entries"] > 0
    tampered = json.loads(next(out for code, _, out in runs if "tamper" in code))
    broken = [c for c in audits[1][1]["chains"] if c["broken"]]
    # The day's record names the chain the tamper changed, and the entry in it.
    assert [(c["chain"], c["broken"]) for c in broken] == [
        (tampered["chain"].rsplit("#", 1)[0],
         {"chain": tampered["chain"], "seq": 1, "reason": "its content was changed"})]


def test_a_catalogue_version_is_drafted_simulated_and_published(walk):
    answers = _answers(walk, "### The catalogue")
    item = walk.vars["ITEM"]
    assert answers[f"admin/items/{item}/versions/2"]["status"] == "draft"
    history = answers[f"admin/items/{item}/history"]
    assert "publish" in json.dumps(history, ensure_ascii=False)


def test_an_eighty_year_old_is_approved_by_the_rules_and_the_company_form_prefilled(walk):
    answers = _answers(walk, "### Data instead of paperwork")
    case = answers[f"cases/{walk.vars['OLD']}"]
    assert case["status"] == 11 and case["workflow"] == "instant"
    check = case["ruleCheck"]
    assert check["outcome"] == "approved"
    assert [(step["name"], step["held"]) for step in check["trace"]] == [
        ("年满80周岁", True), ("户籍在本市", True), ("户籍状态正常", True),
        ("未在领取高龄津贴", True)]
    assert case["dataUse"]["sources"] == {"name": "population.name",
                                          "registeredAddress": "population.registeredAddress"}
    # Her access log (the section's first; the company's follows): the system's registry
    # query for the case, the supervisor's read.
    logs = [body for what, _, body in walk.section("### Data instead of paperwork")[0]
            if what.endswith("/me/access-log")]
    log = logs[0]["entries"]
    queries = [e for e in log if e["action"] == "query" and e.get("caseNo") == walk.vars["OLD"]]
    assert [(e["registry"], e["basis"]) for e in queries] == [
        ("population", f"consent:{walk.vars['CONSENT']}")]
    assert any(e["action"] == "view" and e.get("caseNo") == walk.vars["OLD"]
               and e["purpose"] == "监督检查" for e in log)
    # The company's form: each value with its source; its 营业执照 stood in for by data.
    prefilled = answers[f"items/{walk.vars['FOODITEM']}/prefill?consent="
                        f"{walk.vars['FOODCONSENT']}"]
    assert prefilled["fields"]["businessName"]["source"] == "legalPerson.name"
    assert prefilled["fields"]["businessName"]["editable"] is False
    assert prefilled["fields"]["address"]["editable"] is True
    assert [m["name"] for m in prefilled["materials"]] == ["营业执照"]
    assert any(e["action"] == "query" and e["registry"] == "legalPerson"
               for e in logs[1]["entries"])
