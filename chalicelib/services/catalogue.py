"""Reading and loading the service catalogue (issue 3 grows the admin side)."""
from ..adapters.models import ItemRecord
from ..domain.errors import NotFound, ValidationError
from ..services.pagination import decode_cursor, encode_cursor

PUBLISHED = "published"


def _version_key(version: str) -> str:
    return f"V#{version}"


def list_items(limit: int = 20, cursor: str | None = None) -> dict:
    """Published items in code order, one Query on the `listing` index per page."""
    page = ItemRecord.by_listing.query(PUBLISHED, limit=limit,
                                       last_evaluated_key=decode_cursor(cursor))
    items = [summary(record.document) for record in page]
    return {"items": items, "next": encode_cursor(page.last_evaluated_key)}


def summary(item: dict) -> dict:
    return {key: item.get(key) for key in
            ("code", "version", "name", "kind", "department", "audience",
             "promisedDays", "statutoryDays")}


def get_item(code: str) -> dict:
    try:
        return ItemRecord.get(code, "CURRENT").document
    except ItemRecord.DoesNotExist:
        raise NotFound(f"no published service item {code}", field="code") from None


def get_item_version(code: str, version: str) -> dict:
    try:
        return ItemRecord.get(code, _version_key(version)).document
    except ItemRecord.DoesNotExist:
        raise NotFound(f"service item {code} has no version {version}",
                       field="version") from None


def check_item(item: dict) -> None:
    """The checks a stored item must pass (issue 3 adds the full rule set)."""
    for field in ("code", "version", "name", "kind", "department", "formSchema", "process"):
        if field not in item:
            raise ValidationError(f"item.{field} is required", field=f"item.{field}")
    process = item["process"]
    if not process.get("stages") or any(not s.get("departments") for s in process["stages"]):
        raise ValidationError("every review stage needs at least one department",
                              field="item.process.stages")
    import jsonschema
    try:
        jsonschema.Draft202012Validator.check_schema(item["formSchema"])
    except jsonschema.SchemaError as exc:
        raise ValidationError(f"item.formSchema is not a valid JSON Schema: {exc.message}",
                              field="item.formSchema") from None


def publish(item: dict) -> None:
    """Store an immutable version record and make it the current published guide."""
    check_item(item)
    with ItemRecord.batch_write() as batch:
        batch.save(ItemRecord(item["code"], _version_key(item["version"]),
                              name=item["name"], version=item["version"], document=item))
        batch.save(ItemRecord(item["code"], "CURRENT", listing=PUBLISHED, name=item["name"],
                              version=item["version"], document=item))
