"""Redis clients for the service (created by the app's lifespan, never at import).

Commands are retried with backoff on connection errors, so a Redis restart costs a short pause,
not failed requests.
"""

from redis import Redis
from redis.asyncio import Redis as AsyncRedis
from redis.asyncio.retry import Retry as AsyncRetry
from redis.backoff import ExponentialBackoff
from redis.exceptions import BusyLoadingError, ConnectionError, TimeoutError  # noqa: A004
from redis.retry import Retry

RETRY_ERRORS = [ConnectionError, TimeoutError, BusyLoadingError, ConnectionResetError, OSError]


def async_redis(url: str) -> AsyncRedis:
    return AsyncRedis.from_url(
        url, decode_responses=True, health_check_interval=10,
        retry=AsyncRetry(ExponentialBackoff(cap=1.0, base=0.05), retries=6), retry_on_error=RETRY_ERRORS,
    )


def sync_redis(url: str) -> Redis:
    return Redis.from_url(url, decode_responses=True,
                          retry=Retry(ExponentialBackoff(cap=1.0, base=0.05), retries=6), retry_on_error=RETRY_ERRORS)
