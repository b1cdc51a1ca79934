"""The process's one DynamoDB connection, which every table's models use.

PynamoDB gives each model class a connection of its own; here they all share one botocore
client, built once for the region and endpoint the models are bound to (binding.bind)."""
import threading

from pynamodb.connection import Connection
from pynamodb.transactions import TransactGet, TransactWrite


class SharedClient:
    """Every model's connection uses the one botocore client of `connection()`.

    PynamoDB gives each model class a Connection of its own, and each builds a client on
    first use (~150 ms of CPU and megabytes): a cold start paid it for every record type
    a request touched, and concurrent first uses each built one."""

    @classmethod
    def _get_connection(cls):
        table_connection = super()._get_connection()
        if table_connection.connection._client is None:
            # PynamoDB's own hook on its client only adds configured extra headers
            # (none here), so one client serves every connection.
            table_connection.connection._client = connection().client
        return table_connection


_connection: Connection | None = None
# Where the models are bound (binding.bind): the region, endpoint and pool size the
# connection is built for.
_region: str | None = None
_host: str | None = None
_pool_size = 10
_connection_lock = threading.Lock()


def rebind(region: str | None, host: str | None, pool_size: int) -> None:
    """Build the next connection for this region, endpoint and pool size (the models were
    bound anew)."""
    global _connection, _region, _host, _pool_size
    _connection, _region, _host, _pool_size = None, region, host, pool_size


def connection() -> Connection:
    """The process's one DynamoDB connection, for the bound region and endpoint; its
    client is built once, under a lock (concurrent first uses would each build one)."""
    global _connection
    with _connection_lock:
        if _connection is None:
            shared = Connection(region=_region,
                                host=_host,
                                max_pool_connections=_pool_size)
            shared.client  # noqa: B018 (built now, once)
            _connection = shared
        return _connection


def transact_write() -> TransactWrite:
    """A write transaction on the configured region and endpoint (any of our tables)."""
    return TransactWrite(connection=connection())


def transact_get() -> TransactGet:
    """A read of several items as one snapshot, on the configured region and endpoint."""
    return TransactGet(connection=connection())
