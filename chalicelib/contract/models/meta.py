"""Bodies of the `meta` tag: the service's own health."""
from typing import Literal

from .shared import Response


class Health(Response):
    status: Literal["ok"]
