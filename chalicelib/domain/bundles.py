"""“One thing” bundles (一件事): the items a person does together for one life or business
event (开办餐厅: register the company, the food licence, the hygiene licence, the fire
check, the shop sign), shown together so that nobody has to know the departments' split.

A bundle is catalogue data: its id, a name, what it is for, and the codes of its items in
the order they are done. Each item must be published when the bundle is loaded; one
suspended or cancelled later is left out of what the public reads (services/catalogue/
directory.py)."""
from typing import Annotated, Any

from msgspec import Meta

from . import documents
from .errors import ValidationError

BundleId = Annotated[str, Meta(pattern=r"^[a-z0-9][a-z0-9-]{0,39}$",
                               examples=["kaiban-canting"])]


class Bundle(documents.Document):
    id: BundleId
    name: documents.ShortText
    description: documents.Text
    items: Annotated[list[documents.ItemCode], Meta(min_length=1, max_length=30)]


def check_bundle(doc: object, published: set[str], prefix: str = "bundle") -> dict[str, Any]:
    """The bundle as stored, or a ValidationError naming the field: its shape, no item
    twice, every item a published one."""
    bundle = documents.conform(doc, Bundle, prefix)
    seen: set[str] = set()
    for i, code in enumerate(bundle.items):
        if code in seen:
            raise ValidationError(f"{prefix}.items lists {code} twice",
                                  field=f"{prefix}.items.{i}")
        if code not in published:
            raise ValidationError(f"no published service item {code}",
                                  field=f"{prefix}.items.{i}")
        seen.add(code)
    return {"id": bundle.id, "name": bundle.name, "description": bundle.description,
            "items": list(bundle.items)}
