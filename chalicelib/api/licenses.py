"""Electronic licenses: the holder's copy, public verification and keys."""
from chalice import Blueprint

from ..contract import models
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
