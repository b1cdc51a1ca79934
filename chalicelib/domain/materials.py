"""Materials (申请材料) as pure rules: a material's identity, where its bytes live, whether
what the bucket holds is what was declared, and what an item version accepts for one of
its materials — an upload (again, if it allows reuse) or a license in its place (免提交).
"""
import base64
import hashlib
from collections.abc import Callable, Collection
from datetime import datetime, timedelta
from typing import Any

PREFIX = "materials/"
# How long a presigned upload form stays good.
UPLOAD_SECONDS = 15 * 60
# How long a download link stays good.
DOWNLOAD_SECONDS = 5 * 60
# An upload that no case names is personal data kept for nothing: this many days after
# it was asked for, the table's TTL deletes its record and the bucket's
# ExpireUnusedUploads rule its bytes (the object tagged USE_TAG=unused; a case's first
# use tags it used). Before either runs, the API already treats it as gone.
UNUSED_DAYS = 30
USE_TAG = "onewindow-use"


def unused_until(asked_at: datetime) -> int:
    """When an upload asked for at `asked_at` expires unless a case names it (epoch
    seconds, as DynamoDB's TTL reads them)."""
    return int((asked_at + timedelta(days=UNUSED_DAYS)).timestamp())


def expired(expires_at: int | float | None, now: datetime) -> bool:
    """An unused upload past its term (a used one has no term)."""
    return expires_at is not None and now.timestamp() >= expires_at


def material_id(owner_key: str, sha256_hex: str) -> str:
    """The same file of the same owner is the same material: asking twice (a retry, a
    second application) finds it rather than storing it again. The owner key is already a
    keyed hash, so the id tells nothing of the owner."""
    return "M" + hashlib.sha256(f"{owner_key}:{sha256_hex}".encode()).hexdigest()[:32]


def use_entry(case_no: str, license_id: str, name: str) -> str:
    """What one license's use in a case is called in its holder's log: the same however
    often that use is recorded (the request, then the cases stream)."""
    return hashlib.sha256(f"{case_no}|{license_id}|{name}".encode()).hexdigest()[:16]


def object_key(identifier: str) -> str:
    return PREFIX + identifier


def id_of_key(key: str) -> str | None:
    """The material an object key holds; None for a key that is no material's."""
    if not key.startswith(PREFIX):
        return None
    identifier = key[len(PREFIX):]
    if len(identifier) == 33 and identifier[0] == "M" and \
            all(c in "0123456789abcdef" for c in identifier[1:]):
        return identifier
    return None


def checksum_base64(sha256_hex: str) -> str:
    """The SHA-256 as S3 takes and returns it (x-amz-checksum-sha256)."""
    return base64.b64encode(bytes.fromhex(sha256_hex)).decode()


def mismatch(declared: dict[str, Any], found: dict[str, Any]) -> str | None:
    """Why what was stored is not what was declared (size, contentType, sha256 hex), or
    None. The upload form makes S3 refuse such a file; this is checked again because not
    every S3 (nor every form a client builds) enforces it."""
    if found["size"] != declared["size"]:
        return f"the file has {found['size']} bytes, {declared['size']} were declared"
    if found["contentType"] != declared["contentType"]:
        return (f"the file was sent as {found['contentType']}, "
                f"{declared['contentType']} was declared")
    if found["sha256"] != declared["sha256"]:
        return "the file's SHA-256 is not the one declared"
    return None


# How many leading bytes tell a file's kind (a PDF's header may follow up to 1 KB of
# junk, which readers tolerate; ISO 32000-1 §7.5.2 / Acrobat implementation note 13).
SNIFF_BYTES = 1024
ZIP_LOCAL_HEADER = b"PK\x03\x04"
OFD_ENTRY = "OFD.xml"


def content_mismatch(content_type: str, head: bytes,
                     zip_names: Callable[[], Collection[str] | None] | None = None) -> str | None:
    """Why the leading bytes of a file are not what its declared type says, or None.

    A declared type is only the uploader's word (an MZ executable was stored as a PDF):
    the file's own magic number must agree. No sniffing library is in the package (the
    well-kept pure-Python ones are `filetype` and `puremagic`), and four types need four
    signatures, written down here with their sources:
    - application/pdf: `%PDF-` within the first 1 KB (ISO 32000-1 §7.5.2);
    - image/png: the 8-byte PNG signature (RFC 2083 §3.1);
    - image/jpeg: FF D8 FF, SOI then a marker (ITU T.81 Annex B);
    - application/ofd: a ZIP container (PKWARE APPNOTE 4.3.7, local header `PK\3\4`)
      with the root entry OFD.xml (GB/T 33190-2016 §7.1). `zip_names` gives the
      container's entry names (None: unreadable as a ZIP)."""
    if content_type == "application/pdf":
        found = b"%PDF-" in head[:SNIFF_BYTES]
    elif content_type == "image/png":
        found = head.startswith(b"\x89PNG\r\n\x1a\n")
    elif content_type == "image/jpeg":
        found = head.startswith(b"\xff\xd8\xff")
    elif content_type == "application/ofd":
        if not head.startswith(ZIP_LOCAL_HEADER):
            found = False
        else:
            names = zip_names() if zip_names else None
            if names is None:
                return "the file declared as OFD is not a readable ZIP container"
            found = OFD_ENTRY in names
    else:
        return f"{content_type} is not a type materials take"
    if found:
        return None
    what = " (a Windows executable)" if head.startswith(b"MZ") else ""
    return f"the file's content is not {content_type}{what}"


def spec_of(item: dict[str, Any], name: str) -> dict[str, Any] | None:
    """The item version's material of that name."""
    return next((m for m in item.get("materials", ()) if m["name"] == name), None)


def missing_at_submission(item: dict[str, Any], named: set[str], channel: str) -> list[str]:
    """The mandatory electronic materials an application through `channel` lacks, where
    the item version wants them complete when it is made (completeAtSubmission); none at
    the counter, where the clerk checks what is handed over."""
    if not item.get("completeAtSubmission") or channel == "counter":
        return []
    return [m["name"] for m in item.get("materials", ())
            if m.get("mandatory") and m.get("form") in ("electronic", "both")
            and m["name"] not in named]


def reuse_refused(spec: dict[str, Any], created_at: str, used_before: bool,
                  now: datetime) -> str | None:
    """Why an upload used in an earlier case may not be used again here, or None."""
    if not used_before:
        return None
    days = spec.get("reusableForDays")
    if days is None:
        return None
    if days == 0:
        return f"{spec['name']} must be uploaded anew for each application"
    if datetime.fromisoformat(created_at) < now - timedelta(days=days):
        return f"{spec['name']} may be reused for {days} days after its upload; upload it anew"
    return None


def replacement_refused(spec: dict[str, Any], type_code: str,
                        trust_level: str | None) -> str | None:
    """Why a license of this type and trust level may not stand in for the material, or
    None (免提交: the version's `replacedBy`)."""
    accepted = [r for r in spec.get("replacedBy", ()) if r["licenseType"] == type_code]
    if not accepted:
        kinds = ", ".join(r["licenseType"] for r in spec.get("replacedBy", ())) or "none"
        return f"{spec['name']} cannot be replaced by a license of type {type_code} " \
               f"(accepted: {kinds})"
    levels = sorted({level for r in accepted for level in r["trustLevels"]})
    if trust_level not in levels:
        return f"{spec['name']} takes that license at trust level {'/'.join(levels)}; " \
               f"this one is {trust_level or 'unstated'}"
    return None
