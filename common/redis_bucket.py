"""A token bucket kept in Redis: per-session message limits (avatar_bridge) and per-IP
request limits (common/http_guard.py). The state lives in Redis, on Redis's clock, so every
instance of a service shares it."""

import math

from redis.asyncio import Redis


# One atomic step of the bucket stored in the hash KEYS[1] (fields tokens, updated), on Redis's
# own clock so that every bridge process agrees. ARGV: rate per second, burst, key TTL seconds.
# Returns the seconds to wait as a string ("0" when a token was taken).
_TAKE = """
local now_parts = redis.call('TIME')
local now = tonumber(now_parts[1]) + tonumber(now_parts[2]) / 1000000
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'updated')
local tokens = tonumber(state[1])
local updated = tonumber(state[2])
if tokens == nil or updated == nil then
  tokens = burst
  updated = now
end
tokens = math.min(burst, tokens + math.max(0, now - updated) * rate)
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
else
  wait = (1 - tokens) / rate
end
redis.call('HSET', KEYS[1], 'tokens', string.format('%.6f', tokens), 'updated', string.format('%.6f', now))
redis.call('EXPIRE', KEYS[1], ARGV[3])
return string.format('%.6f', wait)
"""


class RedisTokenBucket:
    """`rate` tokens per second and key, at most `burst` saved up, kept in Redis."""

    def __init__(self, redis: Redis, rate: float, burst: int) -> None:
        self._rate = rate
        self._burst = burst
        # After this long without use the bucket is full again, so the key may expire.
        self._ttl_s = math.ceil(burst / rate) + 1
        self._script = redis.register_script(_TAKE)

    async def take(self, key: str) -> float:
        """0.0 if a token was taken; otherwise the seconds until one will be available."""
        wait = await self._script(keys=[key], args=[repr(self._rate), self._burst, self._ttl_s])
        return float(wait)
