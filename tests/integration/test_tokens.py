"""Access tokens against a real OIDC issuer over HTTP (the local one): signature by the
issuer's JWKS, issuer, audience, lifetime, allowed algorithms, key rotation without a
restart, the stage's claim names. Every refusal is a 401 naming Authorization."""
import base64
import dataclasses
import hashlib
import json
import secrets
import time
import urllib.error
import urllib.request
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
import pytest
from cryptography.hazmat.primitives import serialization

from chalicelib import config
from chalicelib.adapters import tokens
from chalicelib.domain.errors import Unauthorized
from infra.local import demo
from infra.local.oidc import AUDIENCE, LocalIssuer

USER = demo.USERS["scjg"]


@pytest.fixture(scope="module")
def issuer():
    running = LocalIssuer(demo.USERS).start()
    yield running
    running.stop()


@pytest.fixture
def cfg(issuer):
    return dataclasses.replace(config.load(), oidc_issuer=issuer.url, oidc_audience=AUDIENCE,
                               oidc_jwks_url=f"{issuer.url}/.well-known/jwks.json",
                               oidc_jwks_refresh_seconds=0.0, oidc_claims=None)


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


def test_a_front_end_signs_in_with_the_authorization_code_and_pkce(issuer, cfg):
    """What a standard OIDC client does, by discovery: authorize (the login form), code,
    token with the PKCE verifier; the code works once and only with its verifier."""
    def fetch(url, form=None):
        request = urllib.request.Request(url, data=urlencode(form).encode() if form else None)
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            with opener.open(request, timeout=5) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()

    status, _, body = fetch(f"{issuer.url}/.well-known/openid-configuration")
    found = json.loads(body)
    assert status == 200 and found["issuer"] == issuer.url
    assert "S256" in found["code_challenge_methods_supported"]
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()) \
        .rstrip(b"=").decode()
    params = {"response_type": "code", "client_id": "portal", "state": "s1",
              "redirect_uri": "https://portal.example/cb", "code_challenge": challenge,
              "code_challenge_method": "S256"}
    status, _, page = fetch(f"{found['authorization_endpoint']}?{urlencode(params)}")
    assert status == 200 and "登录" in page.decode()
    status, _, _ = fetch(found["authorization_endpoint"], {**params, "username": "company",
                                                           "password": "wrong"})
    assert status == 400
    status, headers, _ = fetch(found["authorization_endpoint"],
                               {**params, "username": "company", "password": "demo"})
    assert status == 302
    query = parse_qs(urlsplit(headers["Location"]).query)
    assert query["state"] == ["s1"]
    code = query["code"][0]
    exchange = {"grant_type": "authorization_code", "code": code,
                "redirect_uri": params["redirect_uri"], "code_verifier": "not-the-verifier"}
    assert fetch(found["token_endpoint"], exchange)[0] == 400   # and the code is spent
    status, _, _ = fetch(found["token_endpoint"], {**exchange, "code_verifier": verifier})
    assert status == 400
    status, headers, _ = fetch(found["authorization_endpoint"],
                               {**params, "username": "company", "password": "demo"})
    code = parse_qs(urlsplit(headers["Location"]).query)["code"][0]
    status, _, body = fetch(found["token_endpoint"], {**exchange, "code": code,
                                                      "code_verifier": verifier})
    assert status == 200
    principal = tokens.verify(f"Bearer {json.loads(body)['access_token']}", cfg)
    assert (principal.sub, principal.id_number) == ("org:shenzhen-xiaochi",
                                                    "91440300MA5FXK7Q3T")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


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


def test_a_standard_oidc_client_works_against_the_local_issuer_by_discovery(issuer, cfg):
    """authlib, as a front end would use it: discovery, the authorization URL with PKCE
    (S256) and a nonce, the user signs in on the issuer's form, the code is exchanged and
    the ID token validated against the JWKS; and a script's password grant. The access
    tokens are what the API takes."""
    import requests
    from authlib.common.security import generate_token
    from authlib.integrations.requests_client import OAuth2Session
    from joserfc import jwt as jose_jwt
    from joserfc.jwk import KeySet
    from urllib.parse import parse_qsl

    from infra.local.oidc import CLIENT_ID

    meta = requests.get(f"{issuer.url}/.well-known/openid-configuration", timeout=5).json()
    client = OAuth2Session(CLIENT_ID, scope="openid", redirect_uri="https://portal.example/cb",
                           code_challenge_method="S256", token_endpoint_auth_method="none")
    verifier, nonce = generate_token(48), generate_token(20)
    url, state = client.create_authorization_url(meta["authorization_endpoint"],
                                                 code_verifier=verifier, nonce=nonce)
    # The user's browser: the login page, then the form posted with the user's password.
    assert "登录" in requests.get(url, timeout=5).text
    signed_in = requests.post(meta["authorization_endpoint"], timeout=5, allow_redirects=False,
                              data={**dict(parse_qsl(urlsplit(url).query)),
                                    "username": "agent", "password": "demo"})
    assert signed_in.status_code == 302
    token = client.fetch_token(meta["token_endpoint"],
                               authorization_response=signed_in.headers["Location"],
                               state=state, code_verifier=verifier)
    keys = KeySet.import_key_set(requests.get(meta["jwks_uri"], timeout=5).json())
    id_token = jose_jwt.decode(token["id_token"], keys,
                               algorithms=meta["id_token_signing_alg_values_supported"])
    jose_jwt.JWTClaimsRegistry(
        iss={"essential": True, "value": meta["issuer"]},
        aud={"essential": True, "value": CLIENT_ID},
        nonce={"essential": True, "value": nonce},
        exp={"essential": True}).validate(id_token.claims)
    assert id_token.claims["sub"] == "person:chen-dai"
    principal = tokens.verify(f"Bearer {token['access_token']}", cfg)
    assert principal.acts_for == ("91440300MA5FXK7Q3T",)
    # A script signs in with one call (local issuer only: the password grant).
    script = OAuth2Session(CLIENT_ID, token_endpoint_auth_method="none")
    token = script.fetch_token(meta["token_endpoint"], username="clerk", password="demo")
    assert tokens.verify(f"Bearer {token['access_token']}", cfg).dept == "ZWFW"
    client.close()
    script.close()


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
