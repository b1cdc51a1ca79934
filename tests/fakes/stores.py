"""All the stores at once, in memory: what the composition root builds (wiring.Stores),
for the use cases that take them whole (the stream's settling)."""
from chalicelib.services.stores import Stores

from .case_files import FakeCaseFiles
from .catalogue_items import FakeCatalogueItems
from .license_library import FakeLicenseLibrary
from .supervision_store import FakeSupervisionStore


def fake_stores(case_files: FakeCaseFiles | None = None, *,
                licenses: FakeLicenseLibrary | None = None,
                supervision: FakeSupervisionStore | None = None) -> Stores:
    return Stores(case_files=case_files or FakeCaseFiles(),
                  licenses=licenses or FakeLicenseLibrary(),
                  supervision=supervision or FakeSupervisionStore(),
                  catalogue=FakeCatalogueItems())
