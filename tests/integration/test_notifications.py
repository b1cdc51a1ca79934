"""Notifications: each lifecycle event that matters to a person becomes one notification
per recipient — in the in-app inbox and on the topic for the channels they chose — exactly
once under redelivery and at once; texts from the Chinese templates, masked."""
import contextlib
import json
import re
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import boto3

from chalicelib.adapters.models import NotificationRecord
from chalicelib.services import notices

from .harness import FOOD, REGION, application

ID_OR_PHONE = re.compile(r"(?<!\d)(1\d{10}|\d{17}[\dX])(?!\d)")


def _subscribe(stack, name: str, policy: dict | None = None) -> str:
    sqs = boto3.client("sqs", region_name=REGION)
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])[
        "Attributes"]["QueueArn"]
    attributes = {"RawMessageDelivery": "true"}
    if policy:
        attributes["FilterPolicy"] = json.dumps(policy)
    boto3.client("sns", region_name=REGION).subscribe(
        TopicArn=stack.env["OW_NOTIFICATIONS_TOPIC_ARN"], Protocol="sqs", Endpoint=arn,
        Attributes=attributes)
    return url


def _drain(url: str) -> list[dict]:
    sqs, found = boto3.client("sqs", region_name=REGION), []
    while True:
        got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10,
                                  MessageAttributeNames=["All"]).get("Messages", [])
        if not got:
            return found
        for message in got:
            found.append(json.loads(message["Body"]))
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])


def _inbox(stack, user: str, query: str = "") -> list[dict]:
    found, cursor = [], ""
    while cursor is not None:
        page = stack.call("GET", f"/me/notifications?limit=3&cursor={cursor}{query}",
                          user).data
        found += page["notifications"]
        cursor = page["next"]
    return found


def test_a_case_tells_its_applicant_and_departments_once_each(stack):
    sms = _subscribe(stack, "sms-gateway", {"channels": ["sms"]})
    case = stack.approve_in_parallel()
    case_no = case["caseNo"]

    def company_types():
        return sorted(n["type"] for n in _inbox(stack, "company") if n["caseNo"] == case_no)
    assert stack.pump.run_until(lambda: company_types() == ["accepted", "concluded",
                                                            "received"])
    mine = {n["type"]: n for n in _inbox(stack, "company")}
    assert mine["received"]["text"].startswith("【一网通办】您申请的“公共场所卫生许可")
    assert case["licenseId"] in mine["concluded"]["text"]
    assert mine["concluded"]["channels"] == ["inapp", "sms"]
    # Each department that got a task heard of it in its inbox, once, named by its name
    # (the registry's), not its code.
    for user, dept in (("clerk", "深圳市政务服务数据管理局"), ("wsjk", "深圳市卫生健康委员会"),
                       ("xfjy", "深圳市消防救援支队")):
        tasks = [n for n in _inbox(stack, user) if n["caseNo"] == case_no]
        assert [n["type"] for n in tasks] == ["task_created"], user
        assert tasks[0]["text"].startswith(f"【待办】{dept} 有新的")
        assert tasks[0]["channels"] == ["inapp"]
    # The SMS gateway got the applicant's three, with their channels as attributes.
    sent = _drain(sms)
    assert sorted(m["type"] for m in sent if m["caseNo"] == case_no) == [
        "notification.accepted", "notification.concluded", "notification.received"]
    everything = [n["text"] for user in ("company", "clerk", "wsjk") for n in
                  _inbox(stack, user)] + [m["text"] for m in sent]
    assert not [t for t in everything if ID_OR_PHONE.search(t)]

    # Every event delivered again, and one of them six times at once: nothing new.
    records = list(NotificationRecord.query(f"sub:{stack.issuer.users['company']['sub']}"))
    envelopes = [_envelope(r) for r in records]
    sqs = boto3.client("sqs", region_name=REGION)
    for envelope in envelopes:
        sqs.send_message(QueueUrl=stack.env["OW_NOTIFICATIONS_QUEUE_URL"],
                         MessageBody=json.dumps(envelope))
    with ThreadPoolExecutor(6) as pool:
        assert sum(pool.map(lambda _: notices.deliver(envelopes[0]), range(6))) == 0
    stack.pump.run_until(lambda: False, timeout=1.0)
    assert company_types() == ["accepted", "concluded", "received"]
    assert _drain(sms) == []
    # A new event delivered six times at once: one notification, published once.
    fresh = {**envelopes[0], "detail": {**envelopes[0]["detail"],
                                        "eventId": f"{case_no}/EV#test#fresh"}}
    with ThreadPoolExecutor(6) as pool:
        assert sum(pool.map(lambda _: notices.deliver(fresh), range(6))) == 1
    assert len(company_types()) == 4
    assert len(_drain(sms)) == 1


def _envelope(record: NotificationRecord) -> dict:
    """The lifecycle event a notification came of, as EventBridge delivers it."""
    from chalicelib.adapters.models import CaseRecord, TimelineEvent
    from chalicelib.services import timeline
    from chalicelib.services.cases import META
    case_no, sk = record.eventId.split("/", 1)
    event = TimelineEvent.get(case_no, sk)
    case = CaseRecord.get(case_no, META)
    return {"source": "onewindow", "detail-type": f"onewindow.case.{record.event}",
            "detail": timeline.detail_of(event, {"rt": "case", "itemCode": case.itemCode,
                                                 "status": case.status})}


def test_preferences_reading_and_marking_read(stack):
    assert stack.call("GET", "/me/notification-preferences", "company").data == {
        "channels": ["inapp", "sms"]}
    chosen = stack.call("PUT", "/me/notification-preferences", "company",
                        {"channels": ["email"]})
    assert chosen.status_code == 200 and chosen.data == {"channels": ["email", "inapp"]}
    bad = stack.call("PUT", "/me/notification-preferences", "company", {"channels": ["fax"]})
    assert bad.status_code == 400 and bad.data["error"]["field"].startswith("channels")
    email = _subscribe(stack, "mailer", {"channels": ["email"]})
    case_no = stack.call("POST", "/cases", "company", application(FOOD)).data["caseNo"]
    assert stack.pump.run_until(lambda: len(_inbox(stack, "company")) == 1)
    (note,) = _inbox(stack, "company")
    assert note["channels"] == ["email", "inapp"] and note["read"] is False
    assert [m["caseNo"] for m in _drain(email)] == [case_no]

    assert stack.call("POST", f"/me/notifications/{note['id']}/read", "lisi").status_code == 404
    read = stack.call("POST", f"/me/notifications/{note['id']}/read", "company").data
    assert read["read"] is True and read["readAt"]
    again = stack.call("POST", f"/me/notifications/{note['id']}/read", "company").data
    assert again["readAt"] == read["readAt"]
    assert _inbox(stack, "company", "&unread=true") == []
    assert stack.call("GET", "/me/notifications?unread=maybe", "company").status_code == 400
    assert stack.call("GET", "/me/notifications").status_code == 401


def test_a_failed_publish_is_retried_by_its_message_and_sent_once(stack, monkeypatch):
    """The topic fails the first publish of each notification: the claim is given back,
    the delivery fails, the queue delivers the message again and it is sent — once,
    never left claimed-but-unsent, never dropped."""
    from chalicelib.adapters import notifier
    sms = _subscribe(stack, "sms-flaky", {"channels": ["sms"]})
    real, failed = notifier.publish, []

    def flaky(topic, message, **kwargs):
        if message["notificationId"] not in failed:
            failed.append(message["notificationId"])
            raise RuntimeError("SNS unavailable")
        return real(topic, message, **kwargs)

    monkeypatch.setattr(notifier, "publish", flaky)
    case_no = stack.call("POST", "/cases", "company", application(FOOD)).data["caseNo"]
    owner = f"sub:{stack.issuer.users['company']['sub']}"
    assert stack.pump.run_until(
        lambda: any(r.sentAt for r in NotificationRecord.query(owner)), timeout=30)
    stack.pump.run_until(lambda: False, timeout=1.0)
    records = list(NotificationRecord.query(owner))
    assert len(records) == 1 and records[0].sentAt and failed
    sent = _drain(sms)
    assert [m["caseNo"] for m in sent] == [case_no]   # once, after the failure
    left = boto3.client("sqs", region_name=REGION).get_queue_attributes(
        QueueUrl=stack.env["OW_NOTIFICATIONS_QUEUE_URL"],
        AttributeNames=["ApproximateNumberOfMessages"])["Attributes"]
    assert left["ApproximateNumberOfMessages"] == "0"


def test_the_claimant_message_publishes_after_dying_and_others_wait_out_its_lease(
        stack, monkeypatch):
    """A delivery that died between its claim and the publish (no release): the same
    message delivered again publishes at once; another message within the lease does
    not, nor does a concurrent crowd of them."""
    from chalicelib.adapters import notifier
    case_no = stack.call("POST", "/cases", "company", application(FOOD)).data["caseNo"]
    owner = f"sub:{stack.issuer.users['company']['sub']}"
    assert stack.pump.run_until(
        lambda: any(r.sentAt for r in NotificationRecord.query(owner)))
    (record,) = list(NotificationRecord.query(owner))
    envelope = _envelope(record)
    fresh = {**envelope, "detail": {**envelope["detail"],
                                    "eventId": f"{case_no}/EV#test#dying"}}

    class Died(BaseException):
        pass

    def die(*args, **kwargs):
        raise Died()

    monkeypatch.setattr(notifier, "publish", die)
    monkeypatch.setattr(notices, "_release", lambda *a: None)   # died: nothing released
    with contextlib.suppress(Died):
        notices.deliver(fresh, "message-1")
    monkeypatch.undo()
    with ThreadPoolExecutor(6) as pool:
        others = list(pool.map(lambda n: notices.deliver(fresh, f"message-{n + 2}"),
                               range(6)))
    assert others == [0] * 6
    assert notices.deliver(fresh, "message-1") == 1
    assert notices.deliver(fresh, "message-1") == 0
    assert all(r.sentAt for r in NotificationRecord.query(owner))


def test_a_departments_inbox_spread_over_its_partitions_pages_newest_first_once_each(stack):
    """A department's notifications are stored in 8 partitions; its inbox reads them as
    one: newest first, each once over every page, the unread ones alone when asked, and
    one marked read by its id wherever it is."""
    from chalicelib.services import clock
    base = clock.now()
    written = []
    for n in range(40):
        at = (base.replace(microsecond=0) - timedelta(minutes=n)).isoformat()
        note_id = notices.notification_id(at, f"EV#spread#{n}", "dept:RSJ")
        NotificationRecord(notices._partition("dept:RSJ", note_id), note_id,
                           caseNo="440300202612040000001X", template="task_created",
                           event="task_created", eventId=f"EV#spread#{n}", text=f"第{n}条",
                           channels=["inapp"], audience="department",
                           createdAt=at, expiresAt=2 ** 31 - 1).save()
        written.append(note_id)
    parts = {r.recipient for r in NotificationRecord.scan(
        NotificationRecord.recipient.startswith("dept:RSJ"))}
    assert len(parts) == notices.SPREAD
    staff = "rsj"
    listed = [n["id"] for n in _inbox(stack, staff)]
    assert listed == sorted(written, reverse=True)
    one_by_one, cursor = [], ""   # the smallest page moves on too
    while cursor is not None:
        page = stack.call("GET", f"/me/notifications?limit=1&cursor={cursor}", staff).data
        one_by_one += [n["id"] for n in page["notifications"]]
        cursor = page["next"]
    assert one_by_one == listed
    for note_id in written[::3]:
        answer = stack.call("POST", f"/me/notifications/{note_id}/read", staff)
        assert answer.status_code == 200 and answer.data["read"] is True
    unread = [n["id"] for n in _inbox(stack, staff, "&unread=true")]
    assert unread == sorted(set(written) - set(written[::3]), reverse=True)
    assert stack.call("POST", "/me/notifications/not-an-id/read", staff).status_code == 404
