"""`make package STAGE=<stage>`: the deployable template of one region's copy =
`chalice package` + infra/template.json.

A stage is one region's deployment: `.chalice/config.json` holds its settings (area code,
issuer, identity provider, allowed origins, …) and its AWS region (the stage's
`onewindow:region` tag). The merge template adds the stateful resources and points what
Chalice generated at them (the functions, their sources and grants are the entries of
chalicelib/events/registry.py):
- every function's environment (the variables chalicelib/config.py reads);
- each event source at its queue or stream (the decorators carry placeholders), and a
  dead-letter destination for the stream handler;
- one IAM role per function, granting exactly the actions on exactly the resources that
  function's code uses (its grants; tests/integration/test_least_privilege.py
  checks it against the calls the code really makes);
- log groups (functions and workflow) kept `LogRetentionDays` (180 by default: 等保 2.0
  keeps logs six months),
  API Gateway tracing, and the alarms of docs/runbook.md.
Everything goes into the packages compiled (unchecked-hash .pyc), the libraries as well
as the app: Lambda's file system is read-only, so uncompiled code would be compiled again
at every cold start. Two packages: `print.zip` for the function that renders the printed
license as PDF (registry.PRINT: API Gateway sends it that route), `deployment.zip`,
without fonttools, fpdf2, Pillow and the font, for every other function.
"""
import argparse
import compileall
import contextlib
import fcntl
import hashlib
import json
import os
import py_compile
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from chalicelib.events import registry
from infra import gateway_responses, web_hosting
from infra.template import (
    OUTPUT_ENV,
    ROOT,
    SECRETS,
    render,
    secret_names,
    with_signing_key_spec,
)

BUILD = ROOT / "build"
CHALICE_CONFIG = ROOT / ".chalice" / "config.json"
DEPLOYMENTS = ROOT / ".chalice" / "deployments"   # chalice package's cache of zips
REGION_TAG = "onewindow:region"
API_NAME = "onewindow"
# The functions, their event sources and roles: chalicelib/events/registry.py.
FUNCTIONS = tuple(function.name for function in registry.FUNCTIONS)
# What each package (a function's registry `package`) leaves out of what `chalice
# package` zipped: a folder or file, or the first part of a name (a library's
# `<name>-<version>.dist-info`, its `.libs`). Only the PDF needs these (services/
# license_print.py imports them when it renders one).
PACKAGES: dict[str, tuple[str, ...]] = {
    "deployment": ("fontTools/", "fonttools-", "fpdf/", "fpdf2-", "PIL/", "pillow-",
                   "pillow.libs/", "defusedxml/", "defusedxml-", "chalicelib/fonts/"),
    "print": (),
}
# The AWS services the functions' code makes clients of (adapters/aws.py; PynamoDB's
# dynamodb; the X-Ray SDK's xray; sts for credentials a role chain may need): botocore's
# models of the other ~430 services stay out of every package (28 of its 75 MB unpacked).
# tests/unit/test_packaging.py checks the code names no other.
AWS_SERVICES = frozenset({"dynamodb", "events", "kms", "s3", "secretsmanager", "sns", "sqs",
                          "ssm", "stepfunctions", "sts", "xray"})


def _event_source(function: registry.Function) -> tuple[str, dict]:
    """Chalice's name for a function's event source, and what the merge sets on it: the
    queue or stream it reads (the decorators carry placeholders), a stream's retries,
    on-failure queue and batches at once per shard, a partial batch response where the
    handler answers one."""
    source = function.source
    if isinstance(source, registry.Stream):
        return f"{function.name}DynamodbEventSource", {
            "Stream": {"Fn::GetAtt": [source.table, "StreamArn"]},
            "MaximumRetryAttempts": source.max_retries, "BisectBatchOnFunctionError": True,
            "ParallelizationFactor": source.parallelization,
            "DestinationConfig": {"OnFailure": {"Type": "SQS", "Destination": {
                "Fn::GetAtt": [source.on_failure, "Arn"]}}}}
    properties = {"Queue": {"Fn::GetAtt": [source.resource, "Arn"]}}
    if function.reports_item_failures:
        properties["FunctionResponseTypes"] = ["ReportBatchItemFailures"]
    return f"{function.name}SqsEventSource", properties


# function -> (its event source, the properties the merge sets on it).
EVENT_SOURCES = {function.name: _event_source(function) for function in registry.FUNCTIONS
                 if isinstance(function.source, registry.Queue | registry.Stream)}

# What the functions may touch in each bucket: objects under this prefix only.
BUCKET_PREFIXES = {"MaterialsBucket": "materials/", "SupervisionSealsBucket": "seals/"}
DEAD_LETTER_QUEUES = registry.DEAD_LETTER_QUEUES
# function -> (service, actions, resources by logical id): exactly what each function's
# code calls (tests/integration/test_least_privilege.py records the calls and compares),
# plus what Lambda itself does with the function's role: poll its queue or stream, and
# send a stream batch that kept failing to the on-failure queue.
FUNCTION_ACCESS: dict[str, list[registry.Grant]] = {
    function.name: list(function.grants) for function in registry.FUNCTIONS}


def stages() -> dict[str, dict]:
    return json.loads(CHALICE_CONFIG.read_text("utf-8"))["stages"]


def stage_region(stage: str) -> str:
    known = stages()
    if stage not in known:
        raise SystemExit(f"unknown stage {stage!r}; .chalice/config.json has "
                         f"{', '.join(sorted(known))}")
    return known[stage]["tags"][REGION_TAG]


def _resource_arn(logical_id: str):
    """The ARN expression of a resource the policies name."""
    if logical_id.endswith(".Stream"):
        return {"Fn::GetAtt": [logical_id.removesuffix(".Stream"), "StreamArn"]}
    if logical_id.endswith(".Objects"):
        bucket = logical_id.removesuffix(".Objects")
        return {"Fn::Sub": f"${{{bucket}.Arn}}/{BUCKET_PREFIXES[bucket]}*"}
    if logical_id.endswith(".Executions"):
        machine = logical_id.removesuffix(".Executions")
        return {"Fn::Sub": "arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:"
                           f"execution:${{{machine}.Name}}:*"}
    if logical_id in SECRETS:
        # Secrets Manager ends a secret's ARN with six random characters.
        return {"Fn::Sub": "arn:${AWS::Partition}:secretsmanager:${AWS::Region}:"
                           f"${{AWS::AccountId}}:secret:{secret_names()[logical_id]}-??????"}
    if logical_id in ("NotificationsTopic", "CaseApprovalStateMachine"):
        return {"Ref": logical_id}
    return {"Fn::GetAtt": [logical_id, "Arn"]}


def _statements(function: str) -> list[dict]:
    statements = []
    for service, actions, resources in FUNCTION_ACCESS[function]:
        arns = [_resource_arn(r) for r in resources]
        if service == "dynamodb" and any(r.endswith("Table") for r in resources):
            arns += [{"Fn::Sub": f"${{{r}.Arn}}/index/*"} for r in resources
                     if r.endswith("Table") and "Query" in actions]
        statements.append({"Effect": "Allow",
                           "Action": [f"{service}:{a}" for a in actions],
                           "Resource": arns})
    statements.append({
        "Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
        "Resource": {"Fn::Sub": "arn:${AWS::Partition}:logs:${AWS::Region}:"
                                f"${{AWS::AccountId}}:log-group:{_log_group(function)}:*"}})
    # X-Ray's write actions take no resource: "*" is the only form IAM accepts.
    statements.append({"Effect": "Allow", "Action": ["xray:PutTraceSegments",
                                                     "xray:PutTelemetryRecords"],
                       "Resource": "*"})
    return statements


def _function_name(function: str) -> str:
    return f"${{AWS::StackName}}-{function}"


def _log_group(function: str) -> str:
    # Named from the stack, not from a Ref to the function: the function's role grants
    # writing to it, and the function depends on the role.
    return f"/aws/lambda/{_function_name(function)}"


def _role(function: str) -> dict:
    return {"Type": "AWS::IAM::Role", "Properties": {
        "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
            "Action": "sts:AssumeRole"}]},
        "Policies": [{"PolicyName": f"onewindow-{function}",
                      "PolicyDocument": {"Version": "2012-10-17",
                                         "Statement": _statements(function)}}]}}


def _environment() -> dict:
    return {
        "OW_CASES_TABLE": {"Ref": "CasesTable"},
        "OW_ITEMS_TABLE": {"Ref": "ItemsTable"},
        "OW_LICENSES_TABLE": {"Ref": "LicensesTable"},
        "OW_AUDIT_TABLE": {"Ref": "AuditTable"},
        "OW_SUPERVISION_TABLE": {"Ref": "SupervisionTable"},
        "OW_NOTIFICATIONS_TABLE": {"Ref": "NotificationsTable"},
        "OW_STATISTICS_TABLE": {"Ref": "StatisticsTable"},
        "OW_USAGE_TABLE": {"Ref": "UsageTable"},
        "OW_MATERIALS_TABLE": {"Ref": "MaterialsTable"},
        "OW_MATERIALS_BUCKET": {"Ref": "MaterialsBucket"},
        "OW_SUPERVISION_SEALS_BUCKET": {"Ref": "SupervisionSealsBucket"},
        "OW_TASKS_QUEUE_URL": {"Ref": "TasksQueue"},
        "OW_CONCLUDE_QUEUE_URL": {"Ref": "ConcludeQueue"},
        "OW_STARTS_QUEUE_URL": {"Ref": "StartsQueue"},
        "OW_DUE_QUEUE_URL": {"Ref": "DueQueue"},
        "OW_EVENT_BUS_NAME": {"Fn::GetAtt": ["CaseEventBus", "Name"]},
        "OW_NOTIFICATIONS_TOPIC_ARN": {"Ref": "NotificationsTopic"},
        "OW_SIGNING_KEY_ID": {"Ref": "LicenseSigningKey"},
        "OW_PERSONAL_DATA_KEY_ID": {"Ref": "PersonalDataKey"},
        "OW_STATE_MACHINE_ARN": {"Ref": "CaseApprovalStateMachine"},
        # Names, not values: adapters/secrets.py reads them from Secrets Manager.
        **{OUTPUT_ENV[f"{secret}Id"]: {"Fn::Sub": name}
           for secret, name in secret_names().items()},
        "OW_DEAD_LETTER_QUEUE_URLS": {"Fn::Join": [",", [
            {"Ref": queue} for queue in DEAD_LETTER_QUEUES]]},
    }


def _alarm(name: str, description: str, metric: dict, threshold: float,
           comparison: str = "GreaterThanThreshold", periods: int = 1,
           missing: str = "notBreaching") -> dict:
    return {"Type": "AWS::CloudWatch::Alarm", "Properties": {
        "AlarmName": {"Fn::Sub": f"${{AWS::StackName}}-{name}"},
        "AlarmDescription": description, **metric, "EvaluationPeriods": periods,
        "Threshold": threshold, "ComparisonOperator": comparison,
        "TreatMissingData": missing,
        "AlarmActions": [{"Ref": "NotificationsTopic"}],
        "OKActions": [{"Ref": "NotificationsTopic"}]}}


def _alarms() -> dict:
    """The alarms docs/runbook.md explains: each notifies the operators' topic."""
    alarms = {}
    for queue in DEAD_LETTER_QUEUES:
        alarms[f"{queue}Alarm"] = _alarm(
            f"{queue}-not-empty", f"{queue} holds messages: redrive them (runbook)",
            {"Namespace": "AWS/SQS", "MetricName": "ApproximateNumberOfMessagesVisible",
             "Dimensions": [{"Name": "QueueName",
                             "Value": {"Fn::GetAtt": [queue, "QueueName"]}}],
             "Statistic": "Maximum", "Period": 300}, 0)
    alarms["Api5xxAlarm"] = _alarm(
        "api-5xx-rate", "More than 1% of API requests answered 5xx over 5 minutes",
        {"Namespace": "AWS/ApiGateway", "MetricName": "5XXError",
         "Dimensions": [{"Name": "ApiName", "Value": API_NAME},
                        {"Name": "Stage", "Value": "v1"}],
         "Statistic": "Average", "Period": 300}, 0.01)
    alarms["FailedExecutionsAlarm"] = _alarm(
        "failed-executions", "An approval workflow failed, timed out or was aborted",
        {"Namespace": "AWS/States", "MetricName": "ExecutionsFailed",
         "Dimensions": [{"Name": "StateMachineArn",
                         "Value": {"Ref": "CaseApprovalStateMachine"}}],
         "Statistic": "Sum", "Period": 300}, 0)
    alarms["OverdueAlarm"] = _alarm(
        "overdue-decisions", "Decisions taken after their deadline (OneWindow metric)",
        {"Namespace": "OneWindow", "MetricName": "OverdueDecisions",
         "Dimensions": [{"Name": "service", "Value": "onewindow"},
                        {"Name": "area", "Value": {"Ref": "AreaCode"}}],
         "Statistic": "Sum", "Period": 86400}, {"Ref": "OverdueAlarmThreshold"})
    # Each sweep counts the changes it found unsettled and asked to replay: one sweep may
    # find an outage's changes; the next finding them still means a replay keeps failing.
    alarms["UnsettledChangesAlarm"] = _alarm(
        "unsettled-changes", "Changes of cases whose effects stay undone across two sweeps "
        "(OneWindow metric UnsettledChanges): see the runbook",
        {"Namespace": "OneWindow", "MetricName": "UnsettledChanges",
         "Dimensions": [{"Name": "service", "Value": "onewindow"},
                        {"Name": "area", "Value": {"Ref": "AreaCode"}}],
         "Statistic": "Minimum", "Period": 900}, 0, periods=2)
    # The sweep stops sealing a chain at a bad entry (edited, deleted, forged): someone
    # rewrote the supervision record.
    alarms["SupervisionRecordAlarm"] = _alarm(
        "supervision-record-refused", "The sweep found a bad entry in the supervision "
        "record and sealed nothing past it, or could not seal, or did not run for half an "
        "hour (OneWindow metric SupervisionRecordRefused): run make verify-audit, see the "
        "runbook",
        {"Namespace": "OneWindow", "MetricName": "SupervisionRecordRefused",
         "Dimensions": [{"Name": "service", "Value": "onewindow"},
                        {"Name": "area", "Value": {"Ref": "AreaCode"}}],
         "Statistic": "Maximum", "Period": 1800}, 0, missing="breaching")
    return alarms


def _front_end_origins(stage: str) -> str:
    """The stage's browser origins (OW_CORS_ORIGINS): those the API answers with CORS are
    those that may post an upload to the materials bucket. A stage needs one at least."""
    origins = [origin.strip() for origin in stages()[stage]["environment_variables"].get(
        "OW_CORS_ORIGINS", "").split(",") if origin.strip()]
    if not origins:
        raise SystemExit(f"stage {stage}: OW_CORS_ORIGINS names no front-end origin "
                         "(the materials bucket's CORS allows exactly those)")
    return ",".join(origins)


def _routed_function(stage: str, function: registry.Function) -> dict:
    """A function that serves some of the API's routes (registry `routes`): Chalice makes
    one function of the whole API, so this one is written here as Chalice writes that
    one — the same app, runtime, settings and tags — from its own package."""
    from chalice import __version__ as chalice_version
    settings = _api_settings(stage)
    return {"Type": "AWS::Serverless::Function", "Properties": {
        "Runtime": f"python{sys.version_info.major}.{sys.version_info.minor}",
        "Handler": "app.app", "CodeUri": f"./{function.package}.zip",
        "Tracing": "Active" if settings.get("xray") else "PassThrough",
        "Timeout": settings["lambda_timeout"], "MemorySize": settings["lambda_memory_size"],
        "Architectures": ["x86_64"], "Tags": {
            **settings.get("tags", {}),
            # chalice's own tag on what it deploys, as on the API's function
            "aws-chalice": f"version={chalice_version}:stage={stage}:"
                           f"app={settings['app_name']}"},
        "Environment": {"Variables": settings.get("environment_variables", {})}}}


def _api_settings(stage: str) -> dict:
    """The API function's settings as chalice resolves them: the top level of
    .chalice/config.json, then the stage's, then the stage's `api_handler` entry (tags and
    environment variables merged, the rest replaced)."""
    config = json.loads(CHALICE_CONFIG.read_text("utf-8"))
    staged = config["stages"][stage]
    levels = [config, staged, staged.get("lambda_functions", {}).get("api_handler", {})]
    settings: dict = {}
    for level in levels:
        for key, value in level.items():
            if key in ("stages", "lambda_functions"):
                continue
            if key in ("tags", "environment_variables"):
                settings[key] = {**settings.get(key, {}), **value}
            else:
                settings[key] = value
    return settings


def _routes_to(function: registry.Function) -> dict:
    """The API definition's integrations of the function's routes pointed at it, with
    API Gateway's permission to invoke it."""
    paths: dict = {}
    for route in function.routes:
        method, path = route.split(" ", 1)
        paths.setdefault(path, {})[method.lower()] = {"x-amazon-apigateway-integration": {
            "uri": {"Fn::Sub": "arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/"
                               f"2015-03-31/functions/${{{function.name}.Arn}}/invocations"}}}
    permission = {"Type": "AWS::Lambda::Permission", "Properties": {
        "FunctionName": {"Ref": function.name}, "Action": "lambda:InvokeFunction",
        "Principal": "apigateway.amazonaws.com",
        "SourceArn": {"Fn::Sub": ["arn:${AWS::Partition}:execute-api:${AWS::Region}:"
                                  "${AWS::AccountId}:${RestAPIId}/*",
                                  {"RestAPIId": {"Ref": "RestAPI"}}]}}}
    return {"paths": paths, f"{function.name}InvokePermission": permission}


def _signing_key(stage: str, key: dict) -> dict:
    spec = stages()[stage].get("signingKeySpec", "ECC_NIST_P256")
    if spec == "SM2" and not stage_region(stage).startswith("cn-"):
        raise SystemExit(f"stage {stage}: SM2 keys are offered in the aws-cn partition "
                         "(cn-north-1, cn-northwest-1) only")
    try:
        keyed = with_signing_key_spec({"Resources": {"LicenseSigningKey": key}}, spec)
    except ValueError as error:
        raise SystemExit(f"stage {stage}: signingKeySpec: {error}") from None
    return keyed["Resources"]["LicenseSigningKey"]


def merge_template(stage: str) -> dict:
    infra = render()
    resources = dict(infra["Resources"])
    routed: dict = {}
    for function in registry.FUNCTIONS:
        name = function.name
        resources[name] = _routed_function(stage, function) if function.routes else {}
        # The log group exists (with its retention) before the function can write.
        resources[name]["DependsOn"] = [f"{name}LogGroup"]
        properties = resources[name].setdefault("Properties", {})
        properties["FunctionName"] = {"Fn::Sub": _function_name(name)}
        properties.setdefault("Environment", {"Variables": {}})["Variables"].update(
            _environment())
        properties["Role"] = {"Fn::GetAtt": [f"{name}Role", "Arn"]}
        resources[f"{name}Role"] = _role(name)
        resources[f"{name}LogGroup"] = {"Type": "AWS::Logs::LogGroup", "Properties": {
            "LogGroupName": {"Fn::Sub": _log_group(name)},
            "RetentionInDays": {"Ref": "LogRetentionDays"}}}
        if function.routes:
            routes = _routes_to(function)
            for path, methods in routes.pop("paths").items():
                routed.setdefault(path, {}).update(methods)
            resources.update(routes)
    for function, (event, properties) in EVENT_SOURCES.items():
        resources[function]["Properties"]["Events"] = {event: {"Properties": properties}}
    # Named as the 5xx alarm's ApiName dimension says.
    # Stage throttling: a client hammering the API (query-password guessing, a runaway
    # script) meets API Gateway's 429 before it reaches a function.
    # What API Gateway answers itself (an unknown path, throttling …) in the API's error
    # shape, with the request id and, for a stage with browser origins, CORS.
    origins = stages()[stage]["environment_variables"].get("OW_CORS_ORIGINS", "")
    # Binary media types */*: API Gateway turns a base64 answer (a printed license's PDF)
    # into bytes whatever the caller's Accept (a generated client sends */*); text answers
    # (isBase64Encoded false) pass as they are, request bodies reach Chalice base64-encoded
    # and are decoded by it.
    resources["RestAPI"] = {"Properties": {
        "GatewayResponses": gateway_responses.sam(cors=bool(origins.strip())),
        "DefinitionBody": {"x-amazon-apigateway-binary-media-types": ["*/*"],
                           "paths": routed},
        "TracingEnabled": True, "Name": API_NAME,
        "MethodSettings": [{"ResourcePath": "/*", "HttpMethod": "*",
                            "ThrottlingRateLimit": {"Ref": "ApiThrottleRate"},
                            "ThrottlingBurstLimit": {"Ref": "ApiThrottleBurst"}}]}}
    resources.update(_alarms())
    resources["LicenseSigningKey"] = _signing_key(stage, resources["LicenseSigningKey"])
    # The workflow's own log group (infra/template.json) kept as long as the functions'.
    resources["CaseApprovalLogGroup"]["Properties"]["RetentionInDays"] = \
        {"Ref": "LogRetentionDays"}
    # The portal: its bucket, distribution and headers (infra/web_hosting.py).
    resources.update(web_hosting.resources(stage))
    area = stages()[stage]["environment_variables"]["OW_AREA_CODE"]
    return {
        "Conditions": web_hosting.conditions(),
        "Parameters": {
            **web_hosting.parameters(),
            "ApiThrottleRate": {
                "Type": "Number", "Default": 500, "MinValue": 1,
                "Description": "Requests per second the API stage takes (then 429)"},
            "ApiThrottleBurst": {
                "Type": "Number", "Default": 1000, "MinValue": 1,
                "Description": "Requests the API stage takes at once"},
            "LogRetentionDays": {
                "Type": "Number", "Default": 180,
                "AllowedValues": [180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922,
                                  3288, 3653],
                "Description": "Days the functions' logs are kept (at least 180)"},
            "AreaCode": {"Type": "String", "Default": area, "AllowedPattern": r"^\d{6}$",
                         "Description": "The region's area code (metric dimension)"},
            # The materials bucket's CORS (infra/template.json): the stage's front ends.
            "FrontEndOrigins": {**infra["Parameters"]["FrontEndOrigins"],
                                "Default": _front_end_origins(stage)},
            "OverdueAlarmThreshold": {
                "Type": "Number", "Default": 0, "MinValue": 0,
                "Description": "Overdue decisions a day before the alarm fires"},
        },
        "Resources": resources,
        "Outputs": {**infra["Outputs"], **web_hosting.outputs(stage)},
    }


def _excluded(name: str, leaves_out: tuple[str, ...]) -> bool:
    parts = name.split("/")
    if parts[:2] == ["botocore", "data"] and len(parts) > 3:    # data/<service>/<version>/
        return parts[2] not in AWS_SERVICES
    return any(name.startswith(prefix) for prefix in leaves_out)


def _repackage(out: Path) -> None:
    """`chalice package`'s one zip made into PACKAGES, everything in them compiled. The
    same code makes the same packages for every stage: they are kept beside chalice's own
    cache by the hash of the zip and of this packager (whose rules make them), and copied
    for the next stage."""
    shipped = out / "deployment.zip"
    digest = hashlib.sha256(shipped.read_bytes() + Path(__file__).read_bytes())
    kept = DEPLOYMENTS / "packages" / digest.hexdigest()
    if not all((kept / f"{package}.zip").exists() for package in PACKAGES):
        for old in kept.parent.glob("*"):   # another code's: ~90 MB each
            shutil.rmtree(old)
        kept.mkdir(parents=True)
        _compile_and_split(shipped, kept)
    for package in PACKAGES:
        shutil.copyfile(kept / f"{package}.zip", out / f"{package}.zip")


def _compile_and_split(shipped: Path, into: Path) -> None:
    """The zip's entries are copied as they are (with the modes chalice gave them); the
    bytecode of every module is added beside its source (its __pycache__), where Python
    looks first."""
    with tempfile.TemporaryDirectory() as scratch:
        tree = Path(scratch)
        with zipfile.ZipFile(shipped) as archive:
            # Bytecode found in the working tree (checked against timestamps the
            # package does not keep) is left out: all of it is compiled again below.
            entries = [(info, archive.read(info)) for info in archive.infolist()
                       if not info.filename.endswith(".pyc")]
        for info, data in entries:
            if info.filename.endswith(".py"):
                source = tree / info.filename
                source.parent.mkdir(parents=True, exist_ok=True)
                source.write_bytes(data)
        if not compileall.compile_dir(
                tree, quiet=2, workers=0, stripdir=str(tree),
                invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH):
            raise SystemExit("a module of the package does not compile")
        compiled = sorted(path.relative_to(tree).as_posix()
                          for path in tree.rglob("*.pyc"))
        for package, leaves_out in PACKAGES.items():
            target = into / f"{package}.zip.partial"
            with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
                for info, data in entries:
                    if not _excluded(info.filename, leaves_out):
                        archive.writestr(info, data)
                for name in compiled:
                    if not _excluded(name, leaves_out):
                        # Readable by all whatever the builder's umask: Lambda's user
                        # would otherwise compile again at every cold start.
                        info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
                        info.external_attr = 0o100644 << 16
                        info.compress_type = zipfile.ZIP_DEFLATED
                        archive.writestr(info, (tree / name).read_bytes())
            target.replace(into / f"{package}.zip")


@contextlib.contextmanager
def _one_packager():
    """`chalice package` caches each deployment zip under .chalice/deployments by a hash
    of the code: two packagers at once (the suite's processes, a `make package` beside
    them) write the same file and leave it corrupt for every later one. One at a time."""
    DEPLOYMENTS.mkdir(parents=True, exist_ok=True)
    with open(DEPLOYMENTS / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def build(stage: str, require_portal: bool = False, into: Path = BUILD / "package") -> Path:
    """Package one stage: <into>/<stage>/{sam.json, deployment.zip, portal/} (the portal's
    files with the stage's config.json; `require_portal`: refuse without web/dist/portal).
    `into` is build/package unless a caller (a test running beside others) wants its own."""
    region = stage_region(stage)
    out = into / stage
    out.mkdir(parents=True, exist_ok=True)
    merge = out.parent / f"merge-{stage}.json"
    merge.write_text(json.dumps(merge_template(stage), indent=1, ensure_ascii=False), "utf-8")
    env = {**os.environ, "AWS_DEFAULT_REGION": region, "AWS_REGION": region}
    chalice = Path(sys.executable).with_name("chalice")
    with _one_packager():
        subprocess.run([str(chalice), "package", "--stage", stage, "--merge-template",
                        str(merge), str(out)], cwd=ROOT, env=env, check=True,
                       stdout=subprocess.DEVNULL)
        _repackage(out)
    web_hosting.write_portal(stage, out, require_built=require_portal)
    return out / "sam.json"


def to_cloudformation(sam: dict, region: str, bucket: str, prefix: str) -> dict:
    """The SAM template as plain CloudFormation (what the SAM transform would make of it),
    each function's package at s3://bucket/<prefix><its zip's name> — for CloudFormation
    implementations without the transform (moto's, in tests)."""
    from samtranslator.translator.transform import transform
    sam = json.loads(json.dumps(sam))
    for resource in sam["Resources"].values():
        if resource["Type"] == "AWS::Serverless::Function":
            package = Path(resource["Properties"]["CodeUri"]).name
            resource["Properties"]["CodeUri"] = {"Bucket": bucket, "Key": prefix + package}
    partition = "aws-cn" if region.startswith("cn-") else "aws"

    class NoManagedPolicies:
        def load(self):
            return {}

    from samtranslator.translator.arn_generator import ArnGenerator
    ArnGenerator.BOTO_SESSION_REGION_NAME = region
    return transform(sam, {"AWS::Region": region, "AWS::Partition": partition},
                     NoManagedPolicies())


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Package one stage (or all) for deploying")
    parser.add_argument("--stage", default=os.environ.get("STAGE", "beijing"),
                        help="a stage of .chalice/config.json, or 'all'")
    parser.add_argument("--require-portal", action="store_true",
                        help="stop unless web/dist/portal is built (make package builds it)")
    parser.add_argument("--into", type=Path, default=BUILD / "package",
                        help="the folder each stage's package goes into (default build/package)")
    args = parser.parse_args(argv)
    for stage in (sorted(stages()) if args.stage == "all" else [args.stage]):
        sam = build(stage, require_portal=args.require_portal, into=args.into)
        print(f"{stage} ({stage_region(stage)}): {sam}, {sam.parent / 'portal'}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
