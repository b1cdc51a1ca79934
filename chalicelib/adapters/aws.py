"""boto3 clients, created on first use (cold starts import boto3 only when needed)."""
import functools

from .. import config


@functools.cache
def client(service: str):
    import boto3
    from botocore.config import Config
    cfg = config.get()
    # Step Functions throttles starts and callbacks by quota (StartExecution 150/s
    # outside the largest regions): its client backs off and paces itself when told to.
    retries = {"mode": "adaptive", "max_attempts": 8} if service == "stepfunctions" \
        else {"mode": "standard"}
    # A service that hangs (not one that answers 5xx) must fail a call well inside the
    # function's 30 s, so the handler still records what failed (settlement markers)
    # instead of timing out with nothing written: botocore waits 60 s per attempt
    # otherwise. Every call here answers in well under a second when the service is up.
    return boto3.client(service, region_name=cfg.region, endpoint_url=cfg.endpoint_url,
                        config=Config(max_pool_connections=cfg.max_pool_connections,
                                      retries=retries, connect_timeout=2, read_timeout=5))


def reset() -> None:
    client.cache_clear()
