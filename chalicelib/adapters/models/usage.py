"""The usage table: the use log of holders' licenses and data (用证记录)."""
from pynamodb.attributes import (
    BooleanAttribute,
    ListAttribute,
    NumberAttribute,
    UnicodeAttribute,
)
from pynamodb.models import Model

from .shared_connection import SharedClient


class UsageRecord(SharedClient, Model):
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
    # A query of a base-data registry about the holder (数据共享): which, on what basis.
    registry = UnicodeAttribute(null=True)
    basis = UnicodeAttribute(null=True)


class ConsentRecord(SharedClient, Model):
    """A data subject's consent (授权) to an item's use of its base data: which registries
    and fields, for what purpose; revocable (services/data_sources/consents.py). Kept in
    the usage table under the holder, its sort key `CONSENT#<id>` after every log
    entry's (those start with a digit)."""
    class Meta:
        table_name = "ow-usage"
        billing_mode = "PAY_PER_REQUEST"

    holder = UnicodeAttribute(hash_key=True)
    at = UnicodeAttribute(range_key=True)        # CONSENT#<consentId>
    consentId = UnicodeAttribute()
    itemCode = UnicodeAttribute()
    itemVersion = NumberAttribute()
    itemName = UnicodeAttribute()
    registries = ListAttribute(of=UnicodeAttribute)
    fields = ListAttribute(of=UnicodeAttribute)  # population.registeredAddress…
    purpose = UnicodeAttribute()
    givenAt = UnicodeAttribute()
    givenBy = UnicodeAttribute()
    revokedAt = UnicodeAttribute(null=True)
