"""The deployment template runs in every partition: packaged for a China region and for a
global one, every ARN it holds (IAM policies and the state machine's Task resources
included) is in that region's partition once CloudFormation substitutes AWS::Partition."""
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PSEUDO = re.compile(r"\$\{AWS::(Partition|Region|URLSuffix)\}")


def _package(stage: str, into: Path) -> dict:
    """`make package STAGE=<stage>`'s command, into a folder of the test's own (the suite
    runs other files beside this one)."""
    subprocess.run([sys.executable, "-m", "infra.package", "--stage", stage, "--into",
                    str(into)], cwd=ROOT, check=True, stdout=subprocess.DEVNULL, timeout=300)
    return json.loads((into / stage / "sam.json").read_text("utf-8"))


def _substitute(node, values: dict):
    """Fn::Sub's pseudo parameters replaced as CloudFormation would."""
    if isinstance(node, dict):
        if set(node) == {"Fn::Sub"}:
            body = node["Fn::Sub"]
            text = body if isinstance(body, str) else body[0]
            return PSEUDO.sub(lambda m: values[m.group(1)], text)
        return {k: _substitute(v, values) for k, v in node.items()}
    if isinstance(node, list):
        return [_substitute(v, values) for v in node]
    return node


def _policy_resources(template: dict):
    for name, resource in template["Resources"].items():
        for policy in resource.get("Properties", {}).get("Policies", []) or []:
            for statement in policy["PolicyDocument"]["Statement"]:
                resources = statement.get("Resource", [])
                for each in resources if isinstance(resources, list) else [resources]:
                    yield name, each


@pytest.mark.parametrize("stage,region,partition,suffix", [
    ("beijing", "cn-north-1", "aws-cn", "amazonaws.com.cn"),
    ("ningxia", "cn-northwest-1", "aws-cn", "amazonaws.com.cn"),
    ("global-demo", "ap-southeast-1", "aws", "amazonaws.com")])
def test_every_arn_is_in_the_regions_partition(stage, region, partition, suffix, tmp_path):
    raw = _package(stage, tmp_path)
    text = json.dumps(_substitute(raw, {"Partition": partition, "Region": region,
                                        "URLSuffix": suffix}), ensure_ascii=False)
    partitions = set(re.findall(r"arn:([a-z-]*):", text))
    assert partitions == {partition}, f"ARNs outside {partition}: {partitions - {partition}}"
    # The state machine's Task resources are among them, in the partition.
    definition = _substitute(raw["Resources"]["CaseApprovalStateMachine"]["Properties"]
                             ["DefinitionString"], {"Partition": partition, "Region": region,
                                                    "URLSuffix": suffix})
    tasks = re.findall(r'"Resource":"(arn:[^"]+)"', definition)
    assert tasks and all(t.startswith(f"arn:{partition}:states:::") for t in tasks)
    # IAM resources are references to the stack's own resources, "*", or in-partition ARNs.
    for name, resource in _policy_resources(raw):
        if isinstance(resource, str):
            assert resource == "*" or resource.startswith(f"arn:{partition}:"), \
                (name, resource)
        else:
            assert set(resource) <= {"Ref", "Fn::GetAtt", "Fn::Sub"}, (name, resource)


def test_a_china_stage_may_sign_with_sm2_and_a_global_one_may_not(tmp_path, monkeypatch):
    """国密: ningxia's config names an SM2 key, packaged as KMS's key spec SM2; beijing
    keeps ECDSA P-256; an SM2 key outside the aws-cn partition is refused at packaging."""
    from infra import package
    specs = {stage: _package(stage, tmp_path / stage)["Resources"]["LicenseSigningKey"]
             ["Properties"]["KeySpec"] for stage in ("ningxia", "beijing")}
    assert specs == {"ningxia": "SM2", "beijing": "ECC_NIST_P256"}
    stages = package.stages()
    monkeypatch.setattr(package, "stages", lambda: {
        **stages, "global-demo": {**stages["global-demo"], "signingKeySpec": "SM2"},
        "beijing": {**stages["beijing"], "signingKeySpec": "RSA_2048"}})
    with pytest.raises(SystemExit, match="aws-cn partition"):
        package._signing_key("global-demo", {"Properties": {}})
    with pytest.raises(SystemExit, match="signingKeySpec"):
        package._signing_key("beijing", {"Properties": {}})
