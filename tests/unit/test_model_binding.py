"""adapters/models: one module per table, every model bound to its module's table, and all
of them on the process's one connection (no AWS call: building clients reads nothing)."""
import dataclasses
import importlib
import inspect
import pkgutil

import pytest
from pynamodb.models import Model

from chalicelib import config
from chalicelib.adapters import models
from chalicelib.adapters.models import shared_connection

# Each table's module, and the configuration naming its table.
TABLE_OF_MODULE = {"cases": "cases_table", "catalogue": "items_table",
                   "licenses": "licenses_table", "usage": "usage_table",
                   "materials": "materials_table", "audit": "audit_table",
                   "supervision": "supervision_table",
                   "notifications": "notifications_table"}


def _models_by_module() -> dict[str, list[type[Model]]]:
    found: dict[str, list[type[Model]]] = {}
    for info in pkgutil.iter_modules(models.__path__):
        module = importlib.import_module(f"{models.__name__}.{info.name}")
        found[info.name] = [cls for _, cls in inspect.getmembers(module, inspect.isclass)
                            if issubclass(cls, Model) and cls.__module__ == module.__name__]
    return {name: classes for name, classes in found.items() if classes}


@pytest.fixture
def rebinding():
    """Whatever the models were bound to before, they are bound to again after."""
    kept = [(model, model.Meta.table_name, model.Meta.region, model.Meta.host)
            for classes in _models_by_module().values() for model in classes]
    connection = (shared_connection._connection, shared_connection._region,
                  shared_connection._host, shared_connection._pool_size)
    yield
    for model, table, region, host in kept:
        model.Meta.table_name, model.Meta.region, model.Meta.host = table, region, host
        model._connection = None
    (shared_connection._connection, shared_connection._region, shared_connection._host,
     shared_connection._pool_size) = connection


def _config(endpoint: str) -> config.Config:
    return dataclasses.replace(
        config.get(), region="cn-northwest-1", endpoint_url=endpoint, max_pool_connections=7,
        **{table: f"test-{table}" for table in TABLE_OF_MODULE.values()})


def test_the_modules_are_the_tables_and_each_model_is_bound_to_its_modules_table(rebinding):
    by_module = _models_by_module()
    assert set(by_module) == set(TABLE_OF_MODULE)
    models.bind(_config("http://dynamodb.test:8000"))
    for module, classes in by_module.items():
        for model in classes:
            assert (model.__name__, model.Meta.table_name, model.Meta.region,
                    model.Meta.host) == (model.__name__, f"test-{TABLE_OF_MODULE[module]}",
                                         "cn-northwest-1", "http://dynamodb.test:8000")


def test_every_model_uses_the_one_connection_built_for_the_binding(rebinding):
    models.bind(_config("http://dynamodb.test:8000"))
    shared = models.connection().client
    assert (shared.meta.region_name, shared.meta.endpoint_url,
            shared.meta.config.max_pool_connections) == (
        "cn-northwest-1", "http://dynamodb.test:8000", 7)
    for classes in _models_by_module().values():
        for model in classes:
            assert model._get_connection().connection.client is shared, model.__name__

    models.bind(_config("http://elsewhere.test:8000"))
    rebound = models.connection().client
    assert rebound is not shared
    assert rebound.meta.endpoint_url == "http://elsewhere.test:8000"
    assert models.CaseRecord._get_connection().connection.client is rebound
