"""Catalogue administration (admin role only): entries, drafts, versions, lifecycle,
lineage, simulation, history."""
from chalice import Blueprint, Response

from .. import wiring
from ..contract import models
from ..domain import identity
from ..services import catalogue
from . import http

bp = Blueprint(__name__)
TAG = "catalogue administration"


def _admin_route(method: str, path: str, op: str, summary: str, returns, **spec):
    return http.route(bp, method, path, op=op, summary=summary, tag=TAG, returns=returns,
                      roles=(identity.ADMIN,), **spec)


@_admin_route("GET", "/admin/departments", "listDepartments", "the department registry",
              models.DepartmentRegistry)
def departments():
    return {"departments": catalogue.registry()}


@_admin_route("POST", "/admin/departments", "createDepartment",
              "register a department (name, USCC, seal name, contacts, parent area)",
              models.RegisteredDepartment, status=201, body=models.DepartmentRegistration,
              errors=(409, 422))
def create_department(caller, document):
    return Response(body=catalogue.register_department(
        caller.sub, document), status_code=201)


@_admin_route("PUT", "/admin/departments/{code}", "updateDepartment",
              "change a registered department (its code and USCC stay)",
              models.RegisteredDepartment, body=models.DepartmentChange,
              errors=(404, 409, 422))
def update_department(code, caller, document):
    return catalogue.register_department(caller.sub, document, code)


@_admin_route("GET", "/admin/departments/{code}/history", "getDepartmentHistory",
              "who registered and changed a department, when, why and what",
              models.History, errors=(404,), query=(http.limit_query(50), http.CURSOR_QUERY))
def department_history(code):
    request = bp.current_request
    return catalogue.department_history(
        code, limit=http.int_param(request, "limit", 50, 1, 100),
        cursor=http.query_param(request, "cursor"))


@_admin_route("POST", "/admin/catalogue", "createCatalogueEntry",
              "create a catalogue entry (事项目录)", models.CatalogueEntry, status=201,
              body=models.EntryCreation, errors=(409,))
def create_entry(caller, document):
    return Response(body=catalogue.save_entry(caller, document),
                    status_code=201)


@_admin_route("PUT", "/admin/catalogue/{base_code}", "updateCatalogueEntry",
              "change a catalogue entry", models.CatalogueEntry, body=models.EntryChange,
              errors=(404, 409))
def update_entry(base_code, caller, document):
    return catalogue.save_entry(caller, document, base_code)


@_admin_route("POST", "/admin/items", "createItem", "create a draft implementation",
              models.VersionState, status=201, body=models.ItemChange, errors=(409,))
def create_item(caller, document):
    return Response(body=catalogue.create_draft(caller, document),
                    status_code=201)


@_admin_route("POST", "/admin/items/merge", "mergeItems", "merge items into a new draft",
              models.Derived, status=201, body=models.Merge, errors=(404, 409))
def merge_items(caller, document):
    return Response(body=catalogue.merge(caller, document), status_code=201)


@_admin_route("GET", "/admin/items/{code}/versions", "listItemVersions",
              "every version of an item", models.Versions, errors=(404,))
def list_versions(code):
    return catalogue.versions(code)


@_admin_route("POST", "/admin/items/{code}/versions", "createItemVersion",
              "a new draft version, copied from the latest", models.VersionState,
              status=201, body=models.ReasonOnly, errors=(404, 409))
def new_version(code, caller, document):
    return Response(body=catalogue.new_version(caller, code, document),
                    status_code=201)


@_admin_route("GET", "/admin/items/{code}/versions/{version}", "getItemVersionAdmin",
              "a version, drafts included; its ETag guards changes (If-Match)",
              models.ItemView, errors=(404,), response_headers=("ETag",))
def get_version(code, version):
    view, etag = catalogue.version_for_edit(code, version)
    return Response(body=view, status_code=200, headers={"ETag": etag})


@_admin_route("PUT", "/admin/items/{code}/versions/{version}", "updateItemDraft",
              "change a draft (If-Match: the ETag read; 412 when someone changed it since)",
              models.VersionState, body=models.ItemChange, errors=(404, 409, 412),
              response_headers=("ETag",),
              headers=(("If-Match", {"type": "string"},
                        "the ETag of the draft as read"),))
def update_version(code, version, caller, document):
    request = bp.current_request
    answer, etag = catalogue.update_draft(caller, code, version, document,
                                          if_match=request.headers.get("if-match"))
    return Response(body=answer, status_code=200, headers={"ETag": etag})


@_admin_route("POST", "/admin/items/{code}/versions/{version}/publish", "publishItemVersion",
              "publish a draft", models.VersionState, body=models.ReasonOnly,
              errors=(404, 409))
def publish(code, version, caller, document):
    return catalogue.publish(caller, code, version, document)


@_admin_route("POST", "/admin/items/{code}/versions/{version}/simulate", "simulateItemVersion",
              "diff against the published version and dry-run the process",
              models.SimulationResult, body=models.Simulation, body_required=False,
              errors=(404,))
def simulate(code, version, document):
    return catalogue.simulate(code, version, document)


@_admin_route("POST", "/admin/items/{code}/suspend", "suspendItem", "suspend an item",
              models.VersionState, body=models.ReasonOnly, errors=(404, 409))
def suspend(code, caller, document):
    return catalogue.suspend(wiring.stores().catalogue, caller, code, document)


@_admin_route("POST", "/admin/items/{code}/resume", "resumeItem", "resume a suspended item",
              models.VersionState, body=models.ReasonOnly, errors=(404, 409))
def resume(code, caller, document):
    return catalogue.resume(wiring.stores().catalogue, caller, code, document)


@_admin_route("POST", "/admin/items/{code}/cancel", "cancelItem", "cancel an item",
              models.VersionState, body=models.ReasonOnly, errors=(404, 409))
def cancel(code, caller, document):
    return catalogue.cancel(wiring.stores().catalogue, caller, code, document)


@_admin_route("POST", "/admin/items/{code}/split", "splitItem", "split into new drafts",
              models.Derived, status=201, body=models.Split, errors=(404, 409))
def split(code, caller, document):
    return Response(body=catalogue.split(caller, code, document), status_code=201)


@_admin_route("GET", "/admin/items/{code}/history", "getItemHistory",
              "who changed what, when and why", models.History, errors=(404,),
              query=(http.limit_query(50), http.CURSOR_QUERY))
def history(code):
    request = bp.current_request
    return catalogue.history(code, limit=http.int_param(request, "limit", 50, 1, 100),
                             cursor=http.query_param(request, "cursor"))
