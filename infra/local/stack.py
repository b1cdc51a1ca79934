"""Create the stack's resources from infra/template.json (the local stack and the tests,
against moto; the same template is what a deployment creates). Events are delivered by
infra/local/pump.py.
"""
import json
import re
import warnings

import boto3

from chalicelib.events import registry
from infra import template as infra_template

STACK_NAME = "onewindow"


def create_resources(region: str, endpoint_url: str | None = None,
                     stack_name: str = STACK_NAME,
                     front_end_origins: list[str] | None = None,
                     signing_key_spec: str | None = None) -> dict:
    """Create the stack; return the environment the app reads (chalicelib/config.py).
    `front_end_origins`: the template's FrontEndOrigins (its default without);
    `signing_key_spec`: the license key's, as a stage's `signingKeySpec` sets it when
    packaged (the template's ECC_NIST_P256 without)."""
    with warnings.catch_warnings():
        # moto's CloudFormation skips Secrets Manager secrets (warning each time it reads
        # the template); _secrets makes them.
        warnings.filterwarnings("ignore", message=".*AWS::SecretsManager::Secret")
        # Nor queue policies (moto's EventBridge delivers to any queue).
        warnings.filterwarnings("ignore", message=".*AWS::SQS::QueuePolicy")
        return _create(region, endpoint_url, stack_name, front_end_origins,
                       signing_key_spec)


def _create(region: str, endpoint_url: str | None, stack_name: str,
            front_end_origins: list[str] | None, signing_key_spec: str | None) -> dict:
    cfn = boto3.client("cloudformation", region_name=region, endpoint_url=endpoint_url)
    template = infra_template.render()
    if signing_key_spec:
        template = infra_template.with_signing_key_spec(template, signing_key_spec)
    parameters = {name: spec["Default"] for name, spec in template["Parameters"].items()}
    if front_end_origins:
        parameters["FrontEndOrigins"] = ",".join(front_end_origins)
    cfn.create_stack(StackName=stack_name, TemplateBody=json.dumps(template),
                     Capabilities=["CAPABILITY_IAM"],
                     Parameters=[{"ParameterKey": k, "ParameterValue": v}
                                 for k, v in parameters.items()])
    stack = cfn.describe_stacks(StackName=stack_name)["Stacks"][0]
    if stack["StackStatus"] != "CREATE_COMPLETE":
        raise RuntimeError(f"stack {stack_name}: {stack['StackStatus']} "
                           f"{stack.get('StackStatusReason', '')}")
    outputs = {o["OutputKey"]: o["OutputValue"] for o in stack["Outputs"]}
    outputs["LicenseSigningKeyId"] = _signing_key(template, outputs, region, endpoint_url)
    _state_machines(template, cfn, stack_name, region, endpoint_url)
    _secrets(template, stack_name, region, endpoint_url)
    _materials_bucket(template, parameters, outputs, region, endpoint_url)
    _seals_bucket(template, outputs, region, endpoint_url)
    env = {var: outputs[key] for key, var in infra_template.OUTPUT_ENV.items()}
    # moto's Fn::Join output keeps the list; a deployment's is the joined string.
    if isinstance(env["OW_DEAD_LETTER_QUEUE_URLS"], list):
        env["OW_DEAD_LETTER_QUEUE_URLS"] = ",".join(env["OW_DEAD_LETTER_QUEUE_URLS"])
    # What the local pump reads (infra/local/pump.py): each consumed queue's URL, each
    # stream's ARN, and where a stream batch that kept failing is recorded (the deployed
    # mapping's on-failure destination, infra/package.py).
    for queue in registry.queues():
        env[queue.env] = outputs[queue.url_output]
    for stream in registry.streams():
        env[stream.env] = outputs[stream.arn_output]
        env["OW_STREAM_FAILURE_QUEUE_URL"] = outputs[f"{stream.on_failure}Url"]
    return env


def _signing_key(template: dict, outputs: dict, region: str, endpoint_url: str | None) -> str:
    """moto's CloudFormation ignores KeySpec/KeyUsage and makes a symmetric key; create the
    key the template defines, with the template's own properties, and point the alias at it.
    Against real CloudFormation the created key already matches and is kept."""
    kms = boto3.client("kms", region_name=region, endpoint_url=endpoint_url)
    wanted = template["Resources"]["LicenseSigningKey"]["Properties"]
    key_id = outputs["LicenseSigningKeyId"]
    meta = kms.describe_key(KeyId=key_id)["KeyMetadata"]
    if meta.get("KeySpec") == wanted["KeySpec"] and meta["KeyUsage"] == wanted["KeyUsage"]:
        return key_id
    key_id = kms.create_key(KeySpec=wanted["KeySpec"], KeyUsage=wanted["KeyUsage"],
                            Description=wanted["Description"])["KeyMetadata"]["KeyId"]
    alias = template["Resources"]["LicenseSigningKeyAlias"]["Properties"]["AliasName"]
    try:
        kms.update_alias(AliasName=alias, TargetKeyId=key_id)
    except kms.exceptions.NotFoundException:
        kms.create_alias(AliasName=alias, TargetKeyId=key_id)
    return key_id


def _state_machines(template: dict, cfn, stack_name: str, region: str,
                    endpoint_url: str | None) -> None:
    """moto's CloudFormation creates state machines in a backend its executor does not
    read (with execute_state_machine on, the API sees none of them). Create each machine
    the template defines, from the template's own definition with its Fn::Sub names
    resolved to the stack's physical resources. Against AWS every machine exists and
    nothing is done."""
    sfn = boto3.client("stepfunctions", region_name=region, endpoint_url=endpoint_url)
    iam = boto3.client("iam", region_name=region, endpoint_url=endpoint_url)
    resources = cfn.describe_stack_resources(StackName=stack_name)["StackResources"]
    physical = {r["LogicalResourceId"]: r.get("PhysicalResourceId") for r in resources
                if "LogicalResourceId" in r}
    for logical, resource in template["Resources"].items():
        if resource["Type"] != "AWS::StepFunctions::StateMachine":
            continue
        try:
            sfn.describe_state_machine(stateMachineArn=physical[logical])
            continue
        except sfn.exceptions.StateMachineDoesNotExist:
            pass
        props = resource["Properties"]
        body, variables = props["DefinitionString"]["Fn::Sub"]
        values = {name: physical[ref["Ref"]] for name, ref in variables.items()}
        values.update(_pseudo_parameters(region, stack_name, endpoint_url))
        definition = re.sub(r"\$\{([\w:]+)\}", lambda m, values=values: values[m.group(1)],
                            body)
        role_name = physical[props["RoleArn"]["Fn::GetAtt"][0]]
        sfn.create_state_machine(
            name=physical[logical].rsplit(":", 1)[1], definition=definition,
            roleArn=iam.get_role(RoleName=role_name)["Role"]["Arn"],
            type=props.get("StateMachineType", "STANDARD"))


def _secrets(template: dict, stack_name: str, region: str, endpoint_url: str | None) -> None:
    """moto's CloudFormation has no Secrets Manager secrets: create each secret the
    template defines, under the template's name and with a value generated as its
    GenerateSecretString says. A secret already there (the stack created again in the same
    moto) is kept, as CloudFormation would."""
    sm = boto3.client("secretsmanager", region_name=region, endpoint_url=endpoint_url)
    for logical, name in infra_template.secret_names().items():
        props = template["Resources"][logical]["Properties"]
        name = name.replace("${AWS::StackName}", stack_name)
        try:
            sm.describe_secret(SecretId=name)
            continue
        except sm.exceptions.ResourceNotFoundException:
            pass
        generate = props["GenerateSecretString"]
        secret = sm.get_random_password(
            PasswordLength=generate["PasswordLength"],
            ExcludePunctuation=generate.get("ExcludePunctuation", False))["RandomPassword"]
        sm.create_secret(Name=name, Description=props["Description"], SecretString=secret)


def _materials_bucket(template: dict, parameters: dict, outputs: dict, region: str,
                      endpoint_url: str | None) -> None:
    """moto's CloudFormation makes the bucket with its encryption only: apply the rest of
    the template's own bucket properties (public access block, versioning, lifecycle,
    CORS, the upload notification to the materials queue) through the S3 API. Against
    AWS, CloudFormation has applied them and this sets them to the same values."""
    s3 = boto3.client("s3", region_name=region, endpoint_url=endpoint_url)
    sqs = boto3.client("sqs", region_name=region, endpoint_url=endpoint_url)
    props = template["Resources"]["MaterialsBucket"]["Properties"]
    bucket = outputs["MaterialsBucketName"]
    s3.put_public_access_block(
        Bucket=bucket, PublicAccessBlockConfiguration=props["PublicAccessBlockConfiguration"])
    s3.put_bucket_versioning(Bucket=bucket,
                             VersioningConfiguration=props["VersioningConfiguration"])
    rules = []
    for rule in props["LifecycleConfiguration"]["Rules"]:
        tags = [{"Key": f["Key"], "Value": f["Value"]} for f in rule.get("TagFilters", ())]
        api = {"ID": rule["Id"], "Status": rule["Status"],
               "Filter": {"And": {"Prefix": rule["Prefix"], "Tags": tags}} if tags
               else {"Prefix": rule["Prefix"]}}
        if "ExpirationInDays" in rule:
            api["Expiration"] = {"Days": rule["ExpirationInDays"]}
        if "AbortIncompleteMultipartUpload" in rule:
            api["AbortIncompleteMultipartUpload"] = rule["AbortIncompleteMultipartUpload"]
        if "Transitions" in rule:
            api["Transitions"] = [{"Days": t["TransitionInDays"],
                                   "StorageClass": t["StorageClass"]}
                                  for t in rule["Transitions"]]
        if "NoncurrentVersionExpiration" in rule:
            api["NoncurrentVersionExpiration"] = rule["NoncurrentVersionExpiration"]
        rules.append(api)
    s3.put_bucket_lifecycle_configuration(Bucket=bucket,
                                          LifecycleConfiguration={"Rules": rules})

    def origins(value):   # a list, or a Ref to a CommaDelimitedList parameter
        return parameters[value["Ref"]].split(",") if isinstance(value, dict) else value
    s3.put_bucket_cors(Bucket=bucket, CORSConfiguration={"CORSRules": [
        {"AllowedMethods": rule["AllowedMethods"],
         "AllowedOrigins": origins(rule["AllowedOrigins"]),
         "AllowedHeaders": rule["AllowedHeaders"], "MaxAgeSeconds": rule["MaxAge"]}
        for rule in props["CorsConfiguration"]["CorsRules"]]})
    queue_arn = sqs.get_queue_attributes(QueueUrl=outputs["MaterialsQueueUrl"],
                                         AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    s3.put_bucket_notification_configuration(Bucket=bucket, NotificationConfiguration={
        "QueueConfigurations": [
            {"QueueArn": queue_arn, "Events": [notice["Event"]],
             "Filter": {"Key": {"FilterRules": notice["Filter"]["S3Key"]["Rules"]}}}
            for notice in props["NotificationConfiguration"]["QueueConfigurations"]]})


def _seals_bucket(template: dict, outputs: dict, region: str,
                  endpoint_url: str | None) -> None:
    """moto's CloudFormation makes the supervision seals' bucket with its encryption only:
    apply the template's public access block, versioning and Object Lock (compliance
    mode, its default retention) through the S3 API. Object Lock can be set only on a
    bucket still empty: one that has it already is left as it is."""
    s3 = boto3.client("s3", region_name=region, endpoint_url=endpoint_url)
    props = template["Resources"]["SupervisionSealsBucket"]["Properties"]
    bucket = outputs["SupervisionSealsBucketName"]
    s3.put_public_access_block(
        Bucket=bucket, PublicAccessBlockConfiguration=props["PublicAccessBlockConfiguration"])
    try:
        if s3.get_object_lock_configuration(Bucket=bucket)["ObjectLockConfiguration"].get(
                "Rule"):
            return
    except s3.exceptions.ClientError as error:
        if error.response["Error"]["Code"] != "ObjectLockConfigurationNotFoundError":
            raise
    s3.put_bucket_versioning(Bucket=bucket,
                             VersioningConfiguration=props["VersioningConfiguration"])
    s3.put_object_lock_configuration(Bucket=bucket,
                                     ObjectLockConfiguration=props["ObjectLockConfiguration"])


def _pseudo_parameters(region: str, stack_name: str, endpoint_url: str | None) -> dict:
    """What CloudFormation substitutes for AWS::… in an Fn::Sub string."""
    account = boto3.client("sts", region_name=region, endpoint_url=endpoint_url) \
        .get_caller_identity()["Account"]
    return {"AWS::Partition": boto3.session.Session().get_partition_for_region(region),
            "AWS::Region": region, "AWS::AccountId": account, "AWS::StackName": stack_name}

