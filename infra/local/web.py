"""The local stack's web server for a built front end (web/dist/<app>): its files, with
index.html for every path that is no file (the app's own routes, e.g. /callback) —
staff/index.html for those under /staff/, the workbench's — the
`/config.json` that tells it where the API and the issuer are, and the security headers
a stage's CloudFront sends (infra/web_headers.py). Text is gzip-compressed for clients
that accept it, as CloudFront compresses.
"""
import gzip
import json
import mimetypes
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from infra.web_headers import security_headers

DIST = Path(__file__).resolve().parents[2] / "web" / "dist"


class WebApp:
    """One front end served on host:port; `stop()` ends it."""

    def __init__(self, app: str, host: str, port: int):
        self.root = DIST / app
        if not (self.root / "index.html").is_file():
            raise RuntimeError(f"{self.root}/index.html is missing: build it with "
                               "`make web` (or `npm run build` in web/)")
        self.server = ThreadingHTTPServer((host, port), self._handler())
        self.url = f"http://{host}:{self.server.server_address[1]}"

    def configure(self, config: dict) -> "WebApp":
        """What /config.json answers (apiBase, issuer, clientId, staffClientId;
        uploadOrigins: where the browser posts uploads), known once the API and the issuer
        are up."""
        self.config = json.dumps({k: v for k, v in config.items() if k != "uploadOrigins"}
                                 ).encode()
        self.headers = security_headers(config["apiBase"], config["issuer"],
                                        tuple(config.get("uploadOrigins", ())))
        return self

    def start(self) -> "WebApp":
        threading.Thread(target=self.server.serve_forever, name="web", daemon=True).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _file(self, path: str) -> Path | None:
        """The file a path names, or index.html (the app's router takes it from there);
        None for a missing asset (a hashed file of another build: a 404, not a page)."""
        try:
            candidate = (self.root / unquote(path).lstrip("/")).resolve()
            if candidate.is_file() and self.root.resolve() in candidate.parents:
                return candidate
        except (OSError, ValueError):  # a name too long for the file system, a NUL byte
            pass
        if path.startswith("/assets/"):
            return None
        # The workbench's own routes (/staff/…) are its page's; every other path the portal's.
        if path == "/staff" or path.startswith("/staff/"):
            return self.root / "staff" / "index.html"
        return self.root / "index.html"

    def _content(self, path: str) -> tuple[bytes, str, str] | None:
        """What a path answers: its bytes, content type and caching; None: a 404."""
        if path == "/config.json":
            body, kind, cache = self.config, "application/json", "no-store"
        else:
            file = self._file(path)
            if file is None:
                return None
            body = file.read_bytes()
            kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
            # Hashed assets never change; index.html must be asked for every time.
            cache = ("public, max-age=31536000, immutable"
                     if "/assets/" in path and file.name != "index.html" else "no-cache")
        if kind.startswith("text/") or kind in ("application/javascript", "application/json"):
            kind += "; charset=utf-8"
        return body, kind, cache

    def _handler(self):
        web = self

        class Handler(BaseHTTPRequestHandler):
            def do_HEAD(self):  # noqa: N802 (http.server's naming)
                self._answer(head=True)

            def do_GET(self):  # noqa: N802
                self._answer(head=False)

            def _answer(self, head: bool) -> None:
                found = web._content(urlsplit(self.path).path)
                if found is None:
                    self.send_error(404)
                    return
                body, kind, cache = found
                body, encoding = _gzipped(body, kind, self.headers.get("Accept-Encoding", ""))
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", cache)
                if encoding:
                    self.send_header("Content-Encoding", encoding)
                    self.send_header("Vary", "Accept-Encoding")
                for name, value in web.headers.items():
                    if name != "Strict-Transport-Security":  # plain HTTP on 127.0.0.1
                        self.send_header(name, value)
                self.end_headers()
                if not head:
                    self.wfile.write(body)

            def log_message(self, *args):  # quiet, like the API's server
                pass

        return Handler


def _gzipped(body: bytes, kind: str, accepted: str) -> tuple[bytes, str | None]:
    """The body gzipped, and its encoding, for a client that accepts it and a type that
    compresses; else as it is."""
    if "gzip" in accepted and kind.split(";")[0].endswith(
            ("javascript", "css", "html", "json", "svg+xml")):
        return gzip.compress(body, 6), "gzip"
    return body, None
