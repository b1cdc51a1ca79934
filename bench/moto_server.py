"""What serving moto with waitress saves (infra/local/moto_process.py): the same requests
(SQS receives, DynamoDB puts and gets, as the event pump and the API make them) sent by a
boto3 client to moto's own werkzeug server, which closes the connection after every answer,
and to waitress, which keeps it open — in turn, in fresh server processes, and the CPU
seconds of both sides (client and server) — the medians and the median of the per-pair
ratios. Also what an idle local stack costs: the CPU share of its processes (API and event
pump, moto) over a quiet stretch, with the load average beside it.

    python -m bench.run moto-server    # or `make bench BENCH_ARGS=moto-server`
"""
import os
import subprocess
import sys
import time
from pathlib import Path

from bench.loop import ROOT
from bench.paired import alternate

REQUESTS = 600
PAIRS = 4
IDLE_SECONDS = 20.0
REGION = "cn-north-1"

# A moto server of either kind, as a fresh process: prints "ready" once it is bound.
_SERVER = """
import sys, threading
kind, port = sys.argv[1], int(sys.argv[2])
from infra.local import moto_shim
moto_shim.install()
if kind == "werkzeug":
    import logging
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    from moto.server import ThreadedMotoServer
    ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False).start()
    print("ready", flush=True)
    threading.Event().wait()
else:
    from infra.local.moto_process import serve
    server = serve("127.0.0.1", port)
    print("ready", flush=True)
    server.run()
"""


def _cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _requests_cpu(kind: str) -> float:
    """CPU seconds (client and server) of REQUESTS requests to a fresh server of `kind`."""
    import boto3

    from tests.e2e.local_stack import free_port
    port = free_port()
    server = subprocess.Popen([sys.executable, "-c", _SERVER, kind, str(port)], cwd=ROOT,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout.readline().strip() == "ready"
        options = {"region_name": REGION, "endpoint_url": f"http://127.0.0.1:{port}",
                   "aws_access_key_id": "bench", "aws_secret_access_key": "bench"}
        sqs, dynamodb = boto3.client("sqs", **options), boto3.client("dynamodb", **options)
        url = sqs.create_queue(QueueName="bench")["QueueUrl"]
        dynamodb.create_table(TableName="bench", BillingMode="PAY_PER_REQUEST",
                              KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                              AttributeDefinitions=[{"AttributeName": "pk",
                                                     "AttributeType": "S"}])
        server_before, client_before = _cpu(server.pid), time.process_time()
        for n in range(REQUESTS // 3):
            sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)
            dynamodb.put_item(TableName="bench", Item={"pk": {"S": f"case-{n}"},
                                                       "status": {"N": "1"}})
            dynamodb.get_item(TableName="bench", Key={"pk": {"S": f"case-{n}"}})
        return (_cpu(server.pid) - server_before) + (time.process_time() - client_before)
    finally:
        server.kill()
        server.wait()


def _idle_stack() -> dict:
    """The CPU share of an idle local stack's processes over IDLE_SECONDS."""
    from tests.e2e.local_stack import started, with_children
    with started() as stack:
        time.sleep(5)  # past start-up
        pids = with_children(stack.process.pid)
        before = sum(_cpu(pid) for pid in pids)
        time.sleep(IDLE_SECONDS)
        share = (sum(_cpu(pid) for pid in pids) - before) / IDLE_SECONDS
    return {"idle_stack_cpu_share_of_a_core": round(share, 3),
            "over_seconds": IDLE_SECONDS, "load_average": os.getloadavg()[0]}


def run(pairs: int = PAIRS) -> dict:
    served = alternate(("waitress_cpu_seconds", lambda: _requests_cpu("waitress")),
                       ("werkzeug_cpu_seconds", lambda: _requests_cpu("werkzeug")),
                       pairs, digits=2)
    return {"requests": REQUESTS, **served,
            "ratio": "waitress / moto's werkzeug server (CPU seconds, client and server)",
            **_idle_stack()}
