"""The composition root: read the configuration, point the adapters at it, and build the
stores the use cases are given (`stores()`)."""
import os

from . import config, logs, tracing
from .adapters import aws, models, registries, secrets, signer
from .adapters.case_files import DynamoCaseFiles
from .adapters.catalogue_items import DynamoCatalogueItems
from .adapters.license_library import DynamoLicenseLibrary
from .adapters.supervision_store import DynamoSupervisionStore
from .services import catalogue, read_cache
from .services.cases import numbering
from .services.stores import Stores

__all__ = ["Stores", "configure", "stores"]


_stores: Stores | None = None
_configured = False

# The middleware of every request and event, outermost first: app.py registers them, and
# each consumer carries them itself (events/handlers.py: Lambda runs it without app.py).
EVERY_EVENT = (logs.middleware, tracing.middleware)


def stores() -> Stores:
    """The repositories `configure()` built (built now if it has not run: a handler
    imported without the app, as some tests do)."""
    return _stores if _stores is not None else _build_stores()


def _build_stores() -> Stores:
    global _stores
    _stores = Stores(case_files=DynamoCaseFiles(), licenses=DynamoLicenseLibrary(),
                     supervision=DynamoSupervisionStore(),
                     catalogue=DynamoCatalogueItems(reindex=catalogue.reindex))
    return _stores


def configure() -> config.Config:
    global _configured
    config.reset()
    aws.reset()
    secrets.forget()
    numbering.forget()
    signer.key_arn.cache_clear()
    signer.public_key_der.cache_clear()
    cfg = config.get()
    if cfg.clock_file and os.environ.get("AWS_LAMBDA_FUNCTION_NAME"):
        raise RuntimeError("OW_CLOCK_FILE sets the local stack's clock ahead: never in Lambda")
    models.bind(cfg)
    _build_stores()
    read_cache.configure(cfg.catalogue_cache_seconds)
    _load_calendar(cfg)
    _check_trust_list(cfg)
    _check_document_templates(cfg)
    registries.check(cfg.data_sources)   # a registry's settings refused at start, not later
    logs.configure()
    # The X-Ray SDK is loaded at the first traced event (tracing.middleware), not here.
    tracing.reset()
    _configured = True
    return cfg


def _load_calendar(cfg: config.Config) -> None:
    import json

    from .domain import workdays
    if cfg.calendar_file:
        with open(config.PACKAGE_ROOT / cfg.calendar_file, encoding="utf-8") as file:
            workdays.set_schedules(json.load(file))
    else:
        workdays.set_schedules(None)


def _check_document_templates(cfg: config.Config) -> None:
    """A region's document template that does not render stops the function here, not
    at the first decision it would have written (services/case_documents/templates.py)."""
    if cfg.document_templates:
        from .services.case_documents import templates
        templates.environment.cache_clear()
        templates.check(cfg.document_templates)


def _check_trust_list(cfg: config.Config) -> None:
    """A trust list with a bad key stops the function here, not at the first verification
    (services/licenses/keys.py reads the same cached list)."""
    if cfg.trust_list_file:
        from .services import licenses
        licenses.check_trust_list(cfg.trust_list_file)


def configured(event, get_response):
    """Chalice middleware for a consumer run without app.py: the composition root
    configured before its first event (app.py configures at import). Lambda imports a
    consumer's module straight from its handler string (events/handlers.py), so without
    this it would use the models' default tables, no calendar and no trust list."""
    if not _configured:
        configure()
    return get_response(event)
