"""The inbox's filter keys: which a task carries after a change, and which index a filtered
page reads."""
from types import SimpleNamespace

from chalicelib.domain.changes import Change, Equals
from chalicelib.domain.inbox_filters import filter_keys, index_for, indexed

KEY = ("4403002026120100000012", "TASK#t1")
NONE = {"mineKey": None, "stateKey": None, "itemKey": None, "overdueKey": None}


def _task(**attributes):
    return SimpleNamespace(**{"dept": "SCJG", "itemCode": "food", "state": "open",
                              "claimedBy": None, "overdue": None, **attributes})


def test_a_task_in_the_inbox_carries_a_key_per_filter_it_matches():
    assert filter_keys("SCJG", "food", "open", None, None) == {**NONE, "itemKey": "SCJG#food"}
    assert filter_keys("SCJG", "food", "supplement", "staff:w", "2026-12-01T00:00:00Z") == {
        "mineKey": "SCJG#staff:w", "stateKey": "SCJG#supplement", "itemKey": "SCJG#food",
        "overdueKey": "SCJG"}
    for state in ("upcoming", "decided", "cancelled"):
        assert filter_keys("SCJG", "food", state, "staff:w", "x") == NONE


def test_a_claim_sets_the_mine_key_and_a_release_removes_it_and_nothing_else():
    claim = indexed(_task(), Change(KEY, set={"claimedBy": "staff:w"},
                                    expect=(Equals("state", "open"),)))
    assert claim.set == {"claimedBy": "staff:w", "mineKey": "SCJG#staff:w"}
    assert claim.remove == frozenset() and claim.expect == (Equals("state", "open"),)
    waits = indexed(_task(claimedBy="staff:w"), Change(KEY, set={"state": "supplement"}))
    assert waits.set["stateKey"] == "SCJG#supplement" and "stateKey" not in waits.remove
    release = indexed(_task(claimedBy="staff:w"), Change(KEY, remove=frozenset({"claimedBy"})))
    assert "mineKey" in release.remove and "mineKey" not in release.set


def test_a_key_another_writer_set_after_the_read_is_left_as_it_set_it():
    """The sweep marks the task overdue (and its key) between a claim's read and its
    write; a reassignment comes between a supplement's read and its reopening: neither
    write touches the other's key."""
    claim = indexed(_task(), Change(KEY, set={"claimedBy": "staff:w"}))
    assert "overdueKey" not in {*claim.set, *claim.remove}
    reopened = indexed(_task(state="supplement", claimedBy="staff:a"),
                       Change(KEY, set={"state": "open"}))
    assert reopened.set == {"state": "open"} and reopened.remove == {"stateKey"}
    # Entering the inbox (a later stage's turn) sets every key it matches.
    opened = indexed(_task(state="upcoming"), Change(KEY, set={"state": "open"}))
    assert opened.set == {"state": "open", "itemKey": "SCJG#food"}


def test_leaving_the_inbox_removes_every_key_even_one_the_read_did_not_show():
    """A sweep's overdue mark made after the decision's read is removed all the same."""
    decided = indexed(_task(claimedBy="staff:w"),
                      Change(KEY, set={"state": "decided"}, remove=frozenset({"inboxDept"})))
    assert decided.remove == {"inboxDept", *NONE}
    assert not set(NONE) & set(decided.set)


def test_a_change_that_touches_no_filter_is_left_as_it_is():
    change = Change(KEY, set={"deadline": "2026-12-09T10:00:00Z", "watchAt": "x"})
    assert indexed(_task(), change) is change


def test_the_narrowest_filter_picks_the_index():
    assert index_for("SCJG", mine="staff:w", overdue=True, state="open", item="food") == \
        ("mineKey", "SCJG#staff:w")
    assert index_for("SCJG", overdue=True, state="open", item="food") == ("overdueKey", "SCJG")
    assert index_for("SCJG", overdue=False, state="open", item="food") == \
        ("itemKey", "SCJG#food")
    assert index_for("SCJG", state="special", item="food") == ("stateKey", "SCJG#special")
    assert index_for("SCJG", state="open") is None
    assert index_for("SCJG", overdue=False) is None and index_for("SCJG") is None
