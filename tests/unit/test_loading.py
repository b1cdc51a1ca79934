"""The garbage collector waits while a function's code loads, then leaves it out of its
walks (chalicelib/loading.py)."""
import gc

import pytest

from chalicelib import loading


@pytest.fixture
def collector():
    was = gc.isenabled()
    gc.enable()
    yield
    gc.unfreeze()
    if not was:
        gc.disable()


def test_the_collector_waits_for_the_outermost_entry_module_then_freezes_what_it_loaded(
        collector):
    loading.start()                 # app.py
    assert not gc.isenabled()
    loading.start()                 # events/handlers.py, which app.py imports
    loaded = [object() for _ in range(3)]
    loading.done()
    assert not gc.isenabled()       # app.py is still loading
    frozen_before = gc.get_freeze_count()
    loading.done()
    assert gc.isenabled()
    assert gc.get_freeze_count() >= frozen_before + len(loaded)


def test_a_collector_someone_had_turned_off_stays_off_and_nothing_is_frozen(collector):
    gc.disable()
    frozen_before = gc.get_freeze_count()
    loading.start()
    loading.done()
    assert not gc.isenabled()
    assert gc.get_freeze_count() == frozen_before
