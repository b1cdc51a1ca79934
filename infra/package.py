"""`make package`: a deployable template = `chalice package` + infra/template.json.

The merge template adds the stateful resources and points what Chalice generated at
them: every function's environment (the variables chalicelib/config.py reads), each event
source at its queue or stream (the decorators in chalicelib/events carry placeholders),
a dead-letter destination for the stream handler, and a least-privilege policy for the
functions' role (Chalice's policy generator cannot see PynamoDB's calls).
"""
import json
import os
import subprocess
import sys
from pathlib import Path

from chalicelib.events import handlers
from infra.template import ROOT, render

BUILD = ROOT / "build"
FUNCTIONS = ("APIHandler", "RecordTask", "IssueLicense", "CaseTimeline", "DeadLetterWatch")
# Chalice's names for the event sources of each handler, and the resource each reads.
EVENT_SOURCES = {
    ("RecordTask", "RecordTaskSqsEventSource", "Queue"):
        {"Fn::GetAtt": [handlers.SOURCE_RESOURCES[handlers.TASKS_QUEUE], "Arn"]},
    ("IssueLicense", "IssueLicenseSqsEventSource", "Queue"):
        {"Fn::GetAtt": [handlers.SOURCE_RESOURCES[handlers.ISSUE_QUEUE], "Arn"]},
    ("CaseTimeline", "CaseTimelineDynamodbEventSource", "Stream"):
        {"Fn::GetAtt": [handlers.SOURCE_RESOURCES[handlers.CASES_STREAM], "StreamArn"]},
}


def _environment() -> dict:
    return {
        "OW_CASES_TABLE": {"Ref": "CasesTable"},
        "OW_ITEMS_TABLE": {"Ref": "ItemsTable"},
        "OW_LICENSES_TABLE": {"Ref": "LicensesTable"},
        "OW_TASKS_QUEUE_URL": {"Ref": "TasksQueue"},
        "OW_ISSUE_QUEUE_URL": {"Ref": "IssueQueue"},
        "OW_NOTIFICATIONS_TOPIC_ARN": {"Ref": "NotificationsTopic"},
        "OW_SIGNING_KEY_ID": {"Ref": "LicenseSigningKey"},
        "OW_STATE_MACHINE_ARN": {"Ref": "CaseApprovalStateMachine"},
        "OW_TOKEN_SECRET": {"Ref": "TokenSecret"},
        "OW_DEAD_LETTER_QUEUE_URLS": {"Fn::Join": [",", [
            {"Ref": "TasksDeadLetterQueue"}, {"Ref": "IssueDeadLetterQueue"},
            {"Ref": "TimelineDeadLetterQueue"}]]},
    }


def _function_policy() -> dict:
    def arn(resource):
        return {"Fn::GetAtt": [resource, "Arn"]}

    tables = ["CasesTable", "ItemsTable", "LicensesTable"]
    return {
        "PolicyName": "onewindow-functions",
        "PolicyDocument": {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow",
             "Action": ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem",
                        "dynamodb:Query", "dynamodb:BatchWriteItem",
                        "dynamodb:ConditionCheckItem"],
             "Resource": [arn(t) for t in tables] +
                         [{"Fn::Sub": f"${{{t}.Arn}}/index/*"} for t in tables]},
            {"Effect": "Allow",
             "Action": ["dynamodb:DescribeStream", "dynamodb:GetRecords",
                        "dynamodb:GetShardIterator", "dynamodb:ListStreams"],
             "Resource": {"Fn::GetAtt": ["CasesTable", "StreamArn"]}},
            {"Effect": "Allow",
             "Action": ["sqs:ReceiveMessage", "sqs:DeleteMessage",
                        "sqs:GetQueueAttributes"],
             "Resource": [arn("TasksQueue"), arn("IssueQueue")]},
            {"Effect": "Allow", "Action": "sqs:SendMessage",
             "Resource": arn("TimelineDeadLetterQueue")},
            {"Effect": "Allow", "Action": "sqs:GetQueueAttributes",
             "Resource": [arn("TasksDeadLetterQueue"), arn("IssueDeadLetterQueue"),
                          arn("TimelineDeadLetterQueue")]},
            {"Effect": "Allow", "Action": "sns:Publish",
             "Resource": {"Ref": "NotificationsTopic"}},
            {"Effect": "Allow", "Action": "states:StartExecution",
             "Resource": {"Ref": "CaseApprovalStateMachine"}},
            {"Effect": "Allow", "Action": ["states:SendTaskSuccess", "states:SendTaskFailure",
                                           "states:SendTaskHeartbeat"],
             "Resource": {"Ref": "CaseApprovalStateMachine"}},
            {"Effect": "Allow", "Action": ["kms:Sign", "kms:GetPublicKey", "kms:DescribeKey"],
             "Resource": arn("LicenseSigningKey")},
            {"Effect": "Allow",
             "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
             "Resource": {"Fn::Sub": "arn:${AWS::Partition}:logs:*:*:*"}},
            {"Effect": "Allow", "Action": ["xray:PutTraceSegments",
                                           "xray:PutTelemetryRecords"], "Resource": "*"},
        ]},
    }


def merge_template() -> dict:
    infra = render()
    resources = dict(infra["Resources"])
    for name in FUNCTIONS:
        resources[name] = {"Properties": {"Environment": {"Variables": _environment()}}}
    for (function, event, key), target in EVENT_SOURCES.items():
        properties = {key: target}
        if key == "Stream":
            properties.update({
                "MaximumRetryAttempts": 10, "BisectBatchOnFunctionError": True,
                "DestinationConfig": {"OnFailure": {"Type": "SQS", "Destination": {
                    "Fn::GetAtt": ["TimelineDeadLetterQueue", "Arn"]}}}})
        resources[function].setdefault("Properties", {})["Events"] = {
            event: {"Properties": properties}}
    resources["DefaultRole"] = {"Properties": {"Policies": [_function_policy()]}}
    return {
        "Parameters": {"TokenSecret": {
            "Type": "String", "NoEcho": True, "MinLength": 32,
            "Description": "Signing secret of the interim bearer tokens (until OIDC)"}},
        "Resources": resources,
        "Outputs": infra["Outputs"],
    }


def main() -> int:
    BUILD.mkdir(exist_ok=True)
    merge = BUILD / "merge.json"
    merge.write_text(json.dumps(merge_template(), indent=1, ensure_ascii=False), "utf-8")
    env = {**os.environ, "AWS_DEFAULT_REGION": os.environ.get("AWS_DEFAULT_REGION",
                                                              "cn-north-1")}
    out = BUILD / "package"
    chalice = Path(sys.executable).with_name("chalice")
    subprocess.run([str(chalice), "package", "--stage", "prod", "--merge-template",
                    str(merge), str(out)], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    print(out / "sam.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
