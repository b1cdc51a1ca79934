"""Suspending, resuming and cancelling an item (services/catalogue/status.py) on the
in-memory catalogue (tests/fakes/catalogue_items.py): which status each leaves from, what
is written with it, a change that lost a race. No AWS."""
import pytest

from chalicelib.adapters.models import ItemCurrentRecord, ItemVersionRecord
from chalicelib.domain import identity
from chalicelib.domain.errors import Conflict, NotFound, ValidationError
from chalicelib.services import catalogue
from tests.fakes.catalogue_items import FakeCatalogueItems

CODE = "11440300MB2C92138W4000111700001"
ADMIN = identity.Principal(sub="admin-1", role=identity.ADMIN)
REASON = {"reason": "政策调整"}


@pytest.fixture
def items() -> FakeCatalogueItems:
    items = FakeCatalogueItems()
    items.add(ItemCurrentRecord(CODE, "CURRENT", version=2, status="published",
                                document={"code": CODE}, updatedAt="2026-11-01T00:00:00Z"))
    items.add(ItemVersionRecord(CODE, "V#0002", version=2, status="published",
                                document={"code": CODE}, createdAt="2026-11-01T00:00:00Z",
                                createdBy="admin-0", updatedAt="2026-11-01T00:00:00Z"))
    return items


def _status(items, sk="CURRENT"):
    return items.records[(CODE, sk)].status


def test_a_published_item_is_suspended_and_resumed_each_with_its_history(items):
    assert catalogue.suspend(items, ADMIN, CODE, REASON) == \
        {"code": CODE, "version": 2, "status": "suspended"}
    assert catalogue.resume(items, ADMIN, CODE, {"reason": " 恢复 "})["status"] == "published"
    assert _status(items) == "published" and _status(items, "V#0002") == "published"
    assert [(h.action, h.version, h.actor, h.reason) for h in items.history(CODE)] == \
        [("suspend", 2, ADMIN.sub, "政策调整"), ("resume", 2, ADMIN.sub, "恢复")]
    assert items.reindexed == [CODE, CODE]   # the search entries follow each change


def test_a_cancelled_items_version_is_cancelled_with_it_and_nothing_follows(items):
    catalogue.suspend(items, ADMIN, CODE, REASON)
    assert catalogue.cancel(items, ADMIN, CODE, REASON)["status"] == "cancelled"
    assert (_status(items), _status(items, "V#0002")) == ("cancelled", "cancelled")
    for action in (catalogue.suspend, catalogue.resume, catalogue.cancel):
        with pytest.raises(Conflict) as refused:
            action(items, ADMIN, CODE, REASON)
        assert refused.value.code == "illegal_transition"
    assert len(items.history(CODE)) == 2


def test_a_published_item_is_not_resumed_and_every_change_states_why(items):
    with pytest.raises(Conflict):
        catalogue.resume(items, ADMIN, CODE, REASON)
    for body in ({}, {"reason": "  "}, {"reason": "x" * 501}, "not an object"):
        with pytest.raises(ValidationError):
            catalogue.suspend(items, ADMIN, CODE, body)
    assert _status(items) == "published"
    assert items.history(CODE) == [] and items.reindexed == []


def test_an_unknown_item_is_not_found(items):
    for code in ("11440300MB2C92138W4000111700002", "not a code"):
        with pytest.raises(NotFound):
            catalogue.suspend(items, ADMIN, code, REASON)


class _Racing(FakeCatalogueItems):
    """Another administrator's change lands between this one's read and its write."""
    meanwhile = None

    def current(self, code):
        found = super().current(code)
        if found is not None and self.meanwhile:
            self.records[(code, "CURRENT")].status, self.meanwhile = self.meanwhile, None
        return found


def test_a_change_that_lost_the_race_writes_nothing(items):
    racing = _Racing()
    racing.records = items.records
    racing.meanwhile = "cancelled"
    with pytest.raises(Conflict) as refused:
        catalogue.suspend(racing, ADMIN, CODE, REASON)
    assert refused.value.code == "illegal_transition"
    assert _status(racing) == "cancelled" and racing.history(CODE) == []
    assert racing.reindexed == []
