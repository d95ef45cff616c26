"""The bridge's Redis client (created in the app's lifespan, never at import).

After Redis restarts, every pooled connection is dead; without retries a command sent on one of
them fails ("Connection closed by server"), turning a short restart into a scatter of failed turns.
A command that hit a broken connection is therefore retried on a fresh one, briefly: while Redis
is really down the caller still gets an error within about a second (a customer's message is
answered with a clear error frame, not a hang). Only connection errors are retried, not
timeouts: a command that timed out may well have run, and the bridge's writes (INCR of a frame
number, XADD of a customer message) must not run twice. (A connection error can still follow a
write Redis ran, if Redis died between running it and answering; that is the crash itself.)
"""

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError as RedisConnectionError

# Waits of 0.1, 0.2, 0.4 and 0.4 s before the four retries: about a second in all.
RETRIES = 4
BACKOFF = ExponentialBackoff(cap=0.4, base=0.05)


def bridge_redis(url: str) -> Redis:
    return Redis.from_url(
        url,
        decode_responses=True,
        # redis-py would also retry timeouts by default; name the one error that is safe to retry.
        retry=Retry(BACKOFF, retries=RETRIES, supported_errors=(RedisConnectionError,)),
        retry_on_error=[RedisConnectionError],
        # A connection idle this long is checked (PING) before use, so a dead one is replaced
        # before a real command is sent on it.
        health_check_interval=10,
    )
