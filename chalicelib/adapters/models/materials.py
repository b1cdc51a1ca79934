"""The materials table: uploaded materials (申请材料), by material id."""
from pynamodb.attributes import ListAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from .shared_connection import SharedClient


class MaterialOwnerIndex(GlobalSecondaryIndex):
    """An owner's materials, newest first (`GET /me/materials`)."""
    class Meta:
        index_name = "owner"
        projection = AllProjection()

    owner = UnicodeAttribute(hash_key=True)
    createdAt = UnicodeAttribute(range_key=True)


class MaterialRecord(SharedClient, Model):
    """An uploaded material (申请材料, services/materials.py): what was declared when the
    upload was asked for, and what the bucket was found to hold."""
    class Meta:
        table_name = "ow-materials"
        billing_mode = "PAY_PER_REQUEST"

    by_owner = MaterialOwnerIndex()

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
