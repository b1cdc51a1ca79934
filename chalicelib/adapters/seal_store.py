"""The supervision record's write-once store: one S3 object per seal, in a bucket with
Object Lock in compliance mode (infra/template.json, SupervisionSealsBucket), so no one —
the account's root user included — can delete or overwrite a seal's first version until
its retention ends. A seal is created only where none is (a conditional put): two sweeps
at once never write one number twice.
"""
import json

from botocore.exceptions import ClientError

from .. import config
from . import aws

PREFIX = "seals/"


def _bucket() -> str:
    bucket = config.get().supervision_seals_bucket
    if not bucket:
        raise RuntimeError("OW_SUPERVISION_SEALS_BUCKET is not set")
    return bucket


def key(area: str, n: int) -> str:
    return f"{PREFIX}{area}/{n:012d}.json"


def create(area: str, n: int, document: dict) -> bool:
    """Store seal `n`; False when the store has one of that number already."""
    try:
        aws.client("s3").put_object(
            Bucket=_bucket(), Key=key(area, n), IfNoneMatch="*",
            Body=json.dumps(document, ensure_ascii=False, sort_keys=True).encode("utf-8"),
            ContentType="application/json", ChecksumAlgorithm="SHA256")
    except ClientError as error:
        if error.response["Error"]["Code"] in ("PreconditionFailed",
                                               "ConditionalRequestConflict"):
            return False
        raise
    return True


def read(area: str, n: int, version_id: str | None = None) -> dict | None:
    """Seal `n` (the version named, else the current one); None when there is none, or
    what is stored under its number is not a JSON object (not a seal the sweep wrote)."""
    extra = {"VersionId": version_id} if version_id else {}
    try:
        answer = aws.client("s3").get_object(Bucket=_bucket(), Key=key(area, n), **extra)
    except ClientError as error:
        if error.response["Error"]["Code"] in ("NoSuchKey", "404", "NoSuchVersion"):
            return None
        raise
    try:
        document = json.loads(answer["Body"].read())
    except ValueError:
        return None
    return document if isinstance(document, dict) else None


def last_after(area: str, n: int) -> int:
    """The last seal number stored after `n` (`n` itself when none is): seals are
    numbered on without gaps, so after the last one known this lists nothing, or the few
    another sweep stored since. (Listing also lets S3 answer a missing key with 404, not
    403.)"""
    extra = {"StartAfter": key(area, n)} if n else {}
    last = n
    pages = aws.client("s3").get_paginator("list_objects_v2").paginate(
        Bucket=_bucket(), Prefix=f"{PREFIX}{area}/", **extra)
    for page in pages:
        for stored in page.get("Contents", []):
            name = stored["Key"].rsplit("/", 1)[-1].removesuffix(".json")
            if name.isdigit():
                last = max(last, int(name))
    return last


def versions(area: str) -> dict[int, dict]:
    """Every seal number the store holds for the area: its versions' ids, first written
    first, and whether a delete marker hides it (what an overwrite or a deletion leaves
    under Object Lock)."""
    found: dict[int, dict] = {}
    pages = aws.client("s3").get_paginator("list_object_versions").paginate(
        Bucket=_bucket(), Prefix=f"{PREFIX}{area}/")
    for page in pages:
        for kind in ("Versions", "DeleteMarkers"):
            for version in page.get(kind, []):
                name = version["Key"].rsplit("/", 1)[-1].removesuffix(".json")
                if not name.isdigit():
                    continue
                seen = found.setdefault(int(name), {"versions": [], "deleted": False})
                if kind == "DeleteMarkers":
                    seen["deleted"] = True
                else:
                    seen["versions"].append(version["VersionId"])
    for seen in found.values():
        seen["versions"].reverse()   # S3 lists a key's versions newest first
    return found
