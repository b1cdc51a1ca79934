"""The one resource definition: infra/template.json with the ASL files of statemachines/
inlined where the template says `{{asl:NAME}}`, and the event consumers' queues and
dead-letter queues made from chalicelib/events/registry.py (one entry a consumer: the
template's rules, policies and bucket notifications name these queues by logical id).

The local stack and the tests create their resources from `render()`; `make package`
merges the same output into `chalice package`'s template for a deployment.
"""
import functools
import json
from pathlib import Path

from chalicelib.events import registry

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "infra" / "template.json"
STATEMACHINES = ROOT / "statemachines"

# Stack outputs -> the environment variables chalicelib/config.py reads.
OUTPUT_ENV = {
    "CasesTable": "OW_CASES_TABLE",
    "ItemsTable": "OW_ITEMS_TABLE",
    "LicensesTable": "OW_LICENSES_TABLE",
    "AuditTable": "OW_AUDIT_TABLE",
    "SupervisionTable": "OW_SUPERVISION_TABLE",
    "NotificationsTable": "OW_NOTIFICATIONS_TABLE",
    "StatisticsTable": "OW_STATISTICS_TABLE",
    "UsageTable": "OW_USAGE_TABLE",
    "MaterialsTable": "OW_MATERIALS_TABLE",
    "MaterialsBucketName": "OW_MATERIALS_BUCKET",
    "SupervisionSealsBucketName": "OW_SUPERVISION_SEALS_BUCKET",
    "TasksQueueUrl": "OW_TASKS_QUEUE_URL",
    "ConcludeQueueUrl": "OW_CONCLUDE_QUEUE_URL",
    "StartsQueueUrl": "OW_STARTS_QUEUE_URL",
    "DueQueueUrl": "OW_DUE_QUEUE_URL",
    "CaseEventBusName": "OW_EVENT_BUS_NAME",
    "NotificationsTopicArn": "OW_NOTIFICATIONS_TOPIC_ARN",
    "LicenseSigningKeyId": "OW_SIGNING_KEY_ID",
    "PersonalDataKeyId": "OW_PERSONAL_DATA_KEY_ID",
    "CaseApprovalStateMachineArn": "OW_STATE_MACHINE_ARN",
    "DeadLetterQueueUrls": "OW_DEAD_LETTER_QUEUE_URLS",
    "CursorSecretId": "OW_CURSOR_SECRET_ID",
    "QueryPasswordSecretId": "OW_QUERY_PASSWORD_SECRET_ID",
    "LookupSecretId": "OW_LOOKUP_SECRET_ID",
    "DataExchangeSecretId": "OW_DATA_EXCHANGE_SECRET_ID",
}
# The stage's secrets (adapters/secrets.py), by logical id.
SECRETS = ("CursorSecret", "QueryPasswordSecret", "LookupSecret", "DataExchangeSecret")
# The key specs a region's license key may have: ECDSA P-256 (the template's), or 国密 SM2
# (KMS offers it in the aws-cn partition only). A stage names its own in
# .chalice/config.json (`signingKeySpec`, infra/package.py), the local stack in
# OW_LOCAL_SIGNING_KEY_SPEC; the functions read the algorithm off the key.
SIGNING_KEY_SPECS = ("ECC_NIST_P256", "SM2")


def with_signing_key_spec(template: dict, spec: str) -> dict:
    """`template` with its license key of `spec` (ValueError naming the specs a key may
    have, for another)."""
    if spec not in SIGNING_KEY_SPECS:
        raise ValueError(f"the signing key spec must be one of {', '.join(SIGNING_KEY_SPECS)}, "
                         f"not {spec!r}")
    key = template["Resources"]["LicenseSigningKey"]
    resources = {**template["Resources"], "LicenseSigningKey": {
        **key, "Properties": {**key["Properties"], "KeySpec": spec}}}
    return {**template, "Resources": resources}


@functools.cache
def secret_names() -> dict[str, str]:
    """Each secret's name as the template defines it (`${AWS::StackName}/…`, an Fn::Sub
    string): what the functions are told, what their role may read, what the local stack
    creates."""
    resources = json.loads(TEMPLATE.read_text("utf-8"))["Resources"]
    return {logical: resources[logical]["Properties"]["Name"]["Fn::Sub"]
            for logical in SECRETS}


def asl(name: str) -> str:
    """An ASL file as compact JSON text (what DefinitionString carries)."""
    definition = json.loads((STATEMACHINES / f"{name}.asl.json").read_text("utf-8"))
    return json.dumps(definition, separators=(",", ":"), ensure_ascii=False)


def _inline(node):
    if isinstance(node, dict):
        return {key: _inline(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_inline(value) for value in node]
    if isinstance(node, str) and node.startswith("{{asl:") and node.endswith("}}"):
        return asl(node[len("{{asl:"):-2])
    return node


def _dead_letter_queue() -> dict:
    return {"Type": "AWS::SQS::Queue", "Properties": {
        "MessageRetentionPeriod": registry.DEAD_LETTER_RETENTION_SECONDS}}


def consumer_queues() -> tuple[dict, dict]:
    """The resources and outputs of the registry's queues: each consumed queue with its
    dead-letter queue and its URL, the stream's on-failure queue and its URL, and every
    dead-letter queue's URL in the registry's order (OW_DEAD_LETTER_QUEUE_URLS)."""
    resources, outputs = {}, {}
    for queue in registry.queues():
        resources[queue.dead_letters] = _dead_letter_queue()
        resources[queue.resource] = {"Type": "AWS::SQS::Queue", "Properties": {
            "VisibilityTimeout": queue.visibility_timeout,
            "RedrivePolicy": {
                "deadLetterTargetArn": {"Fn::GetAtt": [queue.dead_letters, "Arn"]},
                "maxReceiveCount": queue.max_receive_count}}}
        outputs[queue.url_output] = {"Value": {"Ref": queue.resource}}
    for stream in registry.streams():
        resources[stream.on_failure] = _dead_letter_queue()
        outputs[f"{stream.on_failure}Url"] = {"Value": {"Ref": stream.on_failure}}
    outputs["DeadLetterQueueUrls"] = {"Value": {"Fn::Join": [",", [
        {"Ref": queue} for queue in registry.DEAD_LETTER_QUEUES]]}}
    return resources, outputs


def render() -> dict:
    template = _inline(json.loads(TEMPLATE.read_text("utf-8")))
    resources, outputs = consumer_queues()
    clash = (resources.keys() & template["Resources"].keys()) | \
        (outputs.keys() & template["Outputs"].keys())
    if clash:
        raise ValueError(f"infra/template.json defines what the registry makes: {sorted(clash)}")
    template["Resources"] = {**resources, **template["Resources"]}
    template["Outputs"] = {**template["Outputs"], **outputs}
    return template


def main() -> None:
    import sys
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "build" / "template.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(render(), indent=1, ensure_ascii=False), "utf-8")
    print(out)


if __name__ == "__main__":
    main()
