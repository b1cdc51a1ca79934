"""The department registry through the admin API: list, register, change, history —
admin only, each change recorded (who, when, why, what), bad input refused with the
field named and nothing changed, two admins racing on one department: one wins."""
from collections import Counter

from infra.local import demo

from .test_concurrency import race

NEW = {"code": "SWJ", "name": "深圳市商务局", "uscc": "11440300MB2C92138W",
       "sealName": "深圳市商务局", "parentArea": "440300000000",
       "contacts": [{"name": "综合处", "phone": "0755-88123456"}]}
# A USCC no shipped department has (valid by checksum).
FREE_USCC = "91440300MA5FXK7Q3T"


def _body(**department) -> dict:
    return {"department": {**NEW, "uscc": FREE_USCC, **department}, "reason": "新设部门"}


def _registry(stack) -> dict:
    answer = stack.call("GET", "/admin/departments", "admin")
    assert answer.status_code == 200, answer.data
    return {d["code"]: d for d in answer.data["departments"]}


def test_the_shipped_departments_are_registered_through_the_same_path(stack):
    registry = _registry(stack)
    assert set(registry) == {d["code"] for d in demo.departments()}
    scjg = registry["SCJG"]
    assert (scjg["name"], scjg["uscc"], scjg["sealName"], scjg["parentArea"]) == (
        "深圳市市场监督管理局", "11440300007542808J", "深圳市市场监督管理局", "440300000000")
    assert registry["ZWFW"]["contacts"] == [{"name": "政务服务便民热线", "phone": "12345"}]
    history = stack.call("GET", "/admin/departments/SCJG/history", "admin").data["history"]
    assert [(h["action"], h["actor"]) for h in history] == [("create", "system:demo-loader")]
    assert demo.load_departments() == 0   # loaded again: every one is there already


def test_an_admin_registers_and_changes_a_department_and_its_history_says_so(stack):
    created = stack.call("POST", "/admin/departments", "admin", _body())
    assert created.status_code == 201, created.data
    assert {k: created.data[k] for k in NEW} == {**NEW, "uscc": FREE_USCC}
    assert _registry(stack)["SWJ"]["name"] == "深圳市商务局"

    changed = stack.call("PUT", "/admin/departments/SWJ", "admin", {
        "department": {"name": "深圳市商务局", "uscc": FREE_USCC, "sealName": "深圳市商务局（印）",
                       "contacts": []}, "reason": "更换印章"})
    assert changed.status_code == 200, changed.data
    assert (changed.data["sealName"], changed.data["contacts"], changed.data["parentArea"]) \
        == ("深圳市商务局（印）", [], None)
    history = stack.call("GET", "/admin/departments/SWJ/history", "admin").data["history"]
    assert [(h["action"], h["actor"], h["reason"]) for h in history] == [
        ("create", "staff:admin", "新设部门"), ("update", "staff:admin", "更换印章")]
    assert {c["field"] for c in history[1]["detail"]["changes"]} == {
        "sealName", "contacts", "parentArea"}


def test_only_the_admin_manages_departments(stack):
    for user, status in (("scjg", 403), ("supervisor", 403), (None, 401)):
        assert stack.call("GET", "/admin/departments", user).status_code == status
        assert stack.call("POST", "/admin/departments", user, _body()).status_code == status
        assert stack.call("PUT", "/admin/departments/SCJG", user, _body()).status_code == \
            status
    assert "SWJ" not in _registry(stack)


def test_bad_departments_are_refused_with_the_field_named_and_nothing_changes(stack):
    before = _registry(stack)
    shipped_scjg = {k: before["SCJG"][k] for k in ("name", "uscc")}
    for method, path, body, status, code, field in (
            # The document states the shape (400); a check character and what the registry
            # holds it cannot (422, 409).
            ("POST", "/admin/departments", _body(uscc="91440300MA5FXK7Q3X"), 422,
             "bad_check_character", "department.uscc"),
            ("POST", "/admin/departments", _body(name="   "), 400, "validation_error",
             "department.name"),
            ("POST", "/admin/departments", _body(sealName=" "), 400, "validation_error",
             "department.sealName"),
            ("POST", "/admin/departments", _body(code=None), 400, "validation_error",
             "department.code"),
            ("POST", "/admin/departments", _body(code="swj"), 400, "validation_error",
             "department.code"),
            ("POST", "/admin/departments", _body(parentArea="4403"), 400, "validation_error",
             "department.parentArea"),
            ("POST", "/admin/departments", _body(fax="1"), 400, "validation_error",
             "department.fax"),
            ("POST", "/admin/departments", {"department": NEW}, 400, "validation_error",
             "reason"),
            ("POST", "/admin/departments", _body(code="SCJG"), 409, "department_exists",
             "department.code"),
            ("POST", "/admin/departments", _body(uscc="11440300007542808J"), 409,
             "department_exists", "department.uscc"),
            ("PUT", "/admin/departments/SCJG", {"department": {**shipped_scjg,
             "uscc": FREE_USCC}, "reason": "x"}, 422, "unprocessable", "department.uscc"),
            ("PUT", "/admin/departments/SCJG", {"department": {**shipped_scjg,
             "code": "WSJK"}, "reason": "x"}, 422, "unprocessable", "department.code"),
            ("PUT", "/admin/departments/NOPE", _body(), 404, "not_found", "code")):
        answer = stack.call(method, path, "admin", body)
        assert (answer.status_code, answer.data["error"]["code"],
                answer.data["error"]["field"]) == (status, code, field), (body, answer.data)
        assert answer.data["error"]["message"]
    assert _registry(stack) == before


def test_two_admins_registering_one_department_at_once_get_one_201_and_one_409(stack):
    answers = race(2, lambda i: stack.call("POST", "/admin/departments", "admin", _body()))
    assert Counter(a.status_code for a in answers) == {201: 1, 409: 1}, \
        [a.data for a in answers]
    assert [a.data["error"]["code"] for a in answers if a.status_code == 409] == [
        "department_exists"]
    history = stack.call("GET", "/admin/departments/SWJ/history", "admin").data["history"]
    assert [h["action"] for h in history] == ["create"]

    # Two changes at once: each either applied after the other or refused, none lost.
    answers = race(2, lambda i: stack.call("PUT", "/admin/departments/SWJ", "admin", {
        "department": {**_body()["department"], "sealName": f"印{i}"}, "reason": f"改{i}"}))
    statuses = Counter(a.status_code for a in answers)
    assert set(statuses) <= {200, 409} and statuses[200] >= 1, [a.data for a in answers]
    assert all(a.data["error"]["code"] == "department_changed"
               for a in answers if a.status_code == 409)
    history = stack.call("GET", "/admin/departments/SWJ/history", "admin").data["history"]
    assert len(history) == 1 + statuses[200]
    assert _registry(stack)["SWJ"]["sealName"] in {"印0", "印1"}


def test_two_departments_registered_at_once_with_one_uscc_get_one_201_and_one_409(stack):
    """The twin check reads before it writes; the USCC's own record, written in the same
    transaction, is what keeps two racing registrations from sharing one."""
    for attempt in range(3):
        codes = (f"SWA{attempt}", f"SWB{attempt}")
        uscc = ("91440300MA5FXK7Q3T", "91440300MA5G0X0B1R", "91440300MA5DCE7L0G")[attempt]
        answers = race(2, lambda i, codes=codes, uscc=uscc: stack.call(
            "POST", "/admin/departments", "admin", _body(code=codes[i], uscc=uscc)))
        assert Counter(a.status_code for a in answers) == {201: 1, 409: 1}, \
            [a.data for a in answers]
        refused = next(a for a in answers if a.status_code == 409).data["error"]
        assert (refused["code"], refused["field"]) == ("department_exists", "department.uscc")
        assert len([d for d in _registry(stack).values() if d["uscc"] == uscc]) == 1


def test_the_deploy_guides_example_is_a_valid_registration(stack):
    """docs/deploy.md's curl registers SCJG as the demo data has it: the body passes the
    contract and the checks, and meets the shipped SCJG (409), as it would a second time."""
    import json
    import re
    from pathlib import Path
    text = (Path(__file__).resolve().parents[2] / "docs" / "deploy.md").read_text("utf-8")
    body = json.loads(re.search(r"/admin/departments .*?-d '(\{.*?\})'", text, re.S).group(1))
    answer = stack.call("POST", "/admin/departments", "admin", body)
    assert (answer.status_code, answer.data["error"]["code"]) == (409, "department_exists")
    shipped = next(d for d in demo.departments() if d["code"] == "SCJG")
    assert {k: body["department"][k] for k in ("code", "name", "uscc")} == \
        {k: shipped[k] for k in ("code", "name", "uscc")}
