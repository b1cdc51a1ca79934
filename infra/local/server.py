"""The local embedded stack: `make run`.

On 127.0.0.1 only: moto in a process of its own (infra/local/moto_process.py, with
Step Functions execution and the DynamoDB shim), the resources of infra/template.json +
statemachines/, the Chalice app over HTTP, an event pump that delivers queue messages,
stream records and schedules to the app's own handlers (one thread per source), and demo
data. Ctrl-C (or SIGTERM) stops everything within a few seconds, however many workflows
are waiting.
"""
import argparse
import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta

from infra.local import paths  # where this stack's files go (OW_LOCAL_DIR)

HOST = "127.0.0.1"
REGION = "cn-north-1"
# Clients a burst may open at once before the kernel refuses connections (the standard
# library's default backlog is 5).
LISTEN_BACKLOG = 512
log = logging.getLogger("onewindow.local")


def _configure_environment(moto_port: int) -> str:
    endpoint = f"http://{HOST}:{moto_port}"
    os.environ.update({
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local",
        "AWS_DEFAULT_REGION": REGION, "AWS_REGION": REGION,
        "AWS_XRAY_SDK_ENABLED": "false",
        # As many connections to moto as the server has request threads at a burst.
        "OW_MAX_POOL_CONNECTIONS": "64",
    })
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN"):
        os.environ.pop(name, None)
    return endpoint


class MotoProcess:
    """moto on its own core: started, awaited, its output passed on, and stopped."""

    def __init__(self, port: int):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "infra.local.moto_process", "--port", str(port)],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            cwd=os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
        lines = []
        for line in self.process.stdout:
            if line.startswith("MOTO READY"):
                break
            lines.append(line)
        else:
            raise RuntimeError("moto did not start:\n" + "".join(lines))
        # Keep reading, so moto never blocks on a full pipe.
        threading.Thread(target=self._relay, name="moto-output", daemon=True).start()

    def _relay(self) -> None:
        for line in self.process.stdout:
            sys.stdout.write(f"moto: {line}")

    def stop(self, timeout: float = 5.0) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _request_handler():
    """Chalice's request handler, answering any method it has no `do_` for (TRACE,
    CONNECT, made-up ones) as API Gateway does: a JSON 405, not the standard library's
    HTML 501."""
    from chalice.local import ChaliceRequestHandler

    from chalicelib.contract import errors

    class RequestHandler(ChaliceRequestHandler):
        # The stock handler writes headers and body separately; with Nagle on, every
        # keep-alive response waits ~40 ms for the delayed ACK.
        disable_nagle_algorithm = True

        def log_message(self, format: str, *args) -> None:
            # The standard library prints each request line as sent: its query string
            # (?for=<USCC>, ?q=, a phone number) would reach the terminal unmasked.
            sys.stderr.write(access_line(self.address_string(), self.log_date_time_string(),
                                         format % args))

        def __getattr__(self, name: str):
            if name.startswith("do_"):
                return self._method_not_allowed
            raise AttributeError(name)

        def _method_not_allowed(self) -> None:
            import json
            import uuid
            request_id = str(uuid.uuid4())
            lang = errors.language(self.headers.get("accept-language"))
            body = json.dumps(errors.body("method_not_allowed", lang, field="method",
                                          detail=f"Unsupported method: {self.command}",
                                          request_id=request_id),
                              ensure_ascii=False).encode()
            length = int(self.headers.get("content-length") or 0)
            if 0 < length <= 1 << 20:
                self.rfile.read(length)
            else:
                self.close_connection = True
            self.send_response(405)
            allow = self._allowed_methods()
            if allow:
                self.send_header("Allow", allow)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("X-Request-Id", request_id)
            self.end_headers()
            self.wfile.write(body)

        def _allowed_methods(self) -> str | None:
            # Chalice's own gateway keeps its route matcher and app private; this is
            # development-only code, pinned with Chalice in requirements-dev.txt.
            gateway = self.local_gateway
            try:
                route = gateway.event_converter._route_matcher.match_route(self.path).route
            except ValueError:
                return None
            return ", ".join(sorted(gateway._app_object.routes[route]))

    return RequestHandler


def access_line(address: str, when: str, message: str) -> str:
    """One line of the local access log: the request line decoded (percent-escapes, so a
    number cannot hide in %31%33%38…), its personal data masked as in every log line, and
    anything unprintable escaped (a %0A cannot forge a second line)."""
    from urllib.parse import unquote_plus

    from chalicelib.domain.masking import mask_text
    shown = mask_text(unquote_plus(message, errors="replace"))
    shown = "".join(c if c.isprintable() else f"\\x{ord(c):02x}" if ord(c) < 256
                    else f"\\u{ord(c):04x}" for c in shown)
    return f"{address} - - [{when}] {shown}\n"


def _http_server(app, port: int):
    from chalice.config import Config
    from chalice.local import (CustomLocalChalice, LocalChalice, LocalDevServer,
                               ThreadedHTTPServer)
    ThreadedHTTPServer.request_queue_size = LISTEN_BACKLOG
    from infra.local.threads import thread_local_requests
    config = Config.create(chalice_app=app, app_name="onewindow", chalice_stage="local")
    # What chalice.local.create_local_server does, with our request handler.
    CustomLocalChalice.__bases__ = (LocalChalice, app.__class__)
    app.__class__ = CustomLocalChalice
    server = LocalDevServer(app, config, HOST, port, handler_cls=_request_handler())
    thread_local_requests(app)  # after the class swap above
    return server


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="OneWindow local embedded stack")
    parser.add_argument("--port", type=int, default=int(os.environ.get("OW_API_PORT", 8000)))
    parser.add_argument("--moto-port", type=int,
                        default=int(os.environ.get("OW_MOTO_PORT", 5000)))
    parser.add_argument("--oidc-port", type=int,
                        default=int(os.environ.get("OW_OIDC_PORT", 8001)),
                        help="the local OIDC issuer (0: any free port)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(message)s")

    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())

    endpoint = _configure_environment(args.moto_port)
    moto = MotoProcess(args.moto_port)
    try:
        return _serve(args, endpoint, stop)
    finally:
        moto.stop()


def _write_environment(env: dict) -> None:
    """What `make redrive` (infra/redrive.py) needs to reach this stack's queues."""
    keep = ("AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
            "AWS_DEFAULT_REGION", "AWS_REGION")
    env_file = paths.env_file()
    env_file.parent.mkdir(parents=True, exist_ok=True)
    env_file.write_text(json.dumps({**{k: os.environ[k] for k in keep}, **env}, indent=1),
                         "utf-8")


def _serve(args, endpoint: str, stop: threading.Event) -> int:
    from chalicelib import wiring
    from infra.local import demo
    from infra.local.clock import set_offset
    from infra.local.outbox import Outbox
    from infra.local.oidc import AUDIENCE, DEMO_PASSWORD, LocalIssuer
    from infra.local.pump import EventPump
    from infra.local.stack import create_resources
    env = create_resources(REGION, endpoint)
    # A fresh stack starts at the real time; `make clock` moves it on (infra/local/clock.py).
    set_offset(timedelta(0))
    env["OW_CLOCK_FILE"] = str(paths.clock_file())
    issuer = LocalIssuer(demo.USERS, HOST, args.oidc_port).start()
    # The API trusts the local issuer exactly as a deployment trusts its provider.
    env.update({"OW_OIDC_ISSUER": issuer.url, "OW_OIDC_AUDIENCE": AUDIENCE,
                "OW_OIDC_JWKS_URL": f"{issuer.url}/.well-known/jwks.json",
                # What printed licenses' QR codes open: this server, over plain HTTP.
                "OW_PUBLIC_BASE_URL": os.environ.get("OW_PUBLIC_BASE_URL")
                or f"http://{HOST}:{args.port}"})
    os.environ.update(env)
    _write_environment(env)
    wiring.configure()
    import app as app_module
    demo.load_catalogue()

    pump = EventPump(app_module.app, env, REGION, endpoint_url=endpoint)
    outbox = Outbox(env["OW_NOTIFICATIONS_TOPIC_ARN"], REGION, endpoint)
    pump_threads = pump.threads(stop) + [outbox.thread(stop)]
    for thread in pump_threads:
        thread.start()
    server = _http_server(app_module.app, args.port)
    threading.Thread(target=server.server.serve_forever, name="api", daemon=True).start()

    url = f"http://{HOST}:{args.port}"
    print(f"""
OneWindow local stack is up.
  API         {url}   (OpenAPI: {url}/openapi.json)
  AWS (moto)  {endpoint}
  OIDC issuer {issuer.url}   (discovery: {issuer.url}/.well-known/openid-configuration)
  A token:    curl -s -X POST {issuer.url}/token -d grant_type=password -d username=clerk -d password={DEMO_PASSWORD}
  Demo users: {", ".join(f"{k} ({v['role']}{'/' + v['dept'] if v.get('dept') else ''})" for k, v in demo.USERS.items())}
  Notifications that would be sent: {outbox.path}
  See README.md for the walk-through. Ctrl-C stops.
ISSUER {issuer.url}
READY {url}""", flush=True)

    stop.wait()
    print("stopping…", flush=True)
    started = time.monotonic()
    server.server.shutdown()
    server.server.server_close()
    issuer.stop()
    for thread in pump_threads:
        thread.join(timeout=max(0.1, 3 - (time.monotonic() - started)))
    pump.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
