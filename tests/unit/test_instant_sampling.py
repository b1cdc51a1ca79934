"""抽查: which instant approvals a supervisor is asked to check — the same answer for the
same case, about the configured share of all of them."""
from chalicelib.services.instant_approval import sampled


def test_the_same_case_is_always_sampled_or_never():
    assert sampled("4403002026120500000019", 0.5) == sampled("4403002026120500000019", 0.5)


def test_about_the_share_is_sampled_none_at_zero_all_at_one():
    cases = [f"44030020261205{n:08d}" for n in range(2000)]
    assert not any(sampled(case, 0) for case in cases)
    assert all(sampled(case, 1) for case in cases)
    share = sum(sampled(case, 0.2) for case in cases) / len(cases)
    assert 0.15 < share < 0.25
