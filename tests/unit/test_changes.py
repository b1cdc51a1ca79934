"""The typed change vocabulary: the conditions the fakes and the DynamoDB repositories
both enforce."""
from types import SimpleNamespace

import pytest

from chalicelib.domain.changes import (
    Absent,
    AbsentOr,
    Change,
    ConditionFailed,
    Equals,
    OneOf,
    Present,
    applied,
    check,
    merged,
    satisfied,
)


def _task(**values):
    return SimpleNamespace(**{"state": "open", "claimedBy": None, "version": None, **values})


def test_each_condition_holds_only_where_it_should():
    task = _task(claimedBy="u1")
    assert satisfied(task, Equals("state", "open"))
    assert not satisfied(task, Equals("state", "decided"))
    assert satisfied(task, OneOf("state", ("open", "supplement")))
    assert not satisfied(task, OneOf("state", ("decided",)))
    assert satisfied(task, Present("claimedBy")) and not satisfied(task, Absent("claimedBy"))
    assert satisfied(task, AbsentOr("claimedBy", "u1"))
    assert not satisfied(task, AbsentOr("claimedBy", "u2"))
    assert satisfied(_task(), AbsentOr("claimedBy", "u2"))
    assert not satisfied(_task(), Equals("claimedBy", None))  # missing equals nothing
    assert satisfied(None, Absent("state")) and not satisfied(None, Present("state"))


def test_a_change_applies_to_a_copy_and_bumps_the_version():
    task = _task(version=3, note="x")
    change = Change(("C1", "TASK#1"), set={"state": "decided"}, remove=frozenset({"note"}),
                    expect=(Equals("state", "open"),), version=3)
    check(task, change)
    after = applied(task, change)
    assert (after.state, after.note, after.version) == ("decided", None, 4)
    assert (task.state, task.note, task.version) == ("open", "x", 3)


def test_a_failed_condition_or_a_stale_version_refuses():
    with pytest.raises(ConditionFailed):
        check(_task(state="decided"), Change(("C1", "T"), expect=(Equals("state", "open"),)))
    with pytest.raises(ConditionFailed):
        check(_task(version=4), Change(("C1", "T"), set={"state": "x"}, version=3))
    with pytest.raises(ConditionFailed):
        check(None, Change(("C1", "T")))
    with pytest.raises(ValueError):
        Change(("C1", "T"), set={"a": 1}, remove=frozenset({"a"}))


def test_changes_of_one_record_merge_into_one():
    key = ("C1", "META")
    status = Change(key, set={"status": 6}, remove=frozenset({"actorName"}), version=7)
    pause = Change(key, set={"pauses": [{"kind": "supplement"}]},
                   expect=(Equals("status", 3),))
    one = merged(status, pause, Change(key, expect=(Equals("status", 3),)))
    assert one == Change(key, set={"status": 6, "pauses": [{"kind": "supplement"}]},
                         remove=frozenset({"actorName"}), expect=(Equals("status", 3),),
                         version=7)


def test_merging_refuses_what_one_write_cannot_say():
    key = ("C1", "META")
    with pytest.raises(ValueError, match="changed twice"):
        merged(Change(key, set={"watchAt": "a"}), Change(key, remove=frozenset({"watchAt"})))
    with pytest.raises(ValueError, match="versions"):
        merged(Change(key, version=1), Change(key, version=2))
    with pytest.raises(ValueError, match="not one change"):
        merged(Change(key), Change(("C1", "TASK#1")))


def test_an_addition_to_a_set_keeps_what_is_there_and_starts_a_set_not_stored_yet():
    key = ("C1", "TOKEN#C1-A1")
    after = applied(_task(tokens={"t1"}), Change(key, add={"tokens": frozenset({"t2", "t1"})}))
    assert after.tokens == {"t1", "t2"}
    assert applied(_task(), Change(key, add={"tokens": frozenset({"t1"})})).tokens == {"t1"}


def test_an_addition_merges_and_names_its_attribute_once():
    key = ("C1", "TOKEN#C1-A1")
    one = merged(Change(key, add={"tokens": frozenset({"t1"})}), Change(key, set={"rt": "x"}))
    assert one == Change(key, set={"rt": "x"}, add={"tokens": frozenset({"t1"})})
    with pytest.raises(ValueError, match="changed twice"):
        merged(Change(key, add={"tokens": frozenset({"t1"})}),
               Change(key, add={"tokens": frozenset({"t2"})}))
    with pytest.raises(ValueError, match="changed twice"):
        Change(key, set={"tokens": {"t1"}}, add={"tokens": frozenset({"t2"})})
    with pytest.raises(ValueError, match="nothing to add"):
        Change(key, add={"tokens": frozenset()})
