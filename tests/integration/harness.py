"""An in-process OneWindow on moto: the real template, ASL, models and handlers."""
import copy
import json
import os
from dataclasses import dataclass

import boto3
from chalice.test import Client

from chalicelib import wiring
from chalicelib.services import read_cache, roster
from infra.local import demo, moto_shim
from infra.local.oidc import AUDIENCE, LocalIssuer
from infra.local.pump import EventPump
from infra.local.registries import Registries, started_for
from infra.local.stack import create_resources
from infra.local.threads import thread_local_requests

REGION = "cn-north-1"
# In-process, the streams client needs moto's generic host: moto routes DynamoDB Streams
# requests by that host name.
STREAMS_ENDPOINT = f"https://streams.dynamodb.{REGION}.amazonaws.com.cn"


@dataclass
class Stack:
    app: object
    client: Client
    pump: EventPump
    env: dict
    catalogue: dict | None = None   # the items table as loaded (reset restores it)
    queues: set | None = None       # the stack's own queues

    issuer: LocalIssuer | None = None  # the local OIDC issuer the API verifies against
    registries: Registries | None = None  # the demo base-data registries, over HTTP

    def token(self, user: str, **overrides) -> str:
        """A demo user's access token from the local issuer (`overrides`: any claim)."""
        return self.issuer.mint(demo.USERS[user], **overrides)

    def call(self, method: str, path: str, user: str | None = None, body=None,
             headers: dict | None = None):
        headers = dict(headers or {})
        if user:
            headers["Authorization"] = f"Bearer {self.token(user)}"
        kwargs = {"headers": headers}
        if body is not None:
            headers["Content-Type"] = "application/json"
            kwargs["body"] = body if isinstance(body, (str, bytes)) else json.dumps(body)
        response = getattr(self.client.http, method.lower())(path, **kwargs)
        self.pump.nudge()  # as the local server does after each request
        kind = response.headers.get("Content-Type", "")
        response.data = json.loads(response.body) if response.body and \
            kind.startswith("application/json") else None
        return response

    # -- flow helpers ----------------------------------------------------------------
    def case(self, case_no: str, user: str = "supervisor") -> dict:
        return self.call("GET", f"/cases/{case_no}", user).data

    def audit(self, day: str) -> list[dict]:
        """Every audit entry of a day, all pages."""
        entries, cursor = [], ""
        while cursor is not None:
            page = self.call("GET", f"/audit?day={day}&limit=100&cursor={cursor}",
                             "supervisor").data
            entries += page["entries"]
            cursor = page["next"]
        return entries

    def upload(self, user: str, data: bytes = b"%PDF-1.7 material", *,
               name: str = "material.pdf", content_type: str = "application/pdf",
               material: str | None = None, holder: str | None = None,
               wait: bool = True, **declared) -> dict:
        """Declare a material, POST it to the bucket with the form the API gave (as a
        browser would), and (`wait`) let the bucket's notice be handled: the material."""
        import hashlib

        import requests
        body = {"name": name, "contentType": content_type, "size": len(data),
                "sha256": hashlib.sha256(data).hexdigest(), **declared}
        if material:
            body["material"] = material
        if holder:
            body["holder"] = holder
        answer = self.call("POST", "/materials", user, body)
        assert answer.status_code in (200, 201), answer.data
        form = answer.data.get("upload")
        if form is None:
            return answer.data
        posted = requests.post(form["url"], data=form["fields"],
                               files={"file": (name, data, content_type)})
        assert posted.status_code == 204, posted.text
        identifier = answer.data["materialId"]
        if wait:
            assert self.pump.run_until(lambda: self.material(user, identifier)["state"]
                                       != "pending"), f"material {identifier} never arrived"
        return self.material(user, identifier)

    def material(self, user: str, identifier: str) -> dict:
        return self.call("GET", f"/materials/{identifier}", user).data

    def wait_status(self, case_no: str, status: int, timeout: float = 20) -> dict:
        assert self.pump.run_until(lambda: self.case(case_no)["status"] == status, timeout), \
            f"case {case_no} did not reach {status}: {self.case(case_no)}"
        return self.case(case_no)

    def open_task(self, case_no: str, dept: str, user: str, timeout: float = 20) -> dict:
        found = {}

        def appeared():
            inbox = self.call("GET", f"/tasks?dept={dept}", user).data["tasks"]
            mine = [t for t in inbox if t["caseNo"] == case_no]
            if mine:
                found.update(mine[0])
            return bool(mine)

        assert self.pump.run_until(appeared, timeout), f"no {dept} task for {case_no}"
        return found

    def approve_in_parallel(self, user: str = "company") -> dict:
        """A 公共场所卫生许可 case applied, accepted and approved by both departments:
        the concluded case (status 11)."""
        case_no = self.call("POST", "/cases", user, application(HYGIENE)).data["caseNo"]
        accept = self.open_task(case_no, "ZWFW", "clerk")
        self.decide(accept["taskId"], "clerk", "accept", "受理")
        for dept, reviewer in (("WSJK", "wsjk"), ("XFJY", "xfjy")):
            review = self.open_task(case_no, dept, reviewer)
            self.decide(review["taskId"], reviewer, "approve", "同意")
        return self.wait_status(case_no, 11)

    def business_license(self) -> str:
        """企业设立登记 for the company, accepted and approved: its 营业执照's identifier
        (a license the demo's 食品经营许可 takes in place of a paper copy)."""
        body = {"itemCode": REGISTRATION, "applicant": application(FOOD)["applicant"],
                "form": {"companyName": "深圳小吃有限公司", "address": "深圳市南山区科技园1号",
                         "registeredCapital": 100000, "scope": "餐饮服务"}, "channel": "web"}
        case_no = self.call("POST", "/cases", "company", body).data["caseNo"]
        accept = self.open_task(case_no, "ZWFW", "clerk")
        self.decide(accept["taskId"], "clerk", "accept", "受理")
        review = self.open_task(case_no, "SCJG", "scjg")
        self.decide(review["taskId"], "scjg", "approve", "同意")
        return self.wait_status(case_no, 11)["licenseId"]

    def decide(self, task_id: str, user: str, decision: str, opinion: str | None = None):
        body = {"decision": decision}
        if opinion is not None:
            body["opinion"] = opinion
        return self.call("POST", f"/tasks/{task_id}/decision", user, body)


def start_stack() -> Stack:
    moto_shim.install()
    env = create_resources(REGION)
    issuer = LocalIssuer(demo.USERS).start()
    registries = started_for(env, REGION)
    env["OW_DATA_SOURCES"] = registries.sources()
    os.environ.update(env)
    # The API verifies tokens against the local issuer as it would against any OIDC
    # provider; a key it has not seen is fetched at once (tests rotate keys).
    os.environ.update({"OW_OIDC_ISSUER": issuer.url, "OW_OIDC_AUDIENCE": AUDIENCE,
                       "OW_OIDC_JWKS_REFRESH_SECONDS": "0"})
    os.environ.pop("OW_OIDC_JWKS_URL", None)
    wiring.configure()
    import app as app_module
    demo.load_catalogue()
    pump = EventPump(app_module.app, env, REGION, streams_endpoint_url=STREAMS_ENDPOINT)
    thread_local_requests(app_module.app)  # tests send concurrent requests
    stack = Stack(app=app_module.app, client=Client(app_module.app), pump=pump, env=env,
                  issuer=issuer, registries=registries)
    stack.catalogue = copy.deepcopy(_moto_table(env["OW_ITEMS_TABLE"]).items)
    stack.queues = set(boto3.client("sqs", region_name=REGION).list_queues()["QueueUrls"])
    return stack


ACCOUNT = "123456789012"


def _moto_table(name: str):
    from moto.dynamodb.models import dynamodb_backends
    return dynamodb_backends[ACCOUNT][REGION].get_table(name)


def reset(stack: Stack) -> None:
    """Per-test isolation on the session's stack: every workflow stopped and forgotten,
    cases and licenses gone (the day's case-number counter kept, so numbers and execution
    names never repeat), the shipped catalogue as loaded, queues empty, subscriptions and
    queues a test made removed, the supervision record and notifications empty, and a pump
    reading a fresh stream."""
    from moto.dynamodb.models.table import StreamShard
    from moto.stepfunctions.parser.models import stepfunctions_parser_backends
    sfn = boto3.client("stepfunctions", region_name=REGION)
    machine = stack.env["OW_STATE_MACHINE_ARN"]
    for page in sfn.get_paginator("list_executions").paginate(stateMachineArn=machine,
                                                              statusFilter="RUNNING"):
        for execution in page["executions"]:
            sfn.stop_execution(executionArn=execution["executionArn"])
    for state_machine in stepfunctions_parser_backends[ACCOUNT][REGION].state_machines:
        state_machine.executions.clear()
    with moto_shim.LOCK:
        cases = _moto_table(stack.env["OW_CASES_TABLE"])
        for pk in [pk for pk in cases.items if not str(pk.value).startswith("SEQ#")]:
            del cases.items[pk]
        cases.stream_shard = StreamShard(ACCOUNT, cases)
        _moto_table(stack.env["OW_LICENSES_TABLE"]).items.clear()
        _moto_table(stack.env["OW_SUPERVISION_TABLE"]).items.clear()
        _moto_table(stack.env["OW_NOTIFICATIONS_TABLE"]).items.clear()
        _moto_table(stack.env["OW_STATISTICS_TABLE"]).items.clear()
        _moto_table(stack.env["OW_USAGE_TABLE"]).items.clear()
        _moto_table(stack.env["OW_MATERIALS_TABLE"]).items.clear()
        _moto_table(stack.env["OW_ITEMS_TABLE"]).items = copy.deepcopy(stack.catalogue)
    read_cache.catalogue.clear()  # the table changed under the app's feet
    stack.registries.queries.clear()
    stack.registries.control.clear()
    roster._entered.clear()       # so did the departments' rosters
    _empty_bucket(stack.env["OW_MATERIALS_BUCKET"])
    # The seals' bucket is write-once (Object Lock): a test's new stack starts it empty.
    from moto.s3.models import s3_backends
    for backend in s3_backends[ACCOUNT].values():
        if stack.env["OW_SUPERVISION_SEALS_BUCKET"] in backend.buckets:
            backend.buckets[stack.env["OW_SUPERVISION_SEALS_BUCKET"]].keys.clear()
    sqs, sns = boto3.client("sqs", region_name=REGION), boto3.client("sns", region_name=REGION)
    for url in sqs.list_queues().get("QueueUrls", []):
        if url in stack.queues:
            _empty(url)
        else:
            sqs.delete_queue(QueueUrl=url)
    for subscription in sns.list_subscriptions()["Subscriptions"]:
        sns.unsubscribe(SubscriptionArn=subscription["SubscriptionArn"])
    stack.pump.close()
    stack.pump = EventPump(stack.app, stack.env, REGION, streams_endpoint_url=STREAMS_ENDPOINT)


def _empty_bucket(bucket: str) -> None:
    s3 = boto3.client("s3", region_name=REGION)
    for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket):
        versions = page.get("Versions", []) + page.get("DeleteMarkers", [])
        if versions:
            s3.delete_objects(Bucket=bucket, Delete={"Objects": [
                {"Key": v["Key"], "VersionId": v["VersionId"]} for v in versions]})


def _empty(url: str) -> None:
    from moto.sqs.models import sqs_backends
    sqs_backends[ACCOUNT][REGION].get_queue(url.rsplit("/", 1)[-1])._messages.clear()


FOOD = demo.code_of("000201012000", "SCJG")         # 食品经营许可, one department
HYGIENE = demo.code_of("000201025000", "WSJK")      # 公共场所卫生许可, two in parallel
REGISTRATION = demo.code_of("000201001000", "SCJG")  # 企业设立登记: issues 营业执照
RESTAURANT = demo.code_of("000201099000", "ZWFW")   # 开办餐厅一件事, three stages
INSURANCE_PROOF = demo.code_of("000220016000", "RSJ")  # 个人参保证明打印, immediate
COMPANY = {"type": "legal", "name": "深圳小吃有限公司", "idNumber": "91440300MA5FXK7Q3T",
           "phone": "13800138000"}


def task_recorded(case_no: str, task_id: str) -> bool:
    """Whether the task is in the cases table yet (read consistently)."""
    from chalicelib.adapters.models import TaskRecord
    try:
        TaskRecord.get(case_no, f"TASK#{task_id}", consistent_read=True)
    except TaskRecord.DoesNotExist:
        return False
    return True


def sweep(now=None) -> dict:
    """The overdue sweep at `now`, on the stores the composition root built (as the
    scheduled handler runs it)."""
    from chalicelib.services import overdue
    return overdue.sweep(wiring.stores().supervision, now)


def license_and_material_uses(entries: list[dict]) -> list[dict]:
    """An access log's entries of licenses and materials: without the staff reads of the
    holder's case files (the flow helpers read cases as a supervisor, and each read is
    logged: test_data_sharing.py tests those)."""
    return [e for e in entries if not (e["action"] == "view" and "licenseId" not in e
                                       and "materialId" not in e)]


def application(item: str = HYGIENE, **overrides) -> dict:
    forms = {FOOD: {"businessName": "小吃店", "address": "深圳市南山区科技园1号",
                    "category": "餐饮服务"},
             HYGIENE: {"placeName": "悦来宾馆", "address": "深圳市福田区深南大道2号",
                       "placeType": "住宿"},
             RESTAURANT: {"restaurantName": "深圳小吃", "address": "深圳市南山区科技园1号",
                          "seats": 40}}
    body = {"itemCode": item, "applicant": dict(COMPANY), "form": forms[item],
            "channel": "web"}
    body.update(overrides)
    return body


def another(item: str = HYGIENE, n: int = 1, **overrides) -> dict:
    """The n-th of several distinct applications for the same item by the same applicant:
    its form names another business (identical ones are refused while one is open)."""
    body = application(item, **overrides)
    name = {FOOD: "businessName", HYGIENE: "placeName", RESTAURANT: "restaurantName"}[item]
    body["form"] = {**body["form"], name: f"{body['form'][name]}{n}"}
    return body
