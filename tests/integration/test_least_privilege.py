"""Each function's IAM role (its grants in chalicelib/events/registry.py) allows every AWS call that
function's code makes — recorded here on a whole case, the catalogue's administration
and the operators' watch — and nothing is granted that no code path uses.

moto does not enforce IAM, so the calls are recorded (a botocore hook on the threads
running each function) and checked against the policy the template will carry.
"""
import contextlib
import contextvars
import json
import os
import re
from datetime import timedelta

import boto3
import botocore.handlers
import pytest

from chalicelib.adapters.models import TaskToken
from chalicelib.events import registry
from chalicelib.services import (
    clock,
    materials,
    overdue,
    read_cache,
    supervision_record,
    tasks,
)
from infra.local import demo
from infra.local.pump import EventPump
from infra.package import FUNCTION_ACCESS

from .harness import FOOD, another

# The function each event handler runs in (chalicelib/events/registry.py).
HANDLER_FUNCTIONS = {function.handler: function.name for function in registry.FUNCTIONS
                     if function.handler}
# Per-item actions IAM checks inside a transaction.
TRANSACT_ACTIONS = {"Put": "PutItem", "Update": "UpdateItem", "Delete": "DeleteItem",
                    "ConditionCheck": "ConditionCheckItem"}

# IAM's actions for SQS's batch requests: the single request's (IAM has no other).
SQS_BATCHES = {"SendMessageBatch": "SendMessage", "DeleteMessageBatch": "DeleteMessage",
               "ChangeMessageVisibilityBatch": "ChangeMessageVisibility"}

# IAM's actions for S3's listings, which are of the bucket.
LISTINGS = {"ListObjectsV2": "ListBucket", "ListObjectVersions": "ListBucketVersions"}

# The API's routes API Gateway sends to a function of their own (registry `routes`).
_ROUTED = [(re.compile(re.sub(r"\\{[^}]+\\}", "[^/]+", re.escape(route))), function.name)
           for function in registry.FUNCTIONS for route in function.routes]


def _api_function(method: str, path: str) -> str:
    """The function API Gateway invokes for a request."""
    route = f"{method} {path.split('?', 1)[0]}"
    return next((name for pattern, name in _ROUTED if pattern.fullmatch(route)),
                "APIHandler")


# Which function a call is made for: a context variable, so the threads a function reads
# on (services/at_once.py) make their calls for it too.
_function: contextvars.ContextVar[str | None] = contextvars.ContextVar("function",
                                                                      default=None)


class Recorder:
    def __init__(self, stack):
        env = stack.env
        self.tables = {env["OW_CASES_TABLE"]: "CasesTable", env["OW_ITEMS_TABLE"]: "ItemsTable",
                       env["OW_LICENSES_TABLE"]: "LicensesTable",
                       env["OW_AUDIT_TABLE"]: "AuditTable",
                       env["OW_SUPERVISION_TABLE"]: "SupervisionTable",
                       env["OW_NOTIFICATIONS_TABLE"]: "NotificationsTable",
                       env["OW_STATISTICS_TABLE"]: "StatisticsTable",
                       env["OW_USAGE_TABLE"]: "UsageTable",
                       env["OW_MATERIALS_TABLE"]: "MaterialsTable"}
        dead = env["OW_DEAD_LETTER_QUEUE_URLS"].split(",")
        self.queues = {**{env[queue.env]: queue.resource for queue in registry.queues()},
                       **dict(zip(dead, registry.DEAD_LETTER_QUEUES, strict=True))}
        self.buckets = {env["OW_MATERIALS_BUCKET"]: ("MaterialsBucket", "materials/"),
                        env["OW_SUPERVISION_SEALS_BUCKET"]: ("SupervisionSealsBucket",
                                                             "seals/")}
        self.bus = env["OW_EVENT_BUS_NAME"]
        self.topic = env["OW_NOTIFICATIONS_TOPIC_ARN"]
        self.machine = env["OW_STATE_MACHINE_ARN"]
        self.secrets = {env["OW_CURSOR_SECRET_ID"]: "CursorSecret",
                        env["OW_QUERY_PASSWORD_SECRET_ID"]: "QueryPasswordSecret",
                        env["OW_LOOKUP_SECRET_ID"]: "LookupSecret",
                        env["OW_DATA_EXCHANGE_SECRET_ID"]: "DataExchangeSecret"}
        self.calls: set[tuple[str, str, str]] = set()

    def __call__(self, model, params, **_):
        function = _function.get()
        if function is None:
            return
        service = model.service_model.signing_name
        for action, resource in self._resolve(service, model.name, params):
            self.calls.add((function, f"{service}:{action}", resource))

    def _resolve(self, service, operation, params):
        """The (IAM action, template resource) pairs one AWS call needs."""
        resolve = {"dynamodb": self._dynamodb, "sqs": self._sqs, "sns": self._sns,
                   "states": self._states, "events": self._events, "kms": self._kms,
                   "s3": self._s3, "secretsmanager": self._secrets}.get(service)
        if resolve is None:
            yield operation, "?"
            return
        yield from resolve(operation, params)

    def _dynamodb(self, operation, params):
        if operation == "TransactWriteItems":
            for item in params["TransactItems"]:
                (kind, body), = item.items()
                yield TRANSACT_ACTIONS[kind], self.tables[body["TableName"]]
        elif operation == "TransactGetItems":
            for item in params["TransactItems"]:
                yield "GetItem", self.tables[item["Get"]["TableName"]]
        elif operation in ("BatchWriteItem", "BatchGetItem"):
            for table in params["RequestItems"]:
                yield operation, self.tables[table]
        else:
            yield operation, self.tables[params["TableName"]]

    def _sqs(self, operation, params):
        yield SQS_BATCHES.get(operation, operation), self.queues[params["QueueUrl"]]

    def _sns(self, operation, params):
        assert params["TopicArn"] == self.topic
        yield operation, "NotificationsTopic"

    def _states(self, operation, params):
        if operation == "StartExecution":
            assert params["stateMachineArn"] == self.machine
        if "executionArn" in params:
            assert params["executionArn"].startswith(
                self.machine.replace(":stateMachine:", ":execution:") + ":")
            yield operation, "CaseApprovalStateMachine.Executions"
        else:
            yield operation, "CaseApprovalStateMachine"

    def _events(self, operation, params):
        assert {e["EventBusName"] for e in params["Entries"]} == {self.bus}
        yield operation, "CaseEventBus"

    def _kms(self, operation, params):
        personal = os.environ["OW_PERSONAL_DATA_KEY_ID"]
        key = params.get("KeyId") or personal  # Decrypt may name none: the blob says
        yield operation, "PersonalDataKey" if personal in key else "LicenseSigningKey"

    def _s3(self, operation, params):
        # A presigned POST names no key here: its form binds one under materials/.
        bucket, prefix = self.buckets[params["Bucket"]]
        assert params.get("Key", prefix).startswith(prefix)
        if operation in LISTINGS:   # a listing is of the bucket
            assert params["Prefix"].startswith(prefix)
            yield LISTINGS[operation], bucket
            return
        # IAM's actions for S3's operations: HEAD is a read; a version is named apart;
        # botocore presigns a POST under the name CreateBucket: it puts an object.
        action = {"HeadObject": "GetObject", "CreateBucket": "PutObject"}.get(
            operation, operation)
        if params.get("VersionId"):   # GetObjectVersion, PutObjectVersionTagging
            action = action.replace("Tagging", "VersionTagging") \
                if action.endswith("Tagging") else action + "Version"
        yield action, f"{bucket}.Objects"

    def _secrets(self, operation, params):
        yield operation, self.secrets[params["SecretId"]]


@pytest.fixture
def recorded(stack, monkeypatch):
    recorder = Recorder(stack)
    botocore.handlers.BUILTIN_HANDLERS.append(("before-parameter-build", recorder))
    import boto3

    from chalicelib import wiring
    boto3.DEFAULT_SESSION = None  # a new session (and clients) taking the hook just added
    wiring.configure()
    original = EventPump.invoke

    def labelled(self, source, event):
        # Each function's container caches the catalogue's reads, the signing key, the
        # secrets and the data keys for itself: what another function read is not there
        # for this one.
        _cold(monkeypatch)
        token = _function.set(HANDLER_FUNCTIONS[source.name])
        try:
            return original(self, source, event)
        finally:
            _function.reset(token)

    monkeypatch.setattr(EventPump, "invoke", labelled)
    call = stack.call

    def api_call(method, path, *args, **kwargs):
        function = _api_function(method, path)
        if function != "APIHandler":
            # A function of its own is a process of its own: nothing the API's calls
            # cached (a secret, a key) is there for it.
            _cold(monkeypatch)
        token = _function.set(function)
        try:
            return call(method, path, *args, **kwargs)
        finally:
            _function.reset(token)

    monkeypatch.setattr(stack, "call", api_call)
    yield recorder
    botocore.handlers.BUILTIN_HANDLERS.remove(("before-parameter-build", recorder))
    boto3.DEFAULT_SESSION = None
    wiring.configure()


def _forget_keys() -> None:
    from chalicelib.adapters import signer
    from chalicelib.services import licenses
    signer.key_arn.cache_clear()
    signer.public_key_der.cache_clear()
    licenses.keys._jwk.cache_clear()


def _cold(monkeypatch) -> None:
    from chalicelib.adapters import sealing, secrets
    secrets.forget()
    read_cache.catalogue.clear()
    monkeypatch.setattr(sealing, "_opened", {})
    monkeypatch.setattr(sealing, "_current", {})
    _forget_keys()


@contextlib.contextmanager
def _failing_once(monkeypatch, module, name: str):
    """`module.name(…, case_no)` fails the first time it is called (a downstream service
    down for a moment); yields the case numbers it failed for."""
    real, failed = getattr(module, name), []

    def once(*args):
        if not failed:
            failed.append(args[-1])
            raise RuntimeError(f"{name}: service unavailable")
        return real(*args)

    monkeypatch.setattr(module, name, once)
    try:
        yield failed
    finally:
        monkeypatch.setattr(module, name, real)


def _exercise(stack, monkeypatch):
    """A case through two parallel reviews to a verified license and then revoked, one
    refused, one withdrawn, one left overdue; the catalogue's administration; the
    overdue sweep and the dead-letter watch."""
    from chalicelib.adapters import sealing, signer
    from chalicelib.services import licenses
    monkeypatch.setattr(sealing, "CACHE", False)  # each function asks KMS itself
    # The license key is cached per process: start as a cold function would.
    signer.public_key_der.cache_clear()
    licenses.keys._jwk.cache_clear()
    # Its conclusion fails once (KMS, say): marked for the reconciliation, then made by
    # the queue's next delivery.
    from chalicelib.services import conclusion, starts
    with _failing_once(monkeypatch, conclusion, "conclude") as failed:
        case = stack.approve_in_parallel()
    assert failed == [case["caseNo"]]
    refused = stack.call("POST", "/cases", "company", another(FOOD, 1)).data["caseNo"]
    task = stack.open_task(refused, "ZWFW", "clerk")
    stack.decide(task["taskId"], "clerk", "refuse", "不属于本部门职权范围")
    withdrawn = stack.call("POST", "/cases", "company", another(FOOD, 2)).data["caseNo"]
    retried = stack.open_task(withdrawn, "ZWFW", "clerk")
    # A filtered inbox: its index's page, then its tasks by key.
    assert stack.call("GET", f"/tasks?item={FOOD}", "clerk").data["tasks"]
    # A callback state the workflow retried: its task's message again, with a new token,
    # which joins the first (added to the task's set of tokens).
    boto3.client("sqs", region_name="cn-north-1").send_message(
        QueueUrl=stack.env["OW_TASKS_QUEUE_URL"], MessageBody=json.dumps({
            "taskId": retried["taskId"], "kind": "acceptance", "caseNo": withdrawn,
            "itemCode": FOOD, "dept": "ZWFW", "deadline": "2026-12-01",
            "token": "a retried callback's token"}))
    assert stack.pump.run_until(lambda: "a retried callback's token" in TaskToken.get(
        withdrawn, tasks.token_key(retried["taskId"]), consistent_read=True).tokens)
    stack.call("POST", f"/cases/{withdrawn}/withdraw", "company", {"reason": "不办了"})
    stack.wait_status(withdrawn, 2)
    # A start Step Functions refuses once: marked for the reconciliation, then made by
    # the queue's next delivery.
    with _failing_once(monkeypatch, starts, "start_queued") as failed:
        late = stack.call("POST", "/cases", "company", another(FOOD, 3)).data["caseNo"]
        stack.open_task(late, "ZWFW", "clerk")
    assert failed == [late]
    stack.pump.run_until(lambda: False, timeout=0.5)
    # A material: declared, uploaded to the bucket, checked, named in an application
    # with a license in place of a paper copy (the uses recorded by the request, then by
    # the cases stream), opened by the clerk who accepts it, listed for its owner.
    plan = stack.upload("company", material="经营场所平面图和设备布局图")["materialId"]
    business_license = stack.business_license()
    with_plan = stack.call("POST", "/cases", "company", another(FOOD, 4, materials=[
        {"name": "经营场所平面图和设备布局图", "materialId": plan},
        {"name": "营业执照", "licenseId": business_license}])).data["caseNo"]
    # Another, whose request dies after writing the case: the stream records its uses.
    recorded_by_request = materials.record_uses
    monkeypatch.setattr(materials, "record_uses", lambda *a, **k: 1 / 0)
    rules = stack.upload("company", b"%PDF-1.7 rules", material="食品安全管理制度文本")
    assert stack.call("POST", "/cases", "company", another(FOOD, 5, materials=[
        {"name": "食品安全管理制度文本", "materialId": rules["materialId"]},
        {"name": "营业执照", "licenseId": business_license}])).status_code == 500
    monkeypatch.setattr(materials, "record_uses", recorded_by_request)
    assert stack.pump.run_until(lambda: stack.material(
        "company", rules["materialId"]).get("usedIn"))
    stack.open_task(with_plan, "ZWFW", "clerk")
    assert stack.call("GET", f"/materials/{plan}/download?purpose=受理",
                      "clerk").status_code == 200
    assert stack.call("GET", "/me/materials", "company").data["materials"]
    # One whose upload is not the file declared: rejected, the object deleted.
    assert stack.upload("company", b"%PDF-1.7 declared", size=3)["state"] == "rejected"
    signed = stack.call("GET", f"/licenses/{case['licenseId']}", "company").data
    assert stack.call("POST", "/licenses/verify",
                      body={**signed, "purpose": "开户核验"}).data["valid"] is True
    # The public key is cached per process: here one process plays every function.
    signer.public_key_der.cache_clear()
    licenses.keys._jwk.cache_clear()
    stack.call("GET", "/licenses/keys")
    stack.call("GET", "/.well-known/license-keys")
    for path in ("/items", f"/items/{FOOD}", "/catalogue",
                 "/catalogue/000201012000", f"/admin/items/{FOOD}/history"):
        stack.call("GET", path, "admin")
    stack.call("POST", f"/admin/items/{FOOD}/versions", "admin", {"reason": "新版"})
    version = stack.call("GET", f"/admin/items/{FOOD}/versions/2", "admin")
    item = {k: v for k, v in version.data.items() if k not in ("status", "lineage",
                                                              "version")}
    # 秒批 for a licensing item: the starts consumer issues and signs the license.
    item["instantApproval"] = {"sampleShare": 1, "rules": [
        {"id": "active", "name": "企业存续", "expression": 'legalPerson.status == "存续"'},
        {"id": "credit", "name": "无失信记录", "expression": "!credit.dishonest"}]}
    stack.call("PUT", f"/admin/items/{FOOD}/versions/2", "admin",
               {"item": item, "reason": "改"}, headers={"If-Match": version.headers["ETag"]})
    # The simulation reads the open cases' tasks from the inboxes, their versions in a batch.
    simulated = stack.call("POST", f"/admin/items/{FOOD}/versions/2/simulate", "admin")
    assert simulated.data["openCases"]["count"] >= 1, simulated.data
    stack.call("POST", f"/admin/items/{FOOD}/versions/2/publish", "admin", {"reason": "发"})
    stack.call("POST", f"/admin/items/{FOOD}/suspend", "admin", {"reason": "停"})
    stack.call("POST", f"/admin/items/{FOOD}/resume", "admin", {"reason": "复"})
    # 数据共享 and 秒批: consent, a pre-filled form (the API asks the legal-person
    # registry); the company's 食品经营许可 approved by the version's rules with its
    # license, and an 80-year-old's 高龄津贴 (the starts consumer asks the registries,
    # reads the applicant's history, seals the facts, issues and concludes), the switch.
    food_consent = stack.call("POST", "/me/consents", "company",
                              {"itemCode": FOOD}).data["consentId"]
    prefilled = stack.call("GET", f"/items/{FOOD}/prefill?consent={food_consent}",
                           "company")
    assert prefilled.status_code == 200 and prefilled.data["fields"], prefilled.data
    form = {**another(FOOD, 9)["form"], **{name: field["value"] for name, field
                                          in prefilled.data["fields"].items()}}
    licensed = stack.call("POST", "/cases", "company", {
        **another(FOOD, 9), "form": form, "consentId": food_consent,
        "prefill": prefilled.data["token"]}).data["caseNo"]
    assert stack.wait_status(licensed, 11)["licenseId"]
    elderly = demo.code_of("000505012000", "MZJ")
    elder = demo.USERS["elder"]
    elder_consent = stack.call("POST", "/me/consents", "elder",
                               {"itemCode": elderly}).data["consentId"]
    instant = stack.call("POST", "/cases", "elder", {
        "itemCode": elderly, "channel": "web", "consentId": elder_consent,
        "applicant": {"type": "natural", "name": elder["name"], "idNumber": elder["idNumber"]},
        "form": {"name": elder["name"], "registeredAddress": "广东省深圳市福田区福中路28号",
                 "payout": "社会保障卡"}}).data["caseNo"]
    stack.wait_status(instant, 11)
    stack.call("GET", "/me/consents", "elder")
    stack.call("POST", f"/me/consents/{elder_consent}/revoke", "elder")
    stack.call("GET", f"/items/{elderly}/consent-terms")
    stack.call("PUT", f"/items/{elderly}/instant-approval", "supervisor",
               {"enabled": False, "reason": "暂停"})
    stack.call("GET", f"/items/{elderly}/instant-approval", "supervisor")
    assert stack.call("GET", "/instant-approval/items", "supervisor").data["items"]
    # The issuing department suspends, resumes and reissues the license.
    license_path = f"/licenses/{case['licenseId']}"
    stack.call("POST", f"{license_path}/suspend", "wsjk", {"reason": "停业整顿"})
    stack.call("POST", f"{license_path}/resume", "wsjk", {"reason": "整改完成"})
    assert stack.call("POST", f"{license_path}/reissue", "wsjk", {
        "changes": {"holder": "深圳大吃有限公司"}, "reason": "名称变更"}).status_code == 201
    stack.call("GET", f"{license_path}/status")
    stack.call("GET", f"{license_path}?purpose=复核", "wsjk")
    # The printed license as PDF, in a function of its own (registry.PRINT): its
    # holder's, and a staff member's (logged for the holder).
    for who, query in (("company", ""), ("wsjk", "?purpose=复核")):
        assert stack.call("GET", f"{license_path}/print.pdf{query}", who,
                          headers={"Accept": "application/pdf"}).status_code == 200
    # The case's documents (文书): listed, read, printed (the print function), their
    # public status, verified; a print refused as if nothing were there is audited.
    documents = f"/cases/{case['caseNo']}/documents"
    assert stack.pump.run_until(lambda: [d["kind"] for d in stack.call(
        "GET", documents, "company").data["items"]] == [
        "acceptance_notice", "approval_decision", "license_reissue_notice"])
    for found in stack.call("GET", documents, "wsjk").data["items"]:
        signed = stack.call("GET", f"{documents}/{found['documentId']}", "company").data
        assert stack.call("POST", "/documents/verify", None, signed).data["valid"]
        stack.call("GET", f"/documents/{found['documentId']}/status?key={found['sha256'][:16]}")
        for who, expected in (("company", 200), ("applicant", 404)):
            assert stack.call("GET", f"{documents}/{found['documentId']}/print.pdf", who,
                              headers={"Accept": "application/pdf"}
                              ).status_code == expected
    # The applicant asks for a correction; the department refuses, then corrects.
    first = f"{documents}/{found['documentId']}"
    stack.call("POST", f"{first}/correction-request", "company", {"reason": "名称有误"})
    stack.call("POST", f"{first}/correction-request/refusal", "wsjk", {"reason": "无误"})
    assert stack.call("POST", f"{first}/correct", "wsjk", {
        "reason": "笔误", "corrections": [{"wrong": "深圳", "right": "深圳市"}]}
    ).status_code == 201
    assert stack.call("GET", "/me/licenses", "company").data["licenses"]
    assert stack.call("GET", "/me/access-log", "company").data["entries"]
    stack.call("POST", f"/cases/{case['caseNo']}/revoke", "supervisor",
               {"reason": "以欺骗手段取得"})
    # A refused access is audited; the supervisor reads the trail.
    stack.call("GET", f"/cases/{case['caseNo']}", "applicant")
    stack.call("GET", "/audit?day=2026-11-25", "supervisor")
    # A page with a next one: its cursor is signed with the cursor secret.
    assert stack.call("GET", "/me/cases?limit=1", "company").data["next"]
    # The in-app inbox: read, one marked read, the channels chosen.
    assert stack.pump.run_until(lambda: stack.call("GET", "/me/notifications",
                                                   "company").data["notifications"])
    note = stack.call("GET", "/me/notifications", "company").data["notifications"][0]
    stack.call("POST", f"/me/notifications/{note['id']}/read", "company")
    stack.call("GET", "/me/notification-preferences", "company")
    stack.call("PUT", "/me/notification-preferences", "company", {"channels": ["sms"]})
    # A bad rating and its callback; the figures and the evaluators' export.
    rating = stack.call("POST", f"/cases/{refused}/ratings", "company",
                        {"scope": "case", "level": 1}).data["ratingId"]
    stack.call("POST", f"/ratings/{rating}/callback", "scjg", {"verified": True, "note": "回访"})
    stack.call("GET", "/ratings", "scjg")
    stack.call("GET", f"/cases/{refused}/ratings", "company")
    assert stack.pump.run_until(lambda: stack.call("GET", "/stats", "supervisor").data[
        "total"]["ratings"] == 1)
    stack.call("GET", f"/stats/{clock.now():%Y-%m}/export.csv", "evaluator")
    stack.wait_status(case["caseNo"], 15)
    # The dead-letter watch, through the pump, with a message set aside to alert about;
    # the sweep a month on, when the last case is overdue.
    dead = stack.env["OW_DEAD_LETTER_QUEUE_URLS"].split(",")[0]
    boto3.client("sqs", region_name="cn-north-1").send_message(QueueUrl=dead,
                                                               MessageBody="{}")
    # The sweep today: it seals the supervision record's chain the lifecycle events went to.
    assert stack.pump.run_until(lambda: supervision_record.verify(clock.today())["entries"] > 20)
    # A supervisor reads the record's status: before the sweep, entries not sealed yet
    # (their markers read); after it, against the seal (its first version read).
    record_status = f"/supervision/record-status?from={clock.today()}&to={clock.today()}"
    assert stack.call("GET", record_status, "supervisor").data["holds"] is True
    assert stack.pump.fire_schedules() == 2
    assert stack.call("GET", record_status, "supervisor").data["seals"]["count"] == 1
    # A month on, it reads back its last seal and checks its signature, as a cold
    # function would, and seals the day for good.
    signer.public_key_der.cache_clear()
    signer.key_arn.cache_clear()
    licenses.keys._jwk.cache_clear()
    later = clock.now() + timedelta(days=30)
    monkeypatch.setattr(clock, "now", lambda: later)
    assert stack.pump.fire_schedules() == 2
    stack.pump.run_until(lambda: "overdue" in [
        e["action"] for e in stack.case(late)["timeline"]])
    # More due than a run looks at itself: a case past its deadlines queued, and looked
    # at by SuperviseDue.
    queued = stack.call("POST", "/cases", "company", another(FOOD, 90)).data["caseNo"]
    stack.decide(stack.open_task(queued, "ZWFW", "clerk")["taskId"], "clerk", "accept", "受理")
    stack.open_task(queued, "SCJG", "scjg")
    much_later = later + timedelta(days=40)
    monkeypatch.setattr(clock, "now", lambda: much_later)
    monkeypatch.setattr(overdue, "INLINE", 0)
    assert stack.pump.fire_schedules() == 2
    # The next run, the case still due and its message not yet taken, asks the due queue
    # whether it still holds what the last one queued (and leaves the case to it).
    assert stack.pump.fire_schedules() == 2
    assert stack.pump.run_until(lambda: "overdue" in [
        e["action"] for e in stack.case(queued)["timeline"]], 60)


def _granted() -> set[tuple[str, str, str]]:
    return {(function, f"{service}:{action}", resource)
            for function, grants in FUNCTION_ACCESS.items()
            for service, actions, resources in grants
            for action in actions for resource in resources}


def test_every_call_a_function_makes_is_granted_to_it(stack, recorded, monkeypatch):
    _exercise(stack, monkeypatch)
    calls = {c for c in recorded.calls if not c[2].endswith(".Stream")}
    assert {c[0] for c in calls} == set(FUNCTION_ACCESS)
    assert calls - _granted() == set()


def test_nothing_is_granted_that_no_code_path_uses(stack, recorded, monkeypatch):
    _exercise(stack, monkeypatch)
    unused = _granted() - recorded.calls
    # Lambda itself uses these with the function's role: its pollers read the queue or
    # stream, and a stream batch that keeps failing goes to the on-failure queue.
    expected_unused = {(function.name, action, resource)
                       for function in registry.FUNCTIONS
                       for action, resource in registry.poller_grants(function)}
    assert unused - expected_unused == set(), sorted(unused - expected_unused)
