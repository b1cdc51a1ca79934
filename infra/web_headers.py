"""The security headers the web front ends are served with: by CloudFront's response
headers policy on a stage (infra/web_hosting.py) and by the local stack's static server
(infra/local/web.py) alike, so a page that breaks the policy breaks on `make run` too.

The Content-Security-Policy allows scripts and styles from the site itself only (TDesign's
inline `style` attributes need 'unsafe-inline' for styles, never for scripts), and network
calls to the API and the OIDC issuer of the stage's config.json.
"""
from urllib.parse import urlsplit


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def content_security_policy(api_base: str, issuer: str, upload_origins: tuple[str, ...] = (),
                            identity_origins: tuple[str, ...] = ()) -> str:
    """`upload_origins`: where the browser posts a material's presigned form (the region's
    S3 endpoint, as the API hands it out). `identity_origins`: where else sign-in happens,
    when the provider's token, revocation and end-session endpoints are not on the
    issuer's host (Amazon Cognito's hosted-UI domain)."""
    api = origin(api_base)
    idp = " ".join(dict.fromkeys([origin(issuer), *map(origin, identity_origins)]))
    connect = " ".join(["'self'", *upload_origins, api, idp])
    return "; ".join((
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        f"img-src 'self' data: blob: {api}",
        "font-src 'self' data:",
        f"connect-src {connect}",
        f"form-action 'self' {idp}",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "object-src 'none'",
    ))


def security_headers(api_base: str, issuer: str, upload_origins: tuple[str, ...] = (),
                     identity_origins: tuple[str, ...] = ()) -> dict:
    return {
        "Content-Security-Policy": content_security_policy(api_base, issuer, upload_origins,
                                                           identity_origins),
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "strict-origin-when-cross-origin",
        "Strict-Transport-Security": "max-age=63072000; includeSubDomains",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    }
