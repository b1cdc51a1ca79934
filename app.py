"""OneWindow API and event handlers: wiring only (logic lives in chalicelib/)."""
from chalice import Chalice

from chalicelib import wiring
from chalicelib.api import admin, cases, catalogue, licenses, meta, tasks
from chalicelib.api.http import handle_errors
from chalicelib.events import handlers

app = Chalice(app_name="onewindow")
app.register_middleware(handle_errors, "http")
for blueprint in (meta.bp, catalogue.bp, admin.bp, cases.bp, tasks.bp, licenses.bp,
                  handlers.bp):
    app.register_blueprint(blueprint)

wiring.configure()
