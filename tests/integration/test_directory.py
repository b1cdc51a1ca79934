"""GET /directory: the portal home page's themes, "one thing" bundles, departments and most
applied-for items, public and cached, each count the length of the list its link opens."""
import pytest

from chalicelib.domain.errors import ValidationError
from chalicelib.services import catalogue, read_cache
from infra.local import demo

from .harness import FOOD, HYGIENE, RESTAURANT, another, application


def _directory(stack):
    answer = stack.client.http.get("/directory")
    assert answer.status_code == 200, answer.body
    assert answer.headers["Cache-Control"] == "public, max-age=30" and answer.headers["ETag"]
    return stack.call("GET", "/directory").data


def _listed(stack, query: str) -> set[str]:
    items, cursor = set(), None
    while True:
        page = stack.call("GET", f"/items?{query}&limit=100" + (f"&cursor={cursor}" if cursor
                                                                 else "")).data
        items |= {item["code"] for item in page["items"]}
        cursor = page["next"]
        if not cursor:
            return items


def test_themes_and_departments_count_what_their_lists_show(stack):
    found = _directory(stack)
    themes = {t["name"]: t["itemCount"] for t in found["themes"]}
    assert themes["开办餐厅"] == 6 and themes["社会保障"] == 3
    shipped = {t for item in demo.items() for t in item["themes"]}
    assert set(themes) == shipped
    for name, count in themes.items():
        assert len(_listed(stack, f"theme={name}")) == count, name
    counts = [t["itemCount"] for t in found["themes"]]
    assert counts == sorted(counts, reverse=True)

    departments = {d["code"]: d for d in found["departments"]}
    assert departments["SCJG"]["name"] == "深圳市市场监督管理局"
    assert departments["RSJ"]["itemCount"] == 3
    for code, department in departments.items():
        assert len(_listed(stack, f"dept={code}")) == department["itemCount"], code


def test_bundles_are_the_shipped_ones_with_their_items_names_in_order(stack):
    bundles = {b["id"]: b for b in _directory(stack)["bundles"]}
    restaurant = bundles["kaiban-canting"]
    assert restaurant["name"] == "开办餐厅一件事" and restaurant["description"]
    assert [i["code"] for i in restaurant["items"]] == next(
        b["items"] for b in demo.bundles() if b["id"] == "kaiban-canting")
    assert restaurant["items"][2] == {"code": FOOD, "name": "食品经营许可（新办）"}
    assert set(bundles) == {b["id"] for b in demo.bundles()}


def test_a_bundle_leaves_out_an_item_no_longer_published(stack):
    assert stack.call("POST", f"/admin/items/{FOOD}/suspend", "admin",
                      {"reason": "整改"}).status_code == 200
    restaurant = next(b for b in _directory(stack)["bundles"] if b["id"] == "kaiban-canting")
    assert FOOD not in [i["code"] for i in restaurant["items"]]
    assert RESTAURANT in [i["code"] for i in restaurant["items"]]


def test_popular_follows_the_applications_counted_and_falls_back_to_code_order(stack):
    before = _directory(stack)["popular"]
    published = sorted(_listed(stack, "audience=natural") | _listed(stack, "audience=legal"))
    assert [item["code"] for item in before] == sorted(published)[:8]
    assert set(before[0]) >= {"code", "name", "themes", "promisedLimit", "onlineDepth"}

    # Two 公共场所卫生许可 applications and one 食品经营许可, counted by the statistics.
    for body in (application(HYGIENE), another(HYGIENE), application(FOOD)):
        assert stack.call("POST", "/cases", "company", body).status_code == 201
    assert stack.pump.run_until(lambda: stack.call(
        "GET", "/stats", "supervisor").data["total"]["received"] == 3)
    read_cache.catalogue.clear()  # the directory is kept for 30 s, as every public read
    popular = [item["code"] for item in _directory(stack)["popular"]]
    assert popular[:2] == [HYGIENE, FOOD] and len(popular) == 8
    assert popular[2:] == [c for c in sorted(published) if c not in (HYGIENE, FOOD)][:6]


def test_shipped_bundles_are_checked_like_the_rest_of_the_catalogue(stack):
    good = demo.bundles()[0]
    with pytest.raises(ValidationError) as unknown:
        catalogue.import_bundles([{**good, "id": "x", "items": [FOOD[:-2] + "99"]}],
                                 actor="test", reason="t")
    assert unknown.value.field == "bundles.0.items.0"
    with pytest.raises(ValidationError) as twice:
        catalogue.import_bundles([{**good, "id": "y", "items": [FOOD, FOOD]}],
                                 actor="test", reason="t")
    assert twice.value.field == "bundles.0.items.1"
    with pytest.raises(ValidationError) as nameless:
        catalogue.import_bundles([{**good, "id": "z", "name": " "}], actor="test", reason="t")
    assert nameless.value.field == "bundles.0.name"
    assert {b["id"] for b in catalogue.bundles()} == {b["id"] for b in demo.bundles()}
