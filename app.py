"""OneWindow API and event handlers: wiring only (logic lives in chalicelib/)."""
from chalicelib import loading

loading.start()  # the garbage collector waits until the app is loaded (chalicelib/loading.py)

from chalice import Chalice

from chalicelib import wiring
from chalicelib.api import (
    admin,
    audit,
    cases,
    catalogue,
    cors,
    data_sharing,
    documents,
    licenses,
    materials,
    me,
    meta,
    ratings,
    statistics,
    supervision,
    tasks,
)
from chalicelib.api.http import answer_domain_errors, handle_errors
from chalicelib.events import handlers

# Chalice would set the app logger to ERROR and drop every info and warning line:
# chalicelib/logs.py configures it instead (structured JSON, masked).
app = Chalice(app_name="onewindow", configure_logs=False)
# The printed license (GET /licenses/{id}/print.pdf) is bytes: API Gateway passes them
# through when the caller's Accept names the type.
app.api.binary_types.append("application/pdf")
for middleware in wiring.EVERY_EVENT:
    app.register_middleware(middleware, "all")
app.register_middleware(handle_errors, "http")
app.register_middleware(cors.middleware, "http")
for blueprint in (meta.bp, me.bp, audit.bp, catalogue.bp, admin.bp, cases.bp, tasks.bp,
                  licenses.bp, documents.bp, materials.bp, data_sharing.bp, supervision.bp,
                  ratings.bp, statistics.bp, handlers.bp):
    app.register_blueprint(blueprint)
cors.add_preflight(app)
answer_domain_errors(app)

try:
    wiring.configure()   # what may stop the import (a bad setting): the collector resumes
finally:
    loading.done()
