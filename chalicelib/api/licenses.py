"""Electronic licenses: the holder's copy, public verification and keys."""
from chalice import Blueprint, Response

from .. import wiring
from ..contract import models
from ..domain import identity
from ..domain.errors import UnprocessableEntity, ValidationError
from ..services import license_print, licenses, usage
from . import http

bp = Blueprint(__name__)
PURPOSE_CHARS = usage.MAX_PURPOSE
# The published keys are public and the same for everyone: verifiers and CDNs may keep
# them, but briefly, so a rotated-in key reaches every verifier within minutes.
KEYS_MAX_AGE = 300
KEYS_CACHED = {"Cache-Control": f"public, max-age={KEYS_MAX_AGE}"}


def _library():
    """The license library the composition root built (wiring.py)."""
    return wiring.stores().licenses


@http.route(bp, "GET", "/licenses/keys", op="listLicenseKeys",
            summary="this region's public license-signing keys", tag="licenses",
            returns=models.PublicKeys, public=True, response_headers=("Cache-Control",))
def public_keys():
    return Response(licenses.public_keys(), headers=dict(KEYS_CACHED))


@http.route(bp, "GET", "/.well-known/license-keys", op="getLicenseKeySet",
            summary="the keys this region's licenses are signed with, as a JWKS (RFC 7517)",
            tag="licenses", returns=models.Jwks, public=True,
            response_headers=("Cache-Control",))
def license_key_set():
    return Response(licenses.jwks(), headers=dict(KEYS_CACHED))


@http.route(bp, "POST", "/licenses/verify", op="verifyLicense",
            summary="verify a signed e-license (anyone, no login, with a purpose); logged "
                    "for the holder", tag="licenses",
            returns=models.Verification, body=models.VerificationRequest, public=True,
            errors=(422,),
            query=(("purpose", {"type": "string", "minLength": 1,
                                "maxLength": PURPOSE_CHARS, "pattern": r"\S"}, False,
                    "why the license is verified (用证事由), e.g. 开户核验 — required, here "
                    "or (deprecated) as the body's `purpose`: without either, 422 "
                    "purpose_required"),))
def verify(document):
    request = bp.current_request
    body = document
    stated = _purpose(request)
    if stated is not None:
        body["purpose"] = stated
    elif body.get("purpose") is None:
        # The body is the license as downloaded; the purpose goes in the query. Required
        # in one of two places, which the document cannot state: 422.
        raise UnprocessableEntity("state the purpose of the verification as ?purpose=",
                                  field="purpose", code="purpose_required")
    # The caller last (a public route: anyone may verify): a bad purpose is told before
    # a bad token, as it always was.
    return licenses.verify(_library(), body, http.principal(request), http.source_ip(request))


@http.route(bp, "GET", "/licenses/{license_id}", op="getLicense",
            summary="a signed e-license (its holder; staff with a purpose, logged for the "
                    "holder)", tag="licenses", returns=models.SignedLicense, errors=(404,),
            query=(("purpose", {"type": "string", "maxLength": PURPOSE_CHARS}, False,
                    "why staff read it (用证事由): required but from its holder"),))
def get_license(license_id, caller):
    return licenses.get(_library(), caller, license_id, _purpose(bp.current_request))


def _printed(kind: str, op: str, media_type: str, content_type: str, description: str):
    """GET /licenses/{license_id}/print.<kind>: the license rendered as `kind`, with the
    QR code of its status address; read as GET /licenses/{license_id} is (and logged)."""
    def printed(license_id, caller):
        request = bp.current_request
        if not content_type.startswith("text/"):
            http.require_accept(request, content_type)
        body = licenses.printable(_library(), caller, license_id, _purpose(request),
                                  http.base_url(request), kind)
        return Response(body=body, status_code=200, headers={"Content-Type": content_type})
    printed.__name__ = f"print_license_{kind}"
    return http.route(bp, "GET", f"/licenses/{{license_id}}/print.{kind}", op=op,
                      summary=f"the license as {description}, with the QR code of its "
                              "status address (its holder; staff with a purpose)",
                      tag="licenses", returns=None, media_type=media_type,
                      errors=(404,) if media_type.startswith("text/") else (404, 406),
                      description=f"the license as {description}",
                      query=(("purpose", {"type": "string", "maxLength": PURPOSE_CHARS},
                              False, "why staff print it (用证事由): required but from its "
                              "holder"),))(printed)


print_html = _printed("html", "printLicense", "text/html", "text/html; charset=utf-8",
                      "a printable page")
print_pdf = _printed("pdf", "printLicensePdf", "application/pdf", "application/pdf",
                     "an A4 PDF (the font embedded)")


@http.route(bp, "POST", "/licenses/{license_id}/annotated-copy", op="annotateLicense",
            summary="a copy annotated with its purpose and term, signed (加注件; its "
                    "holder)", tag="licenses", returns=models.AnnotatedCopy,
            body=models.AnnotatedCopyRequest, errors=(404, 409))
def annotated_copy(license_id, caller, body):
    return licenses.annotated_copy(_library(), caller, license_id, body.purpose,
                                   body.validUntil)


def _purpose(request) -> str | None:
    """`?purpose=` (用证事由) as the contract bounds it."""
    stated = http.query_param(request, "purpose")
    if stated is not None and len(stated) > PURPOSE_CHARS:
        raise ValidationError(f"at most {PURPOSE_CHARS} characters", field="purpose")
    return stated


@http.route(bp, "GET", "/licenses/{license_id}/status", op="getLicenseStatus",
            summary="a license's status and why (anyone: what its QR code opens; no "
                    "personal data)", tag="licenses", returns=models.LicenseStatus,
            errors=(404,), public=True, also_media=("text/html",),
            response_headers=("Vary",),
            description="the status as JSON; to a browser (an Accept that prefers "
                        "text/html) the same as a readable Chinese page")
def license_status(license_id):
    return http.page_or_json(bp.current_request, licenses.status_of(_library(), license_id),
                             license_print.status_page)


ISSUING_STAFF = identity.DEPARTMENT_STAFF


def _state_change(action: str, op: str, summary: str):
    """POST /licenses/{license_id}/<action> with a reason (the issuing department)."""
    def change(license_id, caller, body):
        return licenses.change_state(_library(), caller, license_id, action, body.reason)
    change.__name__ = f"{action}_license"  # the name Chalice registers the view by
    return http.route(bp, "POST", f"/licenses/{{license_id}}/{action}", op=op,
                      summary=summary, tag="licenses", roles=ISSUING_STAFF,
                      returns=models.LicenseStatus, body=models.LicenseStateChange,
                      errors=(404, 409))(change)


suspend_license = _state_change("suspend", "suspendLicense",
                                "suspend a license (its issuing department, with a reason)")
resume_license = _state_change("resume", "resumeLicense",
                               "resume a suspended license (its issuing department)")
revoke_license = _state_change("revoke", "revokeLicense",
                               "revoke a license for good (its issuing department)")


@http.route(bp, "POST", "/licenses/{license_id}/reissue", op="reissueLicense",
            summary="a new version of the license (holder renamed, renewed); the old one "
                    "superseded", tag="licenses", roles=ISSUING_STAFF,
            returns=models.SignedLicense, body=models.LicenseReissue, status=201,
            errors=(404, 409))
def reissue_license(license_id, caller, document):
    return Response(body=licenses.reissue(_library(), caller, license_id,
                                          document["changes"], document["reason"]),
                    status_code=201)
