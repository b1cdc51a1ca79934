"""The public read path on the local stack: GET /items/{code} against GET /health (the
app's barest route, through the same server and middleware) at concurrency C, measured
side by side: rounds alternate between the two, and the ratio is the median of the
per-pair ratios. Clients are keep-alive connections on threads of this process.

    python -m bench.read_path [--concurrency 16] [--seconds 2] [--pairs 5]   # prints JSON
"""
import argparse
import http.client
import json
import threading
import time
from urllib.parse import urlsplit

from infra.local import demo

FOOD = demo.code_of("000201012000", "SCJG")


def rate(url: str, path: str, concurrency: int, seconds: float) -> float:
    """Requests per second answered 200 (or 304) on `path` by `concurrency` clients."""
    parts = urlsplit(url)
    stop = time.monotonic() + seconds
    counts = [0] * concurrency
    failures = []

    def client(i: int) -> None:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        try:
            while time.monotonic() < stop:
                connection.request("GET", path)
                answer = connection.getresponse()
                answer.read()
                if answer.status != 200:
                    failures.append(answer.status)
                    return
                counts[i] += 1
        finally:
            connection.close()

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise RuntimeError(f"{path} answered {failures[:5]}")
    return sum(counts) / (time.monotonic() - started)


def compare(url: str, concurrency: int = 16, seconds: float = 2.0, pairs: int = 5) -> dict:
    from bench.paired import alternate
    rate(url, f"/items/{FOOD}", concurrency, 0.5)   # warm: the first read fills the cache
    return {"concurrency": concurrency, "seconds_per_round": seconds, **alternate(
        ("get_item_rps", lambda: rate(url, f"/items/{FOOD}", concurrency, seconds)),
        ("bare_route_rps", lambda: rate(url, "/health", concurrency, seconds)), pairs,
        digits=1)}


def run(concurrency: int = 16, seconds: float = 2.0, pairs: int = 5) -> dict:
    from tests.e2e.local_stack import started
    with started() as stack:
        return compare(stack.url, concurrency, seconds, pairs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--pairs", type=int, default=5)
    args = parser.parse_args()
    print(json.dumps(run(args.concurrency, args.seconds, args.pairs), indent=2))


if __name__ == "__main__":
    main()
