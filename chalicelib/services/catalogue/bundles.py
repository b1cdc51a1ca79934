"""“One thing” bundles (一件事): loaded from the shipped catalogue, checked by the domain's
`check_bundle`, read by the directory (services/catalogue/directory.py).

No admin route edits them yet; the demo loader goes through `import_bundles` as a later
admin route would."""
from ...adapters.models import BundleRecord, ItemIndexRecord, ItemsTableRecord
from ...domain.bundles import check_bundle
from ...domain.errors import ValidationError
from .store import changes_catalogue, history_record, now

BUNDLES = "BUNDLE"


def published_codes() -> set[str]:
    """The codes of every published item (one Query of the `all` facet, page by page)."""
    return {record.code for record in ItemIndexRecord.by_facet.query("all")}


def bundles() -> list[dict]:
    """Every bundle, by id (one Query)."""
    return [{"id": r.sk, "name": r.name, "description": r.description,
             "items": list(r.items)}
            for r in ItemsTableRecord.query(BUNDLES) if isinstance(r, BundleRecord)]


@changes_catalogue
def import_bundles(docs: list[dict], actor: str, reason: str) -> int:
    """Import shipped bundles, each checked against the published items; a bundle already
    in the table is left as it is. Returns how many were imported."""
    published = published_codes()
    checked = [check_bundle(doc, published, f"bundles.{i}") for i, doc in enumerate(docs)]
    ids = [bundle["id"] for bundle in checked]
    if len(set(ids)) != len(ids):
        raise ValidationError("the shipped catalogue lists a bundle twice", field="bundles")
    known = {bundle["id"] for bundle in bundles()}
    at = now()
    imported = 0
    with ItemsTableRecord.batch_write() as batch:
        for bundle in checked:
            if bundle["id"] in known:
                continue
            batch.save(BundleRecord(BUNDLES, bundle["id"], name=bundle["name"],
                                    description=bundle["description"],
                                    items=bundle["items"], updatedAt=at))
            batch.save(history_record(f"{BUNDLES}#{bundle['id']}", "import", None, actor,
                                      reason, at=at))
            imported += 1
    return imported
