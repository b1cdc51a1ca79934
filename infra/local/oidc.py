"""A local OpenID Connect issuer for `make run` and the tests (never deployed).

It stands in for a province's identity platform and behaves like a strict one, so a front
end built against it works against the real one (docs/local-stack.md). The API verifies
its tokens exactly as it does against Cognito or a provincial platform
(chalicelib/adapters/tokens.py): discovery, JWKS, RS256 signatures, issuer, audience, and
the access token's type. What it offers:

- `/.well-known/openid-configuration` and `/.well-known/jwks.json`;
- registered clients only (`CLIENTS`: the portal, the workbench, and `onewindow-local` for
  scripts and tests), each with its exact redirect URIs and post-logout redirect URIs; an
  unknown client or a redirect URI not registered gets an error page, never a redirect;
- `/authorize` + `/token` with the authorization code and PKCE (S256, required): a plain
  login form for the demo users; the code is bound to its client, redirect URI and
  challenge, works once and for CODE_SECONDS;
- refresh tokens for the `offline_access` scope, rotated on every use: a spent one
  presented again ends its whole session (its every refresh token);
- `/userinfo` (a live session's access token → the user's claims), `/logout`, the
  end-session endpoint (`id_token_hint`, `post_logout_redirect_uri` among the client's,
  `state`), which ends the session's refresh tokens, and `/revoke` (RFC 7009), which
  does the same for a token the front end hands back;
- access tokens per RFC 9068 (`typ: at+jwt`, `aud` the API's AUDIENCE), ID tokens for
  the client (`aud` its client id), so the API can refuse an ID token;
- MAX_FAILURES wrong passwords for a user within FAILURE_WINDOW seconds lock that user's
  sign-in (form and password grant alike) until the oldest leaves the window;
- on this issuer only, the password grant for the demo users (`infra/local/demo.py`,
  password DEMO_PASSWORD) through `onewindow-local`, so a script gets a token with one curl:
  `curl -s -X POST $ISSUER/token -d grant_type=password -d username=clerk -d password=demo`;
- `mint()` for tests in the same process, and `rotate()` to switch to a new signing key
  (the old one stays published, as an identity provider does while tokens it signed are
  still valid).
"""
import base64
import hashlib
import html
import json
import logging
import re
import secrets
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

# The API's audience: what every access token carries, and no ID token does.
AUDIENCE = "onewindow-api"
# The client of scripts and tests (the password grant); the front ends have their own.
CLIENT_ID = "onewindow-local"
PORTAL_CLIENT_ID = "onewindow-portal"
WORKBENCH_CLIENT_ID = "onewindow-workbench"
# Where the front ends' dev servers listen by default (Vite's port, and the next one).
PORTAL_ORIGINS = ("http://127.0.0.1:5173", "http://localhost:5173")
WORKBENCH_ORIGINS = ("http://127.0.0.1:5174", "http://localhost:5174")
DEMO_PASSWORD = "demo"
LIFETIME = 8 * 3600            # a script's access token, and mint()'s default
BROWSER_LIFETIME = 15 * 60     # a front end's access token: renewed with its refresh token
REFRESH_LIFETIME = 8 * 3600    # a refresh token unused for this long is dead
CODE_SECONDS = 60              # an authorization code's life
MAX_FAILURES = 5               # wrong passwords for a user within FAILURE_WINDOW: locked
FAILURE_WINDOW = 300
SCOPES = ("openid", "profile", "offline_access")
CLAIMS = {"dept": "dept", "name": "name", "idNumber": "idn", "lead": "lead",
          "assurance": "acr", "actsFor": "acts_for"}
# What the `profile` scope releases to a client (ID token, userinfo); the ID number is
# for the API alone (in the access token).
PROFILE_CLAIMS = ("name", "role", "dept", "lead", "acr", "acts_for")
VERIFIER = re.compile(r"[A-Za-z0-9._~-]{43,128}")  # RFC 7636 §4.1


@dataclass(frozen=True)
class Client:
    """A registered public client (no secret: PKCE instead)."""
    client_id: str
    redirect_uris: tuple[str, ...] = ()
    post_logout_redirect_uris: tuple[str, ...] = ()
    password_grant: bool = False
    access_lifetime: int = BROWSER_LIFETIME

    def origins(self) -> set[str]:
        return {f"{urlsplit(uri).scheme}://{urlsplit(uri).netloc}"
                for uri in self.redirect_uris + self.post_logout_redirect_uris}


# Where the workbench lives on the portal's origin (one site, two apps: docs/web.md).
WORKBENCH_PATH = "/staff/"


def demo_clients(portal_origins=PORTAL_ORIGINS,
                 workbench_origins=WORKBENCH_ORIGINS) -> dict[str, Client]:
    """The portal and the workbench (a browser app each: `<app>/callback` after sign-in,
    `<app>/` after sign-out, on each of their origins), and the scripts' client. The
    workbench is at WORKBENCH_PATH on the portal's origins, and at the root of its own
    (a dev server of its own)."""
    def tidy(origins) -> tuple[str, ...]:
        return tuple(origin.strip().rstrip("/") for origin in origins)

    def browser(client_id: str, homes) -> Client:
        return Client(client_id, tuple(f"{home}callback" for home in homes), tuple(homes))
    portal_origins, workbench_origins = tidy(portal_origins), tidy(workbench_origins)
    return {client.client_id: client for client in (
        browser(PORTAL_CLIENT_ID, [f"{o}/" for o in portal_origins]),
        browser(WORKBENCH_CLIENT_ID, [f"{o}{WORKBENCH_PATH}" for o in portal_origins]
                + [f"{o}/" for o in workbench_origins]),
        Client(CLIENT_ID, password_grant=True, access_lifetime=LIFETIME))}


class OAuthError(Exception):
    """An OAuth error answered to the client (RFC 6749 §5.2)."""

    def __init__(self, error: str, description: str, status: int = 400):
        super().__init__(description)
        self.error, self.description, self.status = error, description, status

    def body(self) -> dict:
        return {"error": self.error, "error_description": self.description}


def _known_scopes(text: str) -> set[str]:
    """The scopes of a request's `scope`, or OAuthError naming those this issuer lacks."""
    scopes = set(text.split())
    if scopes - set(SCOPES):
        raise OAuthError("invalid_scope",
                         f"unknown scopes: {' '.join(sorted(scopes - set(SCOPES)))}")
    return scopes


class LocalIssuer:
    def __init__(self, users: dict[str, dict], host: str = "127.0.0.1", port: int = 0,
                 clients: dict[str, Client] | None = None):
        self.users = users
        self.clients = clients if clients is not None else demo_clients()
        self.keys: list[tuple[str, object]] = []  # (kid, private key), newest last
        self.rotate()
        self._lock = threading.Lock()
        self._codes: dict[str, dict] = {}
        self._spent_codes: dict[str, tuple] = {}       # code -> (the session it started, at)
        self._refresh: dict[str, dict] = {}
        self._sessions: dict[str, dict] = {}           # sid -> {"ended": bool, ...}
        self._failures: dict[str, deque] = {}          # username -> monotonic times
        self.server = ThreadingHTTPServer((host, port), _handler(self))
        self.server.daemon_threads = True
        self.url = f"http://{host}:{self.server.server_address[1]}"

    def now(self) -> int:
        """The time tokens are stamped with (seconds since the epoch)."""
        return int(time.time())

    def clock(self) -> float:
        """Seconds on a monotonic clock (codes, refresh tokens, the attempt limit); the
        tests move it on instead of waiting."""
        return time.monotonic()

    # -- keys and tokens -------------------------------------------------------------

    def rotate(self) -> str:
        """Sign with a new key from now on; returns its key id."""
        kid = uuid.uuid4().hex[:16]
        self.keys.append((kid, rsa.generate_private_key(public_exponent=65537,
                                                        key_size=2048)))
        return kid

    def jwks(self) -> dict:
        keys = []
        for kid, private in self.keys:
            jwk = json.loads(RSAAlgorithm.to_jwk(private.public_key()))
            keys.append({**jwk, "kid": kid, "use": "sig", "alg": "RS256"})
        return {"keys": keys}

    def _sign(self, claims: dict, typ: str) -> str:
        kid, private = self.keys[-1]
        return jwt.encode(claims, private, algorithm="RS256", headers={"kid": kid, "typ": typ})

    def mint(self, user: dict, lifetime: int = LIFETIME, **overrides) -> str:
        """An access token (RFC 9068) for a demo user's claims (`overrides` replace any
        claim; None removes it)."""
        now = self.now()
        claims = {"iss": self.url, "aud": AUDIENCE, "sub": user["sub"], "role": user["role"],
                  "client_id": CLIENT_ID, "jti": uuid.uuid4().hex,
                  "iat": now, "nbf": now, "exp": now + lifetime,
                  **self._user_claims(user)}
        claims.update(overrides)
        return self._sign({k: v for k, v in claims.items() if v is not None}, "at+jwt")

    @staticmethod
    def _user_claims(user: dict) -> dict:
        return {claim: user[field] for field, claim in CLAIMS.items()
                if user.get(field) is not None}

    def released_claims(self, user: dict, scopes: set[str]) -> dict:
        """What a client learns of the user (ID token, userinfo) for the scopes granted."""
        claims = {"sub": user["sub"]}
        if "profile" in scopes:
            every = {"role": user["role"], **self._user_claims(user)}
            claims.update({name: every[name] for name in PROFILE_CLAIMS if name in every})
        return claims

    def id_token(self, user: dict, client: Client, scopes: set[str], sid: str | None,
                 nonce: str | None = None, auth_time: int | None = None) -> str:
        """`auth_time` is when the user signed in: a refreshed ID token keeps it (OIDC
        Core §12.2; oidc-client-ts refuses a renewal that changes it)."""
        now = self.now()
        claims = {"iss": self.url, "aud": client.client_id, "azp": client.client_id,
                  "iat": now, "exp": now + client.access_lifetime,
                  "auth_time": auth_time or now,
                  **self.released_claims(user, scopes),
                  **({"sid": sid} if sid else {}), **({"nonce": nonce} if nonce else {})}
        return self._sign(claims, "JWT")

    def discovery(self) -> dict:
        return {"issuer": self.url,
                "authorization_endpoint": f"{self.url}/authorize",
                "token_endpoint": f"{self.url}/token",
                "userinfo_endpoint": f"{self.url}/userinfo",
                "end_session_endpoint": f"{self.url}/logout",
                "revocation_endpoint": f"{self.url}/revoke",
                "revocation_endpoint_auth_methods_supported": ["none"],
                "jwks_uri": f"{self.url}/.well-known/jwks.json",
                "response_types_supported": ["code"],
                "response_modes_supported": ["query"],
                "grant_types_supported": ["authorization_code", "refresh_token", "password"],
                "code_challenge_methods_supported": ["S256"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "token_endpoint_auth_methods_supported": ["none"],
                "scopes_supported": list(SCOPES),
                "claims_supported": ["sub", "iss", "aud", "exp", "iat", "auth_time", "nonce",
                                     "sid", *PROFILE_CLAIMS],
                "prompt_values_supported": ["none", "login"],
                "authorization_response_iss_parameter_supported": True,
                "claims_parameter_supported": False,
                "request_parameter_supported": False,
                "request_uri_parameter_supported": False,
                "frontchannel_logout_supported": False,
                "backchannel_logout_supported": False}

    # -- passwords and the attempt limit ----------------------------------------------

    def login(self, username: str, password: str) -> dict:
        """The user, or OAuthError: a wrong password, or a user locked by too many."""
        with self._lock:
            now = self.clock()
            failures = self._failures.setdefault(username, deque())
            while failures and now - failures[0] >= FAILURE_WINDOW:
                failures.popleft()
            if len(failures) >= MAX_FAILURES:
                wait = int(FAILURE_WINDOW - (now - failures[0])) + 1
                raise OAuthError("invalid_grant",
                                 f"account locked: {MAX_FAILURES} failed sign-ins within "
                                 f"{FAILURE_WINDOW} s; try again in {wait} s", 429)
            user = self.users.get(username)
            if user and secrets.compare_digest(password.encode(), DEMO_PASSWORD.encode()):
                failures.clear()
                return user
            failures.append(now)
        raise OAuthError("invalid_grant", "wrong username or password")

    # -- the authorization request -----------------------------------------------------

    def client_and_redirect(self, params: dict) -> tuple[Client, str]:
        """The client and its redirect URI, or OAuthError: these are never redirected to
        (RFC 6749 §4.1.2.1), the user sees an error page."""
        client = self.clients.get(params.get("client_id") or "")
        if not client:
            raise OAuthError("invalid_client", f"unknown client {params.get('client_id')!r}")
        redirect_uri = params.get("redirect_uri") or ""
        if redirect_uri not in client.redirect_uris:
            raise OAuthError("invalid_request",
                             f"redirect_uri {redirect_uri!r} is not registered for "
                             f"{client.client_id}")
        return client, redirect_uri

    @staticmethod
    def check_request(params: dict) -> set[str]:
        """The scopes asked for, or OAuthError (sent back to the client's redirect URI)."""
        if params.get("response_type") != "code":
            raise OAuthError("unsupported_response_type", "response_type must be code")
        if params.get("code_challenge_method") != "S256" or \
                not re.fullmatch(r"[A-Za-z0-9_-]{43}", params.get("code_challenge") or ""):
            raise OAuthError("invalid_request",
                             "PKCE is required: code_challenge (S256) and "
                             "code_challenge_method=S256")
        if params.get("response_mode", "query") != "query":
            raise OAuthError("invalid_request", "response_mode must be query")
        scopes = _known_scopes(params.get("scope") or "")
        if "openid" not in scopes:
            raise OAuthError("invalid_scope", "scope must include openid")
        if params.get("prompt") == "none":
            # No session cookie here: a silent sign-in always needs the user (front ends
            # renew with their refresh token instead).
            raise OAuthError("login_required", "the user must sign in")
        return scopes

    def issue_code(self, user: dict, client: Client, redirect_uri: str, scopes: set[str],
                   params: dict) -> str:
        code = secrets.token_urlsafe(32)
        with self._lock:
            self._forget_the_expired()
            self._codes[code] = {"user": user, "at": self.clock(), "client_id": client.client_id,
                                 "redirect_uri": redirect_uri, "scopes": scopes,
                                 "code_challenge": params["code_challenge"],
                                 "nonce": params.get("nonce")}
        return code

    def _forget_the_expired(self) -> None:
        """Codes, spent codes and refresh tokens past any use (under the lock): a stack
        left running for days does not pile them up."""
        now = self.clock()
        for store, at in ((self._codes, lambda held: held["at"] + CODE_SECONDS),
                          (self._spent_codes, lambda held: held[1] + REFRESH_LIFETIME),
                          (self._refresh, lambda held: held["at"] + REFRESH_LIFETIME)):
            for key in [key for key, held in store.items() if at(held) < now]:
                del store[key]

    # -- the token endpoint --------------------------------------------------------------

    def token(self, form: dict) -> dict:
        grant = form.get("grant_type")
        if grant == "authorization_code":
            return self.redeem_code(form)
        if grant == "refresh_token":
            return self.refresh(form)
        if grant == "password":
            return self.password(form)
        raise OAuthError("unsupported_grant_type", f"grant_type {grant!r} is not supported")

    def _client(self, form: dict, default: str | None = None) -> Client:
        client = self.clients.get(form.get("client_id") or default or "")
        if not client:
            raise OAuthError("invalid_client", f"unknown client {form.get('client_id')!r}", 401)
        return client

    def redeem_code(self, form: dict) -> dict:
        code = form.get("code") or ""
        sid = uuid.uuid4().hex  # the session this code starts
        with self._lock:
            grant = self._codes.pop(code, None)  # once, whoever asks first
            replayed = self._spent_codes.get(code, (None,))[0] if grant is None else None
            if grant is not None:
                self._spent_codes[code] = (sid, self.clock())
        if replayed:
            # A code presented twice was stolen (or its first use was): what it started
            # ends (RFC 6749 §4.1.2).
            self.end_session(replayed)
            raise OAuthError("invalid_grant", "the code was already used; its session ended")
        if not grant or self.clock() - grant["at"] > CODE_SECONDS:
            raise OAuthError("invalid_grant", "unknown or expired code")
        client = self._client(form)  # an unknown client spends the code too
        if grant["client_id"] != client.client_id:
            raise OAuthError("invalid_grant", "the code was issued to another client")
        if grant["redirect_uri"] != form.get("redirect_uri"):
            raise OAuthError("invalid_grant", "redirect_uri differs from the authorization's")
        verifier = form.get("code_verifier") or ""
        challenge = base64.urlsafe_b64encode(
            hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        if not VERIFIER.fullmatch(verifier) or \
                not secrets.compare_digest(grant["code_challenge"], challenge):
            raise OAuthError("invalid_grant", "code_verifier does not match the challenge")
        return self._tokens(grant["user"], client, grant["scopes"], sid, grant["nonce"])

    def password(self, form: dict) -> dict:
        client = self._client(form, default=CLIENT_ID)
        if not client.password_grant:
            raise OAuthError("unauthorized_client",
                             f"{client.client_id} signs in with the authorization code")
        scopes = _known_scopes(form.get("scope") or "openid profile")
        user = self.login(form.get("username", ""), form.get("password", ""))
        return self._tokens(user, client, scopes, uuid.uuid4().hex)

    def refresh(self, form: dict) -> dict:
        client = self._client(form)
        token = form.get("refresh_token") or ""
        with self._lock:
            held = self._refresh.get(token)
            spent = held is not None and held["spent"]
            if held is not None:
                held["spent"] = True  # rotated: this one never works again
        if held is None:
            raise OAuthError("invalid_grant", "unknown refresh token")
        if spent:
            # Presented again: one of its holders is not the user. End what it belongs to.
            self.end_session(held["sid"])
            raise OAuthError("invalid_grant",
                             "the refresh token was already used; its session ended")
        if held["client_id"] != client.client_id:
            self.end_session(held["sid"])
            raise OAuthError("invalid_grant", "the refresh token was issued to another client")
        if not self.session_live(held["sid"]):
            raise OAuthError("invalid_grant", "the session has ended")
        if self.clock() - held["at"] > REFRESH_LIFETIME:
            raise OAuthError("invalid_grant", "the refresh token expired")
        scopes = set((form.get("scope") or " ".join(held["scopes"])).split())
        if not scopes <= held["scopes"]:
            raise OAuthError("invalid_scope", "a refresh cannot widen the scope")
        return self._tokens(held["user"], client, scopes, held["sid"], granted=held["scopes"])

    def _tokens(self, user: dict, client: Client, scopes: set[str], sid: str,
                nonce: str | None = None, granted: set[str] | None = None) -> dict:
        with self._lock:
            session = self._sessions.setdefault(sid, {"ended": False,
                                                      "client_id": client.client_id,
                                                      "sub": user["sub"]})
            auth_time = session.setdefault("auth_time", self.now())
        scope = " ".join(sorted(scopes))
        tokens = {"access_token": self.mint(user, client.access_lifetime, sid=sid,
                                            client_id=client.client_id, scope=scope),
                  "token_type": "Bearer", "expires_in": client.access_lifetime,
                  "scope": scope}
        if "openid" in scopes:
            tokens["id_token"] = self.id_token(user, client, scopes, sid, nonce, auth_time)
        if "offline_access" in (granted or scopes):
            refresh = secrets.token_urlsafe(32)
            with self._lock:
                self._refresh[refresh] = {"user": user, "client_id": client.client_id,
                                          "scopes": granted or scopes, "sid": sid,
                                          "at": self.clock(), "spent": False}
            tokens["refresh_token"] = refresh
        return tokens

    # -- sessions: userinfo and end-session ---------------------------------------------

    def session_live(self, sid: str | None) -> bool:
        with self._lock:
            session = self._sessions.get(sid)
            return session is not None and not session["ended"]

    def end_session(self, sid: str) -> None:
        """Its refresh tokens stop working, and its access tokens at /userinfo."""
        with self._lock:
            session = self._sessions.setdefault(sid, {})
            session["ended"] = True
            for held in self._refresh.values():
                if held["sid"] == sid:
                    held["spent"] = True

    def _verify(self, token: str, typ: str, audience: str | None, expiry: bool = True) -> dict:
        """A token this issuer signed, of this type; OAuthError otherwise."""
        try:
            header = jwt.get_unverified_header(token)
            keys = dict(self.keys)
            if header.get("typ") != typ or header.get("kid") not in keys:
                raise jwt.InvalidTokenError(f"not a {typ} of this issuer")
            return jwt.decode(token, keys[header["kid"]].public_key(), algorithms=["RS256"],
                              issuer=self.url, audience=audience,
                              options={"verify_exp": expiry, "verify_aud": bool(audience)})
        except jwt.PyJWTError as exc:
            raise OAuthError("invalid_token", str(exc), 401) from exc
        except (TypeError, ValueError, KeyError) as exc:  # a header of junk (kid a list …)
            raise OAuthError("invalid_token", "the token cannot be read", 401) from exc

    def userinfo(self, authorization: str | None) -> dict:
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise OAuthError("invalid_request", "an access token is required (Bearer)", 401)
        claims = self._verify(token, "at+jwt", AUDIENCE)
        if "sid" in claims and not self.session_live(claims["sid"]):
            raise OAuthError("invalid_token", "the session has ended", 401)
        user = next((u for u in self.users.values() if u["sub"] == claims["sub"]), None)
        if user is None:
            raise OAuthError("invalid_token", "no such user", 401)
        return self.released_claims(user, set(claims.get("scope", "openid profile").split()))

    def logout(self, params: dict) -> tuple[str | None, str | None]:
        """Ends the session the ID token names; the post-logout redirect (with state), or
        None for the signed-out page. OAuthError for anything not registered."""
        hint = params.get("id_token_hint")
        if not hint:
            raise OAuthError("invalid_request", "id_token_hint is required")
        # An expired ID token still names its session (RP-Initiated Logout 1.0 §2).
        claims = self._verify(hint, "JWT", None, expiry=False)
        client = self.clients.get(claims.get("aud") if isinstance(claims.get("aud"), str)
                                  else "")
        if client is None or params.get("client_id") not in (None, "", client.client_id):
            raise OAuthError("invalid_request", "id_token_hint was not issued to this client")
        target = params.get("post_logout_redirect_uri")
        if target and target not in client.post_logout_redirect_uris:
            raise OAuthError("invalid_request",
                             f"post_logout_redirect_uri {target!r} is not registered for "
                             f"{client.client_id}")
        if claims.get("sid"):
            self.end_session(claims["sid"])
        if not target:
            return None, client.client_id
        return _with_query(target, {"state": params["state"]} if params.get("state")
                           else {}), client.client_id

    def revoke(self, form: dict) -> None:
        """RFC 7009: a refresh or access token of the client's ends its session (what a
        front end does on sign-out with `revokeTokensOnSignout`). An unknown token is no
        error; another client's is not revoked."""
        client = self._client(form)
        token = form.get("token") or ""
        with self._lock:
            held = self._refresh.get(token)
        if held is not None:
            if held["client_id"] == client.client_id:
                self.end_session(held["sid"])
            return
        try:
            claims = self._verify(token, "at+jwt", AUDIENCE, expiry=False)
        except OAuthError:
            return
        if claims.get("client_id") == client.client_id and claims.get("sid"):
            self.end_session(claims["sid"])

    def cors_origins(self) -> set[str]:
        return set().union(*(client.origins() for client in self.clients.values()))

    # -- serving ---------------------------------------------------------------------

    def start(self, poll_interval: float = 0.5) -> "LocalIssuer":
        """Serve on a thread; `stop()` waits up to `poll_interval` for it."""
        threading.Thread(target=self.server.serve_forever, args=(poll_interval,), name="oidc",
                         daemon=True).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _with_query(uri: str, params: dict) -> str:
    return uri + ("&" if "?" in uri else "?") + urlencode(params) if params else uri


class IssuerHandler(BaseHTTPRequestHandler):
    """The issuer's HTTP endpoints, one method per route; `_handler` binds an issuer."""
    issuer: LocalIssuer

    def log_message(self, *args):  # quiet: the API logs what matters
        pass

    def _send(self, status: int, body, content_type="application/json", headers=None):
        data = body if isinstance(body, bytes) else (
            json.dumps(body).encode() if content_type == "application/json"
            else body.encode("utf-8"))
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        origin = self.headers.get("Origin")
        if origin and origin in self.issuer.cors_origins():
            # The registered front ends call discovery, JWKS, token and userinfo
            # from the browser.
            self.send_header("Access-Control-Allow-Origin", origin)
            self.send_header("Vary", "Origin")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _page(self, status: int, body: str, headers=None):
        self._send(status, body, "text/html; charset=utf-8", {
            # The login form is never framed (clickjacking).
            "X-Frame-Options": "DENY",
            "Content-Security-Policy": "frame-ancestors 'none'", **(headers or {})})

    def _error_page(self, error: OAuthError):
        self._page(error.status if error.status != 401 else 400,
                   f"<!doctype html><meta charset=utf-8><title>OneWindow 登录错误</title>"
                   f"<h1>登录请求无效 / invalid request</h1>"
                   f"<p>{html.escape(error.error)}: {html.escape(error.description)}</p>")

    def _form(self) -> dict:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode("utf-8") if length else ""
        return {k: v[0] for k, v in parse_qs(raw).items()}

    def _query(self) -> dict:
        return {k: v[0] for k, v in parse_qs(urlsplit(self.path).query).items()}

    def do_OPTIONS(self):  # CORS preflight (userinfo's Authorization header)
        origin = self.headers.get("Origin")
        headers = {}
        if origin in self.issuer.cors_origins():
            headers = {"Access-Control-Allow-Methods": "GET, POST",
                       "Access-Control-Allow-Headers": "Authorization, Content-Type",
                       "Access-Control-Max-Age": "600"}
        self._send(204, b"", "text/plain", headers)

    def do_GET(self):
        self._answer(self._get)

    def do_POST(self):
        self._answer(self._post)

    def _answer(self, handle):
        try:
            handle()
        except Exception:  # a bug here: still an answer, as a real platform gives
            logging.getLogger("onewindow.local.oidc").exception("issuer error")
            self._send(500, {"error": "server_error"})

    def _get(self):
        path = urlsplit(self.path).path
        route = {"/.well-known/openid-configuration": self._discovery,
                 "/.well-known/jwks.json": self._jwks,
                 "/authorize": lambda: self._authorize(self._query(), signing_in=False),
                 "/userinfo": self._userinfo,
                 "/logout": lambda: self._logout(self._query()),
                 "/token": self._post_only, "/revoke": self._post_only}.get(path)
        return route() if route else self._send(404, {"error": "not_found"})

    def _post(self):
        path, form = urlsplit(self.path).path, self._form()
        route = {"/authorize": lambda: self._authorize(form, signing_in=True),
                 "/token": lambda: self._token(form),
                 "/userinfo": self._userinfo,
                 "/logout": lambda: self._logout(form),
                 "/revoke": lambda: self._revoke(form)}.get(path)
        return route() if route else self._send(404, {"error": "not_found"})

    def _discovery(self):
        return self._send(200, self.issuer.discovery())

    def _jwks(self):
        return self._send(200, self.issuer.jwks())

    def _post_only(self):
        path = urlsplit(self.path).path
        return self._send(405, {"error": "invalid_request",
                                "error_description": f"{path} takes POST"},
                          headers={"Allow": "POST"})

    def _token(self, form: dict):
        try:
            return self._send(200, self.issuer.token(form), headers={"Pragma": "no-cache"})
        except OAuthError as error:
            return self._send(400 if error.status == 429 else error.status, error.body())

    def _revoke(self, form: dict):
        try:
            self.issuer.revoke(form)
        except OAuthError as error:
            return self._send(error.status, error.body())
        # An empty 200 (RFC 7009 §2.2), typed as oidc-client-ts accepts it.
        return self._send(200, b"", "application/json")

    def _authorize(self, params: dict, signing_in: bool):
        # The form posts back every parameter: each is checked again, as on the GET.
        try:
            client, redirect_uri = self.issuer.client_and_redirect(params)
        except OAuthError as error:
            return self._error_page(error)
        back = {"state": params["state"]} if params.get("state") else {}
        try:
            scopes = self.issuer.check_request(params)
        except OAuthError as error:
            return self._send(302, b"", "text/plain", {"Location": _with_query(
                redirect_uri, {"error": error.error, "error_description": error.description,
                               **back, "iss": self.issuer.url})})
        if not signing_in:
            return self._page(200, _login_page(self.issuer, params))
        try:
            user = self.issuer.login(params.get("username", ""), params.get("password", ""))
        except OAuthError as error:
            retry = {"Retry-After": str(FAILURE_WINDOW)} if error.status == 429 else {}
            return self._page(error.status if error.status == 429 else 400,
                              _login_page(self.issuer, params,
                                          f"登录失败 / sign-in failed: {error.description}"),
                              retry)
        code = self.issuer.issue_code(user, client, redirect_uri, scopes, params)
        return self._send(302, b"", "text/plain", {"Location": _with_query(
            redirect_uri, {"code": code, **back, "iss": self.issuer.url})})

    def _userinfo(self):
        try:
            return self._send(200, self.issuer.userinfo(self.headers.get("Authorization")))
        except OAuthError as error:
            return self._send(401, error.body(), headers={
                "WWW-Authenticate": f'Bearer error="{error.error}", '
                                    f'error_description="{error.description}"'})

    def _logout(self, params: dict):
        try:
            target, client_id = self.issuer.logout(params)
        except OAuthError as error:
            return self._error_page(error)
        if target:
            return self._send(302, b"", "text/plain", {"Location": target})
        return self._page(200, "<!doctype html><meta charset=utf-8><title>已退出</title>"
                               f"<h1>已退出登录 / signed out of {html.escape(client_id)}</h1>")


def _handler(issuer: LocalIssuer) -> type[IssuerHandler]:
    """The request handler class of one issuer (the server makes one handler a request)."""
    return type("Handler", (IssuerHandler,), {"issuer": issuer})


LOGIN_STYLE = ("body{font-family:sans-serif;margin:0;background:#f3f5f8;color:#1f1f1f}"
               "main{max-width:420px;margin:32px auto;padding:24px;background:#fff;"
               "border-radius:8px}label{display:block;font-weight:600;margin:12px 0 4px}"
               "select,input,button{font-size:1rem;min-height:40px;width:100%;"
               "box-sizing:border-box}button{margin-top:16px;background:#0052d9;color:#fff;"
               "border:0;border-radius:4px}.error{color:#c9353f}")


def _login_page(issuer: LocalIssuer, params: dict, error: str = "") -> str:
    """The demo sign-in form: Chinese, labelled, usable on a phone and with the keyboard
    (the browser tests run axe on it like on the portal's pages)."""
    hidden = "".join(f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
                     for k, v in params.items() if k not in ("username", "password"))
    options = "".join(f'<option value="{html.escape(name)}">{html.escape(name)} — '
                      f'{html.escape(user.get("name", ""))} ({html.escape(user["role"])})</option>'
                      for name, user in issuer.users.items())
    alert = f'<p class="error" role="alert">{html.escape(error)}</p>' if error else ""
    return ('<!doctype html><html lang="zh-CN"><meta charset=utf-8>'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>OneWindow 本地登录</title><style>{LOGIN_STYLE}</style>"
            "<main><h1>OneWindow 本地统一身份认证（演示）</h1>"
            f'{alert}<form method=post action="/authorize">{hidden}'
            f'<label for="username">用户</label>'
            f'<select id="username" name="username">{options}</select>'
            f'<label for="password">密码（演示：{DEMO_PASSWORD}）</label>'
            '<input id="password" type=password name=password autocomplete="current-password">'
            "<button>登录</button></form></main></html>")
