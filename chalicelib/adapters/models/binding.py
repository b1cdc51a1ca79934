"""Binding the models to the configured tables, region and endpoint."""
from ... import config
from . import shared_connection
from .audit import AuditRecord
from .cases import (
    BreachRecord,
    CardRecord,
    CaseRecord,
    CasesTableRecord,
    DailyCounter,
    DocumentRecord,
    IdempotencyRecord,
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
)
from .catalogue import (
    CatalogueEntryRecord,
    DepartmentRecord,
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
from .licenses import LicenseRecord
from .materials import MaterialRecord
from .notifications import NotificationPrefs, NotificationRecord, NotificationsTableRecord
from .supervision import SupervisionEntry
from .usage import ConsentRecord, UsageRecord

ALL_MODELS = (CasesTableRecord, CaseRecord, TimelineEvent, TaskRecord, TaskToken, CardRecord,
              BreachRecord, LicenseChangeRecord, RatingRecord, DocumentRecord, SettleMarker,
              PasswordAttempts, OpenApplication, VerifierEntry, VerifierAllowance, DailyCounter,
              SweepMark,
              IdempotencyRecord, ItemsTableRecord, ItemVersionRecord, ItemCurrentRecord,
              InstantSwitchRecord, RuleCheckRecord,
              ItemIndexRecord, ItemHistoryRecord, LineageRecord, CatalogueEntryRecord,
              DepartmentRecord, StaffMemberRecord,
              LicenseRecord, UsageRecord, ConsentRecord, MaterialRecord, AuditRecord,
              SupervisionEntry,
              NotificationsTableRecord,
              NotificationRecord, NotificationPrefs)


def bind(cfg: config.Config | None = None) -> None:
    """Point the models at the configured tables, region and endpoint."""
    cfg = cfg or config.get()
    tables = {CasesTableRecord: cfg.cases_table, ItemsTableRecord: cfg.items_table,
              LicenseRecord: cfg.licenses_table, AuditRecord: cfg.audit_table,
              SupervisionEntry: cfg.supervision_table,
              NotificationsTableRecord: cfg.notifications_table,
              UsageRecord: cfg.usage_table, ConsentRecord: cfg.usage_table,
              MaterialRecord: cfg.materials_table}
    for model in ALL_MODELS:
        base = next(b for b in tables if issubclass(model, b))
        model.Meta.table_name = tables[base]
        model.Meta.region = cfg.region
        model.Meta.host = cfg.endpoint_url
        model._connection = None
    shared_connection.rebind(cfg.region, cfg.endpoint_url, cfg.max_pool_connections)
