"""Materials (申请材料): declare a file and upload it straight to the bucket, read it back,
and the caller's materials (我的材料)."""
from chalice import Blueprint, Response

from ..contract import models
from ..services import materials
from ..services.usage import MAX_PURPOSE
from . import http

bp = Blueprint(__name__)


@http.route(bp, "POST", "/materials", op="requestUpload",
            summary="declare a material (name, type, size, SHA-256) and get the form that "
                    "uploads exactly that file to the bucket", tag="materials",
            returns=models.MaterialUploadAnswer, status=201, body=models.MaterialUpload,
            errors=(403,), response_headers=("Location",),
            description="declared: the upload form for it",
            also=((200, "the same file of the same owner, declared before: that material "
                        "(with an upload form while it is not stored yet)"),))
def request_upload(caller, body):
    answer, created = materials.request_upload(caller, body)
    return Response(body=answer, status_code=201 if created else 200,
                    headers={"Location": f"/materials/{answer['materialId']}"})


@http.route(bp, "GET", "/materials/{material_id}", op="getMaterial",
            summary="a material and its state (its owner, the owner's agent, the clerk who "
                    "took it)", tag="materials", returns=models.StoredMaterial, errors=(404,))
def get_material(material_id, caller):
    return materials.get(caller, material_id)


@http.route(bp, "GET", "/materials/{material_id}/download", op="downloadMaterial",
            summary="a short-lived link to the file (its owner; staff who read a case it "
                    "was named in, with a purpose, logged for the owner)", tag="materials",
            returns=models.MaterialDownload, errors=(404,),
            query=(("purpose", {"type": "string", "maxLength": MAX_PURPOSE}, False,
                    "why staff open it: required but from its owner"),))
def download_material(material_id, caller):
    return materials.download(caller, material_id,
                              http.query_param(bp.current_request, "purpose"))
