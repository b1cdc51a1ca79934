"""Change simulation: a draft's diff against the published version, a dry run, and the
item's open cases (which keep their version)."""
from datetime import date

from pynamodb.exceptions import DoesNotExist

from ...adapters.models import ItemCurrentRecord, ItemsTableRecord, ItemVersionRecord
from ...domain.approval_rules import parse_rules
from ...domain.catalogue import diff, dry_run
from ...domain.errors import ValidationError
from .. import clock
from ..open_cases import open_cases_of
from .store import CURRENT, object_body, version_record


def _applied_versions(code: str) -> list[dict]:
    """Every version of the item a case may have applied under (all but drafts)."""
    return [record.document
            for record in ItemsTableRecord.query(code, ItemsTableRecord.sk.startswith("V#"))
            if isinstance(record, ItemVersionRecord) and record.status != "draft"]


def simulate(code: str, version, body) -> dict:
    """Change simulation: the diff against the published version and a dry run of the
    version's process on a start date, and the item's open cases (each keeps the version
    it applied under: publishing moves none of their deadlines). Publishes nothing,
    writes nothing."""
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
              "dryRun": dry_run(proposed, start),
              "openCases": open_cases_of(code, _applied_versions(code))}
    if published and published["version"] != record.version:
        result["publishedDryRun"] = dry_run(published, start)
    rules = (proposed.get("instantApproval") or {}).get("rules")
    if rules:
        # 秒批: the version's rules on the item's history (services/instant_review.py).
        from ..instant_review import replay
        result["rulesOnHistory"] = replay(code, parse_rules(rules))
    return result
