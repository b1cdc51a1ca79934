"""The service catalogue (事项管理): versioned implementations, their lifecycle, history,
lineage, simulation and search, one module per concern.

Every write checks the document with `domain.catalogue.check_implementation` (the shipped
demo data goes through the same functions), records who, when and why in the item's
history, and leaves published versions immutable: a change is a new draft version, and
publishing it supersedes the old one for new cases only (cases pin their version). Every
write also empties this container's read cache (services/read_cache.py).

This package's names, for the API and the other services:
"""
from .bundles import bundles, import_bundles
from .departments import (
    department,
    department_history,
    departments,
    register_department,
    registry,
)
from .directory import directory
from .drafts import create_draft, new_version, publish, update_draft, version_for_edit
from .entries import entries, get_entry, list_entries, save_entry
from .history import history, versions
from .lineage import merge, split
from .loading import import_entries, import_published, reindex
from .reads import get_item, get_item_version, list_items, pinned_version, published_item
from .simulation import simulate
from .status import cancel, resume, suspend

__all__ = ["bundles", "cancel", "create_draft", "department", "department_history",
           "departments", "directory", "entries", "get_entry", "get_item",
           "get_item_version", "history", "import_bundles", "import_entries", "import_published",
           "list_entries", "list_items", "merge", "new_version", "pinned_version", "publish",
           "published_item", "register_department", "registry", "reindex", "resume", "save_entry",
           "simulate", "split", "suspend", "update_draft", "version_for_edit", "versions"]
