"""Each repository the composition root builds (chalicelib/wiring.py) has one interface
(services/*) that its DynamoDB implementation (adapters/*) and its in-memory fake
(tests/fakes/*) both answer, with the same parameters: a rule tested on the fake is a rule
of what runs. (The case files have their own check: test_fake_case_files.py.)"""
import inspect

import pytest

from chalicelib.adapters.catalogue_items import DynamoCatalogueItems
from chalicelib.adapters.license_library import DynamoLicenseLibrary
from chalicelib.adapters.supervision_store import DynamoSupervisionStore
from chalicelib.services.catalogue_items import CatalogueItems
from chalicelib.services.license_library import LicenseLibrary
from chalicelib.services.supervision_store import SupervisionStore
from tests.fakes.catalogue_items import FakeCatalogueItems
from tests.fakes.license_library import FakeLicenseLibrary
from tests.fakes.supervision_store import FakeSupervisionStore


@pytest.mark.parametrize("interface,implementations", [
    (SupervisionStore, (FakeSupervisionStore, DynamoSupervisionStore)),
    (LicenseLibrary, (FakeLicenseLibrary, DynamoLicenseLibrary)),
    (CatalogueItems, (FakeCatalogueItems, DynamoCatalogueItems)),
], ids=lambda value: getattr(value, "__name__", ""))
def test_the_fake_and_the_dynamodb_store_answer_the_one_interface(interface, implementations):
    asked = {name: inspect.signature(member) for name, member in vars(interface).items()
             if inspect.isfunction(member) and not name.startswith("_")}
    assert asked, interface
    for implementation in implementations:
        for name, signature in asked.items():
            given = inspect.signature(getattr(implementation, name))
            assert [(p.name, p.kind) for p in given.parameters.values()] == \
                [(p.name, p.kind) for p in signature.parameters.values()], \
                (implementation, name)
