"""The license library (电子证照库) as the license use cases see it: read a license, read
what they need of the case it came from, and write typed changes (domain/changes.py).

The DynamoDB implementation is adapters/license_library.py; tests/fakes/license_library.py
keeps records in memory with the same condition semantics, so the use cases' rules are
tested without AWS. A change the conditions refuse raises `ConditionFailed`, which the use
case turns into the conflict the caller is told of (409 license_changed)."""
from collections.abc import Sequence
from typing import Protocol

from ..adapters.models import LicenseRecord
from ..domain.changes import Change, Create
from ..domain.pages import Page


def license_key(license_id: str) -> tuple[str, str]:
    """The key a `Change` or `Create` of a license record names: the licenses table has
    no sort key, so the second part is empty. (A license's line on its case's timeline,
    a LicenseChangeRecord, is keyed by its case number and sort key as usual.)"""
    return (license_id, "")


class LicenseLibrary(Protocol):
    def get(self, license_id: str, consistent: bool = False) -> LicenseRecord | None:
        """The license record, or None."""

    def held_by(self, holder_key: str, *, limit: int,
                start: dict | None = None) -> Page[LicenseRecord]:
        """The licenses a holder holds (by the keyed hash of its ID number), newest
        issued first; `start`: the last key of the page before."""

    def case_departments(self, case_no: str) -> set[str]:
        """The departments that hold or held a task on the license's case (who may read
        it); empty when there is no such case."""

    def case_item(self, case_no: str) -> str | None:
        """The item code of the license's case (licenses signed before their document
        named it)."""

    def commit(self, changes: Sequence[Change | Create]) -> None:
        """Write the changes all or none: license records changed (`Change`, keyed by
        `license_key`), new license records and timeline lines (`Create`, only if their key
        is new). `ConditionFailed` when any condition fails; nothing is written then."""
