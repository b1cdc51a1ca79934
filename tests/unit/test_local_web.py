"""The local stack's server of a built front end (infra/local/web.py): the app's files,
index.html for the app's own routes, /config.json, the stage's security headers, gzip;
a missing asset is a 404 (not a page a script import would choke on), and no path —
traversal, a NUL byte, a name too long for the file system — escapes or breaks it."""
import gzip
import json
import urllib.error
import urllib.request

import pytest

from infra.local import web

CONFIG = {"apiBase": "http://127.0.0.1:1", "issuer": "http://127.0.0.1:2",
          "clientId": "onewindow-portal", "uploadOrigins": ["http://127.0.0.1:3"]}


@pytest.fixture
def served(tmp_path, monkeypatch):
    app = tmp_path / "portal"
    (app / "assets").mkdir(parents=True)
    (app / "index.html").write_text("<!doctype html><title>portal</title>", "utf-8")
    (app / "assets" / "app-1.js").write_text("console.log('app');" * 50, "utf-8")
    (tmp_path / "secret.txt").write_text("not served", "utf-8")
    monkeypatch.setattr(web, "DIST", tmp_path)
    server = web.WebApp("portal", "127.0.0.1", 0).configure(CONFIG).start()
    yield server.url
    server.stop()


def get(url: str, **headers):
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_routes_of_the_app_answer_its_page_with_the_stages_headers(served):
    for path in ("/", "/me/cases/4403", "/callback?code=x"):
        status, headers, body = get(served + path)
        assert status == 200 and b"<title>portal</title>" in body, path
        assert headers["Content-Type"] == "text/html; charset=utf-8"
        assert headers["Cache-Control"] == "no-cache"
        assert "connect-src 'self' http://127.0.0.1:3 http://127.0.0.1:1 http://127.0.0.1:2" \
            in headers["Content-Security-Policy"]
        assert headers["X-Frame-Options"] == "DENY"
        assert "Strict-Transport-Security" not in headers      # plain HTTP on 127.0.0.1


def test_config_json_names_the_api_issuer_and_client_only(served):
    status, headers, body = get(served + "/config.json")
    assert status == 200 and headers["Cache-Control"] == "no-store"
    assert json.loads(body) == {k: v for k, v in CONFIG.items() if k != "uploadOrigins"}


def test_assets_are_immutable_and_gzipped_for_who_asks_and_a_missing_one_is_a_404(served):
    status, headers, body = get(served + "/assets/app-1.js", **{"Accept-Encoding": "gzip"})
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(body).startswith(b"console.log")
    assert "immutable" in headers["Cache-Control"]
    status, headers, body = get(served + "/assets/app-1.js")
    assert status == 200 and "Content-Encoding" not in headers and body.startswith(b"console")
    assert get(served + "/assets/app-0.js")[0] == 404


@pytest.mark.parametrize("path", ["/..%2fsecret.txt", "/%2e%2e/secret.txt", "/%00",
                                  "/" + "a" * 300, "/assets/" + "b" * 300 + "/.."])
def test_no_path_escapes_the_app_or_breaks_the_server(served, path):
    status, _, body = get(served + path)
    assert b"not served" not in body
    assert status in (200, 404)
    assert get(served + "/")[0] == 200       # still answering
