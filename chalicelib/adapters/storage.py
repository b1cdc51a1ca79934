"""The materials bucket (S3): upload forms, what an object is, download links. Bytes go
between the client and S3 directly (presigned POST and GET); the functions only sign.
"""
import base64
import hashlib
import io
from dataclasses import dataclass

from .. import config
from . import aws


@dataclass(frozen=True)
class Stored:
    size: int
    content_type: str
    version_id: str | None
    sha256: str | None   # hex; None when S3 kept no SHA-256 checksum of the object


def _bucket() -> str:
    bucket = config.get().materials_bucket
    if not bucket:
        raise RuntimeError("OW_MATERIALS_BUCKET is not set")
    return bucket


def upload_form(key: str, content_type: str, size: int, checksum_b64: str,
                expires_in: int) -> dict:
    """A presigned POST for exactly this file: its key, type, size (content-length-range
    of one value) and SHA-256 (S3 refuses other bytes), encrypted at rest."""
    fields = {"Content-Type": content_type, "x-amz-server-side-encryption": "AES256",
              "x-amz-checksum-algorithm": "SHA256", "x-amz-checksum-sha256": checksum_b64}
    conditions = [{name: value} for name, value in fields.items()]
    conditions.append(["content-length-range", size, size])
    return aws.client("s3").generate_presigned_post(
        _bucket(), key, Fields=fields, Conditions=conditions, ExpiresIn=expires_in)


def head(key: str, version_id: str | None = None) -> Stored | None:
    """What the bucket holds under the key (that version); None when nothing (deleted)."""
    from botocore.exceptions import ClientError
    extra = {"VersionId": version_id} if version_id else {}
    try:
        found = aws.client("s3").head_object(Bucket=_bucket(), Key=key,
                                             ChecksumMode="ENABLED", **extra)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey",
                                                           "NoSuchVersion", "405"):
            return None
        raise
    checksum = found.get("ChecksumSHA256")
    return Stored(size=found["ContentLength"], content_type=found.get("ContentType", ""),
                  version_id=found.get("VersionId"),
                  sha256=base64.b64decode(checksum).hex() if checksum and "-" not in checksum
                  else None)


def sha256_of(key: str, version_id: str | None) -> str:
    """The object's SHA-256, read through: only where S3 kept no checksum of it."""
    extra = {"VersionId": version_id} if version_id else {}
    body = aws.client("s3").get_object(Bucket=_bucket(), Key=key, **extra)["Body"]
    digest = hashlib.sha256()
    for chunk in iter(lambda: body.read(1 << 20), b""):
        digest.update(chunk)
    return digest.hexdigest()


def first_bytes(key: str, version_id: str | None, count: int) -> bytes:
    """The object's first `count` bytes (a ranged read: never the whole file)."""
    extra = {"VersionId": version_id} if version_id else {}
    return aws.client("s3").get_object(Bucket=_bucket(), Key=key, Range=f"bytes=0-{count - 1}",
                                       **extra)["Body"].read()


def zip_names(key: str, version_id: str | None, size: int) -> list[str] | None:
    """The entry names of a ZIP object, read by ranged reads of its central directory
    (the end of the file), not the whole file; None when it is not a readable ZIP."""
    import zipfile
    try:
        with zipfile.ZipFile(_RangedObject(key, version_id, size)) as archive:
            return archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None


class _RangedObject(io.RawIOBase):
    """A seekable, read-only view of one S3 object version, each read a ranged GET."""

    def __init__(self, key: str, version_id: str | None, size: int):
        self._key, self._version, self._size, self._at = key, version_id, size, 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._at

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._at, io.SEEK_END: self._size}[whence]
        self._at = max(0, base + offset)
        return self._at

    def readinto(self, buffer) -> int:
        if self._at >= self._size or not len(buffer):
            return 0
        end = min(self._size, self._at + len(buffer)) - 1
        extra = {"VersionId": self._version} if self._version else {}
        data = aws.client("s3").get_object(Bucket=_bucket(), Key=self._key,
                                           Range=f"bytes={self._at}-{end}",
                                           **extra)["Body"].read()
        buffer[:len(data)] = data
        self._at += len(data)
        return len(data)


def tag(key: str, version_id: str | None, name: str, value: str) -> None:
    """Set the object version's one tag (the bucket's lifecycle rules read it)."""
    extra = {"VersionId": version_id} if version_id else {}
    aws.client("s3").put_object_tagging(Bucket=_bucket(), Key=key, Tagging={
        "TagSet": [{"Key": name, "Value": value}]}, **extra)


def delete_version(key: str, version_id: str | None) -> None:
    extra = {"VersionId": version_id} if version_id else {}
    aws.client("s3").delete_object(Bucket=_bucket(), Key=key, **extra)


def download_link(key: str, version_id: str | None, file_name: str, expires_in: int) -> str:
    params = {"Bucket": _bucket(), "Key": key,
              "ResponseContentDisposition": _attachment(file_name)}
    if version_id:
        params["VersionId"] = version_id
    return aws.client("s3").generate_presigned_url("get_object", Params=params,
                                                   ExpiresIn=expires_in)


def _attachment(file_name: str) -> str:
    from urllib.parse import quote
    return f"attachment; filename*=UTF-8''{quote(file_name)}"
