"""The bridge's Redis client (created in the app's lifespan, never at import).

After Redis restarts, every pooled connection is dead; without retries a command sent on one of
them fails ("Connection closed by server"), turning a short restart into a scatter of failed turns.
A command that hit a broken connection is therefore retried on a fresh one, briefly: while Redis
is really down the caller still gets an error within about a second (a customer's message is
answered with a clear error frame, not a hang). Only connection errors are retried, not
timeouts: a command that timed out may well have run, and the bridge's writes (INCR of a frame
number, XADD of a customer message) must not run twice. (A connection error can still follow a
write Redis ran, if Redis died between running it and answering; that is the crash itself.)

The pool (common/redis_pool.py) is sized from the per-address limits and makes a command wait
up to `redis_pool_timeout_s` for a free connection; waiting for the pool is not retried (it is
no broken connection), so a pool exhausted for that long fails with MaxConnectionsError, which
the bridge treats like Redis being away and /readyz reports.
"""

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError as RedisConnectionError

from avatar_bridge.core.config import Settings
from common.redis_pool import pool_size, waiting_pool

# Waits of 0.1, 0.2, 0.4 and 0.4 s before the four retries: about a second in all.
RETRIES = 4
BACKOFF = ExponentialBackoff(cap=0.4, base=0.05)


def bridge_redis(settings: Settings) -> Redis:
    pool = waiting_pool(
        str(settings.redis_url),
        max_connections=pool_size(settings),
        timeout_s=settings.redis_pool_timeout_s,
        password=settings.redis_password.get_secret_value() if settings.redis_password else None,
        decode_responses=True,
        # redis-py would also retry timeouts by default; name the one error that is safe to retry.
        retry=Retry(BACKOFF, retries=RETRIES, supported_errors=(RedisConnectionError,)),
        retry_on_error=[RedisConnectionError],
        # A connection idle this long is checked (PING) before use, so a dead one is replaced
        # before a real command is sent on it.
        health_check_interval=10,
    )
    return Redis.from_pool(pool)  # the client owns the pool: closing it closes the connections
