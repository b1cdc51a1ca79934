"""A stage's portal settings (infra/web_hosting.py): its config.json comes from the stage's
`portal` block and issuer; a stage whose API would refuse its own portal's browsers (the
portal's origin missing from OW_CORS_ORIGINS), or whose API is not on HTTPS, does not
package; the CloudFront headers policy sends exactly infra/web_headers.py's headers."""
import pytest

from infra import package, web_hosting
from infra.web_headers import security_headers

STAGE = {
    "tags": {"onewindow:region": "cn-north-1"},
    "portal": {"domain": "zwfw.example.gov.cn", "apiBase": "https://api.example.gov.cn/v1",
               "clientId": "portal-client", "staffClientId": "workbench-client"},
    "environment_variables": {"OW_OIDC_ISSUER": "https://idp.example.gov.cn/oidc",
                              "OW_CORS_ORIGINS": "https://mp.example.gov.cn,"
                                                 "https://zwfw.example.gov.cn"}}


@pytest.fixture
def stage(monkeypatch):
    settings = {"portal": dict(STAGE["portal"]), "tags": dict(STAGE["tags"]),
                "environment_variables": dict(STAGE["environment_variables"])}
    monkeypatch.setattr(package, "stages", lambda: {"test": settings})
    return settings


def test_config_json_is_the_stages_api_issuer_and_client(stage):
    assert web_hosting.runtime_config("test") == {
        "apiBase": "https://api.example.gov.cn/v1", "issuer": "https://idp.example.gov.cn/oidc",
        "clientId": "portal-client", "staffClientId": "workbench-client"}


def test_a_portal_the_api_would_refuse_or_an_api_without_https_does_not_package(stage):
    stage["environment_variables"]["OW_CORS_ORIGINS"] = "https://mp.example.gov.cn"
    with pytest.raises(SystemExit, match="OW_CORS_ORIGINS must include the portal's "
                                         "https://zwfw.example.gov.cn"):
        web_hosting.runtime_config("test")
    stage["environment_variables"]["OW_CORS_ORIGINS"] = "https://zwfw.example.gov.cn"
    stage["portal"]["apiBase"] = "http://api.example.gov.cn/v1"
    with pytest.raises(SystemExit, match="portal.apiBase must be an https://"):
        web_hosting.runtime_config("test")
    stage["portal"]["apiBase"] = "https://api.example.gov.cn/v1"
    del stage["portal"]["staffClientId"]
    with pytest.raises(SystemExit, match="portal.staffClientId is missing"):
        web_hosting.runtime_config("test")
    del stage["portal"]
    with pytest.raises(SystemExit, match="no `portal` block"):
        web_hosting.runtime_config("test")


def test_the_headers_policy_sends_exactly_the_local_servers_headers(stage):
    resources = web_hosting.resources("test")
    policy = resources["PortalHeadersPolicy"]["Properties"]["ResponseHeadersPolicyConfig"]
    sent = web_hosting.headers_of_policy(
        policy, lambda sub: sub["Fn::Sub"].replace("${MaterialsBucket}", "b"))
    assert sent == security_headers(
        "https://api.example.gov.cn/v1", "https://idp.example.gov.cn/oidc",
        ("https://b.s3.cn-north-1.amazonaws.com.cn",))
    # CloudFront takes no security header as a custom one; Permissions-Policy it does.
    assert [h["Header"] for h in policy["CustomHeadersConfig"]["Items"]] == \
        ["Permissions-Policy"]
    # CloudFront's limit on a Content-Security-Policy header.
    assert len(sent["Content-Security-Policy"]) <= 1783


def test_a_provider_that_signs_in_on_another_host_is_allowed_by_the_policy(stage):
    """Amazon Cognito's token, revocation and logout endpoints are on its hosted-UI domain,
    not the issuer's host: without it in connect-src the browser blocks the code exchange."""
    hosted = "https://demo.auth.ap-southeast-1.amazoncognito.com"
    assert hosted not in web_hosting.stage_headers("test", "bucket")["Content-Security-Policy"]
    stage["portal"]["identityOrigins"] = [hosted + "/"]
    csp = web_hosting.stage_headers("test", "bucket")["Content-Security-Policy"]
    directives = dict(d.split(" ", 1) for d in csp.split("; "))
    assert hosted in directives["connect-src"].split()
    assert hosted in directives["form-action"].split()
    stage["portal"]["identityOrigins"] = ["http://plain.example.org"]
    with pytest.raises(SystemExit, match="identityOrigins must be https://"):
        web_hosting.runtime_config("test")
