"""PynamoDB models of eight of the nine tables defined in infra/template.json, one module
per table (the ninth, the statistics table, has counters named at run time, which a model
cannot declare: adapters/counters.py writes it through the shared connection):

- cases: the case file (case, timeline, tasks, cards, breaches, ratings, license changes)
  and what sits beside it under keys of its own;
- catalogue: the service catalogue, departments, bundles and staff (`ow-items`);
- licenses, usage, materials, audit, supervision, notifications: one each.

Every model uses the process's one connection (shared_connection); `bind` points them at
the configured tables, region and endpoint; writes.py holds the conditional writes any
table's records use. This package's names, for the services:
"""
from .audit import AuditRecord
from .binding import ALL_MODELS, bind
from .cases import (
    JSON_ATTRIBUTES,
    Applicant,
    BreachRecord,
    CardRecord,
    CardsIndex,
    CaseOwnerIndex,
    CaseRecord,
    CasesTableRecord,
    DailyCounter,
    DocumentRecord,
    IdempotencyRecord,
    InboxIndex,
    LicenseChangeRecord,
    OpenApplication,
    PasswordAttempts,
    RatingRecord,
    SettleMarker,
    SweepMark,
    TaskRecord,
    TaskToken,
    TimelineEvent,
    VerifierAllowance,
    VerifierEntry,
    WatchIndex,
    decode_image,
)
from .catalogue import (
    BundleRecord,
    CatalogueEntryRecord,
    DepartmentRecord,
    DepartmentUsccRecord,
    FacetIndex,
    InstantSwitchRecord,
    ItemCurrentRecord,
    ItemHistoryRecord,
    ItemIndexRecord,
    ItemsTableRecord,
    ItemVersionRecord,
    LineageRecord,
    RuleCheckRecord,
    StaffMemberRecord,
)
from .licenses import HolderIndex, LicenseRecord
from .materials import MaterialOwnerIndex, MaterialRecord
from .notifications import NotificationPrefs, NotificationRecord, NotificationsTableRecord
from .reads import get_or_none
from .shared_connection import SharedClient, connection, transact_get, transact_write
from .supervision import SupervisionEntry
from .usage import ConsentRecord, UsageRecord
from .writes import all_of, cancellation_codes, condition_failed, put_if_absent, update_if

__all__ = [
    "ALL_MODELS", "JSON_ATTRIBUTES", "Applicant", "AuditRecord", "BreachRecord", "BundleRecord",
    "CardRecord", "CardsIndex", "CaseOwnerIndex", "CaseRecord", "CasesTableRecord",
    "CatalogueEntryRecord", "DailyCounter", "DepartmentRecord", "DepartmentUsccRecord",
    "DocumentRecord",
    "FacetIndex", "HolderIndex", "IdempotencyRecord", "InboxIndex", "ItemCurrentRecord",
    "ItemHistoryRecord", "ItemIndexRecord", "ItemVersionRecord", "ItemsTableRecord",
    "InstantSwitchRecord", "RuleCheckRecord",
    "LicenseChangeRecord", "LicenseRecord", "LineageRecord", "MaterialOwnerIndex",
    "MaterialRecord", "NotificationPrefs", "NotificationRecord", "NotificationsTableRecord",
    "OpenApplication", "PasswordAttempts", "RatingRecord", "SettleMarker", "SharedClient",
    "StaffMemberRecord", "SupervisionEntry", "SweepMark", "TaskRecord", "TaskToken",
    "ConsentRecord", "TimelineEvent", "UsageRecord", "VerifierAllowance", "VerifierEntry",
    "WatchIndex",
    "all_of", "bind", "cancellation_codes", "condition_failed", "connection", "decode_image",
    "get_or_none", "put_if_absent", "transact_get", "transact_write", "update_if",
]
