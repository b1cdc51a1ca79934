"""The one place that reads the environment.

A deployment sets these from the stack (infra/template.json outputs, merged by `make
package`); the local stack and the tests set them from the same stack's outputs. Only
endpoints and credentials differ between the three, and boto3/PynamoDB take the endpoint
from AWS_ENDPOINT_URL.
"""
import os
from dataclasses import dataclass
from pathlib import Path

# The deployment package's root (Lambda's /var/task, the repository locally): a file a
# setting names relative to it — OW_CALENDAR_FILE `chalicelib/calendars/2027.json`,
# OW_DOCUMENT_TEMPLATES `chalicelib/document_templates/440300` — ships in the package,
# whatever the working directory.
PACKAGE_ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Config:
    region: str
    cases_table: str
    items_table: str
    licenses_table: str
    state_machine_arn: str
    tasks_queue_url: str
    conclude_queue_url: str
    notifications_topic_arn: str
    signing_key_id: str
    area_code: str
    issuer_uscc: str
    issuer_name: str
    endpoint_url: str | None
    timezone: str = "Asia/Shanghai"
    # The queue new cases wait in for their workflow's start, and the project's event bus
    # lifecycle events go to (none: not published).
    starts_queue_url: str = ""
    # The queue a sweep puts the due cases it does not supervise itself on.
    due_queue_url: str = ""
    event_bus_name: str | None = None
    dead_letter_queue_urls: tuple[str, ...] = ()
    # HTTP connections each AWS client keeps open. A Lambda serves one request at a time;
    # the local server serves many on threads and sets more.
    max_pool_connections: int = 10
    # A JSON file of holiday schedules announced after this release (domain/workdays.py).
    calendar_file: str | None = None
    # Browser origins allowed to call the API (CORS): the portal and mini-program back
    # ends of this region, exact `scheme://host[:port]`.
    cors_origins: tuple[str, ...] = ()
    # How long public catalogue reads are kept in the function and may be kept by shared
    # caches (Cache-Control max-age); 0 turns both off.
    catalogue_cache_seconds: int = 30
    # The stage's identity provider (OIDC): its issuer, the audience our tokens carry, its
    # key set (JWKS; default: the issuer's /.well-known/jwks.json), the claim names where
    # they differ from ours (JSON: {"role": "custom:role", ...}, adapters/tokens.py), and
    # how often an unknown key id may make us fetch the key set again.
    oidc_issuer: str | None = None
    oidc_audience: str | None = None
    oidc_jwks_url: str | None = None
    oidc_claims: str | None = None
    # Where the stage's secrets are kept (adapters/secrets.py): Secrets Manager names or
    # ARNs, or `ssm:<parameter>`. The values never pass through the environment.
    cursor_secret_id: str = ""
    query_password_secret_id: str = ""
    lookup_secret_id: str = ""
    # Refused accesses (services/audit.py).
    audit_table: str = "ow-audit"
    # The append-only, hash-chained supervision record (services/supervision_record.py).
    supervision_table: str = "ow-supervision"
    # Its seals' write-once store: an S3 bucket with Object Lock in compliance mode.
    supervision_seals_bucket: str = ""
    # Notifications sent to people, their in-app inbox and preferences (services/notices.py).
    notifications_table: str = "ow-notifications"
    # Monthly counters per department, item and channel (services/statistics.py).
    statistics_table: str = "ow-statistics"
    # Every view, verification and use of a license and a holder's data (用证记录),
    # by holder (services/usage.py).
    usage_table: str = "ow-usage"
    # Uploaded materials (申请材料): their records, and the bucket their bytes go to
    # straight from the applicant (presigned POST; services/materials.py).
    materials_table: str = "ow-materials"
    materials_bucket: str = ""
    # The malware scanner every arrived upload passes before it is stored: a function
    # named `package.module:function` (services/materials.py, docs/materials.md); empty:
    # none.
    material_scanner: str = ""
    # The KMS key that wraps the data keys personal data is encrypted with.
    personal_data_key_id: str = ""
    oidc_jwks_refresh_seconds: float = 30.0
    # How the provider's access tokens are told from its ID tokens (adapters/tokens.py):
    # `at+jwt` (RFC 9068 header), `claim=value` (Cognito: `token_use=access`) or
    # `audience`; and the claim the audience is read from (Cognito: `client_id`).
    oidc_access_token_type: str = "at+jwt"
    oidc_audience_claim: str = "aud"
    # The region's card rules (domain/cards.py: when to warn, when a red card follows).
    card_rules: str | None = None
    # The region's rating rules (domain/ratings.py: invitation, rectification deadlines).
    rating_rules: str | None = None
    # License keys this region recognises besides its signing key (services/licenses/keys.py):
    # a JSON file with its own retired keys and other regions' published keys (JWKs), and
    # the date the signing key signs from (its JWK's validFrom).
    trust_list_file: str | None = None
    signing_key_valid_from: str | None = None
    # Where a license is verified by anyone: the base URL of this region's public API,
    # printed on licenses and in their QR code.
    public_base_url: str = ""
    # The formal documents (文书, services/case_documents): a directory under the package
    # root of the region's own templates, and where an adverse decision may be challenged
    # — the region's reviewing authority (行政复议机关) and court.
    document_templates: str | None = None
    reconsideration_authority: str = "深圳市人民政府"
    litigation_court: str = "深圳市福田区人民法院"
    # The local stack only: a file holding how far its clock is set ahead (`make clock`);
    # refused in Lambda (services/clock.py).
    clock_file: str | None = None
    # The base-data registries (数据共享: services/data_sources), JSON by registry
    # (population, legalPerson, credit): {"url", "timeoutSeconds", and for mutual TLS
    # "clientCert", "clientKey", "caBundle" (files in the package)}; requests are signed
    # with the data-exchange secret. Empty: no registry, no prefill, no instant approval.
    data_sources: str | None = None
    data_exchange_secret_id: str = ""


def load() -> Config:
    env = os.environ
    return Config(
        region=env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION", "cn-north-1"),
        cases_table=env.get("OW_CASES_TABLE", "ow-cases"),
        items_table=env.get("OW_ITEMS_TABLE", "ow-items"),
        licenses_table=env.get("OW_LICENSES_TABLE", "ow-licenses"),
        state_machine_arn=env.get("OW_STATE_MACHINE_ARN", ""),
        tasks_queue_url=env.get("OW_TASKS_QUEUE_URL", ""),
        conclude_queue_url=env.get("OW_CONCLUDE_QUEUE_URL", ""),
        notifications_topic_arn=env.get("OW_NOTIFICATIONS_TOPIC_ARN", ""),
        signing_key_id=env.get("OW_SIGNING_KEY_ID", ""),
        # 440300: 深圳市 — the demo region; every deployment sets its own.
        area_code=env.get("OW_AREA_CODE", "440300"),
        # The issuing authority of this region's e-licenses (its USCC and name).
        issuer_uscc=env.get("OW_ISSUER_USCC", "11440300MB2C92138W"),
        issuer_name=env.get("OW_ISSUER_NAME", "深圳市政务服务数据管理局"),
        endpoint_url=env.get("AWS_ENDPOINT_URL") or None,
        # The region's office time: case-number dates and working-day deadlines use it.
        timezone=env.get("OW_TIMEZONE", "Asia/Shanghai"),
        starts_queue_url=env.get("OW_STARTS_QUEUE_URL", ""),
        due_queue_url=env.get("OW_DUE_QUEUE_URL", ""),
        event_bus_name=env.get("OW_EVENT_BUS_NAME") or None,
        dead_letter_queue_urls=tuple(
            url for url in env.get("OW_DEAD_LETTER_QUEUE_URLS", "").split(",") if url),
        max_pool_connections=int(env.get("OW_MAX_POOL_CONNECTIONS", "10")),
        calendar_file=env.get("OW_CALENDAR_FILE") or None,
        oidc_issuer=env.get("OW_OIDC_ISSUER") or None,
        oidc_audience=env.get("OW_OIDC_AUDIENCE") or None,
        oidc_jwks_url=env.get("OW_OIDC_JWKS_URL") or (
            env["OW_OIDC_ISSUER"].rstrip("/") + "/.well-known/jwks.json"
            if env.get("OW_OIDC_ISSUER") else None),
        oidc_claims=env.get("OW_OIDC_CLAIMS") or None,
        cursor_secret_id=env.get("OW_CURSOR_SECRET_ID", ""),
        query_password_secret_id=env.get("OW_QUERY_PASSWORD_SECRET_ID", ""),
        lookup_secret_id=env.get("OW_LOOKUP_SECRET_ID", ""),
        audit_table=env.get("OW_AUDIT_TABLE", "ow-audit"),
        supervision_table=env.get("OW_SUPERVISION_TABLE", "ow-supervision"),
        supervision_seals_bucket=env.get("OW_SUPERVISION_SEALS_BUCKET", ""),
        notifications_table=env.get("OW_NOTIFICATIONS_TABLE", "ow-notifications"),
        statistics_table=env.get("OW_STATISTICS_TABLE", "ow-statistics"),
        usage_table=env.get("OW_USAGE_TABLE", "ow-usage"),
        materials_table=env.get("OW_MATERIALS_TABLE", "ow-materials"),
        materials_bucket=env.get("OW_MATERIALS_BUCKET", ""),
        material_scanner=env.get("OW_MATERIAL_SCANNER", ""),
        personal_data_key_id=env.get("OW_PERSONAL_DATA_KEY_ID", ""),
        oidc_jwks_refresh_seconds=float(env.get("OW_OIDC_JWKS_REFRESH_SECONDS", "30")),
        oidc_access_token_type=env.get("OW_OIDC_ACCESS_TOKEN_TYPE") or "at+jwt",
        oidc_audience_claim=env.get("OW_OIDC_AUDIENCE_CLAIM") or "aud",
        card_rules=env.get("OW_CARD_RULES") or None,
        rating_rules=env.get("OW_RATING_RULES") or None,
        clock_file=env.get("OW_CLOCK_FILE") or None,
        document_templates=env.get("OW_DOCUMENT_TEMPLATES") or None,
        # The demo region's; every deployment names its own.
        reconsideration_authority=env.get("OW_RECONSIDERATION_AUTHORITY") or "深圳市人民政府",
        litigation_court=env.get("OW_LITIGATION_COURT") or "深圳市福田区人民法院",
        trust_list_file=env.get("OW_TRUST_LIST_FILE") or None,
        signing_key_valid_from=env.get("OW_SIGNING_KEY_VALID_FROM") or None,
        data_sources=env.get("OW_DATA_SOURCES") or None,
        data_exchange_secret_id=env.get("OW_DATA_EXCHANGE_SECRET_ID", ""),
        public_base_url=env.get("OW_PUBLIC_BASE_URL", "").rstrip("/"),
        catalogue_cache_seconds=int(env.get("OW_CATALOGUE_CACHE_SECONDS", "30")),
        cors_origins=tuple(origin.strip().rstrip("/") for origin in
                           env.get("OW_CORS_ORIGINS", "").split(",") if origin.strip()),
    )


_current: Config | None = None


def get() -> Config:
    global _current
    if _current is None:
        _current = load()
    return _current


def reset() -> None:
    """Forget the cached configuration (tests and the local stack change the environment)."""
    global _current
    _current = None
