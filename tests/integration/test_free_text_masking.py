"""Free text staff and applicants write (an opinion, a reason, a note) is masked as it comes
in: an ID or phone number typed into a clerk's or a reviewer's opinion is in clear nowhere
at rest or on the bus — not in the task, the timeline, the published events or the
supervision record."""
import json
import unicodedata

import boto3

from .harness import HYGIENE, REGION, application

ID, PHONE = "11010519491231002X", "13800138000"
CLERK_SAYS = "申请人身份证号110105 19491231 002X，联系电话+86 138 0013 8000，材料齐全，予以受理"
REVIEWER_SAYS = ("经办人电话138-0013-8000，身份证１１０１０５１９４９１２３１００２Ｘ，"
                 "15位110105491231002，同意")


def _texts(value):
    """Every string in `value`, JSON held in a string (PynamoDB's JSON attributes)
    opened."""
    if isinstance(value, dict):
        for item in value.values():
            yield from _texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item)
    elif isinstance(value, str):
        if value[:1] in "{[":
            try:
                yield from _texts(json.loads(value))
                return
            except ValueError:
                pass
        yield value


def _in_clear(value, numbers=(ID, PHONE, "110105491231002")) -> set[str]:
    """Which of `numbers` `value` holds in clear, however written."""
    found = set()
    for text in _texts(value):
        flat = unicodedata.normalize("NFKC", text).replace(" ", "").replace("-", "")
        found |= {n for n in numbers if n in flat}
    return found


def _scan(stack, table: str) -> list[dict]:
    return boto3.resource("dynamodb", region_name=REGION).Table(stack.env[table]).scan()[
        "Items"]


def test_opinions_with_id_and_phone_numbers_are_masked_in_every_record_and_event(
        stack, bus_events):
    case_no = stack.call("POST", "/cases", "company", application(HYGIENE)).data["caseNo"]
    accept = stack.open_task(case_no, "ZWFW", "clerk")
    assert stack.decide(accept["taskId"], "clerk", "accept", CLERK_SAYS).status_code == 200
    review = stack.open_task(case_no, "WSJK", "wsjk")
    assert stack.decide(review["taskId"], "wsjk", "approve", REVIEWER_SAYS).status_code == 200
    other = stack.open_task(case_no, "XFJY", "xfjy")
    assert stack.decide(other["taskId"], "xfjy", "approve", "同意").status_code == 200
    stack.wait_status(case_no, 11)

    records = [i for i in _scan(stack, "OW_CASES_TABLE") if i["pk"] == case_no]
    tasks = {r["sk"]: r for r in records if "opinion" in r and r["sk"].startswith("TASK")}
    assert tasks, [r["sk"] for r in records]
    opinions = [r.get("opinion") for r in records if r.get("opinion")]
    # Masked, not dropped: the opinions are there with the numbers hidden.
    assert "申请人身份证号110105 ******** 002X，联系电话+86 138 **** 8000，材料齐全，予以受理" \
        in opinions
    assert ("经办人电话138-****-8000，身份证１１０１０５********００２Ｘ，"
            "15位110105******002，同意") in opinions
    assert _in_clear(records) == set()
    # The timeline the applicant reads, and what the bus published.
    timeline = stack.case(case_no, "company")["timeline"]
    assert any("110105 ******** 002X" in (step.get("opinion") or "") for step in timeline)
    assert _in_clear(timeline) == set()
    assert stack.pump.run_until(lambda: len(_scan(stack, "OW_SUPERVISION_TABLE")) > 3)
    published = bus_events()
    assert any("138-****-8000" in text for text in _texts(published))
    assert _in_clear(published) == set()
    # The supervision record (every lifecycle event from the bus, appended).
    stack.pump.run_until(lambda: False, timeout=1)
    supervision = _scan(stack, "OW_SUPERVISION_TABLE")
    assert any("+86 138 **** 8000" in text for text in _texts(supervision))
    assert _in_clear(supervision) == set()


def test_every_free_text_written_by_staff_or_applicants_is_masked(stack):
    """A withdrawal reason, a rating's comment, a special procedure's reason: masked as
    they come in, whatever the route."""
    case_no = stack.call("POST", "/cases", "company", application(HYGIENE)).data["caseNo"]
    accept = stack.open_task(case_no, "ZWFW", "clerk")
    stack.decide(accept["taskId"], "clerk", "accept", "受理")
    review = stack.open_task(case_no, "WSJK", "wsjk")
    assert stack.call("POST", f"/tasks/{review['taskId']}/claim", "wsjk").status_code == 200
    started = stack.call("POST", f"/tasks/{review['taskId']}/special-procedure", "wsjk",
                         {"type": "testing", "reason": "现场联系人13912345678"})
    assert started.status_code in (200, 201), started.data
    withdrawn = stack.call("POST", f"/cases/{case_no}/withdraw", "company",
                           {"reason": "不办了，请联系 139 1234 5678"})
    assert withdrawn.status_code == 200, withdrawn.data
    stack.pump.run_until(lambda: False, timeout=1)
    records = [i for i in _scan(stack, "OW_CASES_TABLE") if i["pk"] == case_no]
    texts = list(_texts(records))
    assert any("139****5678" in t for t in texts) and any("139 **** 5678" in t for t in texts)
    assert _in_clear(records, ["13912345678"]) == set()
    assert _in_clear(stack.case(case_no, "company"), ["13912345678"]) == set()


def test_a_files_name_is_masked_as_it_is_declared(stack):
    material = stack.upload("company", name="法人身份证11010519491231002X.pdf")
    assert material["name"] == "法人身份证110105********002X.pdf", material
    stored = _scan(stack, "OW_MATERIALS_TABLE")
    assert stored and _in_clear(stored) == set()
