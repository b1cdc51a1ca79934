"""The cases table: a single table per case.

The case record (`sk = META`), its timeline events (`EV#<time>#<n>`) and its tasks
(`TASK#<id>`) share the case number as partition key, so one Query returns a case with
everything about it. A discriminator attribute (`rt`) tells the record types apart. Open
tasks carry `inboxDept`, which puts them in the sparse `inbox` index ordered by deadline;
deciding a task removes it from there. Each of the inbox's filters is a sparse index too
(`inboxMine`, `inboxState`, `inboxItem`, `inboxOverdue`). The case's cards, breaches,
ratings, license changes and task tokens sit in its partition too; beside the cases,
under keys of their own: settle markers, password attempts, open applications, verifier
allowances, counters and idempotency records.
"""
import json

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
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex, IncludeProjection
from pynamodb.models import Model

from .shared_connection import SharedClient


class Applicant(MapAttribute):
    type = UnicodeAttribute()              # natural | legal
    name = UnicodeAttribute()
    idType = UnicodeAttribute()            # 111 ID card, 001 USCC
    idNumber = UnicodeAttribute()
    phone = UnicodeAttribute(null=True)
    # The identity that applied (owner); none when a clerk entered it at the counter: the
    # person or company it names owns it by ID number (identity.owns).
    sub = UnicodeAttribute(null=True)


class WatchIndex(GlobalSecondaryIndex):
    """What the overdue sweep must look at, by when (services/overdue.py): open cases and
    tasks, each at the next moment one of its deadlines or card levels comes, spread over
    `W#<n>` shards. Keys (and record type) only: the sweep reads the case consistently."""
    class Meta:
        index_name = "watch"
        projection = IncludeProjection(["rt"])

    watchShard = UnicodeAttribute(hash_key=True)
    watchAt = UnicodeAttribute(range_key=True)


class CasesTableRecord(SharedClient, Model):
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


class _InboxFilterIndex(GlobalSecondaryIndex):
    """One of the inbox's filters (domain/inbox_filters.py): a department's tasks that
    match it, soonest deadline first. Keys (and record type) only: an entry is written
    only when the task enters or leaves it or its deadline moves, never on the task's other
    changes; a page reads its tasks by key afterwards."""
    class Meta:
        projection = IncludeProjection(["rt"])

    deadline = UnicodeAttribute(range_key=True)


class InboxMineIndex(_InboxFilterIndex):
    class Meta(_InboxFilterIndex.Meta):
        index_name = "inboxMine"

    mineKey = UnicodeAttribute(hash_key=True)


class InboxStateIndex(_InboxFilterIndex):
    class Meta(_InboxFilterIndex.Meta):
        index_name = "inboxState"

    stateKey = UnicodeAttribute(hash_key=True)


class InboxItemIndex(_InboxFilterIndex):
    class Meta(_InboxFilterIndex.Meta):
        index_name = "inboxItem"

    itemKey = UnicodeAttribute(hash_key=True)


class InboxOverdueIndex(_InboxFilterIndex):
    class Meta(_InboxFilterIndex.Meta):
        index_name = "inboxOverdue"

    overdueKey = UnicodeAttribute(hash_key=True)


class CardsIndex(GlobalSecondaryIndex):
    """A department's cards, in the order they were issued (`GET /supervision/cards`)."""
    class Meta:
        index_name = "cards"
        projection = AllProjection()

    cardDept = UnicodeAttribute(hash_key=True)
    cardAt = UnicodeAttribute(range_key=True)


class CaseOwnerIndex(GlobalSecondaryIndex):
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
    # Base data the case used (数据共享): the consent, which form values came from which
    # source, which materials a registry record stood in for (with the record's hash).
    dataUse = JSONAttribute(null=True)
    # 秒批: the rule check at application — outcome (approved | referred), the rule set's
    # version, each rule's masked inputs and result; the facts it read, sealed (a later
    # simulation of new rules reads them).
    ruleCheck = JSONAttribute(null=True)
    sealedFacts = JSONAttribute(null=True)
    by_owner = CaseOwnerIndex()


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
    # The inbox's filters as index keys (domain/inbox_filters.py): set while the task is in
    # the inbox and matches the filter.
    mineKey = UnicodeAttribute(null=True)
    stateKey = UnicodeAttribute(null=True)
    itemKey = UnicodeAttribute(null=True)
    overdueKey = UnicodeAttribute(null=True)
    inbox = InboxIndex()
    inbox_mine = InboxMineIndex()
    inbox_state = InboxStateIndex()
    inbox_item = InboxItemIndex()
    inbox_overdue = InboxOverdueIndex()


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


class SweepMark(CasesTableRecord, discriminator="sweep"):
    """What the overdue sweep last put on the due queue (pk `SWEEP`, sk `DUE`): every
    watch entry due at or before `queuedThrough` was looked at or queued then, and the
    queue has held messages since `backlogSince` (services/overdue.py)."""
    queuedThrough = UnicodeAttribute()
    backlogSince = UnicodeAttribute(null=True)


class IdempotencyRecord(CasesTableRecord, discriminator="idempotency"):
    requestHash = UnicodeAttribute()
    caseNo = UnicodeAttribute()
    createdAt = UnicodeAttribute()


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


class DocumentRecord(CasesTableRecord, discriminator="document"):
    """A formal document (文书) of the case — a notice or decision the deciding department
    issued (domain/case_documents.py), signed (sk `DOC#<documentId>`). Written once, its
    key derived from the change that made it; only its `state` changes afterwards (a
    correction supersedes it, an annulment annuls it)."""
    documentId = UnicodeAttribute()
    kind = UnicodeAttribute()
    title = UnicodeAttribute()
    itemCode = UnicodeAttribute()               # the case's (its lifecycle event names it)
    dept = UnicodeAttribute()
    issuedAt = UnicodeAttribute()
    document = JSONAttribute()                  # as signed (no ID or phone number in it)
    signature = JSONAttribute()
    sha256 = UnicodeAttribute()                 # of {document, signature}, RFC 8785
    state = UnicodeAttribute()                  # valid | superseded | annulled
    stateReason = UnicodeAttribute(null=True)   # masked
    stateSince = UnicodeAttribute(null=True)
    stateBy = UnicodeAttribute(null=True)       # who corrected it (none: the system)
    stateByRole = UnicodeAttribute(null=True)
    stateByName = UnicodeAttribute(null=True)
    supersededBy = UnicodeAttribute(null=True)  # the corrected version
    supersedes = UnicodeAttribute(null=True)    # the version it corrects
    # The applicant's request for a correction (更正申请) and the department's answer:
    # {"reason", "at", "by", "state": open | accepted | refused, "answer", "answeredAt"}.
    correctionRequest = JSONAttribute(null=True)
    correctionState = UnicodeAttribute(null=True)  # its state, for the write conditions


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


def _json_attributes() -> dict[str, frozenset[str]]:
    found: dict[str, set[str]] = {}
    for model in (CaseRecord, TimelineEvent, TaskRecord, CardRecord, BreachRecord,
                  RatingRecord, SettleMarker, DocumentRecord):
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


JSON_ATTRIBUTES = _json_attributes()
