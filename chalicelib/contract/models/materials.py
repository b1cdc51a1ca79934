"""Bodies of the `materials` tag: uploaded materials."""
from typing import Annotated, Literal

from msgspec import Meta

from ...domain import documents
from .shared import Response

MaterialUpload = documents.MaterialUpload
MaterialState = Literal["pending", "stored", "rejected", "expired"]


class StoredMaterial(Response, omit_defaults=True):
    materialId: documents.MaterialId
    name: str
    contentType: documents.ContentType
    size: int
    sha256: str
    state: Annotated[MaterialState, Meta(
        description="pending: not uploaded (or not checked) yet; stored: the bucket holds "
                    "the file declared; rejected: it held another (see reason); expired: "
                    "no case named it before expiresAt (declare it again to upload anew)")]
    createdAt: str
    material: Annotated[str | None, Meta(description="the catalogue material it is for")] \
        = None
    reason: str | None = None
    storedAt: str | None = None
    usedIn: Annotated[list[str] | None, Meta(description="the cases it was named in")] = None
    expiresAt: Annotated[str | None, Meta(
        description="until a case names it: when it expires and is deleted")] = None


class UploadForm(Response):
    url: Annotated[str, Meta(description="POST the form here (multipart/form-data)")]
    fields: Annotated[dict[str, str], Meta(
        description="every field, as given, before the `file` field (the last one)")]
    expiresAt: str


class MaterialUploadAnswer(StoredMaterial, omit_defaults=True):
    upload: Annotated[UploadForm | None, Meta(
        description="absent when the material is stored already (the same file)")] = None


class MaterialDownload(Response):
    materialId: documents.MaterialId
    url: Annotated[str, Meta(description="a short-lived link to the file")]
    expiresIn: int
