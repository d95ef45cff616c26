"""The Redis connection pool of the services' asyncio clients (the bridge's and the handoff
service's), sized from their limits, waiting briefly for a free connection.

redis-py's default pool holds 100 connections and fails a command at once (MaxConnectionsError)
when all are in use: a burst of customers, each within their limits, turned into errors while
Redis itself was idle. This pool (redis-py's BlockingConnectionPool) makes a command wait up to
`timeout_s` for a connection instead. When none frees up in time it raises MaxConnectionsError,
redis-py's own "pool exhausted" error (a ConnectionError, so callers treat it like Redis being
away), rather than the blocking pool's plain ConnectionError, so that readiness can tell a
saturated pool from an unreachable Redis.
"""

from __future__ import annotations

import asyncio
from typing import Any, Protocol

from redis import Redis
from redis.asyncio import BlockingConnectionPool
from redis.backoff import ExponentialBackoff
from redis.exceptions import BusyLoadingError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import MaxConnectionsError
from redis.retry import Retry

# Connections a service's background tasks hold for good or for long (a pub/sub subscription,
# stream readers blocked in XREADGROUP, heartbeats), with room to spare.
BACKGROUND_CONNECTIONS = 8


class PoolLimits(Protocol):
    """The settings a pool is sized from; both services name them the same way."""

    redis_max_connections: int | None
    ip_connection_burst: int
    ip_request_burst: int


def pool_size(settings: PoolLimits) -> int:
    """`redis_max_connections`, or by default one client address's whole burst plus background.

    A request or a new socket runs its Redis commands one after another, so it holds at most one
    connection at a time: a pool as large as one address's burst (new sockets or HTTP requests,
    whichever is larger) lets that burst run without waiting. Several addresses bursting at once
    queue for a connection for up to the pool timeout; a command takes well under a millisecond,
    so a queue of hundreds clears in milliseconds. A larger pool gains little (Redis runs one
    command at a time) and every instance's pool counts against Redis's `maxclients` (10,000).
    """
    if settings.redis_max_connections is not None:
        return settings.redis_max_connections
    return max(settings.ip_connection_burst, settings.ip_request_burst) + BACKGROUND_CONNECTIONS


class WaitingConnectionPool(BlockingConnectionPool):
    """A blocking pool whose "no connection free in time" is MaxConnectionsError."""

    async def get_connection(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return await super().get_connection(*args, **kwargs)
        except MaxConnectionsError:
            raise
        except RedisConnectionError as error:
            # The blocking pool raises ConnectionError "from" the timeout of its wait; a failure
            # to connect to Redis is a ConnectionError without that cause and passes unchanged.
            if isinstance(error.__cause__, asyncio.TimeoutError):
                raise MaxConnectionsError(
                    f"no Redis connection free within {self.timeout:g} s ({self.max_connections} in use)"
                ) from error
            raise

    @property
    def in_use(self) -> int:
        return len(self._in_use_connections)


def waiting_pool(
    url: str, *, max_connections: int, timeout_s: float, **connection_options: Any
) -> WaitingConnectionPool:
    """A pool for `url`; `connection_options` as for `redis.asyncio.Redis.from_url`."""
    return WaitingConnectionPool.from_url(url, max_connections=max_connections, timeout=timeout_s, **connection_options)


# Connection problems a command is retried on (with backoff): a Redis restart costs a pause.
RETRY_ERRORS = [RedisConnectionError, RedisTimeoutError, BusyLoadingError, ConnectionResetError, OSError]


def sync_redis(url: str, *, password: str | None = None) -> Redis:
    """A synchronous client (for worker threads) that retries a command while Redis restarts."""
    return Redis.from_url(
        url,
        decode_responses=True,
        password=password,
        retry=Retry(ExponentialBackoff(cap=1.0, base=0.05), retries=6),
        retry_on_error=RETRY_ERRORS,
    )
