import jwt
import pytest

from chalicelib.adapters import tokens
from chalicelib.domain.errors import Unauthorized, ValidationError

K = "unit-test-signing-key-of-32-bytes!!"


def test_round_trip():
    token = tokens.issue(K, sub="staff:1", role="reviewer", dept="SCJG")
    principal = tokens.verify(K, f"Bearer {token}")
    assert (principal.sub, principal.role, principal.dept) == ("staff:1", "reviewer", "SCJG")
    assert tokens.verify(K, None) is None


@pytest.mark.parametrize("header", ["Basic abc", "Bearer", "Bearer x.y.z"])
def test_malformed_headers_are_unauthorized(header):
    with pytest.raises(Unauthorized):
        tokens.verify(K, header)


def test_wrong_key_expired_and_roleless_tokens_are_refused():
    token = tokens.issue(K, sub="a", role="clerk")
    with pytest.raises(Unauthorized):
        tokens.verify(K + "x", f"Bearer {token}")
    expired = jwt.encode({"iss": tokens.ISSUER, "sub": "a", "role": "clerk", "exp": 1}, K)
    with pytest.raises(Unauthorized):
        tokens.verify(K, f"Bearer {expired}")
    roleless = jwt.encode({"iss": tokens.ISSUER, "sub": "a", "exp": 4102444800}, K)
    with pytest.raises(Unauthorized):
        tokens.verify(K, f"Bearer {roleless}")
    with pytest.raises(ValidationError):
        tokens.issue(K, sub="a", role="king")
