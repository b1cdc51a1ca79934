"""A local OpenID Connect issuer for `make run` and the tests (never deployed).

The API verifies its tokens exactly as it does against Cognito or a provincial identity
platform (chalicelib/adapters/tokens.py): discovery, JWKS, RS256 signatures, issuer and
audience. What it offers:

- `/.well-known/openid-configuration` and `/.well-known/jwks.json`;
- `/authorize` + `/token` with the authorization code grant and PKCE (S256) for front
  ends: a plain login form for the demo users;
- on this issuer only, the password grant for the demo users (`infra/local/demo.py`,
  password DEMO_PASSWORD), so a script gets a token with one curl:
  `curl -s -X POST $ISSUER/token -d grant_type=password -d username=clerk -d password=demo`;
- `mint()` for tests in the same process, and `rotate()` to switch to a new signing key
  (the old one stays published, as an identity provider does while tokens it signed are
  still valid).
"""
import base64
import hashlib
import html
import json
import secrets
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

AUDIENCE = "onewindow-local"
CLIENT_ID = "onewindow-local"
DEMO_PASSWORD = "demo"
LIFETIME = 8 * 3600
CLAIMS = {"dept": "dept", "name": "name", "idNumber": "idn", "lead": "lead",
          "assurance": "acr", "actsFor": "acts_for"}


class LocalIssuer:
    def __init__(self, users: dict[str, dict], host: str = "127.0.0.1", port: int = 0):
        self.users = users
        self.keys: list[tuple[str, object]] = []  # (kid, private key), newest last
        self.rotate()
        self._codes: dict[str, dict] = {}
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer((host, port), _handler(self))
        self.server.daemon_threads = True
        self.url = f"http://{host}:{self.server.server_address[1]}"

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

    def mint(self, user: dict, lifetime: int = LIFETIME, **overrides) -> str:
        """An access token for a demo user's claims (`overrides` replace any claim)."""
        now = int(time.time())
        claims = {"iss": self.url, "aud": AUDIENCE, "sub": user["sub"], "role": user["role"],
                  "iat": now, "nbf": now, "exp": now + lifetime,
                  **{claim: user[field] for field, claim in CLAIMS.items()
                     if user.get(field) is not None}}
        claims.update(overrides)
        kid, private = self.keys[-1]
        return jwt.encode(claims, private, algorithm="RS256", headers={"kid": kid})

    def discovery(self) -> dict:
        return {"issuer": self.url,
                "authorization_endpoint": f"{self.url}/authorize",
                "token_endpoint": f"{self.url}/token",
                "jwks_uri": f"{self.url}/.well-known/jwks.json",
                "response_types_supported": ["code"],
                "grant_types_supported": ["authorization_code", "password"],
                "code_challenge_methods_supported": ["S256"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "token_endpoint_auth_methods_supported": ["none"],
                "scopes_supported": ["openid"]}

    def login(self, username: str, password: str) -> dict | None:
        user = self.users.get(username)
        return user if user and secrets.compare_digest(password, DEMO_PASSWORD) else None

    def tokens_for(self, user: dict, nonce: str | None = None) -> dict:
        access = self.mint(user)
        id_token = self.mint(user, aud=CLIENT_ID, **({"nonce": nonce} if nonce else {}))
        return {"access_token": access, "id_token": id_token, "token_type": "Bearer",
                "expires_in": LIFETIME}

    # -- authorization codes (PKCE) --------------------------------------------------

    def issue_code(self, user: dict, params: dict) -> str:
        code = secrets.token_urlsafe(24)
        with self._lock:
            self._codes[code] = {"user": user, "at": time.monotonic(), **params}
        return code

    def redeem_code(self, code: str, verifier: str, redirect_uri: str) -> dict | None:
        with self._lock:
            grant = self._codes.pop(code, None)  # once
        if not grant or time.monotonic() - grant["at"] > 600:
            return None
        challenge = base64.urlsafe_b64encode(
            hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        if grant.get("code_challenge") != challenge or grant.get("redirect_uri") != redirect_uri:
            return None
        return self.tokens_for(grant["user"], grant.get("nonce"))

    # -- serving ---------------------------------------------------------------------

    def start(self) -> "LocalIssuer":
        threading.Thread(target=self.server.serve_forever, name="oidc", daemon=True).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _handler(issuer: LocalIssuer):
    class Handler(BaseHTTPRequestHandler):
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
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def _form(self) -> dict:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode("utf-8") if length else ""
            return {k: v[0] for k, v in parse_qs(raw).items()}

        def do_GET(self):
            path = urlsplit(self.path)
            if path.path == "/.well-known/openid-configuration":
                return self._send(200, issuer.discovery())
            if path.path == "/.well-known/jwks.json":
                return self._send(200, issuer.jwks())
            if path.path == "/authorize":
                query = {k: v[0] for k, v in parse_qs(path.query).items()}
                return self._send(200, _login_page(issuer, query), "text/html; charset=utf-8")
            return self._send(404, {"error": "not_found"})

        def do_POST(self):
            path, form = urlsplit(self.path).path, self._form()
            if path == "/authorize":
                user = issuer.login(form.get("username", ""), form.get("password", ""))
                if (not user or form.get("response_type") != "code"
                        or form.get("code_challenge_method") != "S256"
                        or not form.get("code_challenge") or not form.get("redirect_uri")):
                    return self._send(400, _login_page(issuer, form, "登录失败 / login failed"),
                                      "text/html; charset=utf-8")
                code = issuer.issue_code(user, {k: form.get(k) for k in (
                    "code_challenge", "redirect_uri", "nonce", "client_id")})
                target = form["redirect_uri"] + ("&" if "?" in form["redirect_uri"] else "?") \
                    + urlencode({"code": code, **({"state": form["state"]}
                                                  if form.get("state") else {})})
                return self._send(302, b"", "text/plain", {"Location": target})
            if path == "/token":
                grant = form.get("grant_type")
                if grant == "password":
                    user = issuer.login(form.get("username", ""), form.get("password", ""))
                    if not user:
                        return self._send(400, {"error": "invalid_grant"})
                    return self._send(200, issuer.tokens_for(user))
                if grant == "authorization_code":
                    tokens = issuer.redeem_code(form.get("code", ""),
                                                form.get("code_verifier", ""),
                                                form.get("redirect_uri", ""))
                    if not tokens:
                        return self._send(400, {"error": "invalid_grant"})
                    return self._send(200, tokens)
                return self._send(400, {"error": "unsupported_grant_type"})
            return self._send(404, {"error": "not_found"})

    return Handler


def _login_page(issuer: LocalIssuer, params: dict, error: str = "") -> str:
    hidden = "".join(f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
                     for k, v in params.items() if k not in ("username", "password"))
    options = "".join(f'<option value="{html.escape(name)}">{html.escape(name)} — '
                      f'{html.escape(user.get("name", ""))} ({html.escape(user["role"])})</option>'
                      for name, user in issuer.users.items())
    return (f"<!doctype html><meta charset=utf-8><title>OneWindow 本地登录</title>"
            f"<h1>OneWindow 本地统一身份认证（演示）</h1><p>{html.escape(error)}</p>"
            f'<form method=post action="/authorize">{hidden}'
            f"<select name=username>{options}</select> "
            f'<input type=password name=password placeholder="{DEMO_PASSWORD}"> '
            f"<button>登录</button></form>")
