"""Minimal bearer tokens (HS256 JWT carrying role and department).

A stand-in issuer for the local stack until the identity issue brings OIDC; the API
only ever sees a `Principal`, so swapping the verifier changes nothing else.
"""
import time

from ..domain.errors import Unauthorized, ValidationError
from ..domain.identity import ROLES, Principal

ISSUER = "onewindow-local"
LIFETIME = 8 * 3600


def issue(secret: str, sub: str, role: str, dept: str | None = None,
          name: str | None = None, id_number: str | None = None,
          lead: bool = False) -> str:
    if role not in ROLES:
        raise ValidationError(f"role must be one of {', '.join(ROLES)}", field="role")
    if not sub:
        raise ValidationError("sub is required", field="sub")
    now = int(time.time())
    claims = {"iss": ISSUER, "sub": sub, "role": role, "iat": now, "exp": now + LIFETIME}
    if dept:
        claims["dept"] = dept
    if name:
        claims["name"] = name
    if id_number:
        claims["idn"] = id_number
    if lead:
        claims["lead"] = True
    import jwt
    return jwt.encode(claims, secret, algorithm="HS256")


def verify(secret: str, authorization: str | None) -> Principal | None:
    """The caller of a request, or None when it carries no token."""
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise Unauthorized("Authorization must be 'Bearer <token>'", field="Authorization")
    if not secret:
        raise Unauthorized("token verification is not configured", field="Authorization")
    # Imported here: PyJWT loads `cryptography` (~20 ms), which public reads never need.
    import jwt
    try:
        claims = jwt.decode(token, secret, algorithms=["HS256"], issuer=ISSUER,
                            options={"require": ["exp", "sub", "iss"]})
    except jwt.PyJWTError as exc:
        raise Unauthorized(f"invalid token: {exc}", field="Authorization") from exc
    if claims.get("role") not in ROLES:
        raise Unauthorized("token carries no valid role", field="Authorization")
    return Principal(sub=claims["sub"], role=claims["role"], dept=claims.get("dept"),
                     name=claims.get("name"), id_number=claims.get("idn"),
                     lead=claims.get("lead") is True)
