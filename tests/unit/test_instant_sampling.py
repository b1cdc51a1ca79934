"""抽查: which instant approvals a supervisor is asked to check — about the configured
share of all of them, and not to be told from a case number without the stage's key."""
from chalicelib.services.instant_approval import sampled

CASES = [f"44030020261205{n:08d}" for n in range(2000)]
KEY = "k" * 48


def test_about_the_share_is_sampled_none_at_zero_all_at_one():
    assert not any(sampled(case, 0, KEY) for case in CASES)
    assert all(sampled(case, 1, KEY) for case in CASES)
    share = sum(sampled(case, 0.2, KEY) for case in CASES) / len(CASES)
    assert 0.15 < share < 0.25


def test_another_key_samples_other_cases():
    mine = {case for case in CASES if sampled(case, 0.2, KEY)}
    theirs = {case for case in CASES if sampled(case, 0.2, "x" * 48)}
    assert mine != theirs and len(mine & theirs) < len(mine) * 0.5
