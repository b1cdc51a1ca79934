"""The keys licenses are signed and verified with: this region's signing key (KMS), the
retired keys older licenses name, and the regions it recognises (证照互认), from the trust
list; the published key set."""
import functools
import json

from ... import config
from ...adapters import signer
from ...domain import license_proof
from .. import catalogue, read_cache


def sign(content: dict) -> dict:
    """The region's signature over a license (or an annotated copy, {annotation,
    license}) in its RFC 8785 form, naming by kid the key identity of the license's
    issuer: a department's under the region's key (docs/licenses.md, "Who signs")."""
    cfg = config.get()
    signature = {**signer.sign(cfg.signing_key_id, license_proof.signed_bytes(
        content, {"canonicalization": license_proof.CANONICALIZATION})),
        "canonicalization": license_proof.CANONICALIZATION}
    issuer = content.get("license", content).get("issuerCode")
    return {**signature, "kid": license_proof.identity_kid(_current_key(signature["keyId"]),
                                                           issuer)}


def _current_key(key_arn: str | None = None) -> dict:
    cfg = config.get()
    return _jwk(key_arn or signer.key_arn(cfg.signing_key_id), cfg.issuer_name,
                cfg.issuer_uscc, cfg.area_code, cfg.signing_key_valid_from)


@functools.lru_cache(maxsize=16)
def _jwk(key_arn: str, issuer: str, issuer_code: str, area: str,
         valid_from: str | None) -> dict:
    # Every verification and signature needs it: the key parsed and hashed once.
    return license_proof.jwk_of(signer.public_key_der(key_arn), keyArn=key_arn,
                                issuer=issuer, issuerCode=issuer_code, area=area,
                                validFrom=valid_from)


@functools.lru_cache(maxsize=4)
def _trust_list(path: str | None) -> tuple[list[dict], list[dict]]:
    if not path:
        return [], []
    with open(path, encoding="utf-8") as file:
        return license_proof.trust_list(json.load(file))


def check_trust_list(path: str) -> None:
    """Read and check the trust list now (ValueError naming the bad key)."""
    _trust_list.cache_clear()
    _trust_list(path)


def region_keys() -> list[dict]:
    """This region's keys themselves: the signing key, then the retired ones older
    licenses and seals name (what the supervision record's seals are checked with)."""
    cfg = config.get()
    retired, _ = _trust_list(cfg.trust_list_file)
    own = {"issuer": cfg.issuer_name, "issuerCode": cfg.issuer_uscc, "area": cfg.area_code}
    return [_current_key(), *({**own, **key} for key in retired)]


def own_keys() -> list[dict]:
    """This region's keys, each followed by the identities of the registered departments
    under it (the registry read through the catalogue's cache)."""
    departments = read_cache.catalogue.get(("departments", "registry"), catalogue.registry)
    return [identity for key in region_keys()
            for identity in (key, *(license_proof.department_identity(key, department)
                                    for department in departments
                                    if department["uscc"] != key.get("issuerCode")))]


def known_keys() -> list[dict]:
    """Every key a license is verified with here: this region's and the regions it
    recognises (证照互认)."""
    _, regions = _trust_list(config.get().trust_list_file)
    return own_keys() + regions


def jwks() -> dict:
    """The published key set (/.well-known/license-keys): anyone verifies offline with it."""
    return {"keys": own_keys()}


def public_keys() -> dict:
    cfg = config.get()
    return {"issuer": cfg.issuer_name, "issuerCode": cfg.issuer_uscc,
            "keys": [{"keyId": key.get("keyArn") or key["kid"], "kid": key["kid"],
                      "alg": license_proof.ALGORITHMS.get(key.get("crv", ""), signer.ALGORITHM),
                      "publicKeyPem": license_proof.pem_of(key)} for key in own_keys()]}
