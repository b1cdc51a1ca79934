"""The stack's functions, in one place: each function with its handler, what it consumes
(a queue, the cases stream, a schedule), how (batch size, concurrency, a partial batch
response) and what its role may touch (the least-privilege grants).

Everything else is made from these entries: the handlers' event sources
(events/handlers.py, `consumer`), the consumers' queues and dead-letter queues of the stack
template (infra/template.py), the packaged functions, event source mappings, roles and
alarms (infra/package.py), the local event pump's sources and the local stack's
environment (infra/local/), and the least-privilege test's expectations
(tests/integration/test_least_privilege.py). docs/architecture.md, "Adding an event
consumer", walks through a new one.

Plain data, no framework: the Lambda package imports it (its handlers) and so does infra/.
"""
from dataclasses import dataclass

# What Lambda's poller does with a consumer's role: read and delete the queue's messages,
# read the stream's shards.
QUEUE_CONSUME = ("ReceiveMessage", "DeleteMessage", "GetQueueAttributes")
STREAM_READ = ("DescribeStream", "GetRecords", "GetShardIterator", "ListStreams")
# Days a dead-letter queue keeps a message: SQS's longest, 14 days, to look and redrive.
DEAD_LETTER_RETENTION_SECONDS = 14 * 24 * 3600
# A function is packaged and deployed for this account and region; the event sources'
# ARNs in the handlers' decorators are only placeholders Chalice needs at import.
_PLACEHOLDER = "arn:aws:{service}:cn-north-1:000000000000:{resource}"

# (service, actions, resources by logical id): a statement of a function's role. A
# resource is a logical id of the stack template, or one with a suffix infra/package.py
# knows: `.Stream` (a table's stream), `.Objects` (a bucket's objects under the prefix the
# functions use), `.Executions` (a state machine's executions).
Grant = tuple[str, tuple[str, ...], tuple[str, ...]]


@dataclass(frozen=True)
class Queue:
    """An SQS queue a function consumes, with its dead-letter queue: a message received
    `max_receive_count` times goes there. Named `<Name>Queue`; its dead letters are
    `<Name>DeadLetterQueue`, its URL the stack output `<Name>QueueUrl` and, locally, the
    variable `OW_<NAME>_QUEUE_URL`."""
    resource: str
    # At least the function's timeout (Lambda refuses a mapping otherwise).
    visibility_timeout: int = 60
    max_receive_count: int = 5

    @property
    def stem(self) -> str:
        return self.resource.removesuffix("Queue")

    @property
    def dead_letters(self) -> str:
        return f"{self.stem}DeadLetterQueue"

    @property
    def url_output(self) -> str:
        return f"{self.resource}Url"

    @property
    def env(self) -> str:
        return f"OW_{self.stem.upper()}_QUEUE_URL"

    @property
    def placeholder(self) -> str:
        return _PLACEHOLDER.format(service="sqs", resource=f"onewindow-{self.stem.lower()}")


@dataclass(frozen=True)
class Stream:
    """A table's DynamoDB stream, read from its oldest record; a batch that keeps failing
    (`max_retries` times) is recorded on the `on_failure` queue and skipped."""
    table: str
    on_failure: str
    max_retries: int = 10
    starting_position: str = "TRIM_HORIZON"
    # Batches of one shard at once (the mapping's ParallelizationFactor, 1-10): Lambda
    # keeps the records of one item key (a case: its partition key) in order, in one of
    # them. One at a time a shard's records wait for each other: the burst's workflows
    # started minutes after their applications were accepted.
    parallelization: int = 10

    @property
    def stem(self) -> str:
        return self.table.removesuffix("Table")

    @property
    def arn_output(self) -> str:
        return f"{self.table}StreamArn"

    @property
    def env(self) -> str:
        return f"OW_{self.stem.upper()}_STREAM_ARN"

    @property
    def placeholder(self) -> str:
        return _PLACEHOLDER.format(service="dynamodb",
                                   resource=f"table/onewindow-{self.stem.lower()}/stream/x")


@dataclass(frozen=True)
class Schedule:
    """Every `minutes` minutes (an EventBridge schedule)."""
    minutes: int


@dataclass(frozen=True)
class Function:
    """One Lambda function. `handler`: its function in events/handlers.py (none for the
    API's); its name is Chalice's for it (record_task -> RecordTask)."""
    handler: str | None
    source: Queue | Stream | Schedule | None
    grants: tuple[Grant, ...]
    batch_size: int | None = None
    # Batches at once at most (the mapping's ScalingConfig); None: Lambda's own scaling.
    concurrency: int | None = None
    # The handler answers a partial batch response (`batchItemFailures`): its mapping says
    # ReportBatchItemFailures, so a message it reports failed comes back on its own.
    reports_item_failures: bool = False
    api: bool = False
    # API routes ("GET /path") API Gateway sends to this function instead of the API's
    # own: the same app, from a package of its own (infra/package.py PACKAGES), named.
    routes: tuple[str, ...] = ()
    named: str | None = None
    package: str = "deployment"

    @property
    def name(self) -> str:
        if self.named:
            return self.named
        if self.api:
            return "APIHandler"
        # chalice.utils.to_cfn_resource_name, which names the packaged function.
        return "".join(word[:1].upper() + word[1:] for word in self.handler.split("_"))


API = Function(handler=None, source=None, api=True, grants=(
    # GET /me/cases reads each page's promised dates in one batch (services/me.py).
    ("dynamodb", ("GetItem", "BatchGetItem", "Query", "PutItem", "UpdateItem"),
     ("CasesTable",)),
    # BatchGetItem: the items with instant-approval rules and their switches.
    ("dynamodb", ("GetItem", "BatchGetItem", "Query", "PutItem", "UpdateItem",
                  "BatchWriteItem"), ("ItemsTable",)),
    # The issuing department suspends, resumes, revokes and reissues (signs) licenses;
    # a holder lists theirs (the holder index).
    ("dynamodb", ("GetItem", "PutItem", "UpdateItem", "Query"), ("LicensesTable",)),
    # Every view, verification and use of a license, for its holder to read (an
    # anonymous verifier's repeats add to one entry: UpdateItem); the holder's consents
    # to the use of its base data, given, read and revoked (services/data_sources).
    ("dynamodb", ("GetItem", "PutItem", "UpdateItem", "Query"), ("UsageTable",)),
    # Materials: declared, named in applications, listed. Their upload forms and
    # download links (of the version checked) are signed with this role: S3 checks
    # these grants when the client uses them. A case's first use tags the object.
    ("dynamodb", ("GetItem", "PutItem", "UpdateItem", "Query"), ("MaterialsTable",)),
    ("s3", ("PutObject", "GetObjectVersion", "PutObjectVersionTagging"),
     ("MaterialsBucket.Objects",)),
    ("dynamodb", ("PutItem", "Query"), ("AuditTable",)),
    ("dynamodb", ("GetItem", "Query", "PutItem", "UpdateItem"), ("NotificationsTable",)),
    ("dynamodb", ("BatchGetItem", "Query"), ("StatisticsTable",)),
    # A supervisor's record status (GET /supervision/record-status) checks the record
    # as `make verify-audit` does: the days' chains and their markers read, every
    # seal's versions listed and each first version read (services/supervision_record.py).
    ("dynamodb", ("Query", "BatchGetItem"), ("SupervisionTable",)),
    ("s3", ("GetObjectVersion",), ("SupervisionSealsBucket.Objects",)),
    ("s3", ("ListBucketVersions",), ("SupervisionSealsBucket",)),
    ("kms", ("DescribeKey", "GetPublicKey", "Sign"), ("LicenseSigningKey",)),
    ("kms", ("GenerateDataKey", "Decrypt"), ("PersonalDataKey",)),
    # The stage's secrets (infra/template.py SECRETS).
    ("secretsmanager", ("GetSecretValue",),
     ("CursorSecret", "QueryPasswordSecret", "LookupSecret", "DataExchangeSecret")),
))

# The printed license and decision documents as PDF: the only code that needs fonttools,
# fpdf2, Pillow and the CJK font (~37 MB of the ~120 MB unpacked), so the only function
# whose package carries them; every other function starts from a package without them.
PRINT = Function(handler=None, source=None, api=True, named="PrintLicense", package="print",
                 routes=("GET /licenses/{license_id}/print.pdf",
                         "GET /cases/{case_no}/documents/{document_id}/print.pdf"), grants=(
    ("dynamodb", ("GetItem",), ("LicensesTable",)),
    # Staff may print a license whose case their department read (the case's tasks);
    # their print is logged for the holder, as a read is. A case's documents are in its
    # partition (one Query, as for the case).
    ("dynamodb", ("Query",), ("CasesTable",)),
    # A print refused as if nothing were there (404, Concealed) is audited.
    ("dynamodb", ("PutItem",), ("AuditTable",)),
    ("dynamodb", ("PutItem",), ("UsageTable",)),
    # The holder's ID number, sealed in the license record, printed on it.
    ("kms", ("Decrypt",), ("PersonalDataKey",)),
    # Whether the caller holds it: the holder's key is a keyed hash (services/holders.py).
    ("secretsmanager", ("GetSecretValue",), ("LookupSecret",)),
))

CONSUMERS = (
    # The workflow's callback tasks, into the departments' inboxes.
    Function("record_task", Queue("TasksQueue"), batch_size=1, grants=(
        ("dynamodb", ("GetItem", "PutItem", "UpdateItem"), ("CasesTable",)),
        ("sqs", QUEUE_CONSUME, ("TasksQueue",)),
    )),
    # A case that is not ready yet is reported failed on its own (an expected retry).
    Function("conclude_case", Queue("ConcludeQueue"), batch_size=1,
             reports_item_failures=True, grants=(
        # PutItem: the marker of a conclusion it could not make (settlement.requeue_later).
        ("dynamodb", ("PutItem", "Query", "UpdateItem"), ("CasesTable",)),
        ("dynamodb", ("GetItem",), ("ItemsTable",)),
        ("dynamodb", ("GetItem", "PutItem"), ("LicensesTable",)),
        # GetPublicKey: the signature names its key by the public key's thumbprint.
        ("kms", ("Sign", "GetPublicKey"), ("LicenseSigningKey",)),
        ("kms", ("GenerateDataKey", "Decrypt"), ("PersonalDataKey",)),
        ("sqs", QUEUE_CONSUME, ("ConcludeQueue",)),
    )),
    # At most 5 batches at once: 50 starts in flight stay well inside StartExecution's
    # refill rate (150 per second outside the largest regions) together with the API's
    # other calls, and botocore's adaptive retries slow down further when throttled.
    Function("start_workflow", Queue("StartsQueue", max_receive_count=8), batch_size=10,
             concurrency=5, grants=(
        # PutItem: the marker of a start it could not make (services/settlement.unstarted).
        ("dynamodb", ("GetItem", "PutItem", "UpdateItem"), ("CasesTable",)),
        ("dynamodb", ("GetItem", "PutItem"), ("ItemsTable",)),
        ("states", ("StartExecution",), ("CaseApprovalStateMachine",)),
        ("sqs", QUEUE_CONSUME, ("StartsQueue",)),
        # 秒批 (services/instant_approval.py): the applicant's earlier cases (the owner
        # index), its consent read and each registry query logged for it, the facts read
        # sealed beside the applicant's, the check recorded under its item (ItemsTable
        # PutItem above), the license issued and signed for an approval.
        ("dynamodb", ("Query",), ("CasesTable",)),
        ("dynamodb", ("GetItem", "PutItem"), ("UsageTable",)),
        ("dynamodb", ("GetItem", "PutItem"), ("LicensesTable",)),
        ("kms", ("GenerateDataKey", "Decrypt"), ("PersonalDataKey",)),
        ("kms", ("Sign", "GetPublicKey"), ("LicenseSigningKey",)),
        # The lookup key (whose data), the exchange's signing key, and the key sampling
        # is drawn with (services/instant_approval.sampled).
        ("secretsmanager", ("GetSecretValue",),
         ("LookupSecret", "DataExchangeSecret", "QueryPasswordSecret")),
    )),
    # Every change of the cases table; Lambda's poller reads the stream and sends a batch
    # that kept failing to the on-failure queue with this role.
    Function("case_timeline", Stream("CasesTable", on_failure="TimelineDeadLetterQueue"),
             batch_size=100, grants=(
        ("dynamodb", ("GetItem", "Query", "PutItem", "UpdateItem"), ("CasesTable",)),
        ("dynamodb", ("GetItem",), ("ItemsTable",)),
        ("dynamodb", ("UpdateItem",), ("LicensesTable",)),
        # The uses of the materials a change added to a case (services/materials.py).
        ("dynamodb", ("GetItem", "UpdateItem"), ("MaterialsTable",)),
        ("dynamodb", ("PutItem",), ("UsageTable",)),
        ("s3", ("PutObjectVersionTagging",), ("MaterialsBucket.Objects",)),
        ("dynamodb", STREAM_READ, ("CasesTable.Stream",)),
        ("states", ("SendTaskSuccess", "SendTaskFailure"), ("CaseApprovalStateMachine",)),
        ("states", ("DescribeExecution", "StopExecution"),
         ("CaseApprovalStateMachine.Executions",)),
        ("events", ("PutEvents",), ("CaseEventBus",)),
        ("sqs", ("SendMessage",), ("StartsQueue", "ConcludeQueue", "TimelineDeadLetterQueue")),
        # A decision's document (services/case_documents), signed in the name of the
        # department that decided; GetPublicKey: its kid names the key's thumbprint.
        ("kms", ("Sign", "GetPublicKey"), ("LicenseSigningKey",)),
    )),
    # A day's record is 64 chains, and appends to one take turns
    # (services/supervision_record.py): 32 batches at once keep each chain busy about
    # half the time, so two appends rarely meet on one (docs/capacity.md).
    Function("record_supervision", Queue("SupervisionQueue"), batch_size=10, concurrency=32,
             grants=(
        # An append: the chain's last entry and head read, then written with its marker.
        ("dynamodb", ("Query", "GetItem", "PutItem"), ("SupervisionTable",)),
        ("sqs", QUEUE_CONSUME, ("SupervisionQueue",)),
    )),
    Function("send_notifications", Queue("NotificationsQueue"), batch_size=10, grants=(
        ("dynamodb", ("GetItem",), ("CasesTable",)),
        # The department registry: a notice names a department by its name.
        ("dynamodb", ("Query",), ("ItemsTable",)),
        ("dynamodb", ("GetItem", "PutItem", "UpdateItem"), ("NotificationsTable",)),
        ("sns", ("Publish",), ("NotificationsTopic",)),
        ("sqs", QUEUE_CONSUME, ("NotificationsQueue",)),
    )),
    # A batch is one transaction adding to the month's rows (services/statistics.py):
    # four at once keep two of them from often meeting on the month's `all` row (a
    # conflict is tried again), and still count ~1,500 events/s (docs/capacity.md).
    Function("count_statistics", Queue("StatisticsQueue"), batch_size=10, concurrency=4,
             grants=(
        ("dynamodb", ("GetItem", "Query"), ("CasesTable",)),
        ("dynamodb", ("GetItem",), ("ItemsTable",)),
        ("dynamodb", ("PutItem", "UpdateItem"), ("StatisticsTable",)),
        ("sqs", QUEUE_CONSUME, ("StatisticsQueue",)),
    )),
    # The bucket's word of each upload (S3 event notifications).
    Function("record_material", Queue("MaterialsQueue", visibility_timeout=120),
             batch_size=5, grants=(
        ("dynamodb", ("GetItem", "UpdateItem"), ("MaterialsTable",)),
        ("s3", ("GetObject", "GetObjectVersion", "DeleteObjectVersion",
                "PutObjectVersionTagging"), ("MaterialsBucket.Objects",)),
        ("sqs", QUEUE_CONSUME, ("MaterialsQueue",)),
    )),
    # The due cases a sweep leaves to others (services/overdue.py INLINE), one message
    # each: a close of day's intake, supervised side by side.
    Function("supervise_due", Queue("DueQueue"), batch_size=10,
             grants=(
        ("dynamodb", ("GetItem", "Query", "PutItem", "UpdateItem"), ("CasesTable",)),
        ("dynamodb", ("GetItem",), ("ItemsTable",)),
        ("sqs", QUEUE_CONSUME, ("DueQueue",)),
    )),
    Function("overdue_sweep", Schedule(minutes=15), grants=(
        ("dynamodb", ("GetItem", "Query", "PutItem", "UpdateItem"), ("CasesTable",)),
        ("dynamodb", ("GetItem",), ("ItemsTable",)),
        # What is due goes on the due queue; while it still holds messages, what an
        # earlier run queued is left to it.
        ("sqs", ("SendMessage", "GetQueueAttributes"), ("DueQueue",)),
        # The supervision record sealed: new entries and their markers read, the table's
        # copies of the seal written, days sealed for good taken off the open ones; each
        # seal created in the write-once bucket, the ones stored since the last known
        # listed, the last read back and its signature checked
        # (services/supervision_record.py).
        ("dynamodb", ("GetItem", "Query", "BatchGetItem", "PutItem", "DeleteItem"),
         ("SupervisionTable",)),
        ("s3", ("GetObject", "PutObject"), ("SupervisionSealsBucket.Objects",)),
        ("s3", ("ListBucket",), ("SupervisionSealsBucket",)),
        ("kms", ("Sign", "DescribeKey", "GetPublicKey"), ("LicenseSigningKey",)),
    )),
)

# Every dead-letter queue, in this order in OW_DEAD_LETTER_QUEUE_URLS: each queue's, and
# the stream's on-failure queue.
DEAD_LETTER_QUEUES = tuple(
    function.source.dead_letters if isinstance(function.source, Queue)
    else function.source.on_failure
    for function in CONSUMERS if isinstance(function.source, Queue | Stream))

# Watches every dead-letter queue above.
DEAD_LETTER_WATCH = Function("dead_letter_watch", Schedule(minutes=5), grants=(
    ("sqs", ("GetQueueAttributes",), DEAD_LETTER_QUEUES),
    ("sns", ("Publish",), ("NotificationsTopic",)),
))

FUNCTIONS = (API, PRINT, *CONSUMERS, DEAD_LETTER_WATCH)


def by_handler(handler: str) -> Function:
    """The function whose handler is `handler` (a Python name in events/handlers.py)."""
    for function in FUNCTIONS:
        if function.handler == handler:
            return function
    raise KeyError(f"{handler}: no function in chalicelib/events/registry.py has it")


def queues() -> tuple[Queue, ...]:
    """The queues the functions consume."""
    return tuple(f.source for f in FUNCTIONS if isinstance(f.source, Queue))


def streams() -> tuple[Stream, ...]:
    return tuple(f.source for f in FUNCTIONS if isinstance(f.source, Stream))


def poller_grants(function: Function) -> set[tuple[str, str]]:
    """(action, resource) Lambda itself uses with the function's role, never its code:
    its poller reads the queue or stream, and sends a stream batch that kept failing to
    the on-failure queue."""
    source = function.source
    if isinstance(source, Queue):
        return {(f"sqs:{action}", source.resource) for action in QUEUE_CONSUME}
    if isinstance(source, Stream):
        return {(f"dynamodb:{action}", f"{source.table}.Stream") for action in STREAM_READ} \
            | {("sqs:SendMessage", source.on_failure)}
    return set()
