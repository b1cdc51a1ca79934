"""The demo base-data registries (人口库, 法人库, 信用信息库) over HTTP, for the local stack
and the tests: what a provincial data exchange answers, so the client the functions use
(chalicelib/adapters/registries.py) is the one tested.

`POST /<registry>/query` with a signed body (the data-exchange secret, as the exchange
holds it) answers `{"subject": …, "record": …}` with the fields asked for, or 404; an
unsigned, stale or wrongly signed request is 401, a request without requester, purpose
or basis 400 — an exchange refuses what our own code must never send. Every query it
answered is kept (`queries`) for the tests to read.

`PUT /control/<registry>` with `{"delaySeconds": n}` or `{"down": true}` makes one slow or
unreachable (`{}` restores it): how a test sees a registry time out over real HTTP.
"""
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from chalicelib.adapters.registries import signature

DATA = Path(__file__).resolve().parent / "data" / "registries.json"
MAX_SKEW_SECONDS = 300


class _Handler(BaseHTTPRequestHandler):
    """One request to the registries (`self.server.registries`)."""

    def log_message(self, *_):
        pass

    def _answer(self, status: int, body: dict) -> None:
        raw = json.dumps(body, ensure_ascii=False).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)
        except (BrokenPipeError, ConnectionResetError):
            pass   # the caller gave up waiting (a slow registry's answer)

    def do_PUT(self):  # noqa: N802 - the standard library's name
        registries = self.server.registries
        name = self.path.removeprefix("/control/")
        length = int(self.headers.get("Content-Length") or 0)
        registries.control[name] = json.loads(self.rfile.read(length) or b"{}")
        self._answer(200, {"control": registries.control[name]})

    def do_POST(self):  # noqa: N802
        registries = self.server.registries
        name, _, rest = self.path.strip("/").partition("/")
        if rest != "query" or name not in registries.records:
            return self._answer(404, {"error": "no such registry"})
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        control = registries.control.get(name) or {}
        if control.get("down"):
            self.close_connection = True
            return self.connection.close()
        if not self._signed(body):
            return self._answer(401, {"error": "not signed by the exchange's key"})
        request = json.loads(body)
        if not all(request.get(k) for k in ("requester", "purpose", "basis")):
            return self._answer(400, {"error": "requester, purpose and basis"})
        with registries.lock:
            registries.queries.append({"registry": name, **request})
        # A slow registry is slow to answer: the query was made (and kept above).
        time.sleep(float(control.get("delaySeconds") or 0))
        record = registries.records[name].get(request.get("subject"))
        if record is None:
            return self._answer(404, {"error": "no record"})
        fields = request.get("fields") or list(record)
        return self._answer(200, {"subject": request["subject"],
                                  "record": {k: record[k] for k in fields if k in record}})

    def _signed(self, body: bytes) -> bool:
        stamp = self.headers.get("X-OW-Timestamp") or ""
        given = self.headers.get("X-OW-Signature") or ""
        return stamp.isdigit() and abs(time.time() - int(stamp)) <= MAX_SKEW_SECONDS and \
            hmac.compare_digest(given, signature(self.server.registries.secret, stamp, body))


class Registries:
    def __init__(self, secret: str, host: str = "127.0.0.1", port: int = 0,
                 records: dict | None = None):
        self.secret = secret
        self.records = records if records is not None else \
            json.loads(DATA.read_text("utf-8"))
        self.queries: list[dict] = []
        self.control: dict[str, dict] = {}
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer((host, port), _Handler)
        self.server.daemon_threads = True
        self.server.registries = self
        self.url = f"http://{host}:{self.server.server_address[1]}"

    def sources(self, timeout: float = 2.0) -> str:
        """OW_DATA_SOURCES naming these registries."""
        return json.dumps({name: {"url": f"{self.url}/{name}", "timeoutSeconds": timeout}
                           for name in self.records})

    def start(self) -> "Registries":
        threading.Thread(target=self.server.serve_forever, name="registries",
                         daemon=True).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def started_for(env: dict, region: str, endpoint_url: str | None = None,
                host: str = "127.0.0.1") -> Registries:
    """The demo registries, holding the stack's data-exchange secret as the exchange would
    (read from its Secrets Manager), started on a free port: `OW_DATA_SOURCES` names them."""
    import boto3
    secret = boto3.client("secretsmanager", region_name=region, endpoint_url=endpoint_url) \
        .get_secret_value(SecretId=env["OW_DATA_EXCHANGE_SECRET_ID"])["SecretString"]
    return Registries(secret, host).start()
