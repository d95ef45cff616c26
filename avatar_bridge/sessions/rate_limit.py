"""Token buckets for the documented rate limits (docs/protocol.md §6).

- `TokenBucket`: in memory, for the frames of one socket (it protects the socket's reader).
- `RedisTokenBucket`: in Redis, for the user messages of one session. The state belongs to the
  session, not to the connection, so reconnecting (or resuming on another bridge process) does
  not refill it.
"""

import time
from collections.abc import Callable

# The Redis bucket is shared with the per-IP limits of every service (common/http_guard.py).
from common.redis_bucket import RedisTokenBucket

__all__ = ["RedisTokenBucket", "TokenBucket"]


class TokenBucket:
    """`rate` tokens per second, at most `burst` saved up; each message takes one."""

    def __init__(self, rate: float, burst: int, clock: Callable[[], float] = time.monotonic) -> None:
        self._rate = rate
        self._burst = float(burst)
        self._clock = clock
        self._tokens = float(burst)
        self._updated = clock()

    def take(self) -> float:
        """0.0 if a token was taken; otherwise the seconds until one will be available."""
        now = self._clock()
        self._tokens = min(self._burst, self._tokens + (now - self._updated) * self._rate)
        self._updated = now
        if self._tokens >= 1.0:
            self._tokens -= 1.0
            return 0.0
        return (1.0 - self._tokens) / self._rate
