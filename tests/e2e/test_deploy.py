"""Every example stage packages (`make package STAGE=<stage>`) into a template that deploys
into moto's CloudFormation in its own region and partition, with one least-privilege role
per function, logs kept at least 180 days, tracing on, and the operators' alarms."""
import json
import subprocess
import sys
import zipfile

import pytest

from infra import package

ROOT = package.ROOT
STAGES = sorted(package.stages())


@pytest.fixture(scope="module")
def built():
    return {stage: package.build(stage) for stage in STAGES}


def _template(built, stage) -> dict:
    return json.loads(built[stage].read_text("utf-8"))


def test_there_are_stages_in_both_china_regions_and_one_outside(built):
    regions = {package.stage_region(stage) for stage in STAGES}
    assert {"cn-north-1", "cn-northwest-1"} <= regions
    assert any(not region.startswith("cn-") for region in regions)
    settings = [package.stages()[s]["environment_variables"] for s in STAGES]
    for key in ("OW_AREA_CODE", "OW_ISSUER_USCC", "OW_CORS_ORIGINS", "OW_OIDC_ISSUER"):
        assert len({s[key] for s in settings}) == len(STAGES), key


@pytest.mark.parametrize("stage", STAGES)
def test_a_stage_deploys_into_cloudformation(built, stage):
    done = subprocess.run([sys.executable, "-m", "tests.e2e.deploy_in_moto", stage],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-5000:]
    deployed = json.loads(done.stdout)
    region = package.stage_region(stage)
    partition = "aws-cn" if region.startswith("cn-") else "aws"
    assert deployed["status"] == "CREATE_COMPLETE"
    # moto has no CloudFormation for these: checked in the template below instead.
    assert set(deployed["skipped_by_moto"]) <= {
        "AWS::ApiGateway::Deployment", "AWS::ApiGateway::Stage", "AWS::CloudWatch::Alarm",
        "AWS::SecretsManager::Secret", "AWS::SQS::QueuePolicy"}

    functions = deployed["functions"]
    assert set(functions) == set(package.FUNCTIONS)
    roles = {f["role"] for f in functions.values()}
    assert len(roles) == len(functions)                 # one role per function
    area = package.stages()[stage]["environment_variables"]["OW_AREA_CODE"]
    for function in functions.values():
        assert function["runtime"] == "python3.11"
        assert function["role"].startswith(f"arn:{partition}:iam::")
        environment = function["environment"]
        assert environment["OW_AREA_CODE"] == area
        assert environment["OW_CASES_TABLE"].startswith(f"onewindow-{stage}-CasesTable")
        assert environment["OW_STATE_MACHINE_ARN"].startswith(f"arn:{partition}:states:"
                                                              f"{region}:")
        # Secrets by name only; no value anywhere in the function's configuration.
        assert environment["OW_QUERY_PASSWORD_SECRET_ID"] == f"onewindow-{stage}/query-password"
        assert not [v for k, v in environment.items() if "SECRET" in k and "/" not in v]
    sources = {m["function"].rsplit("-", 1)[-1]: m["source"] for m in deployed["mappings"]}
    assert set(sources) == {"RecordTask", "ConcludeCase", "StartWorkflow", "CaseTimeline",
                            "RecordSupervision", "SendNotifications", "CountStatistics",
                            "RecordMaterial"}
    assert "MaterialsQueue" in sources["RecordMaterial"]
    assert "TasksQueue" in sources["RecordTask"] and "ConcludeQueue" in sources["ConcludeCase"]
    assert "StartsQueue" in sources["StartWorkflow"]
    assert "SupervisionQueue" in sources["RecordSupervision"]
    assert "NotificationsQueue" in sources["SendNotifications"]
    assert "StatisticsQueue" in sources["CountStatistics"]
    assert "/stream/" in sources["CaseTimeline"]
    assert deployed["log_groups"] == {
        **{f"/aws/lambda/onewindow-{stage}-{name}": 180 for name in package.FUNCTIONS},
        f"/aws/vendedlogs/states/onewindow-{stage}-case-approval": 180}

    import app
    served = {path for path in app.app.routes}
    assert set(deployed["api_paths"]) == served


@pytest.mark.parametrize("stage", STAGES)
def test_the_template_grants_no_wildcards_and_carries_alarms_and_tracing(built, stage):
    template = _template(built, stage)
    resources = template["Resources"]
    assert "DefaultRole" not in resources
    for name in package.FUNCTIONS:
        role = resources[f"{name}Role"]["Properties"]
        for statement in role["Policies"][0]["PolicyDocument"]["Statement"]:
            actions = statement["Action"]
            assert all("*" not in action for action in actions), (name, actions)
            if statement["Resource"] == "*":
                assert all(a.startswith("xray:") for a in actions), (name, actions)
        function = resources[name]["Properties"]
        assert function["Tracing"] == "Active"
        assert function["Role"] == {"Fn::GetAtt": [f"{name}Role", "Arn"]}
    text = json.dumps(template)
    assert "arn:aws:" not in text and "arn:aws-cn:" not in text   # ${AWS::Partition}
    api = resources["RestAPI"]["Properties"]
    assert api["TracingEnabled"] is True and api["EndpointConfiguration"] == "REGIONAL"
    # A PDF goes out as bytes to a caller that accepts */* (what generated clients send).
    assert api["DefinitionBody"]["x-amazon-apigateway-binary-media-types"] == ["*/*"]
    assert api["MethodSettings"] == [{
        "ResourcePath": "/*", "HttpMethod": "*", "ThrottlingRateLimit": {"Ref": "ApiThrottleRate"},
        "ThrottlingBurstLimit": {"Ref": "ApiThrottleBurst"}}]
    workflow = resources["CaseApprovalStateMachine"]["Properties"]
    assert workflow["TracingConfiguration"] == {"Enabled": True}
    assert workflow["LoggingConfiguration"]["Level"] == "ERROR"
    assert resources["CaseApprovalLogGroup"]["Properties"]["RetentionInDays"] == \
        {"Ref": "LogRetentionDays"}
    alarms = {k: v["Properties"] for k, v in resources.items()
              if v["Type"] == "AWS::CloudWatch::Alarm"}
    metrics = {a["MetricName"] for a in alarms.values()}
    assert metrics == {"ApproximateNumberOfMessagesVisible", "5XXError", "ExecutionsFailed",
                       "OverdueDecisions", "UnsettledChanges", "SupervisionRecordRefused"}
    # One per dead-letter queue, and the API, workflow, overdue, reconciliation and
    # supervision-record alarms.
    assert len(alarms) == len(package.DEAD_LETTER_QUEUES) + 5
    record = next(a for a in alarms.values() if a["MetricName"] == "SupervisionRecordRefused")
    assert record["TreatMissingData"] == "breaching"     # a sweep that stopped reporting
    unsettled = next(a for a in alarms.values() if a["MetricName"] == "UnsettledChanges")
    assert unsettled["EvaluationPeriods"] == 2 and unsettled["Threshold"] == 0
    for alarm in alarms.values():
        assert alarm["AlarmActions"] == [{"Ref": "NotificationsTopic"}]
    secrets = {k: v["Properties"] for k, v in resources.items()
               if v["Type"] == "AWS::SecretsManager::Secret"}
    assert set(secrets) == {"CursorSecret", "QueryPasswordSecret", "LookupSecret"}
    assert all(s["GenerateSecretString"]["PasswordLength"] >= 32 for s in secrets.values())
    assert not [p for p in template["Parameters"].values() if p.get("NoEcho")]
    api_grants = [s for s in resources["APIHandlerRole"]["Properties"]["Policies"][0][
        "PolicyDocument"]["Statement"] if s["Action"] == ["secretsmanager:GetSecretValue"]]
    assert len(api_grants) == 1 and len(api_grants[0]["Resource"]) == 3
    # The lifecycle rule may deliver to its consumers' queues (and their dead letters),
    # and nothing else may.
    rule = resources["LifecycleRule"]["Properties"]
    targets = {t["Arn"]["Fn::GetAtt"][0] for t in rule["Targets"]}
    policy = resources["LifecycleQueuesPolicy"]["Properties"]
    (statement,) = policy["PolicyDocument"]["Statement"]
    assert statement["Principal"] == {"Service": "events.amazonaws.com"}
    assert statement["Condition"] == {"ArnEquals": {"aws:SourceArn": {
        "Fn::GetAtt": ["LifecycleRule", "Arn"]}}}
    allowed = {r["Fn::GetAtt"][0] for r in statement["Resource"]}
    assert allowed == targets | {t["DeadLetterConfig"]["Arn"]["Fn::GetAtt"][0]
                                 for t in rule["Targets"]}
    assert {q["Ref"] for q in policy["Queues"]} == allowed
    retention = template["Parameters"]["LogRetentionDays"]
    assert retention["Default"] == 180 and min(retention["AllowedValues"]) >= 180


def test_the_package_holds_the_app_compiled_and_no_development_code(built):
    with zipfile.ZipFile(built[STAGES[0]].parent / "deployment.zip") as archive:
        names = set(archive.namelist())
    assert not any(n.startswith(("infra/", "tests/", "bench/", "docs/")) for n in names)
    sources = [n for n in names if n.startswith("chalicelib/") and n.endswith(".py")]
    assert sources
    for source in sources + ["app.py"]:
        folder, _, stem = source.rpartition("/")
        compiled = f"{folder + '/' if folder else ''}__pycache__/{stem[:-3]}." \
                   f"{sys.implementation.cache_tag}.pyc"
        assert compiled in names, source


STATEFUL = ("AWS::DynamoDB::Table", "AWS::S3::Bucket", "AWS::KMS::Key",
            "AWS::SecretsManager::Secret")


@pytest.mark.parametrize("stage", STAGES)
def test_deleting_or_replacing_the_stack_keeps_every_stateful_resource(built, stage):
    """Tables (every case), buckets (materials), keys (license signatures, sealed personal
    data) and secrets (the lookup key of owners' hashes) outlive the stack: deleting it, or
    an update that replaces one of them, leaves the resource in place."""
    resources = _template(built, stage)["Resources"]
    stateful = {name: r for name, r in resources.items() if r["Type"] in STATEFUL}
    assert {"CasesTable", "LicensesTable", "SupervisionTable", "MaterialsBucket",
            "LicenseSigningKey", "PersonalDataKey", "LookupSecret"} <= set(stateful)
    kept_badly = {name: (r.get("DeletionPolicy"), r.get("UpdateReplacePolicy"))
                  for name, r in stateful.items()
                  if (r.get("DeletionPolicy"), r.get("UpdateReplacePolicy")) !=
                  ("Retain", "Retain")}
    assert kept_badly == {}


@pytest.mark.parametrize("stage", STAGES)
def test_the_api_as_deployed_answers_its_gateway_errors_in_the_error_shape(built, stage,
                                                                          monkeypatch):
    """An unknown path answered 403 {"message":"Missing Authentication Token"}: the API's
    definition (what the SAM transform deploys) carries every gateway response of
    infra/gateway_responses.py, so they are redeployed with it."""
    from infra import gateway_responses
    region = package.stage_region(stage)
    monkeypatch.setenv("AWS_DEFAULT_REGION", region)
    deployed = package.to_cloudformation(_template(built, stage), region, "b", "k")
    api, = [r for r in deployed["Resources"].values()
            if r["Type"] == "AWS::ApiGateway::RestApi"]
    answers = api["Properties"]["Body"]["x-amazon-apigateway-gateway-responses"]
    assert set(answers) == set(gateway_responses.RESPONSES)
    missing = answers["MISSING_AUTHENTICATION_TOKEN"]
    assert missing["statusCode"] == "404"
    body = json.loads(missing["responseTemplates"]["application/json"])
    assert body["error"]["code"] == "not_found"
    assert body["requestId"] == "$context.requestId"
    headers = missing["responseParameters"]
    assert headers["gatewayresponse.header.X-Request-Id"] == "context.requestId"
    assert headers["gatewayresponse.header.Access-Control-Allow-Origin"] == "'*'"
    assert answers["THROTTLED"]["responseParameters"][
        "gatewayresponse.header.Retry-After"] == "'1'"
