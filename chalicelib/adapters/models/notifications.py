"""The notifications table: each recipient's notifications and preferences."""
from pynamodb.attributes import ListAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.models import Model

from .shared_connection import SharedClient


class NotificationsTableRecord(SharedClient, Model):
    """The notifications table: per recipient (`sub:<subject>`, `owner:<ID lookup key>`,
    `dept:<code>#<n>` — a department's spread over 8 partitions —, `ops`), its
    notifications by id (time-ordered) and its preferences (a department's under
    `dept:<code>`)."""
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
