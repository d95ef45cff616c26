"""Redis clients for the service (created by the app's lifespan, never at import).

Commands are retried with backoff on connection errors, so a Redis restart costs a short pause,
not failed requests.

The asyncio client's pool (common/redis_pool.py) makes a command wait briefly for a free
connection instead of failing at once when all are in use (redis-py's default pool fails a burst
of requests with MaxConnectionsError while Redis is idle); `app_redis` sizes it from the
settings' per-address limits. Waiting for the pool is not retried: a pool still exhausted after
the wait fails with MaxConnectionsError (503 from the guard, "redis: MaxConnectionsError" from
/readyz).
"""

from redis.asyncio import Redis as AsyncRedis
from redis.asyncio.retry import Retry as AsyncRetry
from redis.backoff import ExponentialBackoff

from common.redis_pool import RETRY_ERRORS, pool_size, waiting_pool
from handoff.core.config import HandoffSettings

# How long a command waits for a free pooled connection when none is given (`app_redis` takes
# the settings' `redis_pool_timeout_s`).
POOL_TIMEOUT_S = 2.0


def async_redis(
    url: str, *, max_connections: int | None = None, pool_timeout_s: float = POOL_TIMEOUT_S, password: str | None = None
) -> AsyncRedis:
    """max_connections None: redis-py's usual 100, waiting for a free one all the same."""
    pool = waiting_pool(
        url,
        max_connections=max_connections,
        timeout_s=pool_timeout_s,
        password=password,
        decode_responses=True,
        health_check_interval=10,
        retry=AsyncRetry(ExponentialBackoff(cap=1.0, base=0.05), retries=6),
        retry_on_error=RETRY_ERRORS,
    )
    return AsyncRedis.from_pool(pool)  # the client owns the pool: closing it closes the connections


def app_redis(settings: HandoffSettings) -> AsyncRedis:
    """The service's client: pool sized from the settings, Redis's password if one is set."""
    return async_redis(
        settings.redis_url,
        max_connections=pool_size(settings),
        pool_timeout_s=settings.redis_pool_timeout_s,
        password=settings.redis_password_value(),
    )
