"""The prefill token: what the service signed for one applicant, any size a form needs,
and nothing else."""
import importlib

import pytest

# The module (the package exports its function of the same name).
prefill = importlib.import_module("chalicelib.services.data_sources.prefill")


@pytest.fixture(autouse=True)
def key(monkeypatch):
    monkeypatch.setattr(prefill.secrets, "cursor", lambda: "c" * 48)


SAID = {"i": "ITEM", "v": 2, "c": "C" + "0" * 32, "x": 2_000_000_000,
        "f": {f"field{n}": [f"legalPerson.field{n}", "a" * 32, False] for n in range(40)},
        "m": []}


def test_a_token_for_a_long_form_verifies_for_its_applicant_only():
    token = prefill._sign(SAID, "holder-a")
    assert len(token) > 2048   # longer than any page cursor may be
    assert prefill._verified(token, "holder-a") == SAID
    assert prefill._verified(token, "holder-b") is None


@pytest.mark.parametrize("spoil", [
    lambda t: t[:-3] + ("AAA" if not t.endswith("AAA") else "BBB"),   # the MAC
    lambda t: "e30" + t[3:],                                          # the body
    lambda t: t.replace(".", ""),
    lambda t: t + "." + t,
    lambda t: "x" * 9000,
])
def test_a_spoiled_token_says_nothing(spoil):
    assert prefill._verified(spoil(prefill._sign(SAID, "holder-a")), "holder-a") is None
