"""The portal and the staff workbench on a stage: their built files (one site: the portal at
`/`, the workbench at `/staff/`) in a private S3 bucket behind CloudFront, and the
`config.json` that tells them where the stage's API and issuer are (docs/web.md).

`make package` merges `resources(stage)` into the stage's template (infra/package.py) and
writes `build/package/<stage>/portal/`: web/dist/portal and that stage's config.json,
ready for `aws s3 sync`. What a stage says about its portal is the `portal` block of its
`.chalice/config.json` entry: `domain` (its public host name), `apiBase` (the API's public
address), `clientId` (the portal's public client at the stage's issuer, `OW_OIDC_ISSUER`)
and `staffClientId` (the workbench's: another client, redirecting to `/staff/callback`).

- The bucket blocks every public access; CloudFront reads it through an origin access
  control (SigV4-signed requests; the bucket policy lets exactly this distribution read).
- Viewers are redirected to HTTPS; index.html answers `/`, and every path that is no file
  (403 from a private bucket, 404) — the app's router takes it from there. Every path under
  `/staff` is answered with staff/index.html by a CloudFront Function (viewer request):
  the workbench's router takes those.
- The response headers policy carries infra/web_headers.py's headers for the stage's API
  and issuer: the same function the local stack's server sends them with.
- aws-cn: CloudFront in China serves no `*.cloudfront.cn` address; a distribution needs
  the ICP-filed domain as its alias and a certificate uploaded to IAM (no ACM there). Until
  the stack gets the certificate (parameter `PortalCertificate`), a China stage keeps only
  the bucket; elsewhere the distribution serves its own `*.cloudfront.net` address until
  then, and the domain with an ACM certificate (us-east-1) once given.
"""
import json
import shutil
from pathlib import Path
from urllib.parse import urlsplit

from infra.template import ROOT
from infra.web_headers import origin, security_headers

PORTAL_DIST = ROOT / "web" / "dist" / "portal"
# A bucket name boto3 signs a presigned upload for, replaced by the stack's own bucket.
_SENTINEL_BUCKET = "onewindow-materials-bucket-placeholder"
CERTIFIED = "PortalCertified"
# CloudFront Function (viewer request): whatever the path under /staff, the workbench's page.
WORKBENCH_ROUTES = """function handler(event) {
  var request = event.request;
  request.uri = '/staff/index.html';
  return request;
}
"""


def _stage(stage: str) -> dict:
    from infra.package import stages
    return stages()[stage]


def is_china(region: str) -> bool:
    return region.startswith("cn-")


def runtime_config(stage: str) -> dict:
    """The portal's /config.json on this stage (web/src/lib/config.ts reads it)."""
    settings = _stage(stage)
    portal = settings.get("portal")
    if not portal:
        raise SystemExit(f"stage {stage!r} has no `portal` block in .chalice/config.json "
                         "(domain, apiBase, clientId): docs/web.md")
    issuer = settings["environment_variables"]["OW_OIDC_ISSUER"]
    origins = settings["environment_variables"].get("OW_CORS_ORIGINS", "").split(",")
    if f"https://{portal['domain']}" not in [o.strip() for o in origins]:
        raise SystemExit(f"stage {stage!r}: OW_CORS_ORIGINS must include the portal's "
                         f"https://{portal['domain']} (its browsers call the API)")
    if not portal.get("staffClientId"):
        raise SystemExit(f"stage {stage!r}: portal.staffClientId is missing (the workbench's "
                         "client at the issuer): docs/web.md")
    for key in ("apiBase",):
        if urlsplit(portal[key]).scheme != "https":
            raise SystemExit(f"stage {stage!r}: portal.{key} must be an https:// address")
    for extra in portal.get("identityOrigins", ()):
        if urlsplit(extra).scheme != "https":
            raise SystemExit(f"stage {stage!r}: portal.identityOrigins must be https:// "
                             f"addresses, not {extra!r}")
    return {"apiBase": portal["apiBase"], "issuer": issuer, "clientId": portal["clientId"],
            "staffClientId": portal["staffClientId"]}


def upload_origin(region: str, bucket: str) -> str:
    """Where a browser posts a material (the origin of the presigned form the API hands
    out, as boto3 makes it in this region)."""
    import boto3
    s3 = boto3.session.Session(aws_access_key_id="placeholder",
                               aws_secret_access_key="placeholder").client(
        "s3", region_name=region)
    url = s3.generate_presigned_post(_SENTINEL_BUCKET, "k")["url"]
    return origin(url).replace(_SENTINEL_BUCKET, bucket)


def stage_headers(stage: str, materials_bucket: str) -> dict:
    """The headers the stage's portal is served with, for a materials bucket's name."""
    from infra.package import stage_region
    config = runtime_config(stage)
    return security_headers(config["apiBase"], config["issuer"],
                            (upload_origin(stage_region(stage), materials_bucket),),
                            tuple(_stage(stage)["portal"].get("identityOrigins", ())))


def _policy_config(headers: dict) -> dict:
    """A CloudFront ResponseHeadersPolicyConfig sending exactly these headers."""
    headers = dict(headers)
    security: dict = {}
    csp = headers.pop("Content-Security-Policy")
    security["ContentSecurityPolicy"] = {"ContentSecurityPolicy": {"Fn::Sub": csp},
                                         "Override": True}
    if headers.pop("X-Content-Type-Options") != "nosniff":
        raise ValueError("CloudFront sends X-Content-Type-Options: nosniff only")
    security["ContentTypeOptions"] = {"Override": True}
    security["FrameOptions"] = {"FrameOption": headers.pop("X-Frame-Options"),
                                "Override": True}
    security["ReferrerPolicy"] = {"ReferrerPolicy": headers.pop("Referrer-Policy"),
                                  "Override": True}
    hsts = [part.strip() for part in headers.pop("Strict-Transport-Security").split(";")]
    security["StrictTransportSecurity"] = {
        "AccessControlMaxAgeSec": int(hsts[0].removeprefix("max-age=")),
        "IncludeSubdomains": "includeSubDomains" in hsts, "Preload": "preload" in hsts,
        "Override": True}
    return {
        "Name": {"Fn::Sub": "${AWS::StackName}-portal-headers"},
        "Comment": "OneWindow portal: infra/web_headers.py",
        "SecurityHeadersConfig": security,
        "CustomHeadersConfig": {"Items": [
            {"Header": name, "Value": value, "Override": True}
            for name, value in headers.items()]},
    }


def headers_of_policy(config: dict, substitute=lambda text: text) -> dict:
    """The headers a ResponseHeadersPolicyConfig makes CloudFront send (for the tests: the
    inverse of `_policy_config`)."""
    security = config["SecurityHeadersConfig"]
    hsts = security["StrictTransportSecurity"]
    headers = {
        "Content-Security-Policy": substitute(
            security["ContentSecurityPolicy"]["ContentSecurityPolicy"]),
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": security["FrameOptions"]["FrameOption"],
        "Referrer-Policy": security["ReferrerPolicy"]["ReferrerPolicy"],
        "Strict-Transport-Security": "; ".join(
            [f"max-age={hsts['AccessControlMaxAgeSec']}"]
            + ["includeSubDomains"] * hsts["IncludeSubdomains"] + ["preload"] * hsts["Preload"]),
    }
    headers.update({item["Header"]: item["Value"]
                    for item in config["CustomHeadersConfig"]["Items"]})
    return headers


def parameters() -> dict:
    return {"PortalCertificate": {
        "Type": "String", "Default": "",
        "Description": "The portal domain's certificate: an ACM certificate ARN in "
                       "us-east-1; in China (aws-cn) the IAM server certificate's id "
                       "(uploaded with --path /cloudfront/). Empty: no distribution in "
                       "China, the *.cloudfront.net address elsewhere"}}


def conditions() -> dict:
    return {CERTIFIED: {"Fn::Not": [{"Fn::Equals": [{"Ref": "PortalCertificate"}, ""]}]}}


def resources(stage: str) -> dict:
    from infra.package import stage_region
    region = stage_region(stage)
    china = is_china(region)
    domain = _stage(stage)["portal"]["domain"]
    headers = stage_headers(stage, "${MaterialsBucket}")
    only_certified = {"Condition": CERTIFIED} if china else {}
    if china:
        certificate = {"IamCertificateId": {"Ref": "PortalCertificate"},
                       "SslSupportMethod": "sni-only",
                       "MinimumProtocolVersion": "TLSv1.2_2021"}
        aliases = [domain]
    else:
        certificate = {"Fn::If": [CERTIFIED, {
            "AcmCertificateArn": {"Ref": "PortalCertificate"},
            "SslSupportMethod": "sni-only", "MinimumProtocolVersion": "TLSv1.2_2021"},
            {"CloudFrontDefaultCertificate": True}]}
        aliases = {"Fn::If": [CERTIFIED, [domain], {"Ref": "AWS::NoValue"}]}
    # A path that is no file: S3 answers 403 to CloudFront (it may not list the bucket),
    # or 404; the app's index.html answers it with 200 and routes it itself.
    spa_fallback = [{"ErrorCode": code, "ResponseCode": 200,
                     "ResponsePagePath": "/index.html", "ErrorCachingMinTTL": 0}
                    for code in (403, 404)]
    behaviour = {
        "TargetOriginId": "portal-bucket",
        "ViewerProtocolPolicy": "redirect-to-https",
        "AllowedMethods": ["GET", "HEAD"], "CachedMethods": ["GET", "HEAD"],
        "Compress": True,
        "CachePolicyId": {"Ref": "PortalCachePolicy"},
        "ResponseHeadersPolicyId": {"Ref": "PortalHeadersPolicy"}}
    return {
        # The workbench's routes are its page's: /staff, /staff/tasks/… all answered with
        # staff/index.html (its assets are under /assets/, the default behaviour's).
        "WorkbenchRoutes": {
            "Type": "AWS::CloudFront::Function", **only_certified,
            "Properties": {
                "Name": {"Fn::Sub": "${AWS::StackName}-workbench-routes"},
                "AutoPublish": True,
                "FunctionConfig": {"Comment": "every /staff path: the workbench's page",
                                   "Runtime": "cloudfront-js-2.0"},
                "FunctionCode": WORKBENCH_ROUTES}},
        "PortalBucket": {
            "Type": "AWS::S3::Bucket",
            # Kept like every bucket of the stack (its files are rebuilt by `make package`
            # anyway); named by CloudFormation, so a stack created again makes its own.
            "DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain",
            "Properties": {
                "PublicAccessBlockConfiguration": {
                    "BlockPublicAcls": True, "BlockPublicPolicy": True,
                    "IgnorePublicAcls": True, "RestrictPublicBuckets": True},
                "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
                "BucketEncryption": {"ServerSideEncryptionConfiguration": [
                    {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]},
                "VersioningConfiguration": {"Status": "Enabled"}}},
        "PortalBucketPolicy": {
            "Type": "AWS::S3::BucketPolicy", **only_certified,
            "Properties": {"Bucket": {"Ref": "PortalBucket"}, "PolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [{
                    "Sid": "TheDistributionReads", "Effect": "Allow",
                    "Principal": {"Service": "cloudfront.amazonaws.com"},
                    "Action": "s3:GetObject",
                    "Resource": {"Fn::Sub": "${PortalBucket.Arn}/*"},
                    "Condition": {"StringEquals": {"AWS:SourceArn": {"Fn::Sub":
                        "arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:"
                        "distribution/${PortalDistribution}"}}}}, {
                    "Sid": "TlsOnly", "Effect": "Deny", "Principal": "*",
                    "Action": "s3:*",
                    "Resource": [{"Fn::GetAtt": ["PortalBucket", "Arn"]},
                                 {"Fn::Sub": "${PortalBucket.Arn}/*"}],
                    "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}}},
        "PortalOriginAccessControl": {
            "Type": "AWS::CloudFront::OriginAccessControl", **only_certified,
            "Properties": {"OriginAccessControlConfig": {
                "Name": {"Fn::Sub": "${AWS::StackName}-portal"},
                "Description": "CloudFront reads the portal's private bucket",
                "OriginAccessControlOriginType": "s3",
                "SigningBehavior": "always", "SigningProtocol": "sigv4"}}},
        "PortalHeadersPolicy": {
            "Type": "AWS::CloudFront::ResponseHeadersPolicy", **only_certified,
            "Properties": {"ResponseHeadersPolicyConfig": _policy_config(headers)}},
        # Hashed assets are cached as long as CloudFront allows; index.html and
        # config.json carry `no-cache` / `no-store` from their upload (docs/web.md), which
        # the minimum TTL 0 respects. Compressed for viewers that accept gzip or brotli.
        "PortalCachePolicy": {
            "Type": "AWS::CloudFront::CachePolicy", **only_certified,
            "Properties": {"CachePolicyConfig": {
                "Name": {"Fn::Sub": "${AWS::StackName}-portal-cache"},
                "DefaultTTL": 86400, "MinTTL": 0, "MaxTTL": 31536000,
                "ParametersInCacheKeyAndForwardedToOrigin": {
                    "EnableAcceptEncodingGzip": True, "EnableAcceptEncodingBrotli": True,
                    "CookiesConfig": {"CookieBehavior": "none"},
                    "HeadersConfig": {"HeaderBehavior": "none"},
                    "QueryStringsConfig": {"QueryStringBehavior": "none"}}}}},
        "PortalDistribution": {
            "Type": "AWS::CloudFront::Distribution", **only_certified,
            "Properties": {"DistributionConfig": {
                "Enabled": True,
                "Comment": {"Fn::Sub": "${AWS::StackName} portal"},
                "Aliases": aliases,
                "DefaultRootObject": "index.html",
                "HttpVersion": "http2",
                "Origins": [{
                    "Id": "portal-bucket",
                    "DomainName": {"Fn::GetAtt": ["PortalBucket", "RegionalDomainName"]},
                    "S3OriginConfig": {"OriginAccessIdentity": ""},
                    "OriginAccessControlId": {"Fn::GetAtt":
                                              ["PortalOriginAccessControl", "Id"]}}],
                "DefaultCacheBehavior": behaviour,
                "CacheBehaviors": [{
                    **behaviour, "PathPattern": "/staff*",
                    "FunctionAssociations": [{
                        "EventType": "viewer-request",
                        "FunctionARN": {"Fn::GetAtt": ["WorkbenchRoutes",
                                                       "FunctionMetadata.FunctionARN"]}}]}],
                "CustomErrorResponses": spa_fallback,
                "ViewerCertificate": certificate}}},
    }


def outputs(stage: str) -> dict:
    from infra.package import stage_region
    china = is_china(stage_region(stage))
    only_certified = {"Condition": CERTIFIED} if china else {}
    return {
        "PortalBucketName": {"Value": {"Ref": "PortalBucket"},
                             "Description": "Upload build/package/<stage>/portal here"},
        "PortalDistributionId": {**only_certified, "Value": {"Ref": "PortalDistribution"},
                                 "Description": "Invalidate /index.html and /config.json "
                                                "here after an upload"},
        "PortalDistributionDomain": {
            **only_certified, "Value": {"Fn::GetAtt": ["PortalDistribution", "DomainName"]},
            "Description": "Point the portal's domain (CNAME) here"},
    }


def write_portal(stage: str, out: Path, require_built: bool = False) -> Path:
    """build/package/<stage>/portal: the built portal (when built) and its config.json."""
    target = out / "portal"
    if target.exists():
        shutil.rmtree(target)
    if (PORTAL_DIST / "index.html").is_file():
        shutil.copytree(PORTAL_DIST, target)
    elif require_built:
        raise SystemExit(f"{PORTAL_DIST}/index.html is missing: run `make web` first")
    target.mkdir(parents=True, exist_ok=True)
    (target / "config.json").write_text(
        json.dumps(runtime_config(stage), indent=1, ensure_ascii=False) + "\n", "utf-8")
    return target
