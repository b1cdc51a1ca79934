"""boto3 clients, created on first use (cold starts import boto3 only when needed)."""
import functools

from .. import config


@functools.lru_cache(maxsize=None)
def client(service: str):
    import boto3
    cfg = config.get()
    return boto3.client(service, region_name=cfg.region, endpoint_url=cfg.endpoint_url)


def reset() -> None:
    client.cache_clear()
