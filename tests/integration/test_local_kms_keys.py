"""The local stack's kept KMS keys (infra/local/kms_keys.py): a key's material written to the
key file and given back to the key of the same kind after a restart — an SM2 key (moto shim
part 9) as well as a P-256 one — so what it signed before still verifies."""
import base64
from types import SimpleNamespace

import pytest

from chalicelib.domain import license_proof
from infra.local import kms_keys, moto_shim


@pytest.mark.parametrize("spec", ["SM2", "ECC_NIST_P256"])
def test_a_kept_key_signs_after_a_restart_as_before(spec):
    moto_shim.install()
    from moto.kms import models
    algorithm = "SM2DSA" if spec == "SM2" else "ECDSA_SHA_256"

    def key(n):
        return SimpleNamespace(id=f"key-{n}", arn=f"arn:aws-cn:kms:cn-north-1:1:key/key-{n}",
                               key_material=bytes([n]) * 32,
                               private_key=models.generate_private_key(spec))
    before, after = key(1), key(2)
    kept = kms_keys._export(before)
    kms_keys._restore(after, kept)
    assert (after.id, after.arn.rsplit("/", 1)[1]) == ("key-1", "key-1")
    assert after.private_key.public_key() == before.private_key.public_key()
    signed = before.private_key.sign(b"license", algorithm)
    jwk = license_proof.jwk_of(after.private_key.public_key())
    assert jwk["crv"] == ("SM2" if spec == "SM2" else "P-256")
    assert license_proof.signature_holds(jwk, b"license", base64.b64encode(
        license_proof.low_s(signed) if spec != "SM2" else signed).decode())
