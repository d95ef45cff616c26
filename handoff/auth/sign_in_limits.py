"""Failed sign-in limits, per username and per client address, kept in Redis.

The service-wide per-IP request limit (common/http_guard.py) still lets one address try hundreds
of passwords a minute, and many addresses try one account. So every sign-in attempt is counted
twice, before the password is checked: under the username (any username, existing or not, so the
answer tells nothing about which accounts exist) and under the client address. Counting first,
atomically, means parallel guesses cannot slip past the limit. Over either limit the attempt is
refused without checking the password until the window that started with the first counted
attempt has passed (429 with Retry-After).

A successful sign-in clears the username's count and takes its own attempt back from the
address's count; it does not clear the address's failures, or an attacker with one account of
their own could clear them between guesses at other accounts.
If Redis does not answer, the sign-in is refused (the app answers 503 with Retry-After), as every
limit that cannot be checked is (fail closed; common/http_guard.py): an attacker must not get
unlimited guesses by overloading Redis.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

from redis.asyncio import Redis
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# Counts one attempt under each key (KEYS[i]: counter, ARGV[i]: its window in seconds, the TTL set
# when the counter is created). Returns count and remaining seconds for each key, in order.
_COUNT = """
local result = {}
for index, key in ipairs(KEYS) do
  local count = redis.call('INCR', key)
  if count == 1 then redis.call('EXPIRE', key, ARGV[index]) end
  local ttl = redis.call('TTL', key)
  if ttl < 0 then
    redis.call('EXPIRE', key, ARGV[index])
    ttl = tonumber(ARGV[index])
  end
  table.insert(result, count)
  table.insert(result, ttl)
end
return result
"""

# After a success: the username's count goes, the address's count loses this attempt only (a
# counter that expired meanwhile is not created again).
_TAKE_BACK = """
redis.call('DEL', KEYS[1])
if redis.call('EXISTS', KEYS[2]) == 1 then redis.call('DECR', KEYS[2]) end
return 1
"""


@dataclass(frozen=True)
class SignInLimits:
    failures_per_user: int
    failures_per_address: int
    window_seconds: int


class SignInGuard:
    def __init__(self, redis: Redis, limits: SignInLimits, key_prefix: str) -> None:
        self._redis = redis
        self._limits = limits
        self._prefix = f"{key_prefix}:signin"
        self._count = redis.register_script(_COUNT)
        self._take_back = redis.register_script(_TAKE_BACK)

    def _user_key(self, username: str) -> str:
        # Hashed: bounded key length whatever is typed; case-folded: "Mia" and "mia" share a count.
        digest = hashlib.sha256(username.strip().casefold().encode("utf-8")).hexdigest()[:32]
        return f"{self._prefix}:user:{digest}"

    def _address_key(self, address: str) -> str:
        return f"{self._prefix}:address:{address}"

    async def attempt(self, username: str, address: str) -> int:
        """Counts an attempt; 0 if it may go on, else the seconds until it may be tried again."""
        limits = self._limits
        try:
            user_count, user_ttl, address_count, address_ttl = await self._count(
                keys=[self._user_key(username), self._address_key(address)],
                args=[limits.window_seconds, limits.window_seconds],
            )
        except (RedisError, OSError) as error:
            logger.warning("sign-in limits unavailable, refusing the sign-in (%s)", type(error).__name__)
            raise
        waits = [
            ttl
            for count, ttl, limit in (
                (user_count, user_ttl, limits.failures_per_user),
                (address_count, address_ttl, limits.failures_per_address),
            )
            if count > limit
        ]
        return max(waits, default=0)

    async def succeeded(self, username: str, address: str) -> None:
        try:
            await self._take_back(keys=[self._user_key(username), self._address_key(address)])
        except (RedisError, OSError) as error:
            logger.warning("could not reset the sign-in count (%s)", error)
