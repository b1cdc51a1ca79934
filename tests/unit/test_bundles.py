"""The rules of a "one thing" bundle (domain/bundles.py): its shape, its items published
and each once, in the order given."""
import pytest

from chalicelib.domain.bundles import check_bundle
from chalicelib.domain.errors import ValidationError

A = "00020101200044030000000011440300007542808J01"
B = "00020102500044030000000011440300MB2D53311B01"
GOOD = {"id": "kaiban-canting", "name": "开办餐厅一件事", "description": "开餐厅要办的事",
        "items": [B, A]}


def test_a_bundle_keeps_its_items_in_the_order_given():
    assert check_bundle(GOOD, {A, B}) == GOOD


@pytest.mark.parametrize("change, field", [
    ({"id": "Kaiban Canting"}, "bundle.id"),
    ({"name": "  "}, "bundle.name"),
    ({"description": ""}, "bundle.description"),
    ({"items": []}, "bundle.items"),
    ({"items": [A, "lowercase"]}, "bundle.items.1"),
    ({"items": [A, A]}, "bundle.items.1"),
    ({"items": [A, B[:-2] + "99"]}, "bundle.items.1"),
    ({"extra": 1}, "bundle.extra"),
])
def test_a_bundle_off_its_rules_is_refused_naming_the_field(change, field):
    with pytest.raises(ValidationError) as refused:
        check_bundle({**GOOD, **change}, {A, B})
    assert refused.value.field == field
