"""Deploy a packaged stage into moto's CloudFormation and describe what was created.

    python -m tests.e2e.deploy_in_moto <stage> [<folder>]   # prints JSON

(<folder>: where the stage was packaged, build/package/<stage> unless given.)

Run as a process of its own (tests/e2e/test_deploy.py): moto's in-process backends stay
apart from any other test's. The SAM template is turned into plain CloudFormation with
the SAM translator first (moto has no SAM transform); resource types moto's CloudFormation
lacks (alarms, API Gateway stages) are listed as skipped.
"""
import json
import os
import sys
import warnings
from pathlib import Path

os.environ.update({"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test"})
for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_SESSION_TOKEN"):
    os.environ.pop(name, None)


def _without_what_moto_lacks(template: dict) -> tuple[dict, list[str]]:
    """The API's OpenAPI body, and the types of the resources taken out of `template`
    (in place) because moto cannot create them."""
    # moto makes the RestApi without reading its Body (nor can it import Swagger 2),
    # and then refuses to deploy an API without methods: the deployment is left out
    # here; the API's paths are read from the Body.
    api_body, skipped = None, []
    for logical, resource in list(template["Resources"].items()):
        if resource["Type"] == "AWS::ApiGateway::RestApi":
            api_body = resource["Properties"]["Body"]
        # moto has no CloudFormation for CloudFront (and fails on a GetAtt of one):
        # the portal's distribution is checked in the template (test_deploy.py).
        if resource["Type"] in ("AWS::ApiGateway::Deployment", "AWS::ApiGateway::Stage") \
                or resource["Type"].startswith("AWS::CloudFront::"):
            skipped.append(resource["Type"])
            del template["Resources"][logical]
    for name, output in list(template.get("Outputs", {}).items()):
        if "PortalDistribution" in json.dumps(output):
            del template["Outputs"][name]
    return api_body, skipped


def main(stage: str, folder: str | None = None) -> dict:
    import boto3
    from moto import mock_aws

    from infra.package import BUILD, PACKAGES, stage_region, to_cloudformation
    region = stage_region(stage)
    os.environ["AWS_DEFAULT_REGION"] = region
    folder = Path(folder) if folder else BUILD / "package" / stage
    sam = json.loads((folder / "sam.json").read_text("utf-8"))
    with mock_aws(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        s3 = boto3.client("s3", region_name=region)
        s3.create_bucket(Bucket="deploy", CreateBucketConfiguration={
            "LocationConstraint": region})
        for package in PACKAGES:
            s3.upload_file(str(folder / f"{package}.zip"), "deploy",
                           f"onewindow/{package}.zip")
        template = to_cloudformation(sam, region, "deploy", "onewindow/")
        api_body, skipped = _without_what_moto_lacks(template)
        cfn = boto3.client("cloudformation", region_name=region)
        cfn.create_stack(StackName=f"onewindow-{stage}", TemplateBody=json.dumps(template),
                         Capabilities=["CAPABILITY_IAM"])
        stack = cfn.describe_stacks(StackName=f"onewindow-{stage}")["Stacks"][0]
        created = [r for r in cfn.describe_stack_resources(
            StackName=f"onewindow-{stage}")["StackResources"] if r.get("ResourceType")]
        made = {r["ResourceType"] for r in created}
        skipped = sorted(set(skipped) | {r["Type"] for r in template["Resources"].values()
                                         if r["Type"] not in made})
        api_paths = sorted(api_body["paths"])
        lam = boto3.client("lambda", region_name=region)
        functions = {}
        for resource in created:
            if resource["ResourceType"] != "AWS::Lambda::Function":
                continue
            config = lam.get_function_configuration(
                FunctionName=resource["PhysicalResourceId"])
            functions[resource["LogicalResourceId"]] = {
                "name": config["FunctionName"], "role": config["Role"],
                "runtime": config["Runtime"], "handler": config["Handler"],
                "tracing": config.get("TracingConfig", {}).get("Mode"),
                "environment": config["Environment"]["Variables"]}
        mappings = [{"function": m["FunctionArn"].rsplit(":", 1)[-1],
                     "source": m["EventSourceArn"]}
                    for m in lam.list_event_source_mappings()["EventSourceMappings"]]
        logs = boto3.client("logs", region_name=region)
        groups = {g["logGroupName"]: g.get("retentionInDays")
                  for g in logs.describe_log_groups()["logGroups"]}
        iam = boto3.client("iam", region_name=region)
        policies = {}
        for resource in created:
            if resource["ResourceType"] == "AWS::IAM::Role":
                role = resource["PhysicalResourceId"]
                for name in iam.list_role_policies(RoleName=role)["PolicyNames"]:
                    policies[resource["LogicalResourceId"]] = iam.get_role_policy(
                        RoleName=role, PolicyName=name)["PolicyDocument"]
    return {"status": stack["StackStatus"], "region": region,
            "types": sorted({r["ResourceType"] for r in created}),
            "skipped_by_moto": skipped, "functions": functions, "mappings": mappings,
            "log_groups": groups, "policies": policies, "api_paths": api_paths,
            "template_types": sorted({r["Type"] for r in template["Resources"].values()})}


if __name__ == "__main__":
    print(json.dumps(main(*sys.argv[1:3]), ensure_ascii=False, default=str))
