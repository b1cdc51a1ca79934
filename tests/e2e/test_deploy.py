"""Every example stage packages (`make package STAGE=<stage>`) into a template that deploys
into moto's CloudFormation in its own region and partition, with one least-privilege role
per function, logs kept at least 180 days, tracing on, and the operators' alarms; and the
portal's private bucket behind CloudFront with the stage's config.json and headers."""
import json
import re
import subprocess
import sys
import zipfile

import pytest

from chalicelib.events import registry
from infra import package
from tests.lambda_like import HEALTH_EVENT, TRACE_HEADER

ROOT = package.ROOT
STAGES = sorted(package.stages())


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    # Packaged into a folder of this module's own: the suite runs other files beside it.
    into = tmp_path_factory.mktemp("package")
    return {stage: package.build(stage, into=into) for stage in STAGES}


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
    done = subprocess.run([sys.executable, "-m", "tests.e2e.deploy_in_moto", stage,
                           str(built[stage].parent)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-5000:]
    deployed = json.loads(done.stdout)
    region = package.stage_region(stage)
    partition = "aws-cn" if region.startswith("cn-") else "aws"
    assert deployed["status"] == "CREATE_COMPLETE"
    # moto has no CloudFormation for these: checked in the template below instead.
    assert set(deployed["skipped_by_moto"]) <= {
        "AWS::ApiGateway::Deployment", "AWS::ApiGateway::Stage", "AWS::CloudWatch::Alarm",
        "AWS::SecretsManager::Secret", "AWS::SQS::QueuePolicy", "AWS::S3::BucketPolicy",
        "AWS::CloudFront::Distribution", "AWS::CloudFront::OriginAccessControl",
        "AWS::CloudFront::ResponseHeadersPolicy", "AWS::CloudFront::CachePolicy",
        "AWS::CloudFront::Function"}

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
    # Each consumer of a queue or stream reads the one the registry gives it.
    consumers = {f.name: f.source for f in registry.FUNCTIONS
                 if isinstance(f.source, registry.Queue | registry.Stream)}
    assert set(sources) == set(consumers) >= {"RecordTask", "ConcludeCase", "CaseTimeline"}
    for name, source in consumers.items():
        if isinstance(source, registry.Queue):
            assert source.resource in sources[name], (name, sources[name])
        else:
            assert source.table in sources[name] and "/stream/" in sources[name], name
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
    assert set(secrets) == {"CursorSecret", "QueryPasswordSecret", "LookupSecret",
                            "DataExchangeSecret"}
    assert all(s["GenerateSecretString"]["PasswordLength"] >= 32 for s in secrets.values())
    assert not [p for p in template["Parameters"].values() if p.get("NoEcho")]
    api_grants = [s for s in resources["APIHandlerRole"]["Properties"]["Policies"][0][
        "PolicyDocument"]["Statement"] if s["Action"] == ["secretsmanager:GetSecretValue"]]
    assert len(api_grants) == 1 and len(api_grants[0]["Resource"]) == 4
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


@pytest.mark.parametrize("zipped", sorted(package.PACKAGES))
def test_each_package_holds_everything_compiled_and_no_development_code(built, zipped):
    """Lambda's file system is read-only: a module without its bytecode would be compiled
    at every cold start, the libraries' as much as the app's."""
    with zipfile.ZipFile(built[STAGES[0]].parent / f"{zipped}.zip") as archive:
        names = set(archive.namelist())
    assert not any(n.startswith(("infra/", "tests/", "bench/", "docs/")) for n in names)
    sources = [n for n in names if n.endswith(".py")]
    assert "app.py" in sources and "boto3/session.py" in sources
    assert any(n.startswith("chalicelib/") for n in sources)
    for source in sources:
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
    deployed = package.to_cloudformation(_template(built, stage), region, "b", "k/")
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


def _portal_expectations(stage: str) -> tuple[dict, str]:
    """What the stage's portal must say: its config.json, and its domain."""
    settings = package.stages()[stage]
    portal = settings["portal"]
    return ({"apiBase": portal["apiBase"], "issuer":
             settings["environment_variables"]["OW_OIDC_ISSUER"],
             "clientId": portal["clientId"], "staffClientId": portal["staffClientId"]},
            portal["domain"])


@pytest.mark.parametrize("stage", STAGES)
def test_the_portal_is_a_private_bucket_behind_cloudfront_with_the_local_servers_headers(
        built, stage):
    import boto3

    from infra import web_hosting
    from infra.web_headers import origin, security_headers
    resources = _template(built, stage)["Resources"]
    config, domain = _portal_expectations(stage)
    china = package.stage_region(stage).startswith("cn-")

    bucket = resources["PortalBucket"]["Properties"]
    assert set(bucket["PublicAccessBlockConfiguration"].values()) == {True}
    assert bucket["OwnershipControls"]["Rules"] == [{"ObjectOwnership": "BucketOwnerEnforced"}]
    access = resources["PortalOriginAccessControl"]["Properties"]["OriginAccessControlConfig"]
    assert (access["OriginAccessControlOriginType"], access["SigningBehavior"],
            access["SigningProtocol"]) == ("s3", "always", "sigv4")
    (reads, tls_only) = resources["PortalBucketPolicy"]["Properties"]["PolicyDocument"][
        "Statement"]
    assert reads["Principal"] == {"Service": "cloudfront.amazonaws.com"}
    assert reads["Action"] == "s3:GetObject"
    assert "distribution/${PortalDistribution}" in \
        reads["Condition"]["StringEquals"]["AWS:SourceArn"]["Fn::Sub"]
    assert tls_only["Effect"] == "Deny" and \
        tls_only["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}

    distribution = resources["PortalDistribution"]["Properties"]["DistributionConfig"]
    (bucket_origin,) = distribution["Origins"]
    assert bucket_origin["OriginAccessControlId"] == {
        "Fn::GetAtt": ["PortalOriginAccessControl", "Id"]}
    assert bucket_origin["S3OriginConfig"] == {"OriginAccessIdentity": ""}   # no OAI
    assert bucket_origin["DomainName"] == {"Fn::GetAtt": ["PortalBucket",
                                                          "RegionalDomainName"]}
    behaviour = distribution["DefaultCacheBehavior"]
    assert behaviour["ViewerProtocolPolicy"] == "redirect-to-https"
    assert behaviour["Compress"] is True
    assert behaviour["ResponseHeadersPolicyId"] == {"Ref": "PortalHeadersPolicy"}
    assert distribution["DefaultRootObject"] == "index.html"
    assert sorted((e["ErrorCode"], e["ResponseCode"], e["ResponsePagePath"])
                  for e in distribution["CustomErrorResponses"]) == [
        (403, 200, "/index.html"), (404, 200, "/index.html")]
    # The workbench (/staff…): the same bucket, headers and cache, its page for every path.
    (staff,) = distribution["CacheBehaviors"]
    assert staff["PathPattern"] == "/staff*"
    assert {k: v for k, v in staff.items()
            if k not in ("PathPattern", "FunctionAssociations")} == behaviour
    (routes,) = staff["FunctionAssociations"]
    assert routes["EventType"] == "viewer-request"
    assert routes["FunctionARN"] == {"Fn::GetAtt": ["WorkbenchRoutes",
                                                    "FunctionMetadata.FunctionARN"]}
    function = resources["WorkbenchRoutes"]["Properties"]
    assert function["FunctionConfig"]["Runtime"] == "cloudfront-js-2.0"
    assert "request.uri = '/staff/index.html'" in function["FunctionCode"]
    certificate = distribution["ViewerCertificate"]
    if china:
        # No *.cloudfront.cn address and no ACM in China: the ICP-filed domain with an
        # IAM server certificate, and no distribution until the certificate is given.
        assert distribution["Aliases"] == [domain]
        assert certificate["IamCertificateId"] == {"Ref": "PortalCertificate"}
        assert resources["PortalDistribution"]["Condition"] == "PortalCertified"
    else:
        assert "Condition" not in resources["PortalDistribution"]
        certified, uncertified = certificate["Fn::If"][1:]
        assert certified["AcmCertificateArn"] == {"Ref": "PortalCertificate"}
        assert uncertified == {"CloudFrontDefaultCertificate": True}
        assert distribution["Aliases"]["Fn::If"][1] == [domain]

    # The headers: exactly what the local stack's server sends for this stage's API and
    # issuer (infra/web_headers.py), uploads to this stack's materials bucket allowed.
    policy = resources["PortalHeadersPolicy"]["Properties"]["ResponseHeadersPolicyConfig"]
    sent = web_hosting.headers_of_policy(policy, lambda sub: sub["Fn::Sub"].replace(
        "${MaterialsBucket}", "materials-bucket-name"))
    presigned = boto3.session.Session(aws_access_key_id="k", aws_secret_access_key="s").client(
        "s3", region_name=package.stage_region(stage)).generate_presigned_post(
        "materials-bucket-name", "key")["url"]
    identity = tuple(package.stages()[stage]["portal"].get("identityOrigins", ()))
    assert sent == security_headers(config["apiBase"], config["issuer"], (origin(presigned),),
                                    identity)
    csp = sent["Content-Security-Policy"]
    assert f"connect-src 'self' {origin(presigned)} {origin(config['apiBase'])} " \
           f"{origin(config['issuer'])}" in csp and "script-src 'self';" in csp


@pytest.mark.parametrize("stage", STAGES)
def test_each_stage_gets_its_portal_config_json_and_the_api_lets_the_portal_call_it(
        built, stage):
    config, domain = _portal_expectations(stage)
    folder = built[stage].parent / "portal"
    assert json.loads((folder / "config.json").read_text("utf-8")) == config
    built_portal = ROOT / "web" / "dist" / "portal" / "index.html"
    if built_portal.is_file():   # make test builds it first: the files ship beside it
        assert (folder / "index.html").read_bytes() == built_portal.read_bytes()
    origins = package.stages()[stage]["environment_variables"]["OW_CORS_ORIGINS"].split(",")
    assert f"https://{domain}" in origins
    others = {_portal_expectations(s)[0]["clientId"] for s in STAGES if s != stage}
    assert config["clientId"] not in others
    assert config["staffClientId"] not in others | {config["clientId"]}


# Wheel tags a library in a package may carry: pure Python, or built for a glibc Lambda's
# python3.11 (Amazon Linux 2, glibc 2.26) has.
_LAMBDA_GLIBC = (2, 26)


def _runs_on_lambda(tag: str) -> bool:
    platform = tag.rsplit("-", 1)[-1]
    if platform == "any":
        return True
    legacy = {"manylinux1_x86_64": (2, 5), "manylinux2010_x86_64": (2, 12),
              "manylinux2014_x86_64": (2, 17)}
    if platform in legacy:
        return legacy[platform] <= _LAMBDA_GLIBC
    found = re.fullmatch(r"manylinux_(\d+)_(\d+)_x86_64", platform)
    return bool(found) and (int(found[1]), int(found[2])) <= _LAMBDA_GLIBC


@pytest.mark.parametrize("zipped", sorted(package.PACKAGES))
def test_every_library_in_a_package_is_a_wheel_lambda_can_run(built, zipped):
    """A library chalice found no Lambda wheel of it builds from source on this machine,
    linked to this machine's system libraries (`linux_x86_64`): it would fail to load in
    Lambda. Each library's wheel has a tag for Lambda's glibc, or is pure Python."""
    with zipfile.ZipFile(built[STAGES[0]].parent / f"{zipped}.zip") as archive:
        wheels = {name.split("/")[0]: archive.read(name).decode()
                  for name in archive.namelist()
                  if name.endswith(".dist-info/WHEEL") and name.count("/") == 1}
    # Some wheels' WHEEL files end their lines with CRLF (lark's): \s* takes the CR.
    tags = {library: re.findall(r"^Tag: (\S+)\s*$", text, re.M)
            for library, text in wheels.items()}
    assert tags and all(tags.values())
    if zipped == "print":
        assert any(library.startswith("pillow-") for library in tags)
    assert {library: found for library, found in tags.items()
            if not any(_runs_on_lambda(tag) for tag in found)} == {}
    assert _runs_on_lambda("cp311-cp311-manylinux2014_x86_64")
    assert not _runs_on_lambda("cp311-cp311-manylinux_2_28_x86_64")
    assert not _runs_on_lambda("cp311-cp311-linux_x86_64")


# Run in each function's unpacked package as Lambda runs it: the package first on the
# path, no site-packages, the function's name in the environment, and a table name the
# stack would give; X-Ray off (no daemon here).
_AS_LAMBDA = r'''
import importlib, importlib.util, json, sys
sys.path.insert(0, ".")
handler_string, kind = sys.argv[1], sys.argv[2]
module, _, name = handler_string.rpartition(".")
handler = getattr(importlib.import_module(module), name)


class Context:
    aws_request_id = "r-1"
    function_name = "f"


seen = {"pdf_libraries": importlib.util.find_spec("fpdf") is not None}
if kind == "api":
    answer = handler(json.loads(sys.argv[4]), Context())
    seen["status"] = answer["statusCode"]
    # botocore's models: those of the services the code calls, no other.
    import boto3
    import botocore.exceptions
    for service in sys.argv[3].split(","):
        boto3.client(service, region_name="cn-north-1")
    try:
        boto3.client("ec2", region_name="cn-north-1")
        seen["ec2"] = True
    except botocore.exceptions.UnknownServiceError:
        seen["ec2"] = False
elif kind == "records":
    handler({"Records": []}, Context())
else:
    from chalicelib import wiring
    seen["configures"] = wiring.configured in handler.middleware_handlers
from chalicelib.adapters import models
seen["cases_table"] = models.CaseRecord.Meta.table_name
if kind == "api":
    import botocore.client
    seen["traced"] = hasattr(botocore.client.BaseClient._make_api_call, "__wrapped__")
if seen["pdf_libraries"]:
    from chalicelib.services import license_print
    signed = {"license": {"name": "食品经营许可证", "number": "JY1", "holder": "刘䶮",
                          "holderId": "91440300MA5FXK7Q3T", "issuer": "市场监督管理局",
                          "issueDate": "2026-11-25", "validFrom": "2026-11-25",
                          "validTo": "2031-11-24", "trustLevel": 3, "identifier": "1.2.3"},
              "signature": {"alg": "ES256", "kid": "k", "value": "v"}}
    pdf = license_print.render_pdf(signed, {"status": "valid"}, "https://zwfw.example")
    seen["pdf"] = pdf[:5].decode("ascii")
print(json.dumps(seen))
'''


def test_each_function_runs_from_its_own_package_as_lambda_imports_it(built, tmp_path):
    """Each function's handler, imported from its package alone as Lambda does, answers
    or takes its first event configured (the stack's tables, not the models' defaults:
    Lambda imports a consumer's module without app.py); the PDF's libraries and font are
    in the print function's package only; botocore knows the services the code calls and
    no other."""
    folder = built[STAGES[0]].parent
    resources = _template(built, STAGES[0])["Resources"]
    unpacked = {}
    for zipped in folder.glob("*.zip"):
        unpacked[zipped.name] = tmp_path / zipped.stem
        with zipfile.ZipFile(zipped) as archive:
            archive.extractall(unpacked[zipped.name])
    sources = {f.name: f.source for f in registry.FUNCTIONS}
    for name in package.FUNCTIONS:
        properties = resources[name]["Properties"]
        source = sources[name]
        kind = "api" if source is None else "records" if isinstance(
            source, registry.Queue | registry.Stream) else "schedule"
        done = subprocess.run(
            [sys.executable, "-S", "-c", _AS_LAMBDA, properties["Handler"], kind,
             ",".join(sorted(package.AWS_SERVICES)), json.dumps(HEALTH_EVENT)],
            cwd=unpacked[properties["CodeUri"].removeprefix("./")], capture_output=True,
            text=True, timeout=120,
            env={"PATH": "/usr/bin:/bin", "AWS_DEFAULT_REGION": "cn-north-1",
                 "AWS_LAMBDA_FUNCTION_NAME": f"onewindow-{name}",
                 "OW_CASES_TABLE": "stack-CasesTable", "OW_AREA_CODE": "110000",
                 # The API's first request traced as in Lambda (its segments sent over
                 # UDP to a daemon that is not there); X-Ray off for the others.
                 **({"LAMBDA_TASK_ROOT": str(unpacked[properties["CodeUri"].removeprefix(
                     "./")]), "_X_AMZN_TRACE_ID": TRACE_HEADER} if kind == "api" else
                    {"AWS_XRAY_SDK_ENABLED": "false"})})
        assert done.returncode == 0, (name, done.stderr[-3000:])
        seen = json.loads(done.stdout.strip().splitlines()[-1])
        assert seen["pdf_libraries"] == (name == "PrintLicense"), name
        if kind == "api":
            assert seen["status"] == 200, name
            assert seen["ec2"] is False, name
            assert seen["traced"] is True, name
        elif kind == "schedule":
            assert seen["configures"], name
        if kind != "schedule":
            assert seen["cases_table"] == "stack-CasesTable", name
        if name == "PrintLicense":
            assert seen["pdf"] == "%PDF-"


def test_api_gateway_sends_the_pdf_route_to_the_print_function_and_the_rest_to_the_api(
        built):
    resources = _template(built, STAGES[0])["Resources"]
    paths = resources["RestAPI"]["Properties"]["DefinitionBody"]["paths"]
    served_by = {}
    for path, methods in paths.items():
        for method, operation in methods.items():
            uri = operation["x-amazon-apigateway-integration"]["uri"]["Fn::Sub"]
            served_by[f"{method.upper()} {path}"] = re.search(
                r"functions/\$\{(\w+)\.Arn\}", uri).group(1)
            assert operation["x-amazon-apigateway-integration"]["type"] == "aws_proxy"
    assert served_by.pop("GET /licenses/{license_id}/print.pdf") == "PrintLicense"
    assert served_by.pop("GET /cases/{case_no}/documents/{document_id}/print.pdf") == \
        "PrintLicense"
    assert set(served_by.values()) == {"APIHandler"}
    assert "GET /licenses/{license_id}/print.html" in served_by
    permission = resources["PrintLicenseInvokePermission"]["Properties"]
    assert permission["FunctionName"] == {"Ref": "PrintLicense"}
    assert permission["Principal"] == "apigateway.amazonaws.com"
    api, printer = (resources[n]["Properties"] for n in ("APIHandler", "PrintLicense"))
    for setting in ("Runtime", "Handler", "Timeout", "MemorySize", "Tracing", "Tags"):
        assert printer[setting] == api[setting], setting
    assert printer["Environment"] == api["Environment"]
    assert printer["CodeUri"] == "./print.zip" and api["CodeUri"] == "./deployment.zip"

