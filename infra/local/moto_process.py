"""moto in a process of its own, for the local stack (`make run`).

In the API's process moto shared the GIL with every request (GET /items/{code} at
concurrency 16 served 63 req/s, a bare Chalice route on the same server 5,072); on its own
it has a core to itself. The DynamoDB shim is installed before anything is served, Step
Functions execution is switched on, and the process ends with its parent: on SIGTERM or
SIGINT, or as soon as the parent is gone. Waiting executions are threads of this process,
so ending it ends them at once, however many there are.

moto is served by waitress rather than moto's own werkzeug server: werkzeug's development
server closes the connection after every answer (and starts a thread for every
connection), so each of the stack's requests to moto paid a TCP connection and a thread
on both sides; waitress keeps connections open and answers on a fixed pool of threads
(`make bench BENCH_ARGS=moto-server` compares the two).

    python -m infra.local.moto_process --port 5000 [--keys-file build/local-keys.json]
    # prints "MOTO READY <url>"
"""
import argparse
import os
import signal
import sys
import threading
import time
from pathlib import Path

HOST = "127.0.0.1"


def _exit_with_parent(parent: int) -> None:
    while True:
        if os.getppid() != parent:
            os._exit(0)
        time.sleep(0.5)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="moto for the OneWindow local stack")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--keys-file", help="the KMS keys kept across restarts "
                        "(infra/local/kms_keys.py)")
    args = parser.parse_args(argv)
    # The Step Functions executor calls services back on localhost:$MOTO_PORT.
    os.environ["MOTO_PORT"] = str(args.port)
    # moto's server would answer every origin with CORS headers; S3 answers a browser as
    # the bucket's CORS rule says (the stage's front-end origins, infra/template.json),
    # so a browser upload from an origin the rule leaves out fails here as on AWS.
    os.environ["MOTO_DISABLE_GLOBAL_CORS"] = "true"

    from moto.core.config import default_user_config

    from infra.local import moto_shim
    moto_shim.install()
    if args.keys_file:
        from infra.local import kms_keys
        kms_keys.install(Path(args.keys_file))
    default_user_config["stepfunctions"] = {"execute_state_machine": True}

    # Executions wait on daemon threads; nothing here needs an orderly shutdown (moto's
    # state lives in memory and goes with the process; only the KMS keys' material is
    # kept, in the keys file).
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: os._exit(0))
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()

    server = serve(HOST, args.port)
    print(f"MOTO READY http://{HOST}:{args.port}", flush=True)
    server.run()
    return 0


# Requests moto answers at once: the event pump's long polls hold one each (a queue
# each, and the outbox) and a burst brings as many as the API has request threads
# (infra/local/server.py); moto holds the GIL for most of a request, so more threads
# than that only queue in it.
THREADS = 48
# Connections kept open: every boto3 client of the stack keeps a pool of its own.
CONNECTIONS = 1000


def serve(host: str, port: int):
    """moto's WSGI application on `host:port` (bound, not yet serving: `.run()`)."""
    import logging

    import waitress
    # "Task queue depth is N": requests waiting for a thread in a burst, which is expected.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
    return waitress.create_server(
        DomainDispatcherApplication(create_backend_app), host=host, port=port,
        threads=THREADS, connection_limit=CONNECTIONS, backlog=1024,
        # poll(), not select(): select cannot watch more than 1,024 sockets.
        asyncore_use_poll=True, ident="moto")


if __name__ == "__main__":
    sys.exit(main())
