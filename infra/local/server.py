"""The local embedded stack: `make run`.

On 127.0.0.1 only: moto in a process of its own (infra/local/moto_process.py, with
Step Functions execution and the DynamoDB shim), the resources of infra/template.json +
statemachines/, the Chalice app over HTTP, an event pump that delivers queue messages,
stream records and schedules to the app's own handlers (one thread per source), and demo
data. Ctrl-C (or SIGTERM, once or many times) stops everything in order — the HTTP server
and the requests it is answering, then the event pump's batches in hand, moto last — within
a few seconds, however many workflows are waiting (infra/local/stop_signal.py). The KMS
keys are kept across restarts (infra/local/kms_keys.py); the data is not (docs/local-stack.md).
"""
import argparse
import json
import logging
import os
import subprocess
import sys
import threading
import time
from datetime import timedelta

from infra.local import paths  # where this stack's files go (OW_LOCAL_DIR)
from infra.local.console import say
from infra.local.stop_signal import StopSignal

HOST = "127.0.0.1"
REGION = "cn-north-1"
# Clients a burst may open at once before the kernel refuses connections (the standard
# library's default backlog is 5).
LISTEN_BACKLOG = 512
log = logging.getLogger("onewindow.local")
# How long a stop waits for the requests being answered, then for the event pump's batches
# in hand (from the stop's start), and at most in all.
REQUEST_GRACE_SECONDS = 10.0
PUMP_GRACE_SECONDS = 30.0
STOP_SECONDS = 50.0


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

    def __init__(self, port: int, keys_file=None):
        keys = ["--keys-file", str(keys_file)] if keys_file else []
        self.process = subprocess.Popen(
            [sys.executable, "-m", "infra.local.moto_process", "--port", str(port), *keys],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            cwd=os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
            # Out of the terminal's process group: Ctrl-C reaches the stack, which stops
            # moto last (infra/local/stop_signal.py), not moto at once under the pump's
            # feet. moto still ends with its parent, however that ends.
            start_new_session=True)
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


def _http_server(app, port: int, answered=None):
    from chalice.config import Config
    from chalice.local import CustomLocalChalice, LocalChalice, LocalDevServer, ThreadedHTTPServer
    ThreadedHTTPServer.request_queue_size = LISTEN_BACKLOG
    from infra.local.threads import thread_local_requests
    config = Config.create(chalice_app=app, app_name="onewindow", chalice_stage="local")
    # What chalice.local.create_local_server does, with our request handler.
    CustomLocalChalice.__bases__ = (LocalChalice, app.__class__)
    app.__class__ = CustomLocalChalice
    from infra.local.request_handler import InFlight, handler_class
    in_flight = InFlight(answered)
    server = LocalDevServer(app, config, HOST, port, handler_cls=handler_class(in_flight))
    server.requests_in_flight = in_flight  # a stop waits for them
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
    parser.add_argument("--portal-port", type=int,
                        default=int(os.environ.get("OW_PORTAL_PORT", 8080)),
                        help="where the built portal is served (0: any free port)")
    for app_name, port in (("portal", 5173), ("workbench", 5174)):
        parser.add_argument(f"--{app_name}-origins",
                            default=os.environ.get(f"OW_{app_name.upper()}_ORIGINS"),
                            help=f"where the {app_name}'s dev server runs, comma-separated "
                                 f"(default: http://127.0.0.1:{port},http://localhost:{port}); "
                                 "the issuer redirects to <origin>/callback and, after "
                                 "sign-out, to <origin>/")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(message)s")

    # Before anything starts: a signal during startup stops the stack once it is up.
    signals = StopSignal().install()
    endpoint = _configure_environment(args.moto_port)
    moto = MotoProcess(args.moto_port, paths.keys_file())
    try:
        return _serve(args, endpoint, signals)
    finally:
        moto.stop()  # last: nothing of the stack's still calls it


def _write_environment(env: dict) -> None:
    """What `make redrive` (infra/redrive.py) needs to reach this stack's queues."""
    keep = ("AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
            "AWS_DEFAULT_REGION", "AWS_REGION")
    env_file = paths.env_file()
    env_file.parent.mkdir(parents=True, exist_ok=True)
    env_file.write_text(json.dumps({**{k: os.environ[k] for k in keep}, **env}, indent=1),
                         "utf-8")


def _serve(args, endpoint: str, signals: StopSignal) -> int:
    from chalicelib import wiring
    from infra.local import demo
    from infra.local.clock import set_offset
    from infra.local.oidc import (
        AUDIENCE,
        DEMO_PASSWORD,
        PORTAL_CLIENT_ID,
        PORTAL_ORIGINS,
        WORKBENCH_CLIENT_ID,
        WORKBENCH_ORIGINS,
        WORKBENCH_PATH,
        LocalIssuer,
        demo_clients,
    )
    from infra.local.outbox import Outbox
    from infra.local.pump import EventPump
    from infra.local.registries import started_for
    from infra.local.stack import create_resources
    from infra.local.web import WebApp
    # Bound first: the issuer registers the portal's address as a client's redirect URI.
    portal = WebApp("portal", HOST, args.portal_port)
    clients = demo_clients(
        args.portal_origins.split(",") if args.portal_origins
        else (portal.url, portal.url.replace(HOST, "localhost"), *PORTAL_ORIGINS),
        args.workbench_origins.split(",") if args.workbench_origins else WORKBENCH_ORIGINS)
    # The front ends signing in at the issuer call the API, and post uploads to the
    # materials bucket, from their origins (the API's CORS, the bucket's CORS rule).
    front_ends = os.environ.get("OW_CORS_ORIGINS") or ",".join(sorted(
        set().union(*(client.origins() for client in clients.values()))))
    # 国密: OW_LOCAL_SIGNING_KEY_SPEC=SM2 signs with a real SM2 key (moto shim, part 9), as
    # a stage packaged with `signingKeySpec: SM2`.
    env = create_resources(REGION, endpoint, front_end_origins=front_ends.split(","),
                           signing_key_spec=os.environ.get("OW_LOCAL_SIGNING_KEY_SPEC") or None)
    # A fresh stack starts at the real time; `make clock` moves it on (infra/local/clock.py).
    set_offset(timedelta(0))
    env["OW_CLOCK_FILE"] = str(paths.clock_file())
    issuer = LocalIssuer(demo.USERS, HOST, args.oidc_port, clients).start()
    # The demo base-data registries (人口库, 法人库, 信用信息库) over HTTP, as the
    # provincial exchange would answer: on a free port, named in OW_DATA_SOURCES.
    registries = started_for(env, REGION, endpoint)
    env["OW_DATA_SOURCES"] = os.environ.get("OW_DATA_SOURCES") or registries.sources()
    # The API trusts the local issuer exactly as a deployment trusts its provider.
    env.update({"OW_OIDC_ISSUER": issuer.url, "OW_OIDC_AUDIENCE": AUDIENCE,
                "OW_OIDC_JWKS_URL": f"{issuer.url}/.well-known/jwks.json",
                "OW_CORS_ORIGINS": front_ends,
                # What printed licenses' QR codes open: this server, over plain HTTP.
                "OW_PUBLIC_BASE_URL": os.environ.get("OW_PUBLIC_BASE_URL")
                or f"http://{HOST}:{args.port}"})
    os.environ.update(env)
    _write_environment(env)
    wiring.configure()
    import app as app_module
    demo.load_catalogue()

    stop = threading.Event()
    pump = EventPump(app_module.app, env, REGION, endpoint_url=endpoint)
    outbox = Outbox(env["OW_NOTIFICATIONS_TOPIC_ARN"], REGION, endpoint)
    pump_threads = pump.threads(stop) + [outbox.thread(stop)]
    for thread in pump_threads:
        thread.start()
    server = _http_server(app_module.app, args.port, answered=pump.nudge)
    threading.Thread(target=server.server.serve_forever, name="api", daemon=True).start()

    url = f"http://{HOST}:{args.port}"
    portal.configure({"apiBase": url, "issuer": issuer.url, "clientId": PORTAL_CLIENT_ID,
                      "staffClientId": WORKBENCH_CLIENT_ID,
                      "uploadOrigins": [endpoint]}).start()
    staff = "clerk, scjg, scjg_lead, supervisor, admin / demo"
    token = (f"curl -s -X POST {issuer.url}/token -d grant_type=password -d username=clerk "
             f"-d password={DEMO_PASSWORD}")
    client_list = "; ".join(f"{c.client_id} ({', '.join(c.redirect_uris) or 'password grant'})"
                            for c in clients.values())
    users = ", ".join(f"{k} ({v['role']}{'/' + v['dept'] if v.get('dept') else ''})"
                      for k, v in demo.USERS.items())
    say(f"""
OneWindow local stack is up.
  Portal      {portal.url}/   (网上办事大厅: open it in a browser; sign in as company / demo)
  Workbench   {portal.url}{WORKBENCH_PATH}   (政务服务工作台, staff: {staff})
  API         {url}   (OpenAPI: {url}/openapi.json)
  AWS (moto)  {endpoint}
  OIDC issuer {issuer.url}   (discovery: {issuer.url}/.well-known/openid-configuration)
  Registries  {registries.url}   (demo 人口库 / 法人库 / 信用信息库; docs/data-sharing.md)
  A token:    {token}
  Clients:    {client_list}
  Demo users: {users}
  Notifications that would be sent: {outbox.path}
  Kept across restarts: the KMS keys (licenses signed before still verify), in {paths.keys_file()}
  NOT kept: every case, license record, upload, task and the supervision record live in
  moto's memory and are gone when this stack stops; a new `make run` starts empty.
  See README.md for the walk-through. Ctrl-C stops.
ISSUER {issuer.url}
REGISTRIES {registries.url}
PORTAL {portal.url}
WORKBENCH {portal.url}{WORKBENCH_PATH}
READY {url}""")

    signals.wait()
    say("stopping…")
    portal.stop()
    _stop_in_order(server, issuer, stop, pump_threads, pump)
    registries.stop()
    return 0


def _stop_in_order(server, issuer, stop: threading.Event, pump_threads: list,
                   pump) -> None:
    """Everything that calls moto stops before moto does (main() stops it last): no new
    requests, the requests being answered finish, then the pump and the outbox finish
    the batch in hand. Each wait is bounded, and the whole stop is too: a stop that
    still has not ended after STOP_SECONDS ends the process (with a line saying so)."""
    threading.Thread(target=_exit_after, args=(STOP_SECONDS,), name="stop deadline",
                     daemon=True).start()
    started = time.monotonic()

    def left(bound: float) -> float:
        return max(0.1, bound - (time.monotonic() - started))
    server.server.shutdown()
    server.server.server_close()
    if not server.requests_in_flight.wait_idle(left(REQUEST_GRACE_SECONDS)):
        log.warning("stopping with requests still being answered")
    issuer.stop()
    pump.halt(stop)
    for thread in pump_threads:
        thread.join(timeout=left(PUMP_GRACE_SECONDS))
    busy = [thread.name for thread in pump_threads if thread.is_alive()]
    if busy:
        log.warning("stopping while still delivering: %s", ", ".join(busy))
    if not pump.close(grace=0.0 if busy else left(PUMP_GRACE_SECONDS)):
        log.warning("stopping with queue batches still being delivered")


def _exit_after(seconds: float) -> None:
    time.sleep(seconds)
    sys.stderr.write(f"the local stack did not stop within {seconds:.0f} s; exiting\n")
    sys.stderr.flush()
    os._exit(1)


if __name__ == "__main__":
    sys.exit(main())
