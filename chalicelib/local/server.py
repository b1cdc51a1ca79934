"""The local embedded stack: `make run`.

On 127.0.0.1 only: a moto server with Step Functions execution, the resources of
infra/template.json + statemachines/, the Chalice app over HTTP, an event pump that
delivers queue messages and stream records to the app's own handlers, and demo data.
Ctrl-C (or SIGTERM) stops everything.
"""
import argparse
import json
import logging
import os
import secrets
import signal
import sys
import threading
import urllib.request

HOST = "127.0.0.1"
REGION = "cn-north-1"


def _configure_environment(moto_port: int) -> str:
    endpoint = f"http://{HOST}:{moto_port}"
    os.environ.update({
        # The Step Functions executor calls services back on localhost:$MOTO_PORT.
        "MOTO_PORT": str(moto_port),
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local",
        "AWS_DEFAULT_REGION": REGION, "AWS_REGION": REGION,
        "AWS_XRAY_SDK_ENABLED": "false",
        "OW_DEV_TOKENS": "1",
    })
    os.environ.setdefault("OW_TOKEN_SECRET", secrets.token_urlsafe(32))
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN"):
        os.environ.pop(name, None)
    return endpoint


def _enable_step_functions_execution(endpoint: str) -> None:
    request = urllib.request.Request(
        f"{endpoint}/moto-api/config", method="POST",
        data=json.dumps({"stepfunctions": {"execute_state_machine": True}}).encode(),
        headers={"Content-Type": "application/json"})
    urllib.request.urlopen(request, timeout=10).read()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="OneWindow local embedded stack")
    parser.add_argument("--port", type=int, default=int(os.environ.get("OW_API_PORT", 8000)))
    parser.add_argument("--moto-port", type=int,
                        default=int(os.environ.get("OW_MOTO_PORT", 5000)))
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    for noisy in ("werkzeug", "botocore", "moto", "urllib3"):
        logging.getLogger(noisy).setLevel(logging.WARNING)

    endpoint = _configure_environment(args.moto_port)
    from moto.server import ThreadedMotoServer
    moto_server = ThreadedMotoServer(ip_address=HOST, port=args.moto_port, verbose=False)
    moto_server.start()
    _enable_step_functions_execution(endpoint)

    from chalicelib import wiring
    from chalicelib.local import demo
    from chalicelib.local.stack import EventPump, create_resources
    env = create_resources(REGION, endpoint)
    os.environ.update(env)
    wiring.configure()
    import app as app_module
    demo.load_catalogue()

    stop = threading.Event()
    pump = EventPump(app_module.app, env, REGION, endpoint_url=endpoint)
    pump_thread = threading.Thread(target=pump.run_forever, args=(stop,), name="event-pump",
                                   daemon=True)
    pump_thread.start()

    from chalice.config import Config
    from chalice.local import ChaliceRequestHandler, create_local_server
    # The stock handler writes headers and body separately; with Nagle on, every
    # keep-alive response waits ~40 ms for the delayed ACK.
    ChaliceRequestHandler.disable_nagle_algorithm = True
    config = Config.create(chalice_app=app_module.app, app_name="onewindow",
                           chalice_stage="local")
    server = create_local_server(app_module.app, config, HOST, args.port)
    server_thread = threading.Thread(target=server.server.serve_forever, name="api",
                                     daemon=True)
    server_thread.start()

    url = f"http://{HOST}:{args.port}"
    print(f"""
OneWindow local stack is up.
  API         {url}   (OpenAPI: {url}/openapi.json)
  AWS (moto)  {endpoint}
  Demo tokens: curl -s -X POST {url}/auth/dev-token -H 'Content-Type: application/json' -d '{{"sub": "staff:li-clerk", "role": "clerk", "dept": "ZWFW"}}'
  Demo users:  {", ".join(f"{k} ({v['role']}{'/' + v['dept'] if v.get('dept') else ''})" for k, v in demo.USERS.items())}
  See README.md for the walk-through. Ctrl-C stops.
READY {url}""", flush=True)

    def _stop(*_):
        stop.set()

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    stop.wait()
    print("stopping…", flush=True)
    server.shutdown()
    pump_thread.join(timeout=5)
    moto_server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
