"""The catalogue table (`ow-items`): the service catalogue's implementations and their
versions, search index, history and lineage, and beside them the catalogue entries,
departments, "one thing" bundles and staff."""
from pynamodb.attributes import (
    BooleanAttribute,
    DiscriminatorAttribute,
    JSONAttribute,
    ListAttribute,
    NumberAttribute,
    UnicodeAttribute,
)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from .shared_connection import SharedClient


class ItemsTableRecord(SharedClient, Model):
    """The catalogue table: per implementation code, its versions (`V#0001`…), the
    current public record (`CURRENT`), search-index entries (`IX#<facet>`), history
    (`H#<time>#…`) and lineage (`L#<relation>#<code>`); departments under code `DEPT`,
    "one thing" bundles under `BUNDLE`."""
    class Meta:
        table_name = "ow-items"

    code = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    rt = DiscriminatorAttribute()


class ItemVersionRecord(ItemsTableRecord, discriminator="version"):
    version = NumberAttribute()
    status = UnicodeAttribute()            # draft | published | superseded | cancelled
    document = JSONAttribute()
    createdAt = UnicodeAttribute()
    createdBy = UnicodeAttribute()
    updatedAt = UnicodeAttribute()


class ItemCurrentRecord(ItemsTableRecord, discriminator="current"):
    """The version new cases apply under, and what the public guide shows."""
    version = NumberAttribute()
    status = UnicodeAttribute()            # published | suspended | cancelled
    document = JSONAttribute()
    updatedAt = UnicodeAttribute()


class InstantSwitchRecord(ItemsTableRecord, discriminator="instant_switch"):
    """秒批's per-item switch (services/instant_approval.py): off stops instant approval of
    the item at once, whichever version is published."""
    enabled = BooleanAttribute()
    updatedAt = UnicodeAttribute()
    updatedBy = UnicodeAttribute()
    reason = UnicodeAttribute()


class FacetIndex(GlobalSecondaryIndex):
    class Meta:
        index_name = "facet"
        projection = AllProjection()

    facet = UnicodeAttribute(hash_key=True)
    code = UnicodeAttribute(range_key=True)


class RuleCheckRecord(ItemsTableRecord, discriminator="rule_check"):
    """秒批: one case's rule check, under its item (services/instant_approval.py): what a
    simulation of new rules replays (the facts are sealed on the case), and — a sampled
    approval (抽查) — an entry of the supervisors' queue, by the facet index
    (`instant-sample#open`, then `#checked`)."""
    caseNo = UnicodeAttribute()
    outcome = UnicodeAttribute()            # approved | referred
    ruleSet = UnicodeAttribute()
    checkedAt = UnicodeAttribute()
    itemName = UnicodeAttribute()
    sampled = BooleanAttribute(default=False)
    facet = UnicodeAttribute(null=True)
    reviewedAt = UnicodeAttribute(null=True)
    reviewedBy = UnicodeAttribute(null=True)
    reviewNote = UnicodeAttribute(null=True)
    by_facet = FacetIndex()
    # The supervisors' queue: a sampled approval's facet, until it is checked.
    SAMPLES_OPEN = "instant-sample#open"
    SAMPLES_CHECKED = "instant-sample#checked"


class ItemIndexRecord(ItemsTableRecord, discriminator="index"):
    """One search facet of a published item, carrying the summary a list shows."""
    facet = UnicodeAttribute()
    name = UnicodeAttribute()
    initials = UnicodeAttribute()
    kind = UnicodeAttribute()
    depts = ListAttribute(of=UnicodeAttribute)
    audience = ListAttribute(of=UnicodeAttribute)
    themes = ListAttribute(of=UnicodeAttribute, default=list)
    channels = ListAttribute(of=UnicodeAttribute, default=list)
    summary = JSONAttribute()
    by_facet = FacetIndex()


class ItemHistoryRecord(ItemsTableRecord, discriminator="history"):
    at = UnicodeAttribute()
    action = UnicodeAttribute()
    version = NumberAttribute(null=True)
    actor = UnicodeAttribute()
    reason = UnicodeAttribute()
    detail = JSONAttribute(null=True)


class LineageRecord(ItemsTableRecord, discriminator="lineage"):
    relation = UnicodeAttribute()          # split_into | split_from | merged_into | merged_from
    other = UnicodeAttribute()
    at = UnicodeAttribute()
    reason = UnicodeAttribute()


class CatalogueEntryRecord(ItemsTableRecord, discriminator="entry"):
    """A catalogue entry (事项目录) under code `CATALOGUE`, sorted by base code."""
    name = UnicodeAttribute()
    kind = UnicodeAttribute()
    legalBasis = UnicodeAttribute()
    definingDept = UnicodeAttribute()
    parentCode = UnicodeAttribute(null=True)
    status = UnicodeAttribute()
    updatedAt = UnicodeAttribute()


class DepartmentRecord(ItemsTableRecord, discriminator="department"):
    name = UnicodeAttribute()
    uscc = UnicodeAttribute()
    # Registered through the admin API (services/catalogue/departments.py); a record of
    # before has none of these.
    sealName = UnicodeAttribute(null=True)
    contacts = JSONAttribute(null=True)
    parentArea = UnicodeAttribute(null=True)
    updatedAt = UnicodeAttribute(null=True)


class BundleRecord(ItemsTableRecord, discriminator="bundle"):
    """A "one thing" bundle (一件事) under code `BUNDLE`, sorted by its id: the items a
    person does together for one life or business event, in the order they are done."""
    name = UnicodeAttribute()
    description = UnicodeAttribute()
    items = ListAttribute(of=UnicodeAttribute)
    updatedAt = UnicodeAttribute()


class DepartmentUsccRecord(ItemsTableRecord, discriminator="department_uscc"):
    """A USCC taken by a registered department (code `DEPT#USCC`, sk the USCC): written
    with the department in one transaction, so two departments never share one."""
    dept = UnicodeAttribute()


class StaffMemberRecord(ItemsTableRecord, discriminator="staff"):
    """A department's clerk or reviewer as their verified token last showed them (code
    `STAFF`, sk their subject): who a lead may hand the department's tasks to."""
    dept = UnicodeAttribute()
    role = UnicodeAttribute()
    name = UnicodeAttribute(null=True)
    lead = BooleanAttribute(default=False)
    seenAt = UnicodeAttribute()
