"""boto3 clients, created on first use (cold starts import boto3 only when needed)."""
import functools

from .. import config


@functools.lru_cache(maxsize=None)
def client(service: str):
    import boto3
    from botocore.config import Config
    cfg = config.get()
    # Step Functions throttles starts and callbacks by quota (StartExecution 150/s
    # outside the largest regions): its client backs off and paces itself when told to.
    retries = {"mode": "adaptive", "max_attempts": 8} if service == "stepfunctions" \
        else {"mode": "standard"}
    return boto3.client(service, region_name=cfg.region, endpoint_url=cfg.endpoint_url,
                        config=Config(max_pool_connections=cfg.max_pool_connections,
                                      retries=retries))


def reset() -> None:
    client.cache_clear()
