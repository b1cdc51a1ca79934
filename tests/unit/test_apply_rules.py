"""Applying (统一申报) on the in-memory case files, no AWS: who may apply for whom, what an
application is refused for (with the field it names), the materials' rules, idempotent
retries, one open case per identical application, and the case as first written.

The catalogue, the case number counter, the secrets and the sealing key are answered here
(their stores are not the case files); the materials' own checks are services/materials.py's
(test_materials_rules.py): here they name what they were given and answer entries."""
import itertools
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from chalicelib.adapters import sealing, secrets
from chalicelib.adapters.models import OpenApplication
from chalicelib.domain import identity
from chalicelib.domain.case_file import META
from chalicelib.domain.changes import Change, Create
from chalicelib.domain.errors import (
    Conflict,
    Forbidden,
    Unauthorized,
    UnprocessableEntity,
    ValidationError,
)
from chalicelib.domain.lifecycle import LABELS, Status
from chalicelib.services import cases, catalogue, clock, materials
from chalicelib.services.cases import numbering
from infra.local import demo
from tests.fakes.case_files import FakeCaseFiles
from tests.fakes.license_library import FakeLicenseLibrary

from .records import CLERK, NOW, REVIEWER, SUPERVISOR

FOOD = demo.code_of("000201012000", "SCJG")   # 食品经营许可: legal persons only
ITEM = {**next(i for i in demo.items() if i["baseCode"] == "000201012000"),
        "code": FOOD, "version": 3}
USCC, COMPANY_NAME = "91440300MA5FXK7Q3T", "深圳小吃有限公司"
ZHANG_SAN = "11010519491231002X"
COMPANY = identity.Principal("u-co", identity.APPLICANT, name=COMPANY_NAME, id_number=USCC)
PERSON = identity.Principal("u-zs", identity.APPLICANT, name="张三", id_number=ZHANG_SAN)
AGENT = identity.Principal("u-zs", identity.APPLICANT, name="张三", id_number=ZHANG_SAN,
                           acts_for=(USCC,), company_names=((USCC, COMPANY_NAME),))
FORM = {"businessName": "小吃店", "address": "深圳市南山区科技园1号", "category": "餐饮服务"}


def application(**overrides) -> dict:
    # The name as typed: never the one a case is made out in for an applicant.
    body = {"itemCode": FOOD, "applicant": {"type": "legal", "name": "随便填的名字",
                                            "idNumber": USCC, "phone": "13800138000"},
            "form": dict(FORM), "channel": "web"}
    return {**body, **overrides}


@pytest.fixture
def items():
    """The published item versions, by code."""
    return {FOOD: dict(ITEM)}


@pytest.fixture(autouse=True)
def given(monkeypatch, items):
    """Offline: the clock stands still; the catalogue, the day's counter, the secrets and
    the sealing key are answered here. Returns what the materials were asked and told."""
    monkeypatch.setattr(clock, "now", lambda: NOW)

    def published_item(code):
        if code not in items:
            raise UnprocessableEntity(f"no published service item {code}", field="itemCode",
                                      code="item_not_open")
        return items[code]
    monkeypatch.setattr(catalogue, "published_item", published_item)
    counters = {}
    monkeypatch.setattr(numbering, "next_sequence", lambda area, day: next(
        counters.setdefault((area, day), itertools.count(1))))
    monkeypatch.setattr(secrets, "lookup", lambda: "l" * 32)
    monkeypatch.setattr(secrets, "query_password", lambda: "q" * 32)
    monkeypatch.setattr(sealing, "seal", lambda values, bound_to: {"for": bound_to,
                                                                    **values})
    seen = SimpleNamespace(asked=[], used=[])

    def given_in_case(library, item, refs, holder_id, owner_key, at_counter=False):
        seen.asked.append({"refs": refs, "holder": holder_id, "at_counter": at_counter,
                           "library": library})
        return SimpleNamespace(entries=[{"name": r["name"], "materialId": f"M{n}"}
                                        for n, r in enumerate(refs)])
    monkeypatch.setattr(materials, "given_in_case", given_in_case)
    monkeypatch.setattr(materials, "record_uses",
                        lambda given, principal, case_no, *args: seen.used.append(case_no))
    return seen


LIBRARY = FakeLicenseLibrary()   # the licenses a material may name (asked by materials)


def _apply(files, principal, body=None, key=None):
    return cases.apply(files, LIBRARY, principal, application() if body is None else body,
                       key)


def _cases(files) -> list:
    return [r for (pk, sk), r in files.records.items() if sk == META]


# -- who applies for whom -----------------------------------------------------------------

def test_an_applicant_applies_in_its_own_name_and_the_case_carries_the_verified_name(given):
    files = FakeCaseFiles()
    created, replayed = _apply(files, COMPANY)
    assert not replayed
    case_no = created["caseNo"]
    assert case_no.startswith("44030020261125")  # the area, the calendar day applied on
    assert (created["status"], created["statusLabel"], created["workflow"]) == (
        int(Status.RECEIVED), LABELS[Status.RECEIVED], "queued")
    assert len(created["queryPassword"]) == 6
    case = files.get(case_no)
    assert case.applicant.name == COMPANY_NAME  # the token's, not as typed
    assert (case.applicant.sub, case.actor, case.actorRole, case.actorName) == (
        "u-co", "u-co", identity.APPLICANT, None)
    assert case.applicant.idNumber != USCC and case.applicant.phone != "13800138000"
    assert (case.sealedApplicant["idNumber"], case.sealedApplicant["phone"]) == (
        USCC, "13800138000")
    assert case.agent is None and case.sealedApplicant["agentIdNumber"] is None
    assert given.used == [case_no]  # the materials' uses, after the write


@pytest.mark.parametrize("principal", [
    REVIEWER, SUPERVISOR, identity.Principal("adm", identity.ADMIN),
    identity.Principal("ev", identity.EVALUATOR)])
def test_no_member_of_staff_but_a_clerk_applies_at_all(principal):
    files = FakeCaseFiles()
    with pytest.raises(Forbidden):
        _apply(files, principal, application(channel="counter"))
    with pytest.raises(Unauthorized):
        _apply(files, None)
    assert files.commits == []


def test_an_applicant_never_applies_in_another_s_name_only_as_a_company_s_agent():
    files = FakeCaseFiles()
    other = {"type": "natural", "name": "李四", "idNumber": "110101199003071233"}
    for principal, applicant in [
            (PERSON, application()["applicant"]),  # a company it is no agent of
            (COMPANY, other),
            (AGENT, other)]:                        # an agent, but for a person
        with pytest.raises(Forbidden) as refused:
            _apply(files, principal, application(applicant=applicant))
        assert refused.value.field == "applicant.idNumber"
    unverified = identity.Principal("u-x", identity.APPLICANT, name="某人")
    with pytest.raises(Forbidden) as refused:
        _apply(files, unverified)
    assert refused.value.field == "Authorization"
    assert files.commits == []


def test_an_authorised_agent_applies_for_its_company_in_the_delegation_s_name():
    files = FakeCaseFiles()
    case = files.get(_apply(files, AGENT)[0]["caseNo"])
    assert case.applicant.name == COMPANY_NAME
    assert case.agent["sub"] == "u-zs" and case.agent["name"] == "张三"
    assert case.agent["idNumber"] != ZHANG_SAN  # masked in the case, sealed in clear
    assert case.sealedApplicant["agentIdNumber"] == ZHANG_SAN


def test_only_a_clerk_uses_the_counter_and_a_clerk_no_other_channel():
    files = FakeCaseFiles()
    with pytest.raises(UnprocessableEntity) as refused:
        _apply(files, CLERK)
    assert refused.value.field == "channel"
    with pytest.raises(UnprocessableEntity) as refused:
        _apply(files, COMPANY, application(channel="counter"))
    assert refused.value.field == "channel"
    assert files.commits == []


def test_at_the_counter_the_applicant_owns_the_case_the_clerk_is_its_first_actor(given):
    files = FakeCaseFiles()
    case_no = _apply(files, CLERK, application(channel="counter"))[0]["caseNo"]
    case = files.get(case_no)
    # no identity of the applicant's: it reaches the case by its ID number (the owner key)
    assert case.applicant.sub is None and case.owner
    assert case.applicant.name == "随便填的名字"  # the clerk saw the papers
    assert (case.actor, case.actorRole, case.actorName, case.appliedVia) == (
        "clerk-1", identity.CLERK, "张受理", "counter")
    assert given.asked[-1]["at_counter"] is True


# -- what an application is refused for -----------------------------------------------------

@pytest.mark.parametrize("body, field", [
    (application(form={**FORM, "category": "烟草"}), "form.category"),
    (application(form={"businessName": "小吃店", "address": "深圳市南山区"}),
     "form.category"),  # a required one missing
    (application(form={**FORM, "unknown": 1}), "form"),  # one the schema does not name
    (application(applicant={"type": "legal", "name": "x", "idNumber": "91440300MA5FXK7Q3X"}),
     "applicant.idNumber"),
    (application(itemCode="nope"), "itemCode"),
    (application(channel="fax"), "channel"),
])
def test_a_form_or_applicant_the_item_does_not_take_is_refused_naming_its_field(body, field):
    files = FakeCaseFiles()
    with pytest.raises((ValidationError, UnprocessableEntity)) as refused:
        _apply(files, COMPANY, body)
    assert refused.value.field == field
    assert files.commits == []


def test_an_item_for_legal_persons_only_refuses_a_natural_person():
    natural = {"type": "natural", "name": "张三", "idNumber": ZHANG_SAN}
    with pytest.raises(UnprocessableEntity) as refused:
        _apply(FakeCaseFiles(), PERSON, application(applicant=natural))
    assert refused.value.field == "applicant.type" and "legal persons only" in str(
        refused.value)


def test_an_item_needing_a_stronger_identity_refuses_a_weaker_sign_in_not_a_clerk(items):
    items[FOOD]["minAssurance"] = 3
    files = FakeCaseFiles()
    with pytest.raises(Forbidden) as refused:
        _apply(files, COMPANY)
    assert refused.value.code == "assurance_too_low"
    assert _apply(files, CLERK, application(channel="counter"))[0]["status"] == 1


# -- materials ------------------------------------------------------------------------------

def test_an_item_complete_at_submission_takes_no_online_application_missing_one(items, given):
    items[FOOD]["completeAtSubmission"] = True
    files = FakeCaseFiles()
    named = [{"name": m["name"]} for m in ITEM["materials"]]
    with pytest.raises(UnprocessableEntity) as refused:
        _apply(files, COMPANY, application(materials=named[1:]))
    assert (refused.value.field, refused.value.code) == ("materials", "material_not_accepted")
    assert ITEM["materials"][0]["name"] in str(refused.value)
    assert given.asked == [] and files.commits == []
    # at the counter the clerk checks what is handed over
    _apply(files, CLERK, application(channel="counter", materials=named[1:]))
    case_no = _apply(files, COMPANY, application(materials=named,
                                                 form={**FORM, "businessName": "二店"}))[0]
    assert [m["name"] for m in files.get(case_no["caseNo"]).materials] == [
        m["name"] for m in named]


def test_materials_given_are_checked_for_the_holder_and_a_refusal_writes_nothing(
        monkeypatch, given):
    files = FakeCaseFiles()
    _apply(files, AGENT, application(materials=[{"name": "营业执照"}]))
    assert given.asked[-1]["holder"] == USCC  # the company's, not its agent's
    assert given.asked[-1]["library"] is LIBRARY   # the one apply was given

    def refused(*args, **kwargs):
        raise UnprocessableEntity("not yours", field="materials.0.materialId")
    monkeypatch.setattr(materials, "given_in_case", refused)
    with pytest.raises(UnprocessableEntity):
        _apply(files, COMPANY, application(form={**FORM, "businessName": "二店"}))
    assert len(files.commits) == 1


# -- idempotent retries ---------------------------------------------------------------------

def test_a_retry_with_the_same_key_and_body_answers_the_same_case():
    files = FakeCaseFiles()
    first, replayed = _apply(files, COMPANY, key="retry-42")
    assert not replayed
    again, replayed = _apply(files, COMPANY, key="retry-42")
    assert replayed and again == first
    assert len(_cases(files)) == 1 and len(files.commits) == 1
    # the case, its open-application marker and the key's record: one commit
    assert [type(w) for w in files.commits[0]] == [Create, Create, Create]


def test_an_application_reads_nothing_first_and_commits_once(monkeypatch):
    """Two round trips in the usual case (the day's number drawn, one commit): a retry,
    a twin, an identical open case are found when that commit fails."""
    files = FakeCaseFiles()
    reads = []
    for name in ("get", "load", "get_task", "get_marker"):
        monkeypatch.setattr(files, name, lambda *args, _name=name, **kwargs:
                            reads.append(_name))
    _apply(files, COMPANY, key="first-try")
    assert reads == [] and len(files.commits) == 1


def test_a_retry_answers_as_the_first_request_did_whatever_the_catalogue_says_now(items):
    files = FakeCaseFiles()
    first, _ = _apply(files, COMPANY, key="before-suspension")
    items.clear()   # the item is no longer open to applications
    again, replayed = _apply(files, COMPANY, key="before-suspension")
    assert replayed and again == first
    with pytest.raises(UnprocessableEntity) as refused:   # without the key: refused
        _apply(files, COMPANY)
    assert refused.value.code == "item_not_open"
    with pytest.raises(UnprocessableEntity):   # another key never made a case
        _apply(files, COMPANY, key="after-suspension")


def test_a_key_used_with_another_body_is_refused_and_a_key_is_each_identity_s_own():
    files = FakeCaseFiles()
    _apply(files, COMPANY, key="k-1")
    with pytest.raises(UnprocessableEntity) as refused:
        _apply(files, COMPANY, application(form={**FORM, "businessName": "二店"}), key="k-1")
    assert (refused.value.field, refused.value.code) == ("Idempotency-Key",
                                                         "idempotency_key_reused")
    created, replayed = _apply(files, AGENT, application(
        form={**FORM, "businessName": "三店"}), key="k-1")
    assert not replayed and len(_cases(files)) == 2
    for bad in ("", "k" * 129):
        with pytest.raises(ValidationError) as refused:
            _apply(files, COMPANY, key=bad)
        assert refused.value.field == "Idempotency-Key"


def test_a_retry_that_lost_the_race_to_its_twin_answers_the_twin_s_case():
    files = FakeCaseFiles()
    twin = []
    files.meanwhile.append(lambda: twin.append(_apply(files, COMPANY, key="k-9")[0]))
    created, replayed = _apply(files, COMPANY, key="k-9")
    assert replayed and created == twin[0]
    assert len(_cases(files)) == 1


# -- one open case per identical application ------------------------------------------------

def test_an_identical_application_is_refused_while_its_case_is_open_then_taken_over():
    files = FakeCaseFiles()
    first = _apply(files, COMPANY)[0]["caseNo"]
    with pytest.raises(Conflict) as refused:
        _apply(files, COMPANY)
    assert refused.value.code == "duplicate_open_case" and first in str(refused.value)
    # another form is another application
    _apply(files, COMPANY, application(form={**FORM, "businessName": "二店"}))
    files.commit([Change((first, META), set={"status": int(Status.WITHDRAWN_BEFORE_ACCEPTANCE)})])
    second = _apply(files, COMPANY)[0]["caseNo"]
    [_, claim] = files.commits[-1]
    assert isinstance(claim, Change) and claim.set == {"caseNo": second}
    marker = files.get_marker(claim.key)
    assert isinstance(marker, OpenApplication) and marker.caseNo == second


def test_an_identical_application_that_won_the_race_meanwhile_refuses_this_one():
    files = FakeCaseFiles()
    files.meanwhile.append(lambda: _apply(files, COMPANY))
    with pytest.raises(Conflict) as refused:
        _apply(files, COMPANY)
    assert refused.value.code == "duplicate_open_case"
    assert len(_cases(files)) == 1


def test_an_item_allowing_parallel_cases_writes_no_marker(items):
    items[FOOD]["allowParallelCases"] = True
    files = FakeCaseFiles()
    one, two = (_apply(files, COMPANY)[0]["caseNo"] for _ in range(2))
    assert one != two
    assert [len(commit) for commit in files.commits] == [1, 1]


# -- the case as first written --------------------------------------------------------------

def test_deadlines_count_from_the_working_day_the_office_receives_it(monkeypatch):
    files = FakeCaseFiles()
    wednesday = files.get(_apply(files, COMPANY)[0]["caseNo"])
    assert wednesday.deadlineBasis == "official"
    # 1 working day of acceptance and 4 of review after Wednesday 25 November: Wednesday
    # 2 December; the statute's 20 working days: Wednesday 23 December; each due at the
    # close of office (18:00 in Shanghai).
    assert wednesday.promisedBy == "2026-12-02"
    assert wednesday.due == {"promised": "2026-12-02T10:00:00Z",
                             "statutory": "2026-12-23T10:00:00Z"}
    assert (wednesday.pauses, wednesday.workflow, wednesday.status) == ([], "queued", 1)
    saturday = datetime(2026, 11, 28, 2, 0, tzinfo=UTC)
    monkeypatch.setattr(clock, "now", lambda: saturday)
    files = FakeCaseFiles()
    weekend = files.get(_apply(files, COMPANY)[0]["caseNo"])
    assert weekend.pk.startswith("44030020261128")  # the calendar date it came in
    # received on Monday 30 November: its 5 working days end on Monday 7 December
    assert weekend.promisedBy == "2026-12-07"
