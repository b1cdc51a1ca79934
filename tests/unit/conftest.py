"""The unit tier needs no AWS (CONTRIBUTING.md): run on its own (`make unit`), it must not
have loaded moto — a test that needs it belongs in tests/integration."""
import sys
from pathlib import Path

import pytest

UNIT = Path(__file__).resolve().parent


@pytest.fixture(autouse=True, scope="session")
def _no_moto(request):
    yield
    alone = all(item.path.is_relative_to(UNIT) for item in request.session.items)
    assert not (alone and "moto" in sys.modules), \
        "a unit test loaded moto: move it to tests/integration"
