"""Typed changes to stored records, and the conditions they are made on.

Use cases say *what* changes and *on what condition* — "set the task's state to decided if
it is still open and unclaimed or claimed by me" — as plain values; a repository carries the
change out. The DynamoDB repositories (chalicelib/adapters/) translate a `Change` into one
update or one transaction with condition expressions; the in-memory fakes (tests/fakes/)
apply it with `satisfied` and `applied` below, so both refuse the same changes: a condition
that does not hold raises `ConditionFailed` and changes nothing.

A record here is anything with attributes (a PynamoDB model instance, a dataclass): the
fakes keep model instances in memory, so the views that read them are unchanged.
"""
from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

# -- conditions ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Equals:
    """`attribute == value` (a missing attribute equals nothing)."""
    attribute: str
    value: Any


@dataclass(frozen=True)
class OneOf:
    """`attribute IN values`."""
    attribute: str
    values: tuple[Any, ...]


@dataclass(frozen=True)
class Absent:
    """The attribute is not stored (None)."""
    attribute: str


@dataclass(frozen=True)
class Present:
    """The attribute is stored (not None)."""
    attribute: str


@dataclass(frozen=True)
class AbsentOr:
    """Not stored, or equal to `value`: "unclaimed, or claimed by me"."""
    attribute: str
    value: Any


Condition = Equals | OneOf | Absent | Present | AbsentOr


class ConditionFailed(Exception):
    """A change's condition (or the record's version) did not hold: nothing was written.
    Use cases turn it into the conflict the caller is told of (409)."""

    def __init__(self, key: tuple[str, str], condition: Condition | str):
        super().__init__(f"{key}: {condition}")
        self.key, self.condition = key, condition


def _value(record: Any, attribute: str) -> Any:
    return getattr(record, attribute, None)


def satisfied(record: Any | None, condition: Condition) -> bool:
    """Whether `condition` holds for `record` (None: no such record, where only `Absent`
    conditions hold)."""
    value = None if record is None else _value(record, condition.attribute)
    if isinstance(condition, Equals):
        return value is not None and value == condition.value
    if isinstance(condition, OneOf):
        return value in condition.values
    if isinstance(condition, Absent):
        return value is None
    if isinstance(condition, Present):
        return value is not None
    if isinstance(condition, AbsentOr):
        return value is None or value == condition.value
    raise TypeError(f"not a condition: {condition!r}")


# -- changes ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One record's update: attributes set and removed, elements added to set attributes,
    on conditions that must all hold.

    `add` adds elements to a set attribute (a set not stored yet starts empty): writers
    that each add their own element never overwrite one another's, whatever the order
    (the task's tokens, one per callback the workflow sent).
    `version` is the record's version as read, for records under optimistic locking (the
    case, a rating): the change holds only while it is still that version, and bumps it.
    """
    key: tuple[str, str]
    set: Mapping[str, Any] = field(default_factory=dict)
    remove: frozenset[str] = frozenset()
    expect: tuple[Condition, ...] = ()
    version: int | None = None
    add: Mapping[str, frozenset[Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        named = [set(self.set), set(self.remove), set(self.add)]
        twice = {name for i, one in enumerate(named) for other in named[i + 1:]
                 for name in one & other}
        if twice:
            raise ValueError(f"changed twice at once (set, removed, added): {sorted(twice)}")
        empty = [name for name, elements in self.add.items() if not elements]
        if empty:
            raise ValueError(f"nothing to add to {sorted(empty)}")  # DynamoDB refuses it


@dataclass(frozen=True)
class Create:
    """A new record, written only if none has its key."""
    key: tuple[str, str]
    record: Any


def applied(record: Any, change: Change) -> Any:
    """A copy of `record` with `change` made (conditions and version already checked)."""
    changed = copy.deepcopy(record)
    for attribute, value in change.set.items():
        setattr(changed, attribute, copy.deepcopy(value))
    for attribute in change.remove:
        setattr(changed, attribute, None)
    for attribute, elements in change.add.items():
        setattr(changed, attribute, set(_value(record, attribute) or ()) | set(elements))
    if change.version is not None:
        changed.version = change.version + 1
    return changed


def check(record: Any | None, change: Change) -> None:
    """Raise `ConditionFailed` unless every condition of `change` holds for `record` (and
    its version is the one read)."""
    if record is None:
        raise ConditionFailed(change.key, "no such record")
    if change.version is not None and _value(record, "version") != change.version:
        raise ConditionFailed(change.key, f"version {change.version}")
    for condition in change.expect:
        if not satisfied(record, condition):
            raise ConditionFailed(change.key, condition)


def keys(changes: Iterable[Change | Create]) -> list[tuple[str, str]]:
    return [change.key for change in changes]


def merged(first: Change, *more: Change) -> Change:
    """Changes of one record made as one: every attribute set or removed, every condition
    holding, the version read (when any names it). Two of them touching one attribute, or
    naming different versions, are a mistake (DynamoDB refuses overlapping paths too)."""
    sets, removes, adds = dict(first.set), set(first.remove), dict(first.add)
    expect, version = list(first.expect), first.version
    for change in more:
        if change.key != first.key:
            raise ValueError(f"changes of {first.key} and {change.key} are not one change")
        touched = (set(sets) | removes | set(adds)) & \
            (set(change.set) | set(change.remove) | set(change.add))
        if touched:
            raise ValueError(f"{first.key}: {sorted(touched)} changed twice")
        if version is not None and change.version not in (None, version):
            raise ValueError(f"{first.key}: versions {version} and {change.version}")
        sets.update(change.set)
        removes |= change.remove
        adds.update(change.add)
        expect += [c for c in change.expect if c not in expect]
        version = version if version is not None else change.version
    return Change(first.key, set=sets, remove=frozenset(removes), expect=tuple(expect),
                  version=version, add=adds)
