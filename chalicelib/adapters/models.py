"""PynamoDB models of the three tables defined in infra/template.json.

The cases table is a single table per case: the case record (`sk = META`), its timeline
events (`EV#<time>#<n>`) and its tasks (`TASK#<id>`) share the case number as partition
key, so one Query returns a case with everything about it. A discriminator attribute
(`rt`) tells the record types apart. Open tasks carry `inboxDept`, which puts them in the
sparse `inbox` index ordered by deadline; deciding a task removes it from there.
"""
import json
import threading

from pynamodb.attributes import (
    BooleanAttribute,
    DiscriminatorAttribute,
    JSONAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UnicodeSetAttribute,
    VersionAttribute,
)
from pynamodb.connection import Connection
from pynamodb.exceptions import PutError, UpdateError
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex, IncludeProjection
from pynamodb.models import Model
from pynamodb.transactions import TransactWrite

from .. import config


class Applicant(MapAttribute):
    type = UnicodeAttribute()              # natural | legal
    name = UnicodeAttribute()
    idType = UnicodeAttribute()            # 111 ID card, 001 USCC
    idNumber = UnicodeAttribute()
    phone = UnicodeAttribute(null=True)
    # The identity that applied (owner); none when a clerk entered it at the counter: the
    # person or company it names owns it by ID number (identity.owns).
    sub = UnicodeAttribute(null=True)


class _SharedClient:
    """Every model's connection uses the one botocore client of `connection()`.

    PynamoDB gives each model class a Connection of its own, and each builds a client on
    first use (~150 ms of CPU and megabytes): a cold start paid it for every record type
    a request touched, and concurrent first uses each built one."""

    @classmethod
    def _get_connection(cls):
        table_connection = super()._get_connection()
        if table_connection.connection._client is None:
            # PynamoDB's own hook on its client only adds configured extra headers
            # (none here), so one client serves every connection.
            table_connection.connection._client = connection().client
        return table_connection


class WatchIndex(GlobalSecondaryIndex):
    """What the overdue sweep must look at, by when (services/overdue.py): open cases and
    tasks, each at the next moment one of its deadlines or card levels comes, spread over
    `W#<n>` shards. Keys (and record type) only: the sweep reads the case consistently."""
    class Meta:
        index_name = "watch"
        projection = IncludeProjection(["rt"])

    watchShard = UnicodeAttribute(hash_key=True)
    watchAt = UnicodeAttribute(range_key=True)


class CasesTableRecord(_SharedClient, Model):
    class Meta:
        table_name = "ow-cases"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    rt = DiscriminatorAttribute()
    watch = WatchIndex()  # cases and tasks alike


class InboxIndex(GlobalSecondaryIndex):
    class Meta:
        index_name = "inbox"
        projection = AllProjection()

    inboxDept = UnicodeAttribute(hash_key=True)
    deadline = UnicodeAttribute(range_key=True)


class CardsIndex(GlobalSecondaryIndex):
    """A department's cards, in the order they were issued (`GET /supervision/cards`)."""
    class Meta:
        index_name = "cards"
        projection = AllProjection()

    cardDept = UnicodeAttribute(hash_key=True)
    cardAt = UnicodeAttribute(range_key=True)


class OwnerIndex(GlobalSecondaryIndex):
    """An applicant's cases, newest first (`GET /me/cases`), by the keyed hash of the ID
    number the application names (domain/lookup.py)."""
    class Meta:
        index_name = "owner"
        projection = IncludeProjection(["rt", "status", "itemCode", "itemName",
                                        "updatedAt"])

    owner = UnicodeAttribute(hash_key=True)
    createdAt = UnicodeAttribute(range_key=True)


class CaseRecord(CasesTableRecord, discriminator="case"):
    status = NumberAttribute()
    # The workflow's own updates `ADD version :one`, so optimistic locking holds across
    # the API and Step Functions.
    version = VersionAttribute()
    itemCode = UnicodeAttribute()
    itemVersion = UnicodeAttribute()
    itemName = UnicodeAttribute()
    applicant = Applicant()
    form = JSONAttribute()
    materials = JSONAttribute()
    appliedVia = UnicodeAttribute()
    createdAt = UnicodeAttribute()
    promisedBy = UnicodeAttribute()
    deadlineBasis = UnicodeAttribute(null=True)  # official | provisional (workdays.py)
    # The last transition (the stream turns each into a timeline event).
    updatedAt = UnicodeAttribute()
    actor = UnicodeAttribute()
    actorRole = UnicodeAttribute()
    actorName = UnicodeAttribute(null=True)  # a member of staff's name (identity.staff_name)
    channel = UnicodeAttribute()
    opinion = UnicodeAttribute(null=True)
    licenseId = UnicodeAttribute(null=True)
    # queued: the start waits in the starts queue; started: the execution exists.
    workflow = UnicodeAttribute(null=True)
    acceptedAt = UnicodeAttribute(null=True)
    closedAt = UnicodeAttribute(null=True)   # concluded or closed: the clock stopped
    # The legal clock (domain/worktime.py): planned deadlines {"promised", "statutory"}
    # and every pause [{"kind", "since", "until", "minutes", "taskId"}].
    due = JSONAttribute(null=True)
    pauses = JSONAttribute(null=True)
    overdue = ListAttribute(of=UnicodeAttribute, null=True)  # promised, statutory
    overdueAt = UnicodeAttribute(null=True)  # when the sweep last found one missed
    # While open (or materials to follow are watched), the case sits in the `watch` index
    # at the next moment the sweep must look at it: no Scan finds what is due.
    watchShard = UnicodeAttribute(null=True)
    watchAt = UnicodeAttribute(null=True)
    cardLevel = UnicodeAttribute(null=True)  # the highest card the case itself has had
    carded = BooleanAttribute(null=True)     # any of its work has had a card
    invitedAt = UnicodeAttribute(null=True)  # invited to rate (unrated days after)
    # What the applicant was asked for (context intake | review) and, once given, when.
    supplement = JSONAttribute(null=True)
    procedures = JSONAttribute(null=True)    # special procedures, in order
    pendingMaterials = ListAttribute(of=UnicodeAttribute, null=True)  # 容缺
    materialsDueBy = UnicodeAttribute(null=True)
    owner = UnicodeAttribute(null=True)      # lookup key of the applicant's ID number
    agent = JSONAttribute(null=True)         # 代办: {sub, name, idNumber} of the agent
    # The applicant's clear ID and phone numbers, sealed (adapters/sealing.py); the
    # `applicant` map holds them masked.
    sealedApplicant = JSONAttribute(null=True)
    by_owner = OwnerIndex()


class TimelineEvent(CasesTableRecord, discriminator="event"):
    at = UnicodeAttribute()
    action = UnicodeAttribute()            # status | decision
    status = NumberAttribute(null=True)
    fromStatus = NumberAttribute(null=True)
    actor = UnicodeAttribute()
    actorRole = UnicodeAttribute()
    actorName = UnicodeAttribute(null=True)  # a member of staff's name, when staff acted
    channel = UnicodeAttribute()
    opinion = UnicodeAttribute(null=True)
    taskId = UnicodeAttribute(null=True)
    decision = UnicodeAttribute(null=True)
    dept = UnicodeAttribute(null=True)
    detail = JSONAttribute(null=True)      # what else the event says (type, reason…)


class TaskRecord(CasesTableRecord, discriminator="task"):
    taskId = UnicodeAttribute()
    taskKind = UnicodeAttribute()          # acceptance | review
    caseNo = UnicodeAttribute()
    itemCode = UnicodeAttribute()
    dept = UnicodeAttribute()
    stage = NumberAttribute(null=True)
    veto = BooleanAttribute(null=True)     # a denial ends review (the stage's rule)
    planned = UnicodeAttribute(null=True)  # deadline as planned (before any pause)
    deadline = UnicodeAttribute()          # the deadline now (pauses added)
    token = UnicodeAttribute(null=True)    # tasks recorded before TaskToken held it here
    # upcoming (a later stage's review, not in the inbox until the stages before it are
    # decided) | open | supplement (waits on the applicant) | special (special procedure) |
    # decided | cancelled. From open until decided or cancelled it is in its department's
    # inbox.
    state = UnicodeAttribute()
    inboxDept = UnicodeAttribute(null=True)
    createdAt = UnicodeAttribute()
    openedAt = UnicodeAttribute(null=True)  # when an upcoming task's turn came
    claimedBy = UnicodeAttribute(null=True)
    claimedAt = UnicodeAttribute(null=True)  # when the claim last changed
    claimAction = UnicodeAttribute(null=True)  # claimed | released | assigned
    claimActor = UnicodeAttribute(null=True)
    claimedByName = UnicodeAttribute(null=True)   # the names of both, as their tokens
    claimActorName = UnicodeAttribute(null=True)  # (or the roster) gave them
    overdue = UnicodeAttribute(null=True)  # when the sweep found it past its deadline
    # From open until decided, the task is in the `watch` index too (as the case is).
    watchShard = UnicodeAttribute(null=True)
    watchAt = UnicodeAttribute(null=True)
    cardLevel = UnicodeAttribute(null=True)  # the highest card the task has had
    pendingMaterials = ListAttribute(of=UnicodeAttribute, null=True)
    resumeWith = UnicodeAttribute(null=True)  # the named error a decision fails it with
    cancelledAt = UnicodeAttribute(null=True)
    cancelReason = UnicodeAttribute(null=True)
    decision = UnicodeAttribute(null=True)
    opinion = UnicodeAttribute(null=True)
    decidedBy = UnicodeAttribute(null=True)
    decidedRole = UnicodeAttribute(null=True)
    decidedByName = UnicodeAttribute(null=True)
    decidedVia = UnicodeAttribute(null=True)
    decidedAt = UnicodeAttribute(null=True)
    resumedAt = UnicodeAttribute(null=True)  # when the workflow got the decision
    inbox = InboxIndex()


class CardRecord(CasesTableRecord, discriminator="card"):
    """A warning or card (domain/cards.py) for one piece of the case's work and one level
    (sk `CARD#<scope key>#<level>`): issued once by the sweep, then acknowledged, appealed,
    resolved or withdrawn. It is in the `cards` index under the department it is charged
    to."""
    cardId = UnicodeAttribute()
    scope = UnicodeAttribute()             # task | stage | case
    level = UnicodeAttribute()             # warning | yellow | red
    caseNo = UnicodeAttribute()
    itemCode = UnicodeAttribute()
    dept = UnicodeAttribute()
    taskId = UnicodeAttribute(null=True)
    stage = NumberAttribute(null=True)
    dueAt = UnicodeAttribute()             # the deadline, as it stood when issued
    issuedAt = UnicodeAttribute()
    state = UnicodeAttribute()             # issued | acknowledged | resolved | withdrawn
    updatedAt = UnicodeAttribute()
    updatedBy = UnicodeAttribute()
    updatedRole = UnicodeAttribute(default="system")
    updatedByName = UnicodeAttribute(null=True)
    note = UnicodeAttribute(null=True)     # the department's, when it acknowledged
    appeal = JSONAttribute(null=True)      # {reason, by, at[, decision, opinion, …]}
    appealState = UnicodeAttribute(null=True)  # pending | upheld | rejected
    cardDept = UnicodeAttribute()
    cardAt = UnicodeAttribute()            # issuedAt#cardId
    by_dept = CardsIndex()


class TaskToken(CasesTableRecord, discriminator="token"):
    """The workflow's task tokens for one task (sk `TOKEN#<taskId>`), apart from the task:
    a token is long (up to 2 KB) and the task is written several times and sits in the
    inbox index, so keeping the token out of it keeps each of those writes small. Every
    token a message brought is kept: a callback state the workflow retried (its send
    failed as far as it knew) sends the same task again with a new token, and only the
    live one resumes it. Read only by the stream handler that redeems them."""
    tokens = UnicodeSetAttribute()


class SettleMarker(CasesTableRecord, discriminator="settle"):
    """A change of the cases table some of whose effects failed (sk `SETTLE#<stream
    sequence number>`), holding the change itself (`change`: its old and new images) for
    the reconciliation to replay (services/settlement.py). Until it settles it is in the
    `watch` index under shards of its own (`S#<n>`), at the moment it is due; settled, it
    leaves the index and expires (TTL)."""
    change = JSONAttribute()
    failed = ListAttribute(of=UnicodeAttribute)   # the effects that failed first
    failedAt = UnicodeAttribute()
    attempts = NumberAttribute(default=0)        # replays asked for by the sweep
    touchedAt = UnicodeAttribute(null=True)
    settledAt = UnicodeAttribute(null=True)
    watchShard = UnicodeAttribute(null=True)
    watchAt = UnicodeAttribute(null=True)
    expiresAt = NumberAttribute(null=True)


class PasswordAttempts(CasesTableRecord, discriminator="attempts"):
    """One slot of a sliding window of wrong query passwords for a case number (pk
    `QPW#<caseNo>`, sk `S#<address>#<i>` per caller address or `C#<i>` for the number):
    when (epoch seconds) its wrong guess was made, whether or not the case exists
    (services/query_passwords.py); gone a day after it leaves the window (TTL)."""
    at = NumberAttribute(null=True)
    expiresAt = NumberAttribute()


class OpenApplication(CasesTableRecord, discriminator="open_application"):
    """The case an application is open in (pk `OPEN#<application key>`, sk `OPEN`: the
    keyed hash of owner, item and form, services/open_applications.py). Written with the
    case; a case closed since frees it to be overwritten."""
    caseNo = UnicodeAttribute()


class VerifierEntry(CasesTableRecord, discriminator="verifier"):
    """Which use-log entry one anonymous verifier's repeats of a day go to (pk
    `VFY#<licenseId>`, sk `D#<day>#<verifier digest>`): the entry's `at` key
    (services/usage.py); gone two days after (TTL)."""
    usageAt = UnicodeAttribute()
    expiresAt = NumberAttribute()


class VerifierAllowance(CasesTableRecord, discriminator="verifier_allowance"):
    """How many distinct anonymous verifiers of one license a day has logged (pk
    `VFY#<licenseId>`, sk `N#<day>`), never past the day's limit."""
    count = NumberAttribute(default=0)
    expiresAt = NumberAttribute()


class DailyCounter(CasesTableRecord, discriminator="counter"):
    value = NumberAttribute(default=0)


class IdempotencyRecord(CasesTableRecord, discriminator="idempotency"):
    requestHash = UnicodeAttribute()
    caseNo = UnicodeAttribute()
    createdAt = UnicodeAttribute()


class ItemsTableRecord(_SharedClient, Model):
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


class FacetIndex(GlobalSecondaryIndex):
    class Meta:
        index_name = "facet"
        projection = AllProjection()

    facet = UnicodeAttribute(hash_key=True)
    code = UnicodeAttribute(range_key=True)


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


class HolderIndex(GlobalSecondaryIndex):
    """A holder's licenses, newest first (`GET /me/licenses`), by the keyed hash of the
    holder's ID number (domain/lookup.py)."""
    class Meta:
        index_name = "holder"
        projection = AllProjection()

    holderKey = UnicodeAttribute(hash_key=True)
    issuedAt = UnicodeAttribute(range_key=True)


class LicenseRecord(_SharedClient, Model):
    class Meta:
        table_name = "ow-licenses"

    holder = HolderIndex()

    licenseId = UnicodeAttribute(hash_key=True)
    caseNo = UnicodeAttribute()
    document = JSONAttribute()
    signature = JSONAttribute()
    state = UnicodeAttribute(default="valid")   # domain/license_states.STATES
    issuedAt = UnicodeAttribute()
    # The issuing department (the item's implementing one): only it changes the state.
    dept = UnicodeAttribute(null=True)
    # The last change of state: why (masked), when, by whom; and every change in order.
    stateReason = UnicodeAttribute(null=True)
    stateSince = UnicodeAttribute(null=True)
    history = JSONAttribute(null=True)
    supersededBy = UnicodeAttribute(null=True)   # the next version's identifier
    supersedes = UnicodeAttribute(null=True)     # the version it replaced
    holderSub = UnicodeAttribute(null=True)  # the identity that may read it as holder
    # The document is stored with the holder's ID number masked; the clear number is
    # sealed (adapters/sealing.py, bound to the license id) and its keyed hash tells the
    # holder (domain/lookup.py). Licenses from before have neither and a clear number.
    sealedHolder = JSONAttribute(null=True)
    holderKey = UnicodeAttribute(null=True)


class UsageRecord(_SharedClient, Model):
    """One use of a holder's license or data (用证记录): who, for which organisation, when,
    why (services/usage.py). By holder (the keyed hash of their ID number), in time order."""
    class Meta:
        table_name = "ow-usage"
        billing_mode = "PAY_PER_REQUEST"

    holder = UnicodeAttribute(hash_key=True)
    at = UnicodeAttribute(range_key=True)        # UTC timestamp + a random suffix
    action = UnicodeAttribute()                  # view | verify | use
    licenseId = UnicodeAttribute(null=True)
    materialId = UnicodeAttribute(null=True)     # or the material (the holder's data)
    caseNo = UnicodeAttribute(null=True)         # the case it was used in, or viewed on
    sub = UnicodeAttribute(null=True)            # who (a signed-in caller)
    role = UnicodeAttribute(null=True)
    organisation = UnicodeAttribute(null=True)   # their department, or what they stated
    purpose = UnicodeAttribute(null=True)        # 用证事由
    source = UnicodeAttribute(null=True)         # the caller's address (an anonymous one)
    # An anonymous verifier's repeats of a day are one entry: how many, the last one, and
    # whether it merges the verifiers past the day's limit (services/usage.py).
    count = NumberAttribute(null=True)
    lastAt = UnicodeAttribute(null=True)
    merged = BooleanAttribute(null=True)


class OwnerIndex(GlobalSecondaryIndex):
    """An owner's materials, newest first (`GET /me/materials`)."""
    class Meta:
        index_name = "owner"
        projection = AllProjection()

    owner = UnicodeAttribute(hash_key=True)
    createdAt = UnicodeAttribute(range_key=True)


class MaterialRecord(_SharedClient, Model):
    """An uploaded material (申请材料, services/materials.py): what was declared when the
    upload was asked for, and what the bucket was found to hold."""
    class Meta:
        table_name = "ow-materials"
        billing_mode = "PAY_PER_REQUEST"

    by_owner = OwnerIndex()

    materialId = UnicodeAttribute(hash_key=True)
    owner = UnicodeAttribute()                   # keyed hash of the owner's ID number
    uploader = UnicodeAttribute()                # who asked for the upload (sub)
    name = UnicodeAttribute()                    # the file's name
    material = UnicodeAttribute(null=True)       # the catalogue material it is for
    contentType = UnicodeAttribute()
    size = NumberAttribute()
    sha256 = UnicodeAttribute()                  # hex, as declared
    state = UnicodeAttribute(default="pending")  # pending | stored | rejected
    reason = UnicodeAttribute(null=True)         # why it was rejected
    createdAt = UnicodeAttribute()
    storedAt = UnicodeAttribute(null=True)
    versionId = UnicodeAttribute(null=True)      # the object version that was checked
    usedIn = ListAttribute(of=UnicodeAttribute, null=True)  # case numbers, in order
    # Until a case names it: when it expires (epoch seconds; the table's TTL attribute).
    expiresAt = NumberAttribute(null=True)


class AuditRecord(_SharedClient, Model):
    """One refused access (services/audit.py): by day, in time order."""
    class Meta:
        table_name = "ow-audit"
        billing_mode = "PAY_PER_REQUEST"

    day = UnicodeAttribute(hash_key=True)      # YYYY-MM-DD (UTC)
    at = UnicodeAttribute(range_key=True)      # UTC timestamp + request id
    status = NumberAttribute()
    code = UnicodeAttribute()
    reason = UnicodeAttribute()
    method = UnicodeAttribute()
    path = UnicodeAttribute()
    sub = UnicodeAttribute(null=True)          # none: no (valid) token
    role = UnicodeAttribute(null=True)
    sourceIp = UnicodeAttribute(null=True)
    userAgent = UnicodeAttribute(null=True)
    requestId = UnicodeAttribute(null=True)
    expiresAt = NumberAttribute()


class SupervisionEntry(_SharedClient, Model):
    """One entry of the supervision record's chain of an area's day (domain/chain.py):
    seq 1, 2, … in order; seq 0 is the table's copy of the chain's seal (how many entries
    the last write-once seal covers, the last one's hash, that seal's number); seq -1 the
    chain's head (the place and hash of the last append). Beside the chains: `KEY#<key>`
    (seq 0) marks what was recorded where, `OPEN#<area>` (seq YYYYMMDD) the days whose
    chains are not sealed for good, `SEALS#<area>` (seq 0) the last seal's number."""
    class Meta:
        table_name = "ow-supervision"
        billing_mode = "PAY_PER_REQUEST"

    chain = UnicodeAttribute(hash_key=True)    # <area>#<YYYY-MM-DD>
    seq = NumberAttribute(range_key=True)
    body = JSONAttribute(null=True)
    prevHash = UnicodeAttribute(null=True)
    hash = UnicodeAttribute(null=True)
    key = UnicodeAttribute(null=True)          # what was recorded (one entry per key)
    sealSeq = NumberAttribute(null=True)
    sealHash = UnicodeAttribute(null=True)
    signature = JSONAttribute(null=True)
    sealN = NumberAttribute(null=True)         # the write-once seal the copy is of
    final = BooleanAttribute(null=True)        # that seal was the chain's last
    lastSeq = NumberAttribute(null=True)       # the chain's head (seq -1): how far the
    lastHash = UnicodeAttribute(null=True)     # appends took it


class BreachRecord(CasesTableRecord, discriminator="breach"):
    """A rule breach the timeline showed (domain/breaches.py), once per kind and what it
    is about (sk `BREACH#<kind>#<ref>`); in the `cards` index under its department."""
    kind = UnicodeAttribute()
    ref = UnicodeAttribute()
    caseNo = UnicodeAttribute()
    itemCode = UnicodeAttribute(null=True)
    dept = UnicodeAttribute()
    taskId = UnicodeAttribute(null=True)
    at = UnicodeAttribute()
    detail = JSONAttribute(null=True)
    cardDept = UnicodeAttribute()
    cardAt = UnicodeAttribute()            # at#BREACH#kind#ref
    by_dept = CardsIndex()


class LicenseChangeRecord(CasesTableRecord, discriminator="license"):
    """A change of the license a case issued (services/licenses.py: suspended, resumed,
    revoked, reissued), written with it so the case's timeline shows it (sk
    `LICENSE#<at>#<licenseId>#<action>`)."""
    licenseId = UnicodeAttribute()
    action = UnicodeAttribute()                 # suspend | resume | revoke | reissue
    fromState = UnicodeAttribute()
    toState = UnicodeAttribute()
    reason = UnicodeAttribute(null=True)        # masked
    by = UnicodeAttribute()
    byRole = UnicodeAttribute()
    byName = UnicodeAttribute(null=True)
    dept = UnicodeAttribute(null=True)          # the issuing department
    at = UnicodeAttribute()
    supersededBy = UnicodeAttribute(null=True)  # a reissue's new version
    itemCode = UnicodeAttribute(null=True)      # the case's item (absent on older changes)


class RatingRecord(CasesTableRecord, discriminator="rating"):
    """A rating (好差评, domain/ratings.py) of one scope of the case by one rater (sk
    `RATING#<scope key>#<rater>`), with the rectification a bad one opened. It is in the
    `cards` index under the department it rates, and while a rectification deadline is
    to come, in the `watch` index at that moment."""
    ratingId = UnicodeAttribute()
    version = VersionAttribute()           # every step of the rectification is one
    scope = UnicodeAttribute()             # case | acceptance | stage
    scopeKey = UnicodeAttribute()          # case | acceptance | stage.<n>.<dept>
    stage = NumberAttribute(null=True)
    caseNo = UnicodeAttribute()
    itemCode = UnicodeAttribute()
    dept = UnicodeAttribute()
    rater = UnicodeAttribute()             # applicant | agent
    raterSub = UnicodeAttribute()
    level = NumberAttribute()              # 1..5
    indicators = JSONAttribute(null=True)  # {indicator: 1..5}
    comment = UnicodeAttribute(null=True)  # masked
    channel = UnicodeAttribute()
    at = UnicodeAttribute()
    # Open while a rectification is under way: {state, callbackDue, rectifyDue, late,
    # callback, rectified, response, review, contest, step, updatedAt, updatedBy, …}.
    rectification = JSONAttribute(null=True)
    rectState = UnicodeAttribute(null=True)
    excluded = BooleanAttribute(null=True)  # voided on a contest: it no longer counts
    watchShard = UnicodeAttribute(null=True)
    watchAt = UnicodeAttribute(null=True)
    cardDept = UnicodeAttribute()
    cardAt = UnicodeAttribute()            # at#ratingId
    by_dept = CardsIndex()


class NotificationsTableRecord(_SharedClient, Model):
    """The notifications table: per recipient (`sub:<subject>`, `owner:<ID lookup key>`,
    `dept:<code>`, `ops`), its notifications by id (time-ordered) and its preferences."""
    class Meta:
        table_name = "ow-notifications"
        billing_mode = "PAY_PER_REQUEST"

    recipient = UnicodeAttribute(hash_key=True)
    id = UnicodeAttribute(range_key=True)


class NotificationRecord(NotificationsTableRecord):
    caseNo = UnicodeAttribute()
    template = UnicodeAttribute()
    event = UnicodeAttribute()
    eventId = UnicodeAttribute()
    text = UnicodeAttribute()              # masked
    channels = ListAttribute(of=UnicodeAttribute)
    audience = UnicodeAttribute()
    createdAt = UnicodeAttribute()
    claimedAt = UnicodeAttribute(null=True)  # a delivery is publishing it (a lease)
    claimedBy = UnicodeAttribute(null=True)  # which delivery: the queue message's id
    sentAt = UnicodeAttribute(null=True)     # published on the topic
    readAt = UnicodeAttribute(null=True)
    expiresAt = NumberAttribute()


class NotificationPrefs(NotificationsTableRecord):
    """A recipient's channels (sk `PREFS`)."""
    channels = ListAttribute(of=UnicodeAttribute)
    updatedAt = UnicodeAttribute()


ALL_MODELS = (CasesTableRecord, CaseRecord, TimelineEvent, TaskRecord, TaskToken, CardRecord,
              BreachRecord, LicenseChangeRecord, RatingRecord, SettleMarker,
              PasswordAttempts, OpenApplication, VerifierEntry, VerifierAllowance, DailyCounter,
              IdempotencyRecord, ItemsTableRecord, ItemVersionRecord, ItemCurrentRecord,
              ItemIndexRecord, ItemHistoryRecord, LineageRecord, CatalogueEntryRecord,
              DepartmentRecord, StaffMemberRecord,
              LicenseRecord, UsageRecord, MaterialRecord, AuditRecord, SupervisionEntry,
              NotificationsTableRecord,
              NotificationRecord, NotificationPrefs)


def _json_attributes() -> dict[str, frozenset[str]]:
    found: dict[str, set[str]] = {}
    for model in (CaseRecord, TimelineEvent, TaskRecord, CardRecord, BreachRecord,
                  RatingRecord, SettleMarker):
        discriminator = model._get_discriminator_attribute().get_discriminator(model)
        found[discriminator] = {name for name, attribute in model.get_attributes().items()
                                if isinstance(attribute, JSONAttribute)}
    return {rt: frozenset(names) for rt, names in found.items()}


def decode_image(image: dict | None) -> dict | None:
    """A stream image of the cases table with its JSON attributes (stored as strings)
    decoded, as the models read them."""
    if not image:
        return image
    names = JSON_ATTRIBUTES.get(image.get("rt"), ())
    return {k: json.loads(v) if k in names and isinstance(v, str) else v
            for k, v in image.items()}


def bind(cfg: config.Config | None = None) -> None:
    """Point the models at the configured tables, region and endpoint."""
    cfg = cfg or config.get()
    tables = {CasesTableRecord: cfg.cases_table, ItemsTableRecord: cfg.items_table,
              LicenseRecord: cfg.licenses_table, AuditRecord: cfg.audit_table,
              SupervisionEntry: cfg.supervision_table,
              NotificationsTableRecord: cfg.notifications_table,
              UsageRecord: cfg.usage_table, MaterialRecord: cfg.materials_table}
    for model in ALL_MODELS:
        base = next(b for b in tables if issubclass(model, b))
        model.Meta.table_name = tables[base]
        model.Meta.region = cfg.region
        model.Meta.host = cfg.endpoint_url
        model._connection = None
    global _connection, _pool_size
    _connection, _pool_size = None, cfg.max_pool_connections


_connection: Connection | None = None
_pool_size = 10
_connection_lock = threading.Lock()


def connection() -> Connection:
    """The process's one DynamoDB connection, for the bound region and endpoint; its
    client is built once, under a lock (concurrent first uses would each build one)."""
    global _connection
    with _connection_lock:
        if _connection is None:
            shared = Connection(region=CasesTableRecord.Meta.region,
                                host=CasesTableRecord.Meta.host,
                                max_pool_connections=_pool_size)
            shared.client  # noqa: B018 (built now, once)
            _connection = shared
        return _connection


def transact_write() -> TransactWrite:
    """A write transaction on the configured region and endpoint (any of our tables)."""
    return TransactWrite(connection=connection())


def cancellation_codes(error) -> list[str | None]:
    """Why each write of a cancelled transaction failed (None: it did not), in order."""
    return [reason.code if reason else None for reason in error.cancellation_reasons or []]


def condition_failed(error) -> bool:
    """Whether a PynamoDB write error is its condition not holding (not a fault)."""
    return error.cause_response_code == "ConditionalCheckFailedException"


def update_if(record: Model, actions: list, condition=None) -> bool:
    """Update a record only if `condition` holds; False if it did not (another writer got
    there first: not a fault)."""
    try:
        record.update(actions=actions, condition=condition)
    except UpdateError as exc:
        if condition_failed(exc):
            return False
        raise
    return True


def all_of(*conditions):
    """The conditions given (None: left out) joined with AND; None when there are none."""
    joined = None
    for condition in conditions:
        if condition is not None:
            joined = condition if joined is None else joined & condition
    return joined


def put_if_absent(record: Model) -> bool:
    """Save a record only if its key is new; False if it was already there.

    The one way writes are made idempotent against redelivery: the record's key is derived
    from what it records, so a second delivery finds it and changes nothing."""
    hash_key = type(record)._hash_key_attribute()
    try:
        record.save(condition=hash_key.does_not_exist())
    except PutError as exc:
        if condition_failed(exc):
            return False
        raise
    return True


JSON_ATTRIBUTES = _json_attributes()
