"""Access tokens against a real OIDC issuer over HTTP (the local one): signature by the
issuer's JWKS, issuer, audience, lifetime, allowed algorithms, key rotation without a
restart, the stage's claim names, and the stage's rule that tells an access token from an
ID token. Every refusal is a 401 naming Authorization. (The issuer's own behaviour:
test_local_issuer.py.)"""
import base64
import dataclasses
import hashlib
import json
import time

import jwt
import pytest
from cryptography.hazmat.primitives import serialization

from chalicelib.adapters import tokens
from chalicelib.domain.errors import Unauthorized
from infra.local import demo
from infra.local.oidc import LocalIssuer

USER = demo.USERS["scjg"]


@pytest.fixture(scope="module")
def issuer():
    running = LocalIssuer(demo.USERS).start()
    yield running
    running.stop()


def _refused(token: str, cfg) -> str:
    with pytest.raises(Unauthorized) as raised:
        tokens.verify(f"Bearer {token}", cfg)
    assert raised.value.field == "Authorization"
    return str(raised.value)


def test_a_token_of_the_issuer_is_its_subject_with_role_and_department(issuer, cfg):
    principal = tokens.verify(f"Bearer {issuer.mint(USER)}", cfg)
    assert (principal.sub, principal.role, principal.dept) == \
        ("staff:wang-scjg", "reviewer", "SCJG")
    assert tokens.verify(None, cfg) is None
    for header in ("Basic abc", "Bearer", "Bearer not.a.token"):
        with pytest.raises(Unauthorized):
            tokens.verify(header, cfg)


def test_expired_early_or_foreign_tokens_are_refused(issuer, cfg):
    now = int(time.time())
    _refused(issuer.mint(USER, exp=now - 120), cfg)              # expired beyond leeway
    _refused(issuer.mint(USER, nbf=now + 600), cfg)              # not valid yet
    _refused(issuer.mint(USER, aud="someone-else"), cfg)         # wrong audience
    _refused(issuer.mint(USER, iss="https://evil.example"), cfg)  # wrong issuer
    _refused(issuer.mint(USER, role="king"), cfg)                # no valid role
    # Within the leeway a clock a little ahead still passes.
    assert tokens.verify(f"Bearer {issuer.mint(USER, exp=now - 5)}", cfg).sub == USER["sub"]


def test_bad_signatures_and_algorithms_are_refused(issuer, cfg):
    other = LocalIssuer(demo.USERS)  # a key of its own, never published by ours
    forged = other.mint(USER, iss=issuer.url)
    kid = issuer.keys[-1][0]
    header, payload, signature = forged.split(".")
    relabelled = json.loads(base64.urlsafe_b64decode(header + "=="))
    relabelled["kid"] = kid  # claims to be signed by our key
    header = base64.urlsafe_b64encode(json.dumps(relabelled).encode()).rstrip(b"=").decode()
    _refused(f"{header}.{payload}.{signature}", cfg)
    claims = jwt.decode(issuer.mint(USER), options={"verify_signature": False})
    unsigned = jwt.encode(claims, None, algorithm="none")
    _refused(unsigned, cfg)
    public_pem = issuer.keys[-1][1].public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    _refused(_hs256(claims, public_pem, kid), cfg)


def _hs256(claims: dict, secret: bytes, kid: str) -> str:
    """HS256 keyed with the public key: what an algorithm-confusion attack sends (PyJWT
    itself refuses to make it, so it is made by hand)."""
    import hmac

    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()
    signing = b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": kid}).encode()) + "." + \
        b64(json.dumps(claims).encode())
    return signing + "." + b64(hmac.new(secret, signing.encode(), hashlib.sha256).digest())


def test_a_rotated_key_is_picked_up_without_a_restart(issuer, cfg):
    before = issuer.mint(USER)
    assert tokens.verify(f"Bearer {before}", cfg)
    issuer.rotate()
    after = issuer.mint(USER)
    assert jwt.get_unverified_header(after)["kid"] != jwt.get_unverified_header(before)["kid"]
    assert tokens.verify(f"Bearer {after}", cfg).sub == USER["sub"]
    assert tokens.verify(f"Bearer {before}", cfg).sub == USER["sub"]  # still published


def test_the_stage_names_the_claims(issuer, cfg):
    mapped = dataclasses.replace(cfg, oidc_claims=json.dumps(
        {"role": "custom:role", "dept": "custom:dept"}))
    token = issuer.mint(USER, **{"custom:role": "clerk", "custom:dept": "ZWFW"})
    principal = tokens.verify(f"Bearer {token}", mapped)
    assert (principal.role, principal.dept) == ("clerk", "ZWFW")


def test_unconfigured_verification_refuses_every_token(issuer, cfg):
    bare = dataclasses.replace(cfg, oidc_issuer=None)
    _refused(issuer.mint(USER), bare)


def test_an_agents_delegations_count_only_while_valid(issuer, cfg):
    agent = demo.USERS["agent"]
    token = issuer.mint(agent, acts_for=[
        "91440300MA5FXK7Q3T", {"uscc": "91110108MA01A2B3CF", "until": "2999-12-31"},
        {"uscc": "91440300MA5G00001X", "until": "2020-01-01"}])
    principal = tokens.verify(f"Bearer {token}", cfg)
    assert principal.acts_for == ("91440300MA5FXK7Q3T", "91110108MA01A2B3CF")
    _refused(issuer.mint(agent, acts_for="91440300MA5FXK7Q3T"), cfg)
    _refused(issuer.mint(agent, acts_for=[{"until": "2999-12-31"}]), cfg)
    _refused(issuer.mint(agent, acts_for=[{"uscc": "91440300MA5FXK7Q3T", "name": 7}]), cfg)


def test_a_delegation_may_name_the_company_its_agent_applies_for(issuer, cfg):
    """The name a company's case is made out in comes from the delegation record; a bare
    USCC (the old form) still counts, naming no company."""
    token = issuer.mint(demo.USERS["agent"], acts_for=[
        "91440300MA5FXK7Q3T",
        {"uscc": "91110108MA01A2B3CF", "name": "北京某某科技有限公司", "until": "2999-12-31"},
        {"uscc": "91440300MA5G00001X", "name": "过期公司", "until": "2020-01-01"}])
    principal = tokens.verify(f"Bearer {token}", cfg)
    assert principal.acts_for == ("91440300MA5FXK7Q3T", "91110108MA01A2B3CF")
    assert principal.company_names == (("91110108MA01A2B3CF", "北京某某科技有限公司"),)


def test_an_id_token_is_refused_as_an_access_token(issuer, cfg):
    """Signed by the same issuer with the same key, but an ID token (typ JWT, aud the
    client's id) is no credential for the API: 401 not_an_access_token."""
    client = issuer.clients["onewindow-portal"]
    id_token = issuer.id_token(USER, client, {"openid", "profile"}, sid=None)
    with pytest.raises(Unauthorized) as raised:
        tokens.verify(f"Bearer {id_token}", cfg)
    assert (raised.value.code, raised.value.status) == ("not_an_access_token", 401)
    assert "at+jwt" in str(raised.value)
    # Even given the API's audience, a token without the access token's typ is refused.
    claims = jwt.decode(issuer.mint(USER), options={"verify_signature": False})
    with pytest.raises(Unauthorized) as raised:
        tokens.verify(f"Bearer {issuer._sign(claims, 'JWT')}", cfg)
    assert raised.value.code == "not_an_access_token"
    assert jwt.get_unverified_header(issuer.mint(USER))["typ"] == "at+jwt"
    assert tokens.verify(f"Bearer {issuer.mint(USER)}", cfg).sub == USER["sub"]


def test_a_stage_tells_access_tokens_by_its_providers_rule(issuer, cfg):
    """Cognito: access tokens carry `token_use: access` and `client_id`, no `aud`; its ID
    tokens `token_use: id` and the client id as `aud`. Keycloak-like: a `typ` claim. And a
    provider that marks neither: the audience alone (an ID token's is the client's)."""
    cognito = dataclasses.replace(cfg, oidc_access_token_type="token_use=access",
                                  oidc_audience_claim="client_id",
                                  oidc_audience="portal-app, workbench-app")
    access = issuer.mint(USER, aud=None, token_use="access", client_id="workbench-app")
    assert tokens.verify(f"Bearer {access}", cognito).sub == USER["sub"]
    id_token = issuer.mint(USER, aud="workbench-app", token_use="id", client_id=None)
    with pytest.raises(Unauthorized) as raised:
        tokens.verify(f"Bearer {id_token}", cognito)
    assert raised.value.code == "not_an_access_token"
    foreign = issuer.mint(USER, aud=None, token_use="access", client_id="another-app")
    assert "audience" in _refused(foreign, cognito)
    keycloak = dataclasses.replace(cfg, oidc_access_token_type="typ=Bearer")
    assert tokens.verify(f"Bearer {issuer.mint(USER, typ='Bearer')}", keycloak)
    _refused(issuer.mint(USER, typ="ID"), keycloak)
    by_audience = dataclasses.replace(cfg, oidc_access_token_type="audience")
    assert tokens.verify(f"Bearer {issuer.mint(USER)}", by_audience)
    assert "audience" in _refused(issuer.mint(USER, aud="onewindow-portal"), by_audience)
    _refused(issuer.mint(USER), dataclasses.replace(cfg, oidc_access_token_type="nonsense"))


def test_an_id_tokens_own_claims_keep_it_out_whatever_the_stages_rule(issuer, cfg):
    """A rule or an audience list set too wide (the audience rule with the front ends'
    client ids among the audiences, a trailing comma) still lets no ID token in."""
    wide = dataclasses.replace(cfg, oidc_access_token_type="audience",
                               oidc_audience=f"{cfg.oidc_audience}, onewindow-portal,")
    assert tokens.verify(f"Bearer {issuer.mint(USER)}", wide).sub == USER["sub"]
    for id_token in (issuer.mint(USER, aud="onewindow-portal", nonce="n-1"),
                     issuer.mint(USER, aud="onewindow-portal", at_hash="abc")):
        with pytest.raises(Unauthorized) as raised:
            tokens.verify(f"Bearer {id_token}", wide)
        assert raised.value.code == "not_an_access_token"
    with pytest.raises(Unauthorized) as raised:  # at+jwt in its header, yet a c_hash
        tokens.verify(f"Bearer {issuer.mint(USER, c_hash='abc')}", cfg)
    assert raised.value.code == "not_an_access_token"
    assert "audience" in _refused(issuer.mint(USER, aud=""), wide)


def test_an_id_token_presented_to_the_api_is_a_401(stack):
    """Through the API: the caller gets 401 with the code saying what is wrong."""
    client = stack.issuer.clients["onewindow-portal"]
    id_token = stack.issuer.id_token(demo.USERS["company"], client, {"openid", "profile"},
                                     sid=None)
    response = stack.call("GET", "/me/cases", headers={"Authorization": f"Bearer {id_token}"})
    assert response.status_code == 401
    assert response.data["error"]["code"] == "not_an_access_token"
    assert response.data["error"]["field"] == "Authorization"
    assert stack.call("GET", "/me/cases", "company").status_code == 200


def test_a_token_whose_algorithm_does_not_fit_its_keys_type_is_a_401(issuer, cfg):
    """ES256 naming the issuer's RSA key id (signed with an EC key of the attacker's),
    and RS256 with a header of junk: refused as tokens, never a 500."""
    from cryptography.hazmat.primitives.asymmetric import ec
    claims = jwt.decode(issuer.mint(USER), options={"verify_signature": False})
    kid = issuer.keys[-1][0]
    ec_key = ec.generate_private_key(ec.SECP256R1())
    confused = jwt.encode(claims, ec_key, algorithm="ES256", headers={"kid": kid})
    assert "does not match" in _refused(confused, cfg)
    rsa_signed = issuer.mint(USER)
    _, payload, signature = rsa_signed.split(".")
    for header in ({"alg": "ES256", "kid": kid}, {"alg": "RS256", "kid": ["x"]},
                   {"alg": "RS256", "kid": {"a": 1}}, {"alg": ["RS256"], "kid": kid}):
        encoded = base64.urlsafe_b64encode(json.dumps(header).encode()).rstrip(b"=").decode()
        _refused(f"{encoded}.{payload}.{signature}", cfg)
