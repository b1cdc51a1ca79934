"""Change simulation: a draft's diff against the published version and a dry run."""
from datetime import date

from pynamodb.exceptions import DoesNotExist

from .. import clock
from ...adapters.models import ItemCurrentRecord
from ...domain.catalogue import diff, dry_run
from ...domain.errors import ValidationError
from .store import CURRENT, object_body, version_record


def simulate(code: str, version, body) -> dict:
    """Change simulation: the diff against the published version and a dry run of the
    version's process on a start date. Publishes nothing, writes nothing."""
    body = object_body(body) if body is not None else {}
    record = version_record(code, version)
    raw_start = body.get("startDate") or clock.today().isoformat()
    try:
        start = date.fromisoformat(raw_start)
    except (TypeError, ValueError):
        raise ValidationError("startDate must be a date (YYYY-MM-DD)",
                              field="startDate") from None
    try:
        current = ItemCurrentRecord.get(code, CURRENT)
        published = current.document if current.status == "published" else None
    except DoesNotExist:
        published = None
    proposed = record.document
    result = {"code": code, "version": record.version, "status": record.status,
              "comparedWith": published["version"] if published else None,
              "changes": diff(published, proposed),
              "dryRun": dry_run(proposed, start)}
    if published and published["version"] != record.version:
        result["publishedDryRun"] = dry_run(published, start)
    return result
