"""The audit table: refused accesses, by day."""
from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.models import Model

from .shared_connection import SharedClient


class AuditRecord(SharedClient, Model):
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
