"""The supervision table: the supervision record's hash chains and their seals."""
from pynamodb.attributes import BooleanAttribute, JSONAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.models import Model

from .shared_connection import SharedClient


class SupervisionEntry(SharedClient, Model):
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
