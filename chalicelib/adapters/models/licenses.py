"""The licenses table: the electronic licenses issued (电子证照), by license id."""
from pynamodb.attributes import JSONAttribute, UnicodeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from .shared_connection import SharedClient


class HolderIndex(GlobalSecondaryIndex):
    """A holder's licenses, newest first (`GET /me/licenses`), by the keyed hash of the
    holder's ID number (domain/lookup.py)."""
    class Meta:
        index_name = "holder"
        projection = AllProjection()

    holderKey = UnicodeAttribute(hash_key=True)
    issuedAt = UnicodeAttribute(range_key=True)


class LicenseRecord(SharedClient, Model):
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
