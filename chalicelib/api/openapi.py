"""The OpenAPI 3 document of API v1 (served at GET /openapi.json)."""


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict, description: str = "OK") -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


ERRORS = {str(status): {"$ref": f"#/components/responses/{name}"} for status, name in
          ((400, "BadRequest"), (401, "Unauthorized"), (403, "Forbidden"), (404, "NotFound"),
           (409, "Conflict"), (413, "PayloadTooLarge"))}


def _errors(*statuses: int) -> dict:
    return {str(s): ERRORS[str(s)] for s in statuses}


def _path_param(name: str) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}


def _admin(summary: str, *params: str, body: bool = True, created: bool = False) -> dict:
    operation = {"summary": summary + " (admin)",
                 "parameters": [_path_param(p) for p in params],
                 "responses": {("201" if created else "200"): _json({"type": "object"}),
                               **_errors(400, 401, 403, 404, 409)}}
    if body:
        operation["requestBody"] = {"required": True, "content": {"application/json": {
            "schema": {"type": "object", "properties": {"reason": {"type": "string"}}}}}}
    return operation


ADMIN_PATHS = {
    "/admin/departments": {"get": _admin("the department registry", body=False)},
    "/admin/catalogue": {"post": _admin("create a catalogue entry (事项目录)", created=True)},
    "/admin/catalogue/{baseCode}": {"put": _admin("change a catalogue entry", "baseCode")},
    "/admin/items": {"post": _admin("create a draft implementation", created=True)},
    "/admin/items/merge": {"post": _admin("merge items into a new draft", created=True)},
    "/admin/items/{code}/versions": {
        "get": _admin("all versions", "code", body=False),
        "post": _admin("new draft version from the latest", "code", created=True)},
    "/admin/items/{code}/versions/{version}": {
        "get": _admin("a version, drafts included", "code", "version", body=False),
        "put": _admin("change a draft", "code", "version")},
    "/admin/items/{code}/versions/{version}/publish": {
        "post": _admin("publish a draft", "code", "version")},
    "/admin/items/{code}/versions/{version}/simulate": {
        "post": _admin("diff against the published version and dry-run the process",
                       "code", "version")},
    "/admin/items/{code}/suspend": {"post": _admin("suspend", "code")},
    "/admin/items/{code}/resume": {"post": _admin("resume a suspended item", "code")},
    "/admin/items/{code}/cancel": {"post": _admin("cancel", "code")},
    "/admin/items/{code}/split": {"post": _admin("split into new drafts", "code",
                                                 created=True)},
    "/admin/items/{code}/history": {"get": _admin("who changed what, when and why", "code",
                                                  body=False)},
}

DOCUMENT = {
    "openapi": "3.0.3",
    "info": {"title": "OneWindow API", "version": "1.0.0",
             "description": "一网通办: apply for government services, approve across "
                            "departments, verify e-licenses."},
    "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                       "bearerFormat": "JWT"}},
        "schemas": {
            "Error": {"type": "object", "required": ["error"], "properties": {"error": {
                "type": "object", "required": ["code", "message"],
                "properties": {"code": {"type": "string"}, "message": {"type": "string"},
                               "field": {"type": "string"}}}}},
            "Application": {
                "type": "object", "required": ["itemCode", "applicant"],
                "properties": {
                    "itemCode": {"type": "string"},
                    "channel": {"type": "string",
                                "enum": ["web", "miniprogram", "api", "counter"]},
                    "applicant": {"type": "object", "required": ["type", "name", "idNumber"],
                                  "properties": {
                                      "type": {"type": "string", "enum": ["natural", "legal"]},
                                      "name": {"type": "string"},
                                      "idNumber": {"type": "string"},
                                      "phone": {"type": "string"}}},
                    "form": {"type": "object"},
                    "materials": {"type": "array", "items": {
                        "type": "object", "required": ["name", "ref"],
                        "properties": {"name": {"type": "string"},
                                       "ref": {"type": "string"}}}}}},
            "CaseCreated": {"type": "object", "properties": {
                "caseNo": {"type": "string"}, "queryPassword": {"type": "string"},
                "status": {"type": "integer"}, "statusLabel": {"type": "string"},
                "itemCode": {"type": "string"}, "itemVersion": {"type": "string"},
                "createdAt": {"type": "string"}, "promisedBy": {"type": "string"},
                "deadlineBasis": {"type": "string", "enum": ["official", "provisional"]}}},
            "Case": {"type": "object", "properties": {
                "caseNo": {"type": "string"}, "status": {"type": "integer"},
                "statusLabel": {"type": "string"}, "itemCode": {"type": "string"},
                "applicant": {"type": "object"},
                "deadlineBasis": {"type": "string", "enum": ["official", "provisional"]},
                "licenseId": {"type": "string",
                                                               "nullable": True},
                "timeline": {"type": "array", "items": {"type": "object"}},
                "tasks": {"type": "array", "items": _ref("Task")}}},
            "Task": {"type": "object", "properties": {
                "taskId": {"type": "string"},
                "kind": {"type": "string", "enum": ["acceptance", "review", "supplement"]},
                "caseNo": {"type": "string"}, "dept": {"type": "string"},
                "deadline": {"type": "string"}, "state": {"type": "string"}}},
            "Decision": {"type": "object", "required": ["decision"], "properties": {
                "decision": {"type": "string", "enum": [
                    "accept", "refuse", "not_accept", "supplement", "approve", "deny",
                    "supply"]},
                "opinion": {"type": "string"}}},
            "SignedLicense": {"type": "object", "required": ["license", "signature"],
                              "properties": {
                                  "license": {"type": "object"},
                                  "signature": {"type": "object", "properties": {
                                      "alg": {"type": "string"}, "keyId": {"type": "string"},
                                      "value": {"type": "string"}}},
                                  "state": {"type": "string"}}},
            "Verification": {"type": "object", "properties": {
                "valid": {"type": "boolean"}, "reason": {"type": "string", "nullable": True},
                "identifier": {"type": "string"}}},
        },
        "responses": {name: _json(_ref("Error"), description) for name, description in (
            ("BadRequest", "invalid input; nothing was changed"),
            ("Unauthorized", "no or invalid bearer token"),
            ("Forbidden", "not allowed for this caller"), ("NotFound", "no such resource"),
            ("Conflict", "illegal transition or already decided"),
            ("PayloadTooLarge", "request body over 256 KB; nothing was changed"))},
    },
    "security": [{"bearer": []}],
    "paths": {
        "/health": {"get": {"summary": "liveness", "security": [],
                            "responses": {"200": _json({"type": "object"})}}},
        "/openapi.json": {"get": {"summary": "this document", "security": [],
                                  "responses": {"200": _json({"type": "object"})}}},
        "/catalogue": {"get": {
            "summary": "catalogue entries (事项目录): base code, kind, main/sub items",
            "security": [],
            "parameters": [{"name": "limit", "in": "query", "schema": {"type": "integer"}},
                           {"name": "cursor", "in": "query", "schema": {"type": "string"}}],
            "responses": {"200": _json({"type": "object"}), **_errors(400)}}},
        "/catalogue/{baseCode}": {"get": {
            "summary": "a catalogue entry, its sub-items and published implementations",
            "security": [], "parameters": [_path_param("baseCode")],
            "responses": {"200": _json({"type": "object"}), **_errors(404)}}},
        "/items": {"get": {
            "summary": "published service items: filter by facet, search Chinese or pinyin "
                       "initials", "security": [],
            "parameters": [{"name": n, "in": "query", "schema": {"type": t}} for n, t in (
                ("dept", "string"), ("kind", "string"), ("audience", "string"),
                ("theme", "string"), ("q", "string"), ("limit", "integer"),
                ("cursor", "string"))],
            "responses": {"200": _json({"type": "object"}), **_errors(400)}}},
        "/items/{code}": {"get": {
            "summary": "a service item's current guide", "security": [],
            "parameters": [_path_param("code")],
            "responses": {"200": _json({"type": "object"}), **_errors(404)}}},
        "/items/{code}/versions/{version}": {"get": {
            "summary": "a published (or superseded) version", "security": [],
            "parameters": [_path_param("code"), _path_param("version")],
            "responses": {"200": _json({"type": "object"}), **_errors(404)}}},
        "/items/{code}/guide.html": {"get": {
            "summary": "printable service guide (办事指南)", "security": [],
            "parameters": [_path_param("code")],
            "responses": {"200": {"description": "HTML",
                                  "content": {"text/html": {"schema": {"type": "string"}}}},
                          **_errors(404)}}},
        **ADMIN_PATHS,
        "/cases": {"post": {
            "summary": "apply (统一申报)",
            "parameters": [{"name": "Idempotency-Key", "in": "header",
                            "schema": {"type": "string"}}],
            "requestBody": {"required": True,
                            "content": {"application/json": {"schema": _ref("Application")}}},
            "responses": {"201": _json(_ref("CaseCreated"), "created (or replayed)"),
                          **_errors(400, 401, 403, 413)}}},
        "/cases/{caseNo}": {"get": {
            "summary": "a case with its full timeline",
            "parameters": [_path_param("caseNo"),
                           {"name": "X-Query-Password", "in": "header",
                            "schema": {"type": "string"}}],
            "responses": {"200": _json(_ref("Case")), **_errors(401, 403, 404)}}},
        "/tasks": {"get": {
            "summary": "a department's open tasks, by deadline",
            "parameters": [{"name": "dept", "in": "query", "required": True,
                            "schema": {"type": "string"}},
                           {"name": "limit", "in": "query", "schema": {"type": "integer"}},
                           {"name": "cursor", "in": "query", "schema": {"type": "string"}}],
            "responses": {"200": _json({"type": "object"}), **_errors(400, 401, 403)}}},
        "/tasks/{taskId}/decision": {"post": {
            "summary": "decide a task once; resumes the workflow",
            "parameters": [_path_param("taskId")],
            "requestBody": {"required": True,
                            "content": {"application/json": {"schema": _ref("Decision")}}},
            "responses": {"200": _json({"type": "object"}),
                          **_errors(400, 401, 403, 404, 409, 413)}}},
        "/licenses/keys": {"get": {
            "summary": "this region's public license-signing keys", "security": [],
            "responses": {"200": _json({"type": "object"})}}},
        "/licenses/verify": {"post": {
            "summary": "verify a signed e-license", "security": [],
            "requestBody": {"required": True, "content": {
                "application/json": {"schema": _ref("SignedLicense")}}},
            "responses": {"200": _json(_ref("Verification")), **_errors(400, 413)}}},
        "/licenses/{licenseId}": {"get": {
            "summary": "a signed e-license (holder and staff)",
            "parameters": [_path_param("licenseId")],
            "responses": {"200": _json(_ref("SignedLicense")), **_errors(401, 403, 404)}}},
        "/auth/dev-token": {"post": {
            "summary": "demo bearer token (local stack only)", "security": [],
            "responses": {"200": _json({"type": "object"}), **_errors(400, 404)}}},
    },
}
