"""moto in a process of its own, for the local stack (`make run`).

In the API's process moto shared the GIL with every request (GET /items/{code} at
concurrency 16 served 63 req/s, a bare Chalice route on the same server 5,072); on its own
it has a core to itself. The DynamoDB shim is installed before anything is served, Step
Functions execution is switched on, and the process ends with its parent: on SIGTERM or
SIGINT, or as soon as the parent is gone. Waiting executions are threads of this process,
so ending it ends them at once, however many there are.

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

    import logging
    # werkzeug logs every request at INFO: a tenth of moto's CPU in a burst.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    from moto.core.config import default_user_config
    from moto.server import ThreadedMotoServer

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

    server = ThreadedMotoServer(ip_address=HOST, port=args.port, verbose=False)
    server.start()
    print(f"MOTO READY http://{HOST}:{args.port}", flush=True)
    threading.Event().wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
