"""The pieces every tag's bodies share: scalar types, the bases of request and response bodies,
and the note on staff names."""
from typing import Annotated, Literal

from msgspec import Meta, Struct

from ...domain import documents

# Free text (an opinion, a reason, a note, a purpose): masked as it comes in.
FREE_TEXT = documents.FREE_TEXT

# The domain's types, named here one by one: a type checker takes each as a type alias (a
# tuple assignment it would not).
Text = documents.Text
Name = documents.Name
ShortText = documents.ShortText
Reason = Annotated[str, Meta(extra=FREE_TEXT, min_length=1, max_length=500, pattern=r"\S",
                             description="why the change is made (kept in the history)",
                             examples=["根据2026年新修订的实施办法调整材料清单"])]
Date = Annotated[str, Meta(pattern=r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$",
                           examples=["2026-12-02"], extra_json_schema={"format": "date"})]
Timestamp = Annotated[str, Meta(description="ISO 8601 with offset",
                                examples=["2026-11-25T09:41:54.673848+00:00"])]
CaseNo = Annotated[str, Meta(pattern=r"^\d{6}\d{8}\d{7}[0-9X]$",
                             examples=["4403002026112500000019"])]
ItemCode = documents.ItemCode
BaseCode = documents.BaseCode
Dept = documents.Dept
Channel = documents.Channel
Kind = documents.Kind
DeadlineBasis = Annotated[Literal["official", "provisional"], Meta(
    description="official: every day counted follows a published holiday schedule; "
                "provisional: a year without one was counted on computed holidays")]
Cursor = Annotated[str | None, Meta(description="opaque; pass as ?cursor= for the next "
                                                "page; null on the last page")]


class Request(Struct, forbid_unknown_fields=True, omit_defaults=True):
    """Base of request bodies."""


class Response(Struct, omit_defaults=False):
    """Base of response bodies."""


# A member of staff's name beside their account id, as their token named them when they
# acted (older records have none: null). Never a citizen's.
STAFF_NAME_NOTE = "the staff member's name (王审查) when they acted; null on older records"
