"""The stores the use cases are given, as one value: what the composition root
(chalicelib/wiring.py) builds and the handlers pass in, and what a use case that reaches
several of them (the stream's settling: services/settlement.py, services/progress.py) takes
whole. Unit tests build one of the in-memory fakes (tests/fakes/)."""
from dataclasses import dataclass

from .case_files import CaseFiles
from .catalogue_items import CatalogueItems
from .license_library import LicenseLibrary
from .supervision_store import SupervisionStore


@dataclass(frozen=True)
class Stores:
    """The repositories: services/* the interfaces, adapters/* the DynamoDB
    implementations, tests/fakes/* in memory."""
    case_files: CaseFiles
    licenses: LicenseLibrary
    supervision: SupervisionStore   # a case's ratings, cards and breaches
    catalogue: CatalogueItems       # an item's status (suspend, resume, cancel)
