"""Electronic licenses: the holder's copy, public verification and keys."""
from chalice import Blueprint, Response

from ..contract import models
from ..domain import identity
from ..services import licenses
from . import http

bp = Blueprint(__name__)


@http.route(bp, "GET", "/licenses/keys", op="listLicenseKeys",
            summary="this region's public license-signing keys", tag="licenses",
            returns=models.PublicKeys, public=True)
def public_keys():
    return licenses.public_keys()


@http.route(bp, "GET", "/.well-known/license-keys", op="getLicenseKeySet",
            summary="the keys this region's licenses are signed with, as a JWKS (RFC 7517)",
            tag="licenses", returns=models.Jwks, public=True)
def license_key_set():
    return licenses.jwks()


@http.route(bp, "POST", "/licenses/verify", op="verifyLicense",
            summary="verify a signed e-license (anyone, no login)", tag="licenses",
            returns=models.Verification, body=models.VerificationRequest, public=True)
def verify():
    return licenses.verify(http.body(bp.current_request, models.VerificationRequest))


@http.route(bp, "GET", "/licenses/{license_id}", op="getLicense",
            summary="a signed e-license (its holder and staff)", tag="licenses",
            returns=models.SignedLicense, errors=(404,))
def get_license(license_id):
    return licenses.get(http.principal(bp.current_request), license_id)


@http.route(bp, "GET", "/licenses/{license_id}/status", op="getLicenseStatus",
            summary="a license's status and why (anyone: what its QR code opens; no "
                    "personal data)", tag="licenses", returns=models.LicenseStatus,
            errors=(404,), public=True)
def license_status(license_id):
    return licenses.status_of(license_id)


ISSUING_STAFF = (identity.CLERK, identity.REVIEWER, identity.ADMIN)


def _state_change(action: str, op: str, summary: str):
    @http.route(bp, "POST", f"/licenses/{{license_id}}/{action}", op=op, summary=summary,
                tag="licenses", roles=ISSUING_STAFF, returns=models.LicenseStatus,
                body=models.LicenseStateChange, errors=(404, 409))
    def change(license_id):
        request = bp.current_request
        body = http.body(request, models.LicenseStateChange)
        return licenses.change_state(http.principal(request), license_id, action,
                                     body["reason"])
    change.__name__ = f"{action}_license"
    return change


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
def reissue_license(license_id):
    request = bp.current_request
    body = http.body(request, models.LicenseReissue)
    return Response(body=licenses.reissue(http.principal(request), license_id,
                                          body["changes"], body["reason"]), status_code=201)
