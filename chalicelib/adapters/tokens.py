"""Bearer tokens: OIDC access tokens (JWT), verified against the issuer's published keys.

The issuer, audience, JWKS URL and claim names come from the stage's configuration
(docs/configuration.md): Cognito in one region, a provincial identity platform in
another, the local issuer (infra/local/oidc.py) under `make run` and the tests — one code
path, only the URLs differ. Keys are fetched from the JWKS and cached; a token signed with
a key id the cache does not know makes one refresh (at most every `jwks_refresh_seconds`),
so the issuer rotates keys without us restarting. Only asymmetric algorithms are accepted:
`alg: none`, and HS256 signed with the public key as a secret, are refused.

Only access tokens are taken: an ID token is signed by the same issuer with the same keys,
but it tells a client who signed in, it is no credential for an API (OIDC Core 1.0 §2).
How a stage's provider tells them apart differs (`OW_OIDC_ACCESS_TOKEN_TYPE`): RFC 9068's
`typ: at+jwt` header (the local issuer), a claim (Cognito's `token_use: access`,
Keycloak's `typ: Bearer`), or the audience alone (ID tokens carry the client's id).
Cognito's access tokens have no `aud`: the audience is then read from another claim
(`OW_OIDC_AUDIENCE_CLAIM=client_id`); `OW_OIDC_AUDIENCE` may list several, comma-separated.
"""
import functools
import json
import time

from .. import config
from ..domain.errors import Unauthorized
from ..domain.identity import ROLES, Principal

ALGORITHMS = ("RS256", "ES256")
# The JWK key type each algorithm verifies with: a token naming ES256 over an RSA key's
# kid (or RS256 over an EC key) is refused before any verification is tried.
KEY_TYPES = {"RS256": "RSA", "ES256": "EC"}
LEEWAY_SECONDS = 30
# RFC 9068 §2.1: the JOSE `typ` of a JWT access token (media type, "application/" optional).
ACCESS_TOKEN_TYPES = ("at+jwt", "application/at+jwt")
# Principal field -> claim name, unless the stage maps it elsewhere (OW_OIDC_CLAIMS).
DEFAULT_CLAIMS = {"role": "role", "dept": "dept", "name": "name", "id_number": "idn",
                  "lead": "lead", "assurance": "acr", "acts_for": "acts_for"}


@functools.lru_cache(maxsize=4)
def _keys(jwks_url: str, refresh_seconds: float):
    # Imported here: PyJWT loads `cryptography` (~20 ms), which public reads never need.
    import jwt
    return jwt.PyJWKClient(jwks_url, cache_keys=False, lifespan=3600, timeout=5,
                           cooldown_duration=refresh_seconds)


@functools.lru_cache(maxsize=4)
def claim_names(mapping: str | None) -> dict[str, str]:
    return {**DEFAULT_CLAIMS, **(json.loads(mapping) if mapping else {})}


def verify(authorization: str | None, cfg: config.Config | None = None) -> Principal | None:
    """The caller of a request, or None when it carries no token."""
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise Unauthorized("Authorization must be 'Bearer <token>'", field="Authorization")
    cfg = cfg or config.get()
    if not (cfg.oidc_issuer and cfg.oidc_audience and cfg.oidc_jwks_url):
        raise Unauthorized("token verification is not configured", field="Authorization")
    import jwt
    try:
        header = jwt.get_unverified_header(token)
        if header.get("alg") not in ALGORITHMS:
            raise jwt.InvalidAlgorithmError(f"algorithm {header.get('alg')!r} not allowed")
        key = _keys(cfg.oidc_jwks_url, cfg.oidc_jwks_refresh_seconds) \
            .get_signing_key_from_jwt(token)
        algorithm = header["alg"]
        if key.key_type != KEY_TYPES[algorithm] or key.algorithm_name != algorithm:
            raise jwt.InvalidAlgorithmError(
                f"algorithm {algorithm} does not match key {header.get('kid')!r} "
                f"({key.key_type}, {key.algorithm_name})")
        # The audience is checked below: its claim and the accepted values are the stage's.
        claims = jwt.decode(token, key.key, algorithms=[algorithm],
                            issuer=cfg.oidc_issuer, leeway=LEEWAY_SECONDS,
                            options={"require": ["exp", "iat", "sub", "iss"],
                                     "verify_aud": False})
    except (jwt.PyJWTError, jwt.PyJWKClientError) as exc:
        raise Unauthorized(f"invalid token: {exc}", field="Authorization") from exc
    except (TypeError, ValueError, KeyError) as exc:
        # A malformed header or key the library trips over: still the caller's token.
        raise Unauthorized("invalid token: it cannot be verified", field="Authorization") \
            from exc
    _check_access_token(header, claims, cfg.oidc_access_token_type)
    _check_audience(claims, cfg)
    names = claim_names(cfg.oidc_claims)
    role = claims.get(names["role"])
    if role not in ROLES:
        raise Unauthorized("token carries no valid role", field="Authorization")
    delegations = _delegations(claims.get(names["acts_for"]) or [])
    return Principal(sub=claims["sub"], role=role, dept=claims.get(names["dept"]),
                     name=claims.get(names["name"]),
                     id_number=claims.get(names["id_number"]),
                     lead=claims.get(names["lead"]) is True,
                     assurance=_level(claims.get(names["assurance"])),
                     acts_for=tuple(uscc for uscc, _ in delegations),
                     company_names=tuple((uscc, name) for uscc, name in delegations if name))


ID_TOKEN_CLAIMS = ("at_hash", "c_hash")


def _check_access_token(header: dict, claims: dict, rule: str) -> None:
    """Refuse an ID token (or any token that is not an access token) by the stage's rule:
    `at+jwt` (the JOSE header's typ), `claim=value`, or `audience` (the audience alone)."""
    rule = (rule or "at+jwt").strip()
    # Claims only an ID token carries (OIDC Core 3.1.3.6, 3.3.2.11): refused whatever the
    # stage's rule, so a rule or an audience list set too wide still lets no ID token in.
    # `nonce` too where the audience alone decides (an access token has no use for it).
    marks = ID_TOKEN_CLAIMS + (("nonce",) if rule == "audience" else ())
    found = [claim for claim in marks if claim in claims]
    if found:
        raise Unauthorized(f"not an access token: it carries {', '.join(found)}, which only "
                           "an ID token does (an ID token is no API credential)",
                           field="Authorization", code="not_an_access_token")
    if rule == "audience":
        return
    if rule.lower() == "at+jwt":
        found = str(header.get("typ") or "").lower()
        if found not in ACCESS_TOKEN_TYPES:
            raise Unauthorized(
                f"not an access token: its JOSE header typ is {found or 'absent'!r}, an "
                "access token's is 'at+jwt' (an ID token is no API credential)",
                field="Authorization", code="not_an_access_token")
        return
    name, equals, value = (part.strip() for part in rule.partition("="))
    if not (equals and name):
        raise Unauthorized("token verification is misconfigured (OW_OIDC_ACCESS_TOKEN_TYPE)",
                           field="Authorization")
    if claims.get(name) != value:
        raise Unauthorized(
            f"not an access token: its {name!r} claim is {claims.get(name)!r}, an access "
            f"token's is {value!r} (an ID token is no API credential)",
            field="Authorization", code="not_an_access_token")


def _check_audience(claims: dict, cfg: config.Config) -> None:
    claim = cfg.oidc_audience_claim or "aud"
    found = claims.get(claim)
    values = found if isinstance(found, list) else [found]
    accepted = {audience.strip() for audience in cfg.oidc_audience.split(",")} - {""}
    if not any(isinstance(value, str) and value in accepted for value in values):
        raise Unauthorized(f"invalid token: its audience ({claim}) is not this API's",
                           field="Authorization")


def _delegations(value) -> list[tuple[str, str | None]]:
    """The companies an agent acts for now, as (USCC, the company's name if the record
    gives it): `acts_for` lists USCCs, or delegation records `{"uscc": ..., "name": ...,
    "until": "YYYY-MM-DD"}` (name and until optional) of which the lapsed ones are
    dropped."""
    if not isinstance(value, list):
        raise Unauthorized("acts_for must be a list", field="Authorization")
    today = time.strftime("%Y-%m-%d", time.gmtime())
    found = []
    for entry in value:
        if isinstance(entry, str):
            found.append((entry, None))
        elif isinstance(entry, dict) and isinstance(entry.get("uscc"), str) and \
                isinstance(entry.get("name"), (str, type(None))):
            until = entry.get("until")
            if until is None or (isinstance(until, str) and until >= today):
                found.append((entry["uscc"], entry.get("name")))
        else:
            raise Unauthorized("acts_for entries are USCCs or {uscc, name, until}",
                               field="Authorization")
    return found


def _level(value) -> int:
    """实名等级 from the provider's `acr` (1–4, as a number or text); 1 when absent."""
    try:
        level = int(str(value).rsplit(":", 1)[-1]) if value is not None else 1
    except ValueError:
        return 1
    return min(max(level, 1), 4)
